<#
.SYNOPSIS
    Collects the configuration behind Exchange hybrid OAuth (free/busy, MailTips, photos)
    into one JSON snapshot for hybridcheck. Read-only.

.DESCRIPTION
    Run in the Exchange Management Shell (Windows PowerShell 5.1) on an Exchange server.
    Reads, never changes:
      - on-premises: Get-AuthConfig, AuthServers, PartnerApplications,
        IntraOrganizationConnectors, AvailabilityAddressSpaces, OrganizationRelationships,
        accepted domains, HybridConfiguration, setting overrides, and per Exchange server
        its role, exact build, Autodiscover and EWS virtual directories and the Auth
        certificates in its store (public part only);
      - with -ExchangeOnline: Exchange Online's IntraOrganizationConnectors,
        OrganizationRelationships, accepted domains and IntraOrganizationConfiguration;
      - with -Graph: the Exchange Online service principal's servicePrincipalNames and
        keyCredentials, and the dedicated Exchange hybrid application(s) with their
        keyCredentials, requiredResourceAccess and app role assignments (consent),
        and the tenant's default app management policy (its caps on the lifetime
        of applications' certificate key credentials).
    Each part is collected on its own: what fails is recorded in "errors" with the reason,
    and the rest of the snapshot is still written. Private keys and secrets are never read:
    certificates are exported with X509ContentType Cert, which holds the public part only.

.PARAMETER Cloud
    global, china (21Vianet), gcchigh or dod. Chooses the environment names for
    Connect-ExchangeOnline and Connect-MgGraph, and is recorded in the snapshot.

.PARAMETER ExchangeOnline
    Also connect to Exchange Online (ExchangeOnlineManagement module), read-only cmdlets only.

.PARAMETER Graph
    Also connect to Microsoft Graph (Microsoft.Graph.Authentication module) with the
    read-only scopes Application.Read.All, Directory.Read.All and Policy.Read.All
    (the last for the tenant's default app management policy). An account refused
    Policy.Read.All signs in again with the other two: that part alone is recorded
    in "errors".

.PARAMETER OutFile
    Where to write the snapshot (UTF-8 without BOM, written whole or not at all).

.EXAMPLE
    .\Get-HybridCheckSnapshot.ps1 -Cloud china -ExchangeOnline -Graph -OutFile .\snapshot.json
    hybridcheck preflight --snapshot snapshot.json --domain contoso.cn
#>
[CmdletBinding()]
param(
    [ValidateSet('global', 'china', 'gcchigh', 'dod')]
    [string]$Cloud = 'global',
    [switch]$ExchangeOnline,
    [switch]$Graph,
    [string]$OutFile = 'hybridcheck-snapshot.json'
)

# No StrictMode: older builds lack properties (ApplicationIdentifier, ServiceInstance),
# and reading a missing one must give $null, not end the collection.
$ErrorActionPreference = 'Stop'

$SchemaId = 'hybridcheck.snapshot/1'
$CollectorVersion = '1.0'
$ExchangeOnlineAppId = '00000002-0000-0ff1-ce00-000000000000'

# Environment names per cloud (PROTOCOLS.md section 1).
$CloudEnvironments = @{
    'global'  = @{ Exo = 'O365Default';       Graph = 'Global' }
    'china'   = @{ Exo = 'O365China';         Graph = 'China' }
    'gcchigh' = @{ Exo = 'O365USGovGCCHigh';  Graph = 'USGov' }
    'dod'     = @{ Exo = 'O365USGovDoD';      Graph = 'USGovDoD' }
}

$script:SnapshotErrors = New-Object System.Collections.ArrayList
# How many recipients the routing-domain and cloud-archive samples read at most.
$script:RecipientSample = 2000

# Records why a part could not be collected; the snapshot stays valid without it.
function Add-SnapshotError {
    param([string]$Part, [string]$Command, $ErrorRecord)
    $message = if ($ErrorRecord -is [System.Management.Automation.ErrorRecord]) {
        $ErrorRecord.Exception.Message
    } else {
        [string]$ErrorRecord
    }
    [void]$script:SnapshotErrors.Add([ordered]@{
        part    = $Part
        command = $Command
        message = $message
    })
    Write-Warning ("{0}: {1} failed: {2}" -f $Part, $Command, $message)
}

# ISO-8601 UTC, whatever PowerShell hands us (DateTime, deserialized DateTime, string).
function ConvertTo-IsoDate {
    param($Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [datetime]) {
        if ($Value -eq [datetime]::MinValue) { return $null }
        return $Value.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ', [System.Globalization.CultureInfo]::InvariantCulture)
    }
    if ($Value -is [System.DateTimeOffset]) {
        return $Value.UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ssZ', [System.Globalization.CultureInfo]::InvariantCulture)
    }
    $parsed = [datetime]::MinValue
    if ([datetime]::TryParse([string]$Value, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::AdjustToUniversal, [ref]$parsed)) {
        return $parsed.ToString('yyyy-MM-ddTHH:mm:ssZ', [System.Globalization.CultureInfo]::InvariantCulture)
    }
    return [string]$Value
}

# A string or $null: Uri, SmtpDomain, enum and multi-valued items all become their text.
function ConvertTo-Text {
    param($Value)
    if ($null -eq $Value) { return $null }
    $text = [string]$Value
    if ($text.Length -eq 0) { return $null }
    return $text
}

# Strings of a multi-valued property. The leading comma keeps an array an array
# when the function returns (PowerShell would unroll it, and 5.1 would then write
# a lone value instead of a one-element array).
function ConvertTo-TextArray {
    param($Value)
    $items = New-Object System.Collections.ArrayList
    foreach ($v in @($Value)) {
        if ($null -ne $v -and ([string]$v).Length -gt 0) { [void]$items.Add([string]$v) }
    }
    return , $items.ToArray()
}

function Get-Property {
    param($Object, [string]$Name)
    if ($null -eq $Object) { return $null }
    $p = $Object.PSObject.Properties[$Name]
    if ($null -eq $p) { return $null }
    return $p.Value
}

function Invoke-Part {
    param([string]$Part, [string]$Command, [scriptblock]$Script)
    try {
        $result = & $Script
        # The comma stops PowerShell unrolling an array on return: a one-element
        # array would otherwise reach ConvertTo-Json as a lone object.
        return , $result
    } catch {
        Add-SnapshotError -Part $Part -Command $Command -ErrorRecord $_
        return $null
    }
}

# ---------------------------------------------------------------- on-premises

function Get-OnPremisesPart {
    $auth = $null
    $part = [ordered]@{}

    $part.authConfig = Invoke-Part 'onPremises.authConfig' 'Get-AuthConfig' {
        $a = Get-AuthConfig
        [ordered]@{
            currentCertificateThumbprint  = ConvertTo-Text $a.CurrentCertificateThumbprint
            previousCertificateThumbprint = ConvertTo-Text $a.PreviousCertificateThumbprint
            nextCertificateThumbprint     = ConvertTo-Text $a.NextCertificateThumbprint
            nextCertificateEffectiveDate  = ConvertTo-IsoDate $a.NextCertificateEffectiveDate
            serviceName                   = ConvertTo-Text $a.ServiceName
            realm                         = ConvertTo-Text $a.Realm
        }
    }
    $auth = $part.authConfig

    $part.authServers = Invoke-Part 'onPremises.authServers' 'Get-AuthServer' {
        , @(Get-AuthServer | ForEach-Object {
            [ordered]@{
                name                  = ConvertTo-Text $_.Name
                type                  = ConvertTo-Text (Get-Property $_ 'Type')
                authMetadataUrl       = ConvertTo-Text $_.AuthMetadataUrl
                issuerIdentifier      = ConvertTo-Text $_.IssuerIdentifier
                tokenIssuingEndpoint  = ConvertTo-Text $_.TokenIssuingEndpoint
                realm                 = ConvertTo-Text $_.Realm
                applicationIdentifier = ConvertTo-Text (Get-Property $_ 'ApplicationIdentifier')
                domainName            = ConvertTo-TextArray (Get-Property $_ 'DomainName')
                enabled               = [bool]$_.Enabled
                graphBaseUrl          = ConvertTo-Text (Get-Property $_ 'GraphBaseUrl')
            }
        })
    }

    $part.partnerApplications = Invoke-Part 'onPremises.partnerApplications' 'Get-PartnerApplication' {
        , @(Get-PartnerApplication | ForEach-Object {
            [ordered]@{
                name                  = ConvertTo-Text $_.Name
                applicationIdentifier = ConvertTo-Text $_.ApplicationIdentifier
                realm                 = ConvertTo-Text $_.Realm
                authMetadataUrl       = ConvertTo-Text $_.AuthMetadataUrl
                useAuthServer         = [bool]$_.UseAuthServer
                enabled               = [bool]$_.Enabled
                linkedAccount         = ConvertTo-Text (Get-Property $_ 'LinkedAccount')
            }
        })
    }

    $part.intraOrganizationConnectors = Invoke-Part 'onPremises.intraOrganizationConnectors' 'Get-IntraOrganizationConnector' {
        , @(Get-IntraOrganizationConnector | ForEach-Object { ConvertFrom-Connector $_ })
    }

    $part.availabilityAddressSpaces = Invoke-Part 'onPremises.availabilityAddressSpaces' 'Get-AvailabilityAddressSpace' {
        , @(Get-AvailabilityAddressSpace | ForEach-Object {
            [ordered]@{
                forestName            = ConvertTo-Text $_.ForestName
                accessMethod          = ConvertTo-Text $_.AccessMethod
                proxyUrl              = ConvertTo-Text $_.ProxyUrl
                targetAutodiscoverEpr = ConvertTo-Text $_.TargetAutodiscoverEpr
                useServiceAccount     = [bool]$_.UseServiceAccount
            }
        })
    }

    $part.organizationRelationships = Invoke-Part 'onPremises.organizationRelationships' 'Get-OrganizationRelationship' {
        , @(Get-OrganizationRelationship | ForEach-Object { ConvertFrom-Relationship $_ })
    }

    $part.acceptedDomains = Invoke-Part 'onPremises.acceptedDomains' 'Get-AcceptedDomain' {
        , @(Get-AcceptedDomain | ForEach-Object { ConvertFrom-AcceptedDomain $_ })
    }

    $part.hybridConfiguration = Invoke-Part 'onPremises.hybridConfiguration' 'Get-HybridConfiguration' {
        $h = Get-HybridConfiguration
        if ($null -eq $h) { return $null }
        [ordered]@{
            domains             = ConvertTo-TextArray $h.Domains
            features            = ConvertTo-TextArray $h.Features
            onPremisesSmartHost = ConvertTo-Text $h.OnPremisesSmartHost
            serviceInstance     = ConvertTo-Text (Get-Property $h 'ServiceInstance')
            tlsCertificateName  = ConvertTo-Text $h.TlsCertificateName
        }
    }

    $part.settingOverrides = Invoke-Part 'onPremises.settingOverrides' 'Get-SettingOverride' {
        , @(Get-SettingOverride | ForEach-Object {
            [ordered]@{
                name          = ConvertTo-Text $_.Name
                componentName = ConvertTo-Text $_.ComponentName
                sectionName   = ConvertTo-Text $_.SectionName
                parameters    = ConvertTo-TextArray $_.Parameters
                server        = ConvertTo-TextArray $_.Server
                reason        = ConvertTo-Text $_.Reason
            }
        })
    }

    $thumbprints = @()
    if ($null -ne $auth) {
        $thumbprints = @($auth.currentCertificateThumbprint, $auth.nextCertificateThumbprint, $auth.previousCertificateThumbprint) |
            Where-Object { $_ }
    }
    $part.servers = Invoke-Part 'onPremises.servers' 'Get-ExchangeServer' {
        , @(Get-ExchangeServer | ForEach-Object { Get-ServerPart $_ $thumbprints })
    }

    # The routing domain as the remote mailboxes use it: a bounded sample, counted by domain.
    $part.remoteRoutingDomains = Invoke-Part 'onPremises.remoteRoutingDomains' 'Get-RemoteMailbox' {
        $counts = @{}
        foreach ($m in @(Get-RemoteMailbox -ResultSize $script:RecipientSample)) {
            $address = [string]$m.RemoteRoutingAddress
            $at = $address.LastIndexOf('@')
            if ($at -lt 0) { continue }
            $domain = $address.Substring($at + 1).ToLowerInvariant()
            if ($counts.ContainsKey($domain)) { $counts[$domain]++ } else { $counts[$domain] = 1 }
        }
        , @($counts.Keys | Sort-Object | ForEach-Object { [ordered]@{ domain = $_; count = $counts[$_] } })
    }

    # On-premises mailboxes whose archive is in Exchange Online (same bound).
    $part.cloudArchiveMailboxes = Invoke-Part 'onPremises.cloudArchiveMailboxes' 'Get-Mailbox -Archive' {
        $archived = @(Get-Mailbox -Archive -ResultSize $script:RecipientSample | Where-Object {
                @('HostedProvisioned', 'HostedPending') -contains [string]$_.ArchiveState
            })
        $archived.Count
    }
    return $part
}

function ConvertFrom-Connector {
    param($c)
    [ordered]@{
        name                 = ConvertTo-Text $c.Name
        enabled              = [bool]$c.Enabled
        discoveryEndpoint    = ConvertTo-Text $c.DiscoveryEndpoint
        targetAddressDomains = ConvertTo-TextArray $c.TargetAddressDomains
        targetSharingEpr     = ConvertTo-Text (Get-Property $c 'TargetSharingEpr')
    }
}

function ConvertFrom-Relationship {
    param($r)
    [ordered]@{
        name                  = ConvertTo-Text $r.Name
        enabled               = [bool]$r.Enabled
        domainNames           = ConvertTo-TextArray $r.DomainNames
        freeBusyAccessEnabled = [bool]$r.FreeBusyAccessEnabled
        freeBusyAccessLevel   = ConvertTo-Text $r.FreeBusyAccessLevel
        targetApplicationUri  = ConvertTo-Text $r.TargetApplicationUri
        targetAutodiscoverEpr = ConvertTo-Text $r.TargetAutodiscoverEpr
        targetSharingEpr      = ConvertTo-Text $r.TargetSharingEpr
    }
}

function ConvertFrom-AcceptedDomain {
    param($d)
    [ordered]@{
        domainName = ConvertTo-Text $d.DomainName
        domainType = ConvertTo-Text $d.DomainType
        default    = [bool]$d.Default
    }
}

function ConvertFrom-VirtualDirectory {
    param($v)
    [ordered]@{
        name                     = ConvertTo-Text $v.Name
        internalUrl              = ConvertTo-Text $v.InternalUrl
        externalUrl              = ConvertTo-Text $v.ExternalUrl
        oAuthAuthentication      = Get-Property $v 'OAuthAuthentication'
        wsSecurityAuthentication = Get-Property $v 'WSSecurityAuthentication'
        windowsAuthentication    = Get-Property $v 'WindowsAuthentication'
    }
}

# Runs on the Exchange server itself (locally or through WinRM): the build of
# ExSetup.exe, which security updates change and AdminDisplayVersion does not,
# and the Auth certificates' public parts.
$ServerProbe = {
    param([string[]]$Thumbprints)
    $result = @{ fileVersion = $null; certificates = @() }
    $setup = Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\ExchangeServer\v15\Setup' -ErrorAction SilentlyContinue
    if ($null -eq $setup) {
        $setup = Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\ExchangeServer\v14\Setup' -ErrorAction SilentlyContinue
    }
    if ($null -ne $setup) {
        $exe = Join-Path $setup.MsiInstallPath 'Bin\ExSetup.exe'
        if (Test-Path -LiteralPath $exe) {
            $result.fileVersion = (Get-Item -LiteralPath $exe).VersionInfo.FileVersion
        }
    }
    $certs = @()
    foreach ($t in $Thumbprints) {
        $c = Get-Item -LiteralPath ('Cert:\LocalMachine\My\' + $t) -ErrorAction SilentlyContinue
        if ($null -eq $c) { continue }
        # X509ContentType Cert: the public certificate only, never the key.
        $der = $c.Export([System.Security.Cryptography.X509Certificates.X509ContentType]::Cert)
        $certs += @{
            thumbprint = $c.Thumbprint
            subject    = $c.Subject
            issuer     = $c.Issuer
            notBefore  = $c.NotBefore.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
            notAfter   = $c.NotAfter.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
            der        = [System.Convert]::ToBase64String($der)
        }
    }
    $result.certificates = $certs
    $result
}

function Get-ServerPart {
    param($s, [string[]]$Thumbprints)
    $name = [string]$s.Name
    $fqdn = [string]$s.Fqdn
    $server = [ordered]@{
        name                = $name
        fqdn                = $fqdn
        serverRole          = ConvertTo-TextArray (([string]$s.ServerRole) -split ',\s*')
        edition             = ConvertTo-Text $s.Edition
        site                = ConvertTo-Text $s.Site
        adminDisplayVersion = ConvertTo-Text $s.AdminDisplayVersion
        fileVersion         = $null
    }
    if ([string]$s.ServerRole -match 'Edge') {
        return $server
    }

    # The overrides this server's topology service applies (the AD view is settingOverrides).
    # No <Overrides> element: the server did not answer, and null says "not collected".
    $server.effectiveOverrides = Invoke-Part "onPremises.servers.$name.effectiveOverrides" 'Get-ExchangeDiagnosticInfo' {
        $info = Get-ExchangeDiagnosticInfo -Server $name -Process 'Microsoft.Exchange.Directory.TopologyService' -Component 'VariantConfiguration' -Argument 'Overrides'
        $xml = [xml]([string]$info.Result)
        $ovr = $xml.SelectSingleNode('/Diagnostics/Components/VariantConfiguration/Overrides')
        if ($null -eq $ovr) { return $null }
        , @($ovr.SelectNodes('SettingOverride') | ForEach-Object {
            $node = $_
            $nodeName = $node.SelectSingleNode('Name').InnerText
            $nodeComponent = $node.SelectSingleNode('ComponentName').InnerText
            $nodeSection = $node.SelectSingleNode('SectionName').InnerText
            $nodeParameters = @($node.SelectNodes('Parameters/Parameter') | ForEach-Object { $_.InnerText })
            [ordered]@{
                name          = (ConvertTo-Text $nodeName)
                componentName = (ConvertTo-Text $nodeComponent)
                sectionName   = (ConvertTo-Text $nodeSection)
                parameters    = (ConvertTo-TextArray $nodeParameters)
            }
        })
    }

    $server.autodiscoverVirtualDirectories = Invoke-Part "onPremises.servers.$name.autodiscoverVirtualDirectories" 'Get-AutodiscoverVirtualDirectory' {
        , @(Get-AutodiscoverVirtualDirectory -Server $name -ADPropertiesOnly | ForEach-Object { ConvertFrom-VirtualDirectory $_ })
    }
    $server.webServicesVirtualDirectories = Invoke-Part "onPremises.servers.$name.webServicesVirtualDirectories" 'Get-WebServicesVirtualDirectory' {
        , @(Get-WebServicesVirtualDirectory -Server $name -ADPropertiesOnly | ForEach-Object { ConvertFrom-VirtualDirectory $_ })
    }

    $probe = Invoke-Part "onPremises.servers.$name.authCertificates" 'Invoke-Command' {
        if ($name -eq $env:COMPUTERNAME) {
            & $ServerProbe -Thumbprints $Thumbprints
        } else {
            Invoke-Command -ComputerName $fqdn -ScriptBlock $ServerProbe -ArgumentList (, $Thumbprints)
        }
    }
    if ($null -ne $probe) {
        $server.fileVersion = ConvertTo-Text $probe.fileVersion
        $server.authCertificates = @($probe.certificates | Where-Object { $_ } | ForEach-Object {
            [ordered]@{
                thumbprint = [string]$_.thumbprint
                subject    = [string]$_.subject
                issuer     = [string]$_.issuer
                notBefore  = [string]$_.notBefore
                notAfter   = [string]$_.notAfter
                der        = [string]$_.der
            }
        })
    } else {
        # Without WinRM, Exchange still knows the certificate's metadata.
        $server.authCertificates = Invoke-Part "onPremises.servers.$name.authCertificates" 'Get-ExchangeCertificate' {
            , @($Thumbprints | ForEach-Object {
                Get-ExchangeCertificate -Server $name -Thumbprint $_ -ErrorAction SilentlyContinue
            } | Where-Object { $_ } | ForEach-Object {
                [ordered]@{
                    thumbprint = [string]$_.Thumbprint
                    subject    = [string]$_.Subject
                    issuer     = [string]$_.Issuer
                    notBefore  = ConvertTo-IsoDate $_.NotBefore
                    notAfter   = ConvertTo-IsoDate $_.NotAfter
                    der        = $null
                }
            })
        }
    }
    return $server
}

# ---------------------------------------------------------------- Exchange Online

function Get-ExchangeOnlinePart {
    param([string]$Environment)
    # A prefix keeps Exchange Online's cmdlets apart from the on-premises ones
    # of the same name in this session.
    $prefix = 'HcCloud'
    Connect-ExchangeOnline -ExchangeEnvironmentName $Environment -Prefix $prefix -ShowBanner:$false
    $part = [ordered]@{}
    $part.intraOrganizationConnectors = Invoke-Part 'exchangeOnline.intraOrganizationConnectors' 'Get-IntraOrganizationConnector' {
        , @(& "Get-${prefix}IntraOrganizationConnector" | ForEach-Object { ConvertFrom-Connector $_ })
    }
    $part.organizationRelationships = Invoke-Part 'exchangeOnline.organizationRelationships' 'Get-OrganizationRelationship' {
        , @(& "Get-${prefix}OrganizationRelationship" | ForEach-Object { ConvertFrom-Relationship $_ })
    }
    $part.acceptedDomains = Invoke-Part 'exchangeOnline.acceptedDomains' 'Get-AcceptedDomain' {
        , @(& "Get-${prefix}AcceptedDomain" | ForEach-Object { ConvertFrom-AcceptedDomain $_ })
    }
    $part.intraOrganizationConfiguration = Invoke-Part 'exchangeOnline.intraOrganizationConfiguration' 'Get-IntraOrganizationConfiguration' {
        $c = & "Get-${prefix}IntraOrganizationConfiguration" -WarningAction SilentlyContinue | Select-Object -First 1
        [ordered]@{
            onlineDiscoveryEndpoint     = ConvertTo-Text $c.OnlineDiscoveryEndpoint
            onlineTargetAddress         = ConvertTo-Text (Get-Property $c 'OnlineTargetAddress')
            onPremiseDiscoveryEndpoint  = ConvertTo-Text (Get-Property $c 'OnPremiseDiscoveryEndpoint')
            onPremiseWebServiceEndpoint = ConvertTo-Text (Get-Property $c 'OnPremiseWebServiceEndpoint')
            onPremiseTargetAddresses    = ConvertTo-TextArray (Get-Property $c 'OnPremiseTargetAddresses')
        }
    }
    # The EWS gate (from 2026-10-01): EwsAllowedAppIDs is returned only with
    # -RetrieveEwsOperationAccessPolicy, as one comma-separated string.
    $part.organizationConfig = Invoke-Part 'exchangeOnline.organizationConfig' 'Get-OrganizationConfig' {
        $o = & "Get-${prefix}OrganizationConfig" -RetrieveEwsOperationAccessPolicy | Select-Object -First 1
        $ids = New-Object System.Collections.ArrayList
        foreach ($v in @(Get-Property $o 'EwsAllowedAppIDs')) {
            if ($null -eq $v) { continue }
            foreach ($id in ([string]$v -split ',')) { if ($id.Trim().Length -gt 0) { [void]$ids.Add($id.Trim()) } }
        }
        $enabled = Get-Property $o 'EwsEnabled'
        [ordered]@{
            ewsEnabled                 = $(if ($null -eq $enabled) { $null } else { [bool]$enabled })
            ewsAllowedAppIds           = $ids.ToArray()
            ewsApplicationAccessPolicy = ConvertTo-Text (Get-Property $o 'EwsApplicationAccessPolicy')
            ewsAllowList               = ConvertTo-TextArray (Get-Property $o 'EwsAllowList')
            ewsBlockList               = ConvertTo-TextArray (Get-Property $o 'EwsBlockList')
        }
    }
    # Where a Hybrid Agent shows too (RemoteServer <guid>.resource.mailboxmigration.his.msappproxy.net).
    $part.migrationEndpoints = Invoke-Part 'exchangeOnline.migrationEndpoints' 'Get-MigrationEndpoint' {
        , @(& "Get-${prefix}MigrationEndpoint" | ForEach-Object {
                [ordered]@{
                    name         = ConvertTo-Text (Get-Property $_ 'Identity')
                    remoteServer = ConvertTo-Text (Get-Property $_ 'RemoteServer')
                }
            })
    }
    return $part
}

# ---------------------------------------------------------------- Entra ID (Graph)

function ConvertFrom-KeyCredential {
    param($k)
    [ordered]@{
        keyId               = ConvertTo-Text $k.keyId
        displayName         = ConvertTo-Text $k.displayName
        customKeyIdentifier = ConvertTo-Text $k.customKeyIdentifier
        type                = ConvertTo-Text $k.type
        usage               = ConvertTo-Text $k.usage
        startDateTime       = ConvertTo-IsoDate $k.startDateTime
        endDateTime         = ConvertTo-IsoDate $k.endDateTime
        key                 = ConvertTo-Text $k.key
    }
}

$script:RoleNames = @{}

# The value ("full_access_as_app") of an app role, from the resource's service principal.
function Get-AppRoleValue {
    param([string]$ResourceFilter, [string]$RoleId)
    if (-not $script:RoleNames.ContainsKey($ResourceFilter)) {
        $map = @{}
        try {
            $sp = Invoke-MgGraphRequest -Method GET -Uri ("v1.0/servicePrincipals{0}?`$select=appId,appRoles" -f $ResourceFilter)
            foreach ($r in @($sp.appRoles)) { $map[[string]$r.id] = [string]$r.value }
        } catch {
            Add-SnapshotError -Part 'entra.appRoles' -Command 'GET servicePrincipals' -ErrorRecord $_
        }
        $script:RoleNames[$ResourceFilter] = $map
    }
    return $script:RoleNames[$ResourceFilter][$RoleId]
}

function Get-HybridApplication {
    param([string]$AppId)
    $app = Invoke-MgGraphRequest -Method GET -Uri ("v1.0/applications(appId='{0}')?`$select=id,appId,displayName,requiredResourceAccess" -f $AppId)
    # The key's public bytes come only when keyCredentials is selected on one object.
    $keys = Invoke-MgGraphRequest -Method GET -Uri ("v1.0/applications(appId='{0}')?`$select=keyCredentials" -f $AppId)
    $result = [ordered]@{
        id                     = ConvertTo-Text $app.id
        appId                  = ConvertTo-Text $app.appId
        displayName            = ConvertTo-Text $app.displayName
        keyCredentials         = @(@($keys.keyCredentials) | Where-Object { $_ } | ForEach-Object { ConvertFrom-KeyCredential $_ })
        requiredResourceAccess = @(@($app.requiredResourceAccess) | Where-Object { $_ } | ForEach-Object {
            $resource = [string]$_.resourceAppId
            [ordered]@{
                resourceAppId  = $resource
                resourceAccess = @(@($_.resourceAccess) | Where-Object { $_ } | ForEach-Object {
                    [ordered]@{
                        id    = [string]$_.id
                        type  = [string]$_.type
                        value = Get-AppRoleValue ("(appId='{0}')" -f $resource) ([string]$_.id)
                    }
                })
            }
        })
        appRoleAssignments     = @()
    }
    $result.appRoleAssignments = Invoke-Part 'entra.hybridApplications.appRoleAssignments' 'GET appRoleAssignments' {
        $assigned = Invoke-MgGraphRequest -Method GET -Uri ("v1.0/servicePrincipals(appId='{0}')/appRoleAssignments" -f $AppId)
        , @(@($assigned.value) | Where-Object { $_ } | ForEach-Object {
            $resourceSp = Invoke-MgGraphRequest -Method GET -Uri ("v1.0/servicePrincipals/{0}?`$select=appId" -f $_.resourceId)
            [ordered]@{
                appRoleId           = [string]$_.appRoleId
                appRoleValue        = Get-AppRoleValue ('/' + $_.resourceId) ([string]$_.appRoleId)
                resourceId          = [string]$_.resourceId
                resourceAppId       = [string]$resourceSp.appId
                resourceDisplayName = [string]$_.resourceDisplayName
                createdDateTime     = ConvertTo-IsoDate $_.createdDateTime
            }
        })
    }
    return $result
}

# One cap of the tenant's default app management policy on applications' key
# credentials (Graph keyCredentialConfiguration): only the fields the check
# reads. maxLifetime is ISO 8601 text as Graph sends it ("P365D"); should the
# module hand over a TimeSpan, XmlConvert writes it back in that form.
function ConvertFrom-KeyRestriction {
    param($r)
    $max = $r.maxLifetime
    if ($max -is [System.TimeSpan]) { $max = [System.Xml.XmlConvert]::ToString($max) }
    [ordered]@{
        restrictionType                     = ConvertTo-Text $r.restrictionType
        maxLifetime                         = ConvertTo-Text $max
        state                               = ConvertTo-Text $r.state
        restrictForAppsCreatedAfterDateTime = ConvertTo-IsoDate $r.restrictForAppsCreatedAfterDateTime
    }
}

# Graph's policies/defaultAppManagementPolicy (needs Policy.Read.All): whether
# it is on and its caps on applications' key credentials; its other fields
# (password credentials, service principals' restrictions) are not written.
function Get-AppManagementPolicy {
    $p = Invoke-MgGraphRequest -Method GET -Uri 'v1.0/policies/defaultAppManagementPolicy'
    $on = $p.isEnabled
    if ($null -ne $on -and $on -isnot [bool]) { $on = ([string]$on -eq 'true') }
    $restrictions = $null
    if ($null -ne $p.applicationRestrictions) {
        $keys = @(@($p.applicationRestrictions.keyCredentials) | Where-Object { $_ } | ForEach-Object { ConvertFrom-KeyRestriction $_ })
        $restrictions = [ordered]@{ keyCredentials = $keys }
    }
    [ordered]@{
        isEnabled               = $on
        applicationRestrictions = $restrictions
    }
}

function Get-EntraPart {
    param([string]$Environment, $OnPremises)
    # Policy.Read.All needs an administrator's consent of its own: an account
    # refused it still signs in with the other two, and only the policy's part
    # is recorded as missing.
    $policyScope = $true
    try {
        Connect-MgGraph -Environment $Environment -Scopes 'Application.Read.All', 'Directory.Read.All', 'Policy.Read.All' -ErrorAction Stop | Out-Null
    } catch {
        Add-SnapshotError -Part 'entra.appManagementPolicy' -Command 'Connect-MgGraph' -ErrorRecord $_
        $policyScope = $false
        Connect-MgGraph -Environment $Environment -Scopes 'Application.Read.All', 'Directory.Read.All' | Out-Null
    }
    $part = [ordered]@{ tenantId = $null }
    $part.tenantId = Invoke-Part 'entra.tenantId' 'Get-MgContext' { [string](Get-MgContext).TenantId }

    $part.exchangeServicePrincipal = Invoke-Part 'entra.exchangeServicePrincipal' 'GET servicePrincipals' {
        $sp = Invoke-MgGraphRequest -Method GET -Uri ("v1.0/servicePrincipals(appId='{0}')?`$select=id,appId,displayName,servicePrincipalNames" -f $ExchangeOnlineAppId)
        $keys = Invoke-MgGraphRequest -Method GET -Uri ("v1.0/servicePrincipals(appId='{0}')?`$select=keyCredentials" -f $ExchangeOnlineAppId)
        [ordered]@{
            id                    = ConvertTo-Text $sp.id
            appId                 = ConvertTo-Text $sp.appId
            displayName           = ConvertTo-Text $sp.displayName
            servicePrincipalNames = ConvertTo-TextArray $sp.servicePrincipalNames
            keyCredentials        = @(@($keys.keyCredentials) | Where-Object { $_ } | ForEach-Object { ConvertFrom-KeyCredential $_ })
        }
    }

    # The hybrid app: named by an AzureAD AuthServer, or by its default name.
    $appIds = New-Object System.Collections.ArrayList
    if ($null -ne $OnPremises -and $null -ne $OnPremises.authServers) {
        foreach ($a in @($OnPremises.authServers)) {
            if ($a.type -eq 'AzureAD' -and $a.applicationIdentifier -and -not $appIds.Contains($a.applicationIdentifier)) {
                [void]$appIds.Add($a.applicationIdentifier)
            }
        }
    }
    $named = Invoke-Part 'entra.hybridApplications' 'GET applications' {
        $r = Invoke-MgGraphRequest -Method GET -Uri "v1.0/applications?`$filter=startswith(displayName,'ExchangeServerApp-')&`$select=appId"
        , @(@($r.value) | ForEach-Object { [string]$_.appId })
    }
    foreach ($id in @($named)) {
        if ($id -and -not $appIds.Contains($id)) { [void]$appIds.Add($id) }
    }
    $apps = New-Object System.Collections.ArrayList
    foreach ($id in $appIds) {
        $app = Invoke-Part 'entra.hybridApplications' "GET applications(appId='$id')" { Get-HybridApplication $id }
        if ($null -ne $app) { [void]$apps.Add($app) }
    }
    $part.hybridApplications = $apps.ToArray()

    # The tenant's cap on certificate lifetimes: without Policy.Read.All Graph
    # answers 403, recorded in errors[]; the rest of the part stands.
    if ($policyScope) {
        $part.appManagementPolicy = Invoke-Part 'entra.appManagementPolicy' 'GET policies/defaultAppManagementPolicy' { Get-AppManagementPolicy }
    }
    return $part
}

# ---------------------------------------------------------------- main

$snapshot = [ordered]@{
    schema       = $SchemaId
    collectedAt  = ConvertTo-IsoDate (Get-Date)
    cloud        = $Cloud
    tenantId     = $null
    collector    = [ordered]@{
        version   = $CollectorVersion
        host      = $env:COMPUTERNAME
        psVersion = $PSVersionTable.PSVersion.ToString()
    }
    organization = Invoke-Part 'organization' 'Get-OrganizationConfig' {
        $o = Get-OrganizationConfig
        [ordered]@{ name = ConvertTo-Text $o.Name; guid = ConvertTo-Text $o.Guid }
    }
}

if (Get-Command Get-AuthConfig -ErrorAction SilentlyContinue) {
    $snapshot.onPremises = Get-OnPremisesPart
} else {
    Add-SnapshotError -Part 'onPremises' -Command 'Get-AuthConfig' -ErrorRecord 'not an Exchange Management Shell: the on-premises cmdlets are missing'
}

if ($ExchangeOnline) {
    $snapshot.exchangeOnline = Invoke-Part 'exchangeOnline' 'Connect-ExchangeOnline' {
        Get-ExchangeOnlinePart -Environment $CloudEnvironments[$Cloud].Exo
    }
}

if ($Graph) {
    $onPrem = $null
    if ($snapshot.Contains('onPremises')) { $onPrem = $snapshot.onPremises }
    $snapshot.entra = Invoke-Part 'entra' 'Connect-MgGraph' {
        Get-EntraPart -Environment $CloudEnvironments[$Cloud].Graph -OnPremises $onPrem
    }
    if ($null -ne $snapshot.entra) { $snapshot.tenantId = $snapshot.entra.tenantId }
}

$snapshot.errors = $script:SnapshotErrors.ToArray()

# Whole or not at all: a temporary file beside the target, then a rename.
$json = $snapshot | ConvertTo-Json -Depth 8
# Path.Combine keeps an absolute -OutFile as it is (Join-Path would append it).
$target = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine((Get-Location).ProviderPath, $OutFile))
$temp = $target + '.' + [System.Guid]::NewGuid().ToString('N') + '.tmp'
try {
    [System.IO.File]::WriteAllText($temp, $json, (New-Object System.Text.UTF8Encoding $false))
    Move-Item -LiteralPath $temp -Destination $target -Force
} catch {
    Remove-Item -LiteralPath $temp -ErrorAction SilentlyContinue
    throw
}
Write-Host ("snapshot written to {0} ({1} part(s) could not be collected)" -f $target, $script:SnapshotErrors.Count)
