# A simulated organisation for running hybridcheck's generated scripts and
# its collector: Exchange on-premises (the Exchange Management Shell),
# Exchange Online PowerShell and Microsoft Graph PowerShell, over one state
# read from a snapshot (HcSimState.ps1). Imported once per shell:
#
#   Import-Module HcSim.psm1 -ArgumentList 'OnPremises'   # EMS + EXO + Graph modules
#   Import-Module HcSim.psm1 -ArgumentList 'Cloud'        # EXO + Graph modules only
#
# The state comes from the global variable $HcSimState, which the harness
# (Invoke-HcSimulation.ps1) sets in each shell's runspace.
#
# Object shapes follow real exports where one is public: Microsoft's
# CSS-Exchange repository keeps Export-Clixml captures of Exchange objects as
# test data (Diagnostics/HealthChecker/Tests/DataCollection/E19/Exchange/
# GetAuthConfig.xml, GetPartnerApplication.xml, GetSettingOverride.xml,
# GetAcceptedDomain.xml, GetHybridConfiguration.xml,
# GetWebServicesVirtualDirectory.xml, GetExchangeServer.xml and
# Admin/MonitorExchangeAuthCertificate/DataCollection/Tests/Data/
# GetExchangeCertificate.xml): type names, property names, that Identity is an
# ADObjectId printing as the name, that DomainName is an SmtpDomain with
# .Domain, that Parameters is a multi-valued list. Graph objects follow the
# Microsoft.Graph PowerShell models (PascalCase properties, byte[] keys).
param([ValidateSet('OnPremises', 'Cloud')][string]$Shell = 'OnPremises')

. (Join-Path $PSScriptRoot 'HcSimState.ps1')

$script:S = $global:HcSimState
if ($null -eq $script:S) { throw 'HcSim: set $HcSimState (New-HcState) before importing the module' }
$script:S.Shell = $Shell
$script:ShellKind = $Shell

# ---------------------------------------------------------------- plumbing

# Every call, with its bound parameters as text: the injection tests read
# what reached a cmdlet, and the canary that nothing else ran.
function Add-HcCall {
    param([string]$Name, $Bound)
    $params = [ordered]@{}
    foreach ($k in $Bound.Keys) {
        $v = $Bound[$k]
        if ($v -is [System.Management.Automation.SwitchParameter]) { $v = [bool]$v }
        $params[$k] = ConvertTo-HcLogValue $v
    }
    [void]$script:S.Calls.Add([ordered]@{ shell = $script:ShellKind; cmdlet = $Name; params = $params })
    # A part the snapshot's errors[] lists could not be read: the collector's
    # read of it fails the same way (the run of a script is not affected).
    if ($script:S.Collecting -and $script:S.Failing -and $script:S.Failing.ContainsKey($Name)) { throw $script:S.Failing[$Name] }
}

# The administrator's answer to a question one of Microsoft's scripts asks
# with Read-Host (their Get-Consent: y or n). The test gives the answers
# ($S.Answers: the first whose pattern the question contains); a question
# without one ends the run, as an unexpected prompt stops an unattended one.
function Read-HcSimAnswer {
    param([string]$Question)
    foreach ($a in @($script:S.Answers)) {
        if ($Question.IndexOf($a.Pattern, [System.StringComparison]::OrdinalIgnoreCase) -ge 0) {
            $a.Used++
            [void]$script:S.Prompts.Add([ordered]@{ question = $Question; answer = $a.Answer })
            return $a.Answer
        }
    }
    throw ("Read-Host: the script asked '{0}' and the test gives no answer for it" -f $Question)
}

# Compiled cmdlets take -WhatIf and -ErrorAction from the caller's preference
# variables; functions in a module do not, so the caller's are read here.
function Get-HcCallerPreference {
    param($Cmdlet, [string]$Name)
    return $Cmdlet.SessionState.PSVariable.GetValue($Name)
}

function Write-HcError {
    param($Cmdlet, $Bound, [string]$Message, [string]$Category = 'ObjectNotFound')
    $eap = $null
    if ($Bound.ContainsKey('ErrorAction')) { $eap = [string]$Bound['ErrorAction'] } else { $eap = [string](Get-HcCallerPreference $Cmdlet 'ErrorActionPreference') }
    $rec = [System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new($Message), $Cmdlet.MyInvocation.MyCommand.Name, $Category, $null)
    switch ($eap) {
        'SilentlyContinue' { return }
        'Ignore' { return }
        'Stop' { $Cmdlet.ThrowTerminatingError($rec) }
        default { $Cmdlet.WriteError($rec) }
    }
}

function Stop-HcCall {
    param($Cmdlet, [string]$Message, [string]$Category = 'InvalidArgument')
    $rec = [System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new($Message), $Cmdlet.MyInvocation.MyCommand.Name, $Category, $null)
    $Cmdlet.ThrowTerminatingError($rec)
}

# An ADObjectId: prints as the object's name (the Clixml captures show
# Identity as Deserialized.Microsoft.Exchange.Data.Directory.ADObjectId).
function New-HcIdentity {
    param([string]$Name, $Guid)
    $o = [pscustomobject]@{
        PSTypeName        = 'Microsoft.Exchange.Data.Directory.ADObjectId'
        Name              = $Name
        ObjectGuid        = $Guid
        DistinguishedName = 'CN=' + $Name
    }
    $o | Add-Member -MemberType ScriptMethod -Name ToString -Value { $this.Name } -Force
    return $o
}

function New-HcSmtpDomain {
    param([string]$Domain)
    $o = [pscustomobject]@{ PSTypeName = 'Microsoft.Exchange.Data.SmtpDomainWithSubdomains'; Domain = $Domain; IncludeSubDomains = $false; Address = $Domain }
    $o | Add-Member -MemberType ScriptMethod -Name ToString -Value { $this.Domain } -Force
    return $o
}

function New-HcUri {
    param([string]$Text)
    if ([string]::IsNullOrEmpty($Text)) { return $null }
    try { return [System.Uri]::new($Text) } catch { return $Text }
}

function New-HcObject {
    param([string]$Type, [System.Collections.IDictionary]$Properties)
    $h = [ordered]@{ PSTypeName = $Type }
    foreach ($k in $Properties.Keys) { $h[$k] = $Properties[$k] }
    return [pscustomobject]$h
}

# Finds state objects by -Identity: a name, a GUID or an ADObjectId.
function Find-HcByIdentity {
    param($List, $Identity, [string]$NameKey = 'Name')
    $id = [string]$Identity
    foreach ($o in $List) {
        if ([string]$o[$NameKey] -eq $id) { return $o }
        if ($o.ContainsKey('Guid') -and [string]$o.Guid -eq $id.Trim('{', '}')) { return $o }
    }
    return $null
}

function Test-HcLike {
    param([string]$Value, [string]$Pattern)
    return [System.Management.Automation.WildcardPattern]::new($Pattern, [System.Management.Automation.WildcardOptions]::IgnoreCase).IsMatch($Value)
}

# Parameters that name a value list: a string, an array, or Exchange's
# @{Add=…;Remove=…} form of a multi-valued property.
function Resolve-HcMultiValue {
    param($Current, $Value)
    if ($Value -is [System.Collections.IDictionary]) {
        $list = New-Object System.Collections.ArrayList
        foreach ($v in @($Current)) { [void]$list.Add([string]$v) }
        foreach ($k in $Value.Keys) {
            foreach ($v in @($Value[$k])) {
                if ($k -eq 'Add' -and -not $list.Contains([string]$v)) { [void]$list.Add([string]$v) }
                if ($k -eq 'Remove') { $list.Remove([string]$v) }
            }
        }
        return , $list
    }
    $out = New-Object System.Collections.ArrayList
    foreach ($v in @($Value)) { if ($null -ne $v -and ([string]$v).Length -gt 0) { [void]$out.Add([string]$v) } }
    return , $out
}

function Get-HcNow { return $script:S.Now }

# ---------------------------------------------------------------- on-premises: auth

function Get-HcLocalServer {
    $name = $script:S.LocalServer
    $servers = @($script:S.OnPrem.Servers)
    if ($name) {
        $s = $servers | Where-Object { $_.Name -eq $name -or $_.Fqdn -eq $name } | Select-Object -First 1
        if ($s) { return $s }
    }
    return ($servers | Where-Object { $_.ServerRole -notmatch 'Edge' } | Select-Object -First 1)
}

function ConvertTo-HcAuthConfig {
    $a = $script:S.OnPrem.AuthConfig
    New-HcObject 'Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthConfig' ([ordered]@{
            CurrentCertificateThumbprint  = $a.CurrentCertificateThumbprint
            PreviousCertificateThumbprint = $a.PreviousCertificateThumbprint
            NextCertificateThumbprint     = $a.NextCertificateThumbprint
            NextCertificateEffectiveDate  = $a.NextCertificateEffectiveDate
            ServiceName                   = $a.ServiceName
            Realm                         = $a.Realm
            IssuerIdentifier              = ''
            Name                          = 'Auth Configuration'
            Identity                      = New-HcIdentity 'Auth Configuration' $null
        })
}

function Get-AuthConfig {
    [CmdletBinding()]
    param([switch]$Verbose2)
    Add-HcCall 'Get-AuthConfig' $PSBoundParameters
    if ($null -eq $script:S.OnPrem.AuthConfig) {
        $script:S.OnPrem.AuthConfig = @{ Name = 'Auth Configuration'; CurrentCertificateThumbprint = $null; PreviousCertificateThumbprint = $null; NextCertificateThumbprint = $null; NextCertificateEffectiveDate = $null; ServiceName = $script:ExoAppId; Realm = $null }
    }
    ConvertTo-HcAuthConfig
}

function Set-AuthConfig {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', DefaultParameterSetName = 'Identity')]
    param(
        [Parameter(ParameterSetName = 'NewCert')][string]$NewCertificateThumbprint,
        [Parameter(ParameterSetName = 'NewCert')][datetime]$NewCertificateEffectiveDate,
        [Parameter(ParameterSetName = 'PublishCert')][switch]$PublishCertificate,
        [Parameter(ParameterSetName = 'ClearPreviousCert')][switch]$ClearPreviousCertificate,
        [Parameter(ParameterSetName = 'Identity')][string]$ServiceName,
        [Parameter(ParameterSetName = 'Identity')][string]$Realm,
        [switch]$SkipImmediateCertificateDeployment,
        [switch]$Force
    )
    Add-HcCall 'Set-AuthConfig' $PSBoundParameters
    if (-not $PSBoundParameters.ContainsKey('WhatIf')) { $WhatIfPreference = Get-HcCallerPreference $PSCmdlet 'WhatIfPreference' }
    $a = $script:S.OnPrem.AuthConfig
    if (-not $PSCmdlet.ShouldProcess('Auth Configuration', 'Set-AuthConfig')) { return }
    switch ($PSCmdlet.ParameterSetName) {
        'NewCert' {
            $t = ConvertTo-HcThumbprint $NewCertificateThumbprint
            $holders = @($script:S.OnPrem.Servers | Where-Object { $_.Store.ContainsKey($t) })
            if (-not $t -or $holders.Count -eq 0) {
                Stop-HcCall $PSCmdlet ("The certificate with thumbprint {0} was not found in the local computer's certificate store." -f $NewCertificateThumbprint) 'ObjectNotFound'
            }
            if (-not $PSBoundParameters.ContainsKey('NewCertificateEffectiveDate')) {
                Stop-HcCall $PSCmdlet 'NewCertificateEffectiveDate must be given with NewCertificateThumbprint.'
            }
            Set-HcProperty $script:S $a 'NextCertificateThumbprint' $t 'Set-AuthConfig' 'Auth Configuration'
            Set-HcProperty $script:S $a 'NextCertificateEffectiveDate' $NewCertificateEffectiveDate.ToUniversalTime() 'Set-AuthConfig' 'Auth Configuration'
        }
        'PublishCert' {
            if (-not $a.NextCertificateThumbprint) { Stop-HcCall $PSCmdlet 'There is no next certificate to publish.' }
            Set-HcProperty $script:S $a 'PreviousCertificateThumbprint' $a.CurrentCertificateThumbprint 'Set-AuthConfig' 'Auth Configuration'
            Set-HcProperty $script:S $a 'CurrentCertificateThumbprint' $a.NextCertificateThumbprint 'Set-AuthConfig' 'Auth Configuration'
            Set-HcProperty $script:S $a 'NextCertificateThumbprint' $null 'Set-AuthConfig' 'Auth Configuration'
            Set-HcProperty $script:S $a 'NextCertificateEffectiveDate' $null 'Set-AuthConfig' 'Auth Configuration'
        }
        'ClearPreviousCert' {
            Set-HcProperty $script:S $a 'PreviousCertificateThumbprint' $null 'Set-AuthConfig' 'Auth Configuration'
        }
        default {
            if ($PSBoundParameters.ContainsKey('ServiceName')) { Set-HcProperty $script:S $a 'ServiceName' $ServiceName 'Set-AuthConfig' 'Auth Configuration' }
            if ($PSBoundParameters.ContainsKey('Realm')) { Set-HcProperty $script:S $a 'Realm' $Realm 'Set-AuthConfig' 'Auth Configuration' }
        }
    }
}

function ConvertTo-HcAuthServer {
    param($a)
    New-HcObject 'Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthServer' ([ordered]@{
            Name                  = $a.Name
            Type                  = $a.Type
            AuthMetadataUrl       = $a.AuthMetadataUrl
            IssuerIdentifier      = $a.IssuerIdentifier
            TokenIssuingEndpoint  = $a.TokenIssuingEndpoint
            Realm                 = $a.Realm
            ApplicationIdentifier = $a.ApplicationIdentifier
            DomainName            = @($a.DomainName | ForEach-Object { New-HcSmtpDomain $_ })
            Enabled               = [bool]$a.Enabled
            IsDefaultAuthorizationEndpoint = $false
            GraphBaseUrl          = $a.GraphBaseUrl
            Identity              = New-HcIdentity $a.Name $a.Guid
            Guid                  = $a.Guid
        })
}

function Get-AuthServer {
    [CmdletBinding()]
    param([Parameter(Position = 0)]$Identity)
    Add-HcCall 'Get-AuthServer' $PSBoundParameters
    if ($PSBoundParameters.ContainsKey('Identity')) {
        $a = Find-HcByIdentity $script:S.OnPrem.AuthServers $Identity
        if ($null -eq $a) { Write-HcError $PSCmdlet $PSBoundParameters ("The operation couldn't be performed because object '{0}' couldn't be found." -f $Identity); return }
        return ConvertTo-HcAuthServer $a
    }
    foreach ($a in $script:S.OnPrem.AuthServers) { ConvertTo-HcAuthServer $a }
}

# What reading an AuthServer's metadata document gives: the issuer, the
# token endpoint and the realm. ACS documents carry the tenant's realm;
# EvoSTS federation metadata names the tenant in its URLs.
function Read-HcAuthMetadata {
    param([string]$Url)
    $t = $script:S.TenantId
    # ACS: accounts.accesscontrol.* or, in US Government, the login host's
    # /<domain>/metadata/json/1. The document names its cloud's principal.
    if ($Url -match 'accesscontrol' -or $Url -match '/metadata/json/1$') {
        $acsHost = ([uri]$Url).Host
        $cloud = Get-HcAcsCloud $Url
        $principal = $(if ($cloud) { Get-HcCloudAcsPrincipal $cloud } else { '00000001-0000-0000-c000-000000000000' })
        return @{ Type = 'MicrosoftACS'; Realm = $t; IssuerIdentifier = $principal; TokenIssuingEndpoint = ('https://{0}/{1}/tokens/OAuth/2' -f $acsHost, $t) }
    }
    if ($Url -match 'federationmetadata') {
        $loginHost = ([uri]$Url).Host
        return @{ Type = 'AzureAD'; Realm = $t; IssuerIdentifier = $null; TokenIssuingEndpoint = ('https://{0}/{1}/oauth2/token' -f $loginHost, $t) }
    }
    return $null
}

function New-AuthServer {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)][string]$Name,
        [Parameter(Mandatory)][string]$AuthMetadataUrl,
        [string]$Type,
        [switch]$TrustAnySSLCertificate,
        [object]$DomainName,
        [bool]$Enabled = $true
    )
    Add-HcCall 'New-AuthServer' $PSBoundParameters
    if (-not $PSBoundParameters.ContainsKey('WhatIf')) { $WhatIfPreference = Get-HcCallerPreference $PSCmdlet 'WhatIfPreference' }
    if (Find-HcByIdentity $script:S.OnPrem.AuthServers $Name) { Stop-HcCall $PSCmdlet ("An AuthServer named '{0}' already exists." -f $Name) 'ResourceExists' }
    if (-not $PSCmdlet.ShouldProcess($Name, 'New-AuthServer')) { return }
    $meta = Read-HcAuthMetadata $AuthMetadataUrl
    if ($null -eq $meta) { Stop-HcCall $PSCmdlet ("The metadata at '{0}' could not be read." -f $AuthMetadataUrl) }
    $a = @{
        Name = $Name; Type = $(if ($Type) { $Type } else { $meta.Type }); AuthMetadataUrl = $AuthMetadataUrl
        IssuerIdentifier = $meta.IssuerIdentifier; TokenIssuingEndpoint = $meta.TokenIssuingEndpoint; Realm = $meta.Realm
        ApplicationIdentifier = $null; DomainName = (Resolve-HcMultiValue @() $DomainName); Enabled = $Enabled; Guid = [guid]::NewGuid()
    }
    [void]$script:S.OnPrem.AuthServers.Add($a)
    Add-HcMutation $script:S 'New-AuthServer' $Name 'AuthMetadataUrl' $null $AuthMetadataUrl
    ConvertTo-HcAuthServer $a
}

function Set-AuthServer {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', DefaultParameterSetName = 'Identity')]
    param(
        [Parameter(Mandatory, Position = 0)]$Identity,
        [Parameter(ParameterSetName = 'Identity')][string]$AuthMetadataUrl,
        [Parameter(ParameterSetName = 'RefreshAuthMetadata')][switch]$RefreshAuthMetadata,
        [bool]$Enabled,
        [string]$ApplicationIdentifier,
        [object]$DomainName,
        [string]$Name,
        [string]$GraphBaseUrl,
        [switch]$TrustAnySSLCertificate
    )
    Add-HcCall 'Set-AuthServer' $PSBoundParameters
    if (-not $PSBoundParameters.ContainsKey('WhatIf')) { $WhatIfPreference = Get-HcCallerPreference $PSCmdlet 'WhatIfPreference' }
    $a = Find-HcByIdentity $script:S.OnPrem.AuthServers $Identity
    if ($null -eq $a) { Stop-HcCall $PSCmdlet ("The operation couldn't be performed because object '{0}' couldn't be found." -f $Identity) 'ObjectNotFound' }
    if (-not $PSCmdlet.ShouldProcess([string]$a.Name, 'Set-AuthServer')) { return }
    $id = [string]$a.Name
    if ($PSBoundParameters.ContainsKey('AuthMetadataUrl')) {
        $meta = Read-HcAuthMetadata $AuthMetadataUrl
        if ($null -eq $meta) { Stop-HcCall $PSCmdlet ("The metadata at '{0}' could not be read." -f $AuthMetadataUrl) }
        Set-HcProperty $script:S $a 'AuthMetadataUrl' $AuthMetadataUrl 'Set-AuthServer' $id
        # Setting the URL reads the document again.
        Set-HcProperty $script:S $a 'Realm' $meta.Realm 'Set-AuthServer' $id
        Set-HcProperty $script:S $a 'IssuerIdentifier' $meta.IssuerIdentifier 'Set-AuthServer' $id
        Set-HcProperty $script:S $a 'TokenIssuingEndpoint' $meta.TokenIssuingEndpoint 'Set-AuthServer' $id
    }
    if ($RefreshAuthMetadata) {
        $meta = Read-HcAuthMetadata $a.AuthMetadataUrl
        if ($null -eq $meta) { Stop-HcCall $PSCmdlet ("The metadata at '{0}' could not be read." -f $a.AuthMetadataUrl) }
        Set-HcProperty $script:S $a 'Realm' $meta.Realm 'Set-AuthServer' $id
        Set-HcProperty $script:S $a 'IssuerIdentifier' $meta.IssuerIdentifier 'Set-AuthServer' $id
        Set-HcProperty $script:S $a 'TokenIssuingEndpoint' $meta.TokenIssuingEndpoint 'Set-AuthServer' $id
    }
    if ($PSBoundParameters.ContainsKey('Enabled')) { Set-HcProperty $script:S $a 'Enabled' $Enabled 'Set-AuthServer' $id }
    if ($PSBoundParameters.ContainsKey('ApplicationIdentifier')) { Set-HcProperty $script:S $a 'ApplicationIdentifier' $ApplicationIdentifier 'Set-AuthServer' $id; Set-HcAuthPending }
    if ($PSBoundParameters.ContainsKey('DomainName')) { Set-HcProperty $script:S $a 'DomainName' (Resolve-HcMultiValue $a.DomainName $DomainName) 'Set-AuthServer' $id }
    if ($PSBoundParameters.ContainsKey('Name')) { Set-HcProperty $script:S $a 'Name' $Name 'Set-AuthServer' $id }
    if ($PSBoundParameters.ContainsKey('GraphBaseUrl')) { Set-HcProperty $script:S $a 'GraphBaseUrl' $GraphBaseUrl 'Set-AuthServer' $id }
}

function ConvertTo-HcPartnerApp {
    param($a)
    # Shape: CSS-Exchange Diagnostics/HealthChecker/Tests/DataCollection/E19/Exchange/GetPartnerApplication.xml
    New-HcObject 'Microsoft.Exchange.Data.Directory.SystemConfiguration.PartnerApplication' ([ordered]@{
            Enabled                             = [bool]$a.Enabled
            ApplicationIdentifier               = $a.ApplicationIdentifier
            AuthMetadataUrl                     = $a.AuthMetadataUrl
            Realm                               = [string]$a.Realm
            UseAuthServer                       = [bool]$a.UseAuthServer
            AcceptSecurityIdentifierInformation = $false
            LinkedAccount                       = $a.LinkedAccount
            IssuerIdentifier                    = ''
            AppOnlyPermissions                  = $null
            ActAsPermissions                    = $null
            Name                                = $a.Name
            Identity                            = New-HcIdentity $a.Name $a.Guid
            Guid                                = $a.Guid
        })
}

function Get-PartnerApplication {
    [CmdletBinding()]
    param([Parameter(Position = 0)]$Identity)
    Add-HcCall 'Get-PartnerApplication' $PSBoundParameters
    if ($PSBoundParameters.ContainsKey('Identity')) {
        $a = Find-HcByIdentity $script:S.OnPrem.PartnerApps $Identity
        if ($null -eq $a) { Write-HcError $PSCmdlet $PSBoundParameters ("The operation couldn't be performed because object '{0}' couldn't be found." -f $Identity); return }
        return ConvertTo-HcPartnerApp $a
    }
    foreach ($a in $script:S.OnPrem.PartnerApps) { ConvertTo-HcPartnerApp $a }
}

function Set-PartnerApplication {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory, Position = 0)]$Identity, [bool]$Enabled, [bool]$UseAuthServer, [string]$Realm, [string]$ApplicationIdentifier, [string]$AuthMetadataUrl)
    Add-HcCall 'Set-PartnerApplication' $PSBoundParameters
    if (-not $PSBoundParameters.ContainsKey('WhatIf')) { $WhatIfPreference = Get-HcCallerPreference $PSCmdlet 'WhatIfPreference' }
    $a = Find-HcByIdentity $script:S.OnPrem.PartnerApps $Identity
    if ($null -eq $a) { Stop-HcCall $PSCmdlet ("The operation couldn't be performed because object '{0}' couldn't be found." -f $Identity) 'ObjectNotFound' }
    if (-not $PSCmdlet.ShouldProcess([string]$a.Name, 'Set-PartnerApplication')) { return }
    foreach ($p in 'Enabled', 'UseAuthServer', 'Realm', 'ApplicationIdentifier', 'AuthMetadataUrl') {
        if ($PSBoundParameters.ContainsKey($p)) { Set-HcProperty $script:S $a $p $PSBoundParameters[$p] 'Set-PartnerApplication' $a.Name }
    }
}

# ---------------------------------------------------------------- connectors (both sides)

function ConvertTo-HcConnector {
    param($c)
    New-HcObject 'Microsoft.Exchange.Data.Directory.SystemConfiguration.IntraOrganizationConnector' ([ordered]@{
            Name                 = $c.Name
            Enabled              = [bool]$c.Enabled
            DiscoveryEndpoint    = New-HcUri $c.DiscoveryEndpoint
            TargetAddressDomains = @($c.TargetAddressDomains | ForEach-Object { New-HcSmtpDomain $_ })
            TargetSharingEpr     = New-HcUri $c.TargetSharingEpr
            Identity             = New-HcIdentity $c.Name $c.Guid
            Guid                 = $c.Guid
        })
}

function Get-HcConnectorList { param([string]$Side) if ($Side -eq 'Cloud') { return , $script:S.Exo.Iocs } else { return , $script:S.OnPrem.Iocs } }

function Get-HcConnectors {
    param($Cmdlet, $Bound, [string]$Side, $Identity)
    $list = Get-HcConnectorList $Side
    if ($null -ne $Identity) {
        $c = Find-HcByIdentity $list $Identity
        if ($null -eq $c) { Write-HcError $Cmdlet $Bound ("The operation couldn't be performed because object '{0}' couldn't be found." -f $Identity); return }
        return ConvertTo-HcConnector $c
    }
    foreach ($c in $list) { ConvertTo-HcConnector $c }
}

function Test-HcHttpsUrl {
    param([string]$Url)
    $u = $null
    return ([System.Uri]::TryCreate($Url, [System.UriKind]::Absolute, [ref]$u) -and $u.Scheme -eq 'https')
}

function New-HcConnector {
    param($Cmdlet, $Bound, [string]$Side, [string]$CmdName)
    $name = [string]$Bound['Name']
    $list = Get-HcConnectorList $Side
    if (Find-HcByIdentity $list $name) { Stop-HcCall $Cmdlet ("An IntraOrganizationConnector named '{0}' already exists." -f $name) 'ResourceExists' }
    if (-not (Test-HcHttpsUrl ([string]$Bound['DiscoveryEndpoint']))) { Stop-HcCall $Cmdlet ("Cannot bind DiscoveryEndpoint: '{0}' is not an absolute URI." -f $Bound['DiscoveryEndpoint']) }
    if (-not $Cmdlet.ShouldProcess($name, $CmdName)) { return }
    $c = @{
        Name = $name; Enabled = $(if ($Bound.ContainsKey('Enabled')) { [bool]$Bound['Enabled'] } else { $true })
        DiscoveryEndpoint = [string]$Bound['DiscoveryEndpoint']; TargetAddressDomains = (Resolve-HcMultiValue @() $Bound['TargetAddressDomains'])
        TargetSharingEpr = $null; Guid = [guid]::NewGuid()
    }
    [void]$list.Add($c)
    Add-HcMutation $script:S $CmdName $name 'DiscoveryEndpoint' $null $c.DiscoveryEndpoint
    Add-HcMutation $script:S $CmdName $name 'TargetAddressDomains' $null $c.TargetAddressDomains
    Add-HcMutation $script:S $CmdName $name 'Enabled' $null $c.Enabled
    ConvertTo-HcConnector $c
}

function Set-HcConnector {
    param($Cmdlet, $Bound, [string]$Side, [string]$CmdName)
    $list = Get-HcConnectorList $Side
    $c = Find-HcByIdentity $list $Bound['Identity']
    if ($null -eq $c) { Stop-HcCall $Cmdlet ("The operation couldn't be performed because object '{0}' couldn't be found." -f $Bound['Identity']) 'ObjectNotFound' }
    if ($Bound.ContainsKey('DiscoveryEndpoint') -and -not (Test-HcHttpsUrl ([string]$Bound['DiscoveryEndpoint']))) { Stop-HcCall $Cmdlet ("Cannot bind DiscoveryEndpoint: '{0}' is not an absolute URI." -f $Bound['DiscoveryEndpoint']) }
    if (-not $Cmdlet.ShouldProcess([string]$c.Name, $CmdName)) { return }
    if ($Bound.ContainsKey('DiscoveryEndpoint')) { Set-HcProperty $script:S $c 'DiscoveryEndpoint' ([string]$Bound['DiscoveryEndpoint']) $CmdName $c.Name }
    if ($Bound.ContainsKey('TargetAddressDomains')) { Set-HcProperty $script:S $c 'TargetAddressDomains' (Resolve-HcMultiValue $c.TargetAddressDomains $Bound['TargetAddressDomains']) $CmdName $c.Name }
    if ($Bound.ContainsKey('Enabled')) { Set-HcProperty $script:S $c 'Enabled' ([bool]$Bound['Enabled']) $CmdName $c.Name }
    if ($Bound.ContainsKey('TargetSharingEpr')) { Set-HcProperty $script:S $c 'TargetSharingEpr' ([string]$Bound['TargetSharingEpr']) $CmdName $c.Name }
}

function Get-IntraOrganizationConnector {
    [CmdletBinding()]
    param([Parameter(Position = 0)]$Identity)
    Add-HcCall 'Get-IntraOrganizationConnector' $PSBoundParameters
    Get-HcConnectors $PSCmdlet $PSBoundParameters 'OnPremises' $Identity
}

function New-IntraOrganizationConnector {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)][string]$Name, [Parameter(Mandatory)][string]$DiscoveryEndpoint, [Parameter(Mandatory)][object]$TargetAddressDomains, [bool]$Enabled = $true)
    Add-HcCall 'New-IntraOrganizationConnector' $PSBoundParameters
    if (-not $PSBoundParameters.ContainsKey('WhatIf')) { $WhatIfPreference = Get-HcCallerPreference $PSCmdlet 'WhatIfPreference' }
    New-HcConnector $PSCmdlet $PSBoundParameters 'OnPremises' 'New-IntraOrganizationConnector'
}

function Set-IntraOrganizationConnector {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory, Position = 0)]$Identity, [string]$DiscoveryEndpoint, [object]$TargetAddressDomains, [bool]$Enabled, [string]$TargetSharingEpr)
    Add-HcCall 'Set-IntraOrganizationConnector' $PSBoundParameters
    if (-not $PSBoundParameters.ContainsKey('WhatIf')) { $WhatIfPreference = Get-HcCallerPreference $PSCmdlet 'WhatIfPreference' }
    Set-HcConnector $PSCmdlet $PSBoundParameters 'OnPremises' 'Set-IntraOrganizationConnector'
}

# ---------------------------------------------------------------- on-premises: the rest

function Get-AvailabilityAddressSpace {
    [CmdletBinding()]
    param([Parameter(Position = 0)]$Identity)
    Add-HcCall 'Get-AvailabilityAddressSpace' $PSBoundParameters
    foreach ($a in $script:S.OnPrem.AddressSpaces) {
        New-HcObject 'Microsoft.Exchange.Data.Directory.SystemConfiguration.AvailabilityAddressSpace' ([ordered]@{
                ForestName = $a.ForestName; AccessMethod = $a.AccessMethod; ProxyUrl = New-HcUri $a.ProxyUrl
                TargetAutodiscoverEpr = New-HcUri $a.TargetAutodiscoverEpr; UseServiceAccount = [bool]$a.UseServiceAccount
                Name = $a.ForestName; Identity = New-HcIdentity $a.ForestName $a.Guid; Guid = $a.Guid
            })
    }
}

function Add-AvailabilityAddressSpace {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)][string]$ForestName, [Parameter(Mandatory)][string]$AccessMethod, [string]$ProxyUrl, [string]$TargetAutodiscoverEpr, [bool]$UseServiceAccount, $Credentials)
    Add-HcCall 'Add-AvailabilityAddressSpace' $PSBoundParameters
    if (-not $PSBoundParameters.ContainsKey('WhatIf')) { $WhatIfPreference = Get-HcCallerPreference $PSCmdlet 'WhatIfPreference' }
    if ($script:EnumNames.AvailabilityAccessMethod -notcontains $AccessMethod) { Stop-HcCall $PSCmdlet ("Cannot bind AccessMethod: '{0}' is not a valid value." -f $AccessMethod) }
    if ($AccessMethod -eq 'InternalProxy' -and -not (Test-HcHttpsUrl $ProxyUrl)) { Stop-HcCall $PSCmdlet 'InternalProxy needs ProxyUrl.' }
    if (@($script:S.OnPrem.AddressSpaces | Where-Object { $_.ForestName -eq $ForestName }).Count -gt 0) { Stop-HcCall $PSCmdlet ("An AvailabilityAddressSpace for '{0}' already exists." -f $ForestName) 'ResourceExists' }
    if (-not $PSCmdlet.ShouldProcess($ForestName, 'Add-AvailabilityAddressSpace')) { return }
    $a = @{ ForestName = $ForestName; AccessMethod = $AccessMethod; ProxyUrl = $ProxyUrl; TargetAutodiscoverEpr = $TargetAutodiscoverEpr; UseServiceAccount = $UseServiceAccount; Guid = [guid]::NewGuid() }
    [void]$script:S.OnPrem.AddressSpaces.Add($a)
    Add-HcMutation $script:S 'Add-AvailabilityAddressSpace' $ForestName 'AccessMethod' $null $AccessMethod
    Add-HcMutation $script:S 'Add-AvailabilityAddressSpace' $ForestName 'ProxyUrl' $null $ProxyUrl
}

function ConvertTo-HcRelationship {
    param($r)
    New-HcObject 'Microsoft.Exchange.Data.Directory.SystemConfiguration.OrganizationRelationship' ([ordered]@{
            Name = $r.Name; Enabled = [bool]$r.Enabled; DomainNames = @($r.DomainNames | ForEach-Object { New-HcSmtpDomain $_ })
            FreeBusyAccessEnabled = [bool]$r.FreeBusyAccessEnabled; FreeBusyAccessLevel = $r.FreeBusyAccessLevel
            TargetApplicationUri = New-HcUri $r.TargetApplicationUri; TargetAutodiscoverEpr = New-HcUri $r.TargetAutodiscoverEpr
            TargetSharingEpr = New-HcUri $r.TargetSharingEpr; Identity = New-HcIdentity $r.Name $r.Guid; Guid = $r.Guid
        })
}

function Get-OrganizationRelationship {
    [CmdletBinding()]
    param([Parameter(Position = 0)]$Identity)
    Add-HcCall 'Get-OrganizationRelationship' $PSBoundParameters
    foreach ($r in $script:S.OnPrem.OrgRels) { ConvertTo-HcRelationship $r }
}

function Set-OrganizationRelationship {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory, Position = 0)]$Identity, [string]$TargetSharingEpr, [bool]$Enabled)
    Add-HcCall 'Set-OrganizationRelationship' $PSBoundParameters
    if (-not $PSBoundParameters.ContainsKey('WhatIf')) { $WhatIfPreference = Get-HcCallerPreference $PSCmdlet 'WhatIfPreference' }
    $r = Find-HcByIdentity $script:S.OnPrem.OrgRels $Identity
    if ($null -eq $r) { Stop-HcCall $PSCmdlet ("The operation couldn't be performed because object '{0}' couldn't be found." -f $Identity) 'ObjectNotFound' }
    if (-not $PSCmdlet.ShouldProcess([string]$r.Name, 'Set-OrganizationRelationship')) { return }
    if ($PSBoundParameters.ContainsKey('TargetSharingEpr')) { Set-HcProperty $script:S $r 'TargetSharingEpr' $TargetSharingEpr 'Set-OrganizationRelationship' $r.Name }
    if ($PSBoundParameters.ContainsKey('Enabled')) { Set-HcProperty $script:S $r 'Enabled' $Enabled 'Set-OrganizationRelationship' $r.Name }
}

function ConvertTo-HcAcceptedDomain {
    param($d)
    # Shape: CSS-Exchange Diagnostics/HealthChecker/Tests/DataCollection/E19/Exchange/GetAcceptedDomain.xml
    New-HcObject 'Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomain' ([ordered]@{
            DomainName = New-HcSmtpDomain $d.DomainName; DomainType = $d.DomainType; Default = [bool]$d.Default
            Name = $d.Name; Identity = New-HcIdentity $d.Name $d.Guid; Guid = $d.Guid
        })
}

function Get-AcceptedDomain {
    [CmdletBinding()]
    param([Parameter(Position = 0)]$Identity)
    Add-HcCall 'Get-AcceptedDomain' $PSBoundParameters
    foreach ($d in $script:S.OnPrem.AcceptedDomains) { ConvertTo-HcAcceptedDomain $d }
}

function Get-HybridConfiguration {
    [CmdletBinding()]
    param()
    Add-HcCall 'Get-HybridConfiguration' $PSBoundParameters
    $h = $script:S.OnPrem.HybridConfig
    if ($null -eq $h) { return }
    # Shape: CSS-Exchange Diagnostics/HealthChecker/Tests/DataCollection/E19/Exchange/GetHybridConfiguration.xml
    New-HcObject 'Microsoft.Exchange.Data.Directory.SystemConfiguration.HybridConfiguration' ([ordered]@{
            OnPremisesSmartHost = $h.OnPremisesSmartHost; Domains = @($h.Domains); Features = @($h.Features)
            TlsCertificateName = $h.TlsCertificateName; ServiceInstance = $(if ($null -ne $h.ServiceInstance) { [int]$h.ServiceInstance } else { 0 })
            Name = 'Hybrid Configuration'; Identity = New-HcIdentity 'Hybrid Configuration' $null
        })
}

function ConvertTo-HcOverride {
    param($o)
    # Shape: CSS-Exchange Diagnostics/HealthChecker/Tests/DataCollection/E19/Exchange/GetSettingOverride.xml
    New-HcObject 'Microsoft.Exchange.Data.Directory.SystemConfiguration.ConfigurationSettings.SettingOverride' ([ordered]@{
            ComponentName = $o.ComponentName; SectionName = $o.SectionName; FlightName = $null; Reason = $o.Reason
            MinVersion = $null; MaxVersion = $null; Server = $(if ($o.Server.Count -gt 0) { @($o.Server) } else { $null })
            Parameters = @($o.Parameters); Name = $o.Name; Identity = New-HcIdentity $o.Name $o.Guid; Guid = $o.Guid
        })
}

function Get-SettingOverride {
    [CmdletBinding()]
    param([Parameter(Position = 0)]$Identity)
    Add-HcCall 'Get-SettingOverride' $PSBoundParameters
    if ($PSBoundParameters.ContainsKey('Identity')) {
        $o = Find-HcByIdentity $script:S.OnPrem.Overrides $Identity
        if ($null -eq $o) { Write-HcError $PSCmdlet $PSBoundParameters ("The operation couldn't be performed because object '{0}' couldn't be found." -f $Identity); return }
        return ConvertTo-HcOverride $o
    }
    foreach ($o in $script:S.OnPrem.Overrides) { ConvertTo-HcOverride $o }
}

# A change the servers read through the variant configuration: Microsoft
# says it can take up to an hour to reach every server, unless refreshed.
function Set-HcPending {
    $script:S.PendingUntil = $script:S.Now.AddMinutes(60)
}

# A changed AuthServer or application: the servers' token configuration
# catches up on its own (a variant configuration refresh does not hurry it).
function Set-HcAuthPending {
    $script:S.AuthPendingUntil = $script:S.Now.AddMinutes(60)
}

function New-SettingOverride {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)][string]$Name, [Parameter(Mandatory)][string]$Component, [Parameter(Mandatory)][string]$Section,
        [Parameter(Mandatory)][string[]]$Parameters, [Parameter(Mandatory)][string]$Reason, [string[]]$Server, [string]$MinVersion, [string]$MaxVersion)
    Add-HcCall 'New-SettingOverride' $PSBoundParameters
    if (-not $PSBoundParameters.ContainsKey('WhatIf')) { $WhatIfPreference = Get-HcCallerPreference $PSCmdlet 'WhatIfPreference' }
    if (Find-HcByIdentity $script:S.OnPrem.Overrides $Name) { Stop-HcCall $PSCmdlet ("A setting override named '{0}' already exists." -f $Name) 'ResourceExists' }
    if (-not $PSCmdlet.ShouldProcess($Name, 'New-SettingOverride')) { return }
    $o = @{ Name = $Name; ComponentName = $Component; SectionName = $Section; Parameters = (Resolve-HcMultiValue @() $Parameters); Server = (Resolve-HcMultiValue @() $Server); Reason = $Reason; Guid = [guid]::NewGuid() }
    [void]$script:S.OnPrem.Overrides.Add($o)
    Add-HcMutation $script:S 'New-SettingOverride' $Name 'Parameters' $null $o.Parameters
    Add-HcMutation $script:S 'New-SettingOverride' $Name 'SectionName' $null ($Component + '\' + $Section)
    Set-HcPending
    ConvertTo-HcOverride $o
}

function Set-SettingOverride {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory, Position = 0)]$Identity, [string[]]$Parameters, [string]$Reason, [string[]]$Server)
    Add-HcCall 'Set-SettingOverride' $PSBoundParameters
    if (-not $PSBoundParameters.ContainsKey('WhatIf')) { $WhatIfPreference = Get-HcCallerPreference $PSCmdlet 'WhatIfPreference' }
    $o = Find-HcByIdentity $script:S.OnPrem.Overrides $Identity
    if ($null -eq $o) { Stop-HcCall $PSCmdlet ("The operation couldn't be performed because object '{0}' couldn't be found." -f $Identity) 'ObjectNotFound' }
    if (-not $PSCmdlet.ShouldProcess([string]$o.Name, 'Set-SettingOverride')) { return }
    if ($PSBoundParameters.ContainsKey('Parameters')) { Set-HcProperty $script:S $o 'Parameters' (Resolve-HcMultiValue @() $Parameters) 'Set-SettingOverride' $o.Name; Set-HcPending }
    if ($PSBoundParameters.ContainsKey('Reason')) { Set-HcProperty $script:S $o 'Reason' $Reason 'Set-SettingOverride' $o.Name }
    if ($PSBoundParameters.ContainsKey('Server')) { Set-HcProperty $script:S $o 'Server' (Resolve-HcMultiValue @() $Server) 'Set-SettingOverride' $o.Name }
}

function Remove-SettingOverride {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    param([Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]$Identity)
    process {
        Add-HcCall 'Remove-SettingOverride' $PSBoundParameters
        if (-not $PSBoundParameters.ContainsKey('WhatIf')) { $WhatIfPreference = Get-HcCallerPreference $PSCmdlet 'WhatIfPreference' }
        $o = Find-HcByIdentity $script:S.OnPrem.Overrides $Identity
        if ($null -eq $o) { Stop-HcCall $PSCmdlet ("The operation couldn't be performed because object '{0}' couldn't be found." -f $Identity) 'ObjectNotFound' }
        if (-not $PSCmdlet.ShouldProcess([string]$o.Name, 'Remove-SettingOverride')) { return }
        $script:S.OnPrem.Overrides.Remove($o)
        Add-HcMutation $script:S 'Remove-SettingOverride' $o.Name 'Parameters' $o.Parameters $null
        Set-HcPending
    }
}

function Get-ExchangeDiagnosticInfo {
    [CmdletBinding()]
    param([string]$Server, [string]$Process, [string]$Component, [string]$Argument)
    Add-HcCall 'Get-ExchangeDiagnosticInfo' $PSBoundParameters
    # Refreshing the variant configuration makes the servers read overrides now
    # (the command Microsoft's script runs after New-SettingOverride).
    if ($Process -eq 'Microsoft.Exchange.Directory.TopologyService' -and $Component -eq 'VariantConfiguration' -and $Argument -eq 'Refresh') {
        $script:S.PendingUntil = $null
    }
    if ($Process -eq 'Microsoft.Exchange.Directory.TopologyService' -and $Component -eq 'VariantConfiguration' -and $Argument -eq 'Overrides') {
        # The topology service's view, shaped as Microsoft's Get-ExchangeSettingOverride reads it.
        $x = New-Object System.Text.StringBuilder
        [void]$x.Append('<Diagnostics><Components><VariantConfiguration><Overrides Updated="2026-11-01T00:00:00Z">')
        foreach ($o in $script:S.OnPrem.Overrides) {
            [void]$x.Append('<SettingOverride><Name>' + [System.Security.SecurityElement]::Escape([string]$o.Name) + '</Name><ComponentName>' +
                [System.Security.SecurityElement]::Escape([string]$o.ComponentName) + '</ComponentName><SectionName>' +
                [System.Security.SecurityElement]::Escape([string]$o.SectionName) + '</SectionName><Status>Accepted</Status><Parameters>')
            foreach ($p in @($o.Parameters)) { [void]$x.Append('<Parameter>' + [System.Security.SecurityElement]::Escape([string]$p) + '</Parameter>') }
            [void]$x.Append('</Parameters></SettingOverride>')
        }
        [void]$x.Append('</Overrides></VariantConfiguration></Components></Diagnostics>')
        $srv = if ($Server) { $Server } else { (Get-HcLocalServer).Name }
        return New-HcObject 'Microsoft.Exchange.Management.DiagnosticInfo' ([ordered]@{ Server = $srv; Result = $x.ToString() })
    }
    New-HcObject 'Microsoft.Exchange.Management.DiagnosticInfo' ([ordered]@{ Server = (Get-HcLocalServer).Name; Result = '<Diagnostics><Components><VariantConfiguration>Refreshed</VariantConfiguration></Components></Diagnostics>' })
}

function ConvertTo-HcServerVersion {
    param([string]$Text)
    if ($Text -match '(\d+)\.(\d+)\s*\(Build\s*(\d+)\.(\d+)\)') { return [version]::new([int]$Matches[1], [int]$Matches[2], [int]$Matches[3], [int]$Matches[4]) }
    if ($Text -match '^(\d+)\.0*(\d+)\.0*(\d+)\.0*(\d+)$') { return [version]::new([int]$Matches[1], [int]$Matches[2], [int]$Matches[3], [int]$Matches[4]) }
    return $null
}

function ConvertTo-HcExchangeServer {
    param($s)
    $v = ConvertTo-HcServerVersion $s.AdminDisplayVersion
    $adv = [pscustomobject]@{ PSTypeName = 'Microsoft.Exchange.Data.ServerVersion'; Major = $v.Major; Minor = $v.Minor; Build = $v.Build; Revision = $v.Revision }
    $adv | Add-Member -MemberType ScriptMethod -Name ToString -Value { 'Version {0}.{1} (Build {2}.{3})' -f $this.Major, $this.Minor, $this.Build, $this.Revision } -Force
    New-HcObject 'Microsoft.Exchange.Data.Directory.Management.ExchangeServer' ([ordered]@{
            Name = $s.Name; Fqdn = $s.Fqdn; ServerRole = $s.ServerRole; Edition = $s.Edition; Site = $s.Site
            AdminDisplayVersion = $adv; IsE15OrLater = ($v.Major -ge 15)
            IsMailboxServer = ($s.ServerRole -match 'Mailbox'); IsClientAccessServer = ($s.ServerRole -match 'ClientAccess'); IsEdgeServer = ($s.ServerRole -match 'Edge')
            Identity = New-HcIdentity $s.Name $s.Guid; Guid = $s.Guid
        })
}

function Get-ExchangeServer {
    [CmdletBinding()]
    param([Parameter(Position = 0)]$Identity)
    Add-HcCall 'Get-ExchangeServer' $PSBoundParameters
    foreach ($s in $script:S.OnPrem.Servers) {
        if ($PSBoundParameters.ContainsKey('Identity') -and $s.Name -ne [string]$Identity -and $s.Fqdn -ne [string]$Identity) { continue }
        ConvertTo-HcExchangeServer $s
    }
}

function Find-HcServer {
    param([string]$Name)
    if (-not $Name) { return Get-HcLocalServer }
    return ($script:S.OnPrem.Servers | Where-Object { $_.Name -eq $Name -or $_.Fqdn -eq $Name } | Select-Object -First 1)
}

function ConvertTo-HcExchangeCertificate {
    param($Cert, $Server)
    # Shape: CSS-Exchange Admin/MonitorExchangeAuthCertificate/DataCollection/Tests/Data/GetExchangeCertificate.xml
    New-HcObject 'Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate' ([ordered]@{
            Thumbprint = $Cert.Thumbprint; Subject = $Cert.Subject; Issuer = $Cert.Issuer
            NotBefore = $Cert.NotBefore; NotAfter = $Cert.NotAfter; Services = 'SMTP'; HasPrivateKey = $true
            FriendlyName = 'Microsoft Exchange Server Auth Certificate'; IsSelfSigned = ($Cert.Subject -eq $Cert.Issuer)
            PublicKeySize = 2048; SerialNumber = $Cert.SerialNumber; RawData = $Cert.RawData; Identity = ('{0}\{1}' -f $Server.Fqdn, $Cert.Thumbprint)
            Status = $(if ($Cert.NotAfter.ToUniversalTime() -lt $script:S.Now) { 'DateInvalid' } else { 'Valid' })
        })
}

function Get-ExchangeCertificate {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string]$Thumbprint, [string]$Server)
    Add-HcCall 'Get-ExchangeCertificate' $PSBoundParameters
    $s = Find-HcServer $Server
    if ($null -eq $s) { Write-HcError $PSCmdlet $PSBoundParameters ("The server '{0}' couldn't be found." -f $Server); return }
    foreach ($t in @($s.Store.Keys)) {
        if ($PSBoundParameters.ContainsKey('Thumbprint') -and $t -ne (ConvertTo-HcThumbprint $Thumbprint)) { continue }
        ConvertTo-HcExchangeCertificate $script:S.Certs[$t] $s
    }
    if ($PSBoundParameters.ContainsKey('Thumbprint') -and -not $s.Store.ContainsKey((ConvertTo-HcThumbprint $Thumbprint))) {
        Write-HcError $PSCmdlet $PSBoundParameters ("The certificate with thumbprint {0} was not found on server {1}." -f $Thumbprint, $s.Name)
    }
}

# A self-signed certificate made on the local server (New-ExchangeCertificate
# without a request file).
function New-ExchangeCertificate {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([int]$KeySize = 2048, [bool]$PrivateKeyExportable, [string]$SubjectName, [string]$FriendlyName, [AllowEmptyCollection()][string[]]$DomainName, [string]$Services, [int]$LifetimeInDays = 1825, [string]$Server, [switch]$Force)
    Add-HcCall 'New-ExchangeCertificate' $PSBoundParameters
    if (-not $PSBoundParameters.ContainsKey('WhatIf')) { $WhatIfPreference = Get-HcCallerPreference $PSCmdlet 'WhatIfPreference' }
    $s = Find-HcServer $Server
    if (-not $PSCmdlet.ShouldProcess($s.Name, 'New-ExchangeCertificate')) { return }
    $subject = $(if ($SubjectName) { $SubjectName -replace '^cn=', 'CN=' } else { 'CN=' + $s.Name })
    $cert = New-HcCertificate -Subject $subject -NotBefore $script:S.Now.AddMinutes(-5) -NotAfter $script:S.Now.AddDays($LifetimeInDays)
    $script:S.Certs[$cert.Thumbprint] = $cert
    $s.Store[$cert.Thumbprint] = $true
    Add-HcMutation $script:S 'New-ExchangeCertificate' $s.Name 'Certificate' $null $subject
    ConvertTo-HcExchangeCertificate $cert $s
}

function Import-ExchangeCertificate {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([byte[]]$FileData, [string]$Server, $Password, [bool]$PrivateKeyExportable)
    Add-HcCall 'Import-ExchangeCertificate' $PSBoundParameters
    if (-not $PSBoundParameters.ContainsKey('WhatIf')) { $WhatIfPreference = Get-HcCallerPreference $PSCmdlet 'WhatIfPreference' }
    $s = Find-HcServer $Server
    $cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($FileData)
    if (-not $PSCmdlet.ShouldProcess($s.Name, 'Import-ExchangeCertificate ' + $cert.Thumbprint)) { return }
    if (-not $script:S.Certs.ContainsKey($cert.Thumbprint)) { $script:S.Certs[$cert.Thumbprint] = $cert }
    if (-not $s.Store.ContainsKey($cert.Thumbprint)) {
        $s.Store[$cert.Thumbprint] = $true
        Add-HcMutation $script:S 'Import-ExchangeCertificate' $s.Name 'Certificate' $null $cert.Thumbprint
    }
    ConvertTo-HcExchangeCertificate $cert $s
}

function ConvertTo-HcVdir {
    param($v, [string]$Kind, $Server)
    $props = [ordered]@{
        Name = $v.Name; Server = $Server.Name; InternalUrl = New-HcUri $v.InternalUrl; ExternalUrl = New-HcUri $v.ExternalUrl
        WSSecurityAuthentication = [bool]$v.WSSecurityAuthentication; WindowsAuthentication = [bool]$v.WindowsAuthentication
        Identity = New-HcIdentity ('{0}\{1}' -f $Server.Name, $v.Name) $v.Guid; Guid = $v.Guid
    }
    # Exchange 2010's virtual directories have no OAuthAuthentication.
    if ($null -ne $v.OAuthAuthentication) { $props.OAuthAuthentication = [bool]$v.OAuthAuthentication }
    New-HcObject ('Microsoft.Exchange.Data.Directory.SystemConfiguration.ADMicrosoft{0}VirtualDirectory' -f $Kind) $props
}

function Get-HcVdirs {
    param([string]$Kind, [string]$Server, $Identity)
    foreach ($s in $script:S.OnPrem.Servers) {
        if ($Server -and $s.Name -ne $Server -and $s.Fqdn -ne $Server) { continue }
        $list = $(if ($Kind -eq 'EWS') { $s.WebServices } else { $s.Autodiscover })
        foreach ($v in $list) {
            if ($null -ne $Identity -and ('{0}\{1}' -f $s.Name, $v.Name) -ne [string]$Identity -and [string]$v.Guid -ne [string]$Identity) { continue }
            [pscustomobject]@{ Server = $s; Vdir = $v }
        }
    }
}

function Get-WebServicesVirtualDirectory {
    [CmdletBinding()]
    param([Parameter(Position = 0)]$Identity, [string]$Server, [switch]$ADPropertiesOnly)
    Add-HcCall 'Get-WebServicesVirtualDirectory' $PSBoundParameters
    foreach ($x in Get-HcVdirs 'EWS' $Server $Identity) { ConvertTo-HcVdir $x.Vdir 'WebServices' $x.Server }
}

function Get-AutodiscoverVirtualDirectory {
    [CmdletBinding()]
    param([Parameter(Position = 0)]$Identity, [string]$Server, [switch]$ADPropertiesOnly)
    Add-HcCall 'Get-AutodiscoverVirtualDirectory' $PSBoundParameters
    foreach ($x in Get-HcVdirs 'Autodiscover' $Server $Identity) { ConvertTo-HcVdir $x.Vdir 'Autodiscover' $x.Server }
}

function Set-HcVdir {
    param($Cmdlet, $Bound, [string]$Kind, [string]$CmdName)
    $x = @(Get-HcVdirs $Kind $null $Bound['Identity'])
    if ($x.Count -eq 0) { Stop-HcCall $Cmdlet ("The operation couldn't be performed because object '{0}' couldn't be found." -f $Bound['Identity']) 'ObjectNotFound' }
    $v = $x[0].Vdir
    $id = '{0}\{1}' -f $x[0].Server.Name, $v.Name
    if ($Bound.ContainsKey('OAuthAuthentication') -and $null -eq $v.OAuthAuthentication) {
        Stop-HcCall $Cmdlet ("A parameter cannot be found that matches parameter name 'OAuthAuthentication' on server {0} (Exchange 2010)." -f $x[0].Server.Name)
    }
    if (-not $Cmdlet.ShouldProcess($id, $CmdName)) { return }
    foreach ($p in 'OAuthAuthentication', 'WSSecurityAuthentication', 'WindowsAuthentication', 'ExternalUrl', 'InternalUrl') {
        if ($Bound.ContainsKey($p)) { Set-HcProperty $script:S $v $p $Bound[$p] $CmdName $id }
    }
}

function Set-WebServicesVirtualDirectory {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory, Position = 0)]$Identity, [bool]$OAuthAuthentication, [bool]$WSSecurityAuthentication, [bool]$WindowsAuthentication, [string]$ExternalUrl, [string]$InternalUrl)
    Add-HcCall 'Set-WebServicesVirtualDirectory' $PSBoundParameters
    if (-not $PSBoundParameters.ContainsKey('WhatIf')) { $WhatIfPreference = Get-HcCallerPreference $PSCmdlet 'WhatIfPreference' }
    Set-HcVdir $PSCmdlet $PSBoundParameters 'EWS' 'Set-WebServicesVirtualDirectory'
}

function Set-AutodiscoverVirtualDirectory {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory, Position = 0)]$Identity, [bool]$OAuthAuthentication, [bool]$WSSecurityAuthentication, [bool]$WindowsAuthentication, [string]$ExternalUrl, [string]$InternalUrl)
    Add-HcCall 'Set-AutodiscoverVirtualDirectory' $PSBoundParameters
    if (-not $PSBoundParameters.ContainsKey('WhatIf')) { $WhatIfPreference = Get-HcCallerPreference $PSCmdlet 'WhatIfPreference' }
    Set-HcVdir $PSCmdlet $PSBoundParameters 'Autodiscover' 'Set-AutodiscoverVirtualDirectory'
}

function Get-OrganizationConfig {
    [CmdletBinding()]
    param()
    Add-HcCall 'Get-OrganizationConfig' $PSBoundParameters
    New-HcObject 'Microsoft.Exchange.Data.Directory.Management.OrganizationConfig' ([ordered]@{
            Name = $script:S.Org.Name; Guid = [guid]$script:S.Org.Guid; Identity = New-HcIdentity $script:S.Org.Name $null
        })
}

# Mailboxes with an archive (-Archive): the cloud archives the organisation counts.
function Get-Mailbox {
    [CmdletBinding()]
    param([Parameter(Position = 0)]$Identity, [switch]$Archive, [string]$ResultSize)
    Add-HcCall 'Get-Mailbox' $PSBoundParameters
    $n = [int]$script:S.OnPrem.CloudArchives
    for ($i = 1; $i -le $n; $i++) {
        New-HcObject 'Microsoft.Exchange.Data.Directory.Management.Mailbox' ([ordered]@{
                Name = ('archived{0}' -f $i); ArchiveState = 'HostedProvisioned'; Identity = New-HcIdentity ('archived{0}' -f $i) $null
            })
    }
}

function Get-RemoteMailbox {
    [CmdletBinding()]
    param([Parameter(Position = 0)]$Identity, [string]$ResultSize)
    Add-HcCall 'Get-RemoteMailbox' $PSBoundParameters
    foreach ($m in $script:S.OnPrem.RemoteMailboxes) {
        New-HcObject 'Microsoft.Exchange.Data.Directory.Management.RemoteMailbox' ([ordered]@{
                Name = $m.Name; PrimarySmtpAddress = $m.PrimarySmtpAddress; RemoteRoutingAddress = $m.RemoteRoutingAddress; Identity = New-HcIdentity $m.Name $null
            })
    }
}

# ---------------------------------------------------------------- Test-OAuthConnectivity

function Test-HcSpnCovers {
    param([string]$HostName)
    $sp = $script:S.Entra.ServicePrincipals | Where-Object { $_.AppId -eq $script:ExoAppId } | Select-Object -First 1
    foreach ($n in @($sp.ServicePrincipalNames)) {
        $h = $null
        if ($n -match '^https?://([^/:]+)') { $h = $Matches[1] }
        elseif ($n -match ('^' + [regex]::Escape($script:ExoAppId) + '/(.+)$')) { $h = $Matches[1] }
        if (-not $h) { continue }
        if ($h -eq $HostName) { return $true }
        if ($h.StartsWith('*.') -and $HostName.EndsWith($h.Substring(1)) -and $HostName.Split('.').Count -eq $h.Split('.').Count) { return $true }
    }
    return $false
}

# Where Exchange Online looks for the Auth certificate: the dedicated app
# when the override says Enabled=true and an AzureAD AuthServer names it,
# else the shared service principal.
function Get-HcTokenKeyHolder {
    $o = $script:S.OnPrem
    $ovr = @($o.Overrides | Where-Object { $_.SectionName -eq 'ExchangeOnpremAsThirdPartyAppId' -and $_.Parameters -contains 'Enabled=true' })
    $evo = @($o.AuthServers | Where-Object { $_.Type -eq 'AzureAD' -and $_.Enabled -and $_.ApplicationIdentifier })
    if ($ovr.Count -gt 0 -and $evo.Count -gt 0) {
        $app = $script:S.Entra.Applications | Where-Object { $_.AppId -eq $evo[0].ApplicationIdentifier } | Select-Object -First 1
        return @{ Model = 'dedicated'; Keys = $(if ($app) { $app.KeyCredentials } else { @() }); Name = $(if ($app) { $app.DisplayName } else { $evo[0].ApplicationIdentifier }) }
    }
    $sp = $script:S.Entra.ServicePrincipals | Where-Object { $_.AppId -eq $script:ExoAppId } | Select-Object -First 1
    return @{ Model = 'shared'; Keys = $sp.KeyCredentials; Name = $sp.DisplayName }
}

# The result a real Test-OAuthConnectivity would give, derived from the
# state: every piece the token's path needs, the first missing one named.
function Get-HcOAuthResult {
    param([string]$Direction, [string]$TargetUri, [string]$Mailbox)
    $why = New-Object System.Collections.ArrayList
    $o = $script:S.OnPrem
    if ($script:S.PendingUntil -and $script:S.PendingUntil -gt $script:S.Now) {
        [void]$why.Add(('the servers have not read the changed setting override yet (until {0:u})' -f $script:S.PendingUntil))
    }
    if ($script:S.AuthPendingUntil -and $script:S.AuthPendingUntil -gt $script:S.Now) {
        [void]$why.Add(('the servers have not read the changed AuthServer or application yet (until {0:u})' -f $script:S.AuthPendingUntil))
    }
    $partner = @($o.PartnerApps | Where-Object { $_.ApplicationIdentifier -eq $script:ExoAppId -and [string]::IsNullOrEmpty($_.Realm) -and $_.Enabled })
    if ($partner.Count -eq 0) { [void]$why.Add('no enabled PartnerApplication for Exchange Online') }
    $acs = @($o.AuthServers | Where-Object { $_.Enabled -and $_.Realm -eq $script:S.TenantId -and ($_.Type -eq 'MicrosoftACS' -or $_.Type -eq 'AzureAD') })
    if ($acs.Count -eq 0) { [void]$why.Add('no enabled AuthServer with the tenant realm') }
    if ($Direction -eq 'ToCloud') {
        $t = $o.AuthConfig.CurrentCertificateThumbprint
        $cert = $(if ($t) { $script:S.Certs[$t] } else { $null })
        if ($null -eq $cert) { [void]$why.Add('AuthConfig names no current certificate') }
        elseif ($cert.NotAfter.ToUniversalTime() -lt $script:S.Now) { [void]$why.Add('the current Auth certificate has expired') }
        else {
            $holder = Get-HcTokenKeyHolder
            $has = @($holder.Keys | Where-Object { (ConvertFrom-HcThumbprintBytes $_.CustomKeyIdentifier) -eq $t -and $_.EndDateTime -gt $script:S.Now })
            if ($has.Count -eq 0) { [void]$why.Add(('the key was not found: {0} ({1} model) does not hold certificate {2}' -f $holder.Name, $holder.Model, $t)) }
        }
    } else {
        $h = $null
        try { $h = ([uri]$TargetUri).Host } catch { }
        $domain = $(if ($Mailbox -match '@(.+)$') { $Matches[1] } else { $null })
        $ioc = @($script:S.Exo.Iocs | Where-Object { $_.Enabled -and ($null -eq $domain -or $_.TargetAddressDomains -contains $domain) })
        if ($ioc.Count -eq 0) { [void]$why.Add('Exchange Online has no enabled IntraOrganizationConnector for the mailbox domain') }
        if ($h -and -not (Test-HcSpnCovers $h)) { [void]$why.Add(('no service principal name of Exchange Online covers {0}' -f $h)) }
        $ews = @($o.Servers | ForEach-Object { $_.WebServices } | Where-Object { $_.OAuthAuthentication })
        if ($ews.Count -eq 0) { [void]$why.Add('no EWS virtual directory accepts OAuth') }
    }
    $ok = $why.Count -eq 0
    New-HcObject 'Microsoft.Exchange.Security.OAuth.ValidationResultNode' ([ordered]@{
            Task       = 'Checking EWS API Call Under Oauth'
            Detail     = $(if ($ok) { 'The configuration was last successfully loaded at ' + $script:S.Now.ToString('u') } else { ($why -join '; ') })
            Service    = 'EWS'
            ResultType = $(if ($ok) { 'Success' } else { 'Error' })
            Identity   = 'Microsoft.Exchange.Security.OAuth.ValidationResultNodeId'
            IsValid    = $true
            ObjectState = 'New'
        })
}

function Test-OAuthConnectivity {
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Service, [Parameter(Mandatory)][string]$TargetUri, [string]$Mailbox, [string]$AppOnly, [switch]$ReloadConfig)
    Add-HcCall 'Test-OAuthConnectivity' $PSBoundParameters
    Get-HcOAuthResult -Direction 'ToCloud' -TargetUri $TargetUri -Mailbox $Mailbox
}

# ---------------------------------------------------------------- the server itself (Cert:, registry, WinRM)

# The server a command runs on: the local one, or the one Invoke-Command
# reached. Its store holds the certificates its Store names.
function Get-HcCurrentServer {
    if ($script:S.RemoteServer) { return Find-HcServer $script:S.RemoteServer }
    return Get-HcLocalServer
}

function Get-HcInstallPath {
    param($Server)
    $v = ConvertTo-HcServerVersion $Server.AdminDisplayVersion
    if ($v -and $v.Major -eq 14) { return 'C:\Program Files\Microsoft\Exchange Server\V14\' }
    return 'C:\Program Files\Microsoft\Exchange Server\V15\'
}

function Resolve-HcSimPath {
    param([string]$Path)
    if ($Path -match '^(?i)Cert:\\LocalMachine\\My\\([0-9A-Fa-f]{40})$') { return @{ Kind = 'Cert'; Thumbprint = $Matches[1].ToUpperInvariant() } }
    if ($Path -match '^(?i)Cert:\\') { return @{ Kind = 'CertStore' } }
    if ($Path -match '^(?i)HKLM:\\SOFTWARE\\Microsoft\\ExchangeServer\\(v1[45])\\Setup$') { return @{ Kind = 'Setup'; Version = $Matches[1] } }
    if ($Path -match '^(?i)HKLM:') { return @{ Kind = 'Registry' } }
    if ($Path -match '^(?i)C:\\Program Files\\Microsoft\\Exchange Server\\(V1[45])\\Bin\\ExSetup\.exe$') { return @{ Kind = 'ExSetup'; Version = $Matches[1] } }
    if ($Path -match '^[A-Za-z]:\\') { return @{ Kind = 'Windows' } }
    return $null
}

function Get-Item {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$Path, [string[]]$LiteralPath, [switch]$Force)
    $p = $(if ($PSBoundParameters.ContainsKey('LiteralPath')) { $LiteralPath[0] } else { $Path[0] })
    $r = Resolve-HcSimPath $p
    if ($null -eq $r) { return Microsoft.PowerShell.Management\Get-Item @PSBoundParameters }
    $s = Get-HcCurrentServer
    switch ($r.Kind) {
        'Cert' {
            if ($s.Store.ContainsKey($r.Thumbprint)) { return $script:S.Certs[$r.Thumbprint] }
        }
        'ExSetup' {
            if ((Get-HcInstallPath $s) -match $r.Version -and $s.FileVersion) {
                return [pscustomobject]@{ FullName = $p; Name = 'ExSetup.exe'; VersionInfo = [pscustomobject]@{ FileVersion = $s.FileVersion; ProductVersion = $s.FileVersion } }
            }
        }
    }
    Write-HcError $PSCmdlet $PSBoundParameters ("Cannot find path '{0}' because it does not exist." -f $p) 'ObjectNotFound'
}

function Get-ChildItem {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$Path, [string[]]$LiteralPath, [switch]$Recurse, [string]$Filter, [switch]$Force, [switch]$File, [switch]$Directory, [string[]]$Include, [string[]]$Exclude, [switch]$Name)
    $p = $(if ($PSBoundParameters.ContainsKey('LiteralPath')) { $LiteralPath[0] } else { @($Path)[0] })
    $r = $(if ($p) { Resolve-HcSimPath $p } else { $null })
    if ($null -eq $r) { return Microsoft.PowerShell.Management\Get-ChildItem @PSBoundParameters }
    $s = Get-HcCurrentServer
    if ($r.Kind -eq 'Cert') {
        if ($s.Store.ContainsKey($r.Thumbprint)) { return $script:S.Certs[$r.Thumbprint] }
        Write-HcError $PSCmdlet $PSBoundParameters ("Cannot find path '{0}' because it does not exist." -f $p) 'ObjectNotFound'
        return
    }
    if ($r.Kind -eq 'CertStore') { foreach ($t in $s.Store.Keys) { $script:S.Certs[$t] } }
}

function Get-ItemProperty {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$Path, [string[]]$LiteralPath, [Parameter(Position = 1)][string[]]$Name)
    $p = $(if ($PSBoundParameters.ContainsKey('LiteralPath')) { $LiteralPath[0] } else { $Path[0] })
    $r = Resolve-HcSimPath $p
    if ($null -eq $r) { return Microsoft.PowerShell.Management\Get-ItemProperty @PSBoundParameters }
    $s = Get-HcCurrentServer
    if ($r.Kind -eq 'Setup' -and (Get-HcInstallPath $s) -match $r.Version) {
        return [pscustomobject]@{ MsiInstallPath = Get-HcInstallPath $s; PSPath = $p }
    }
    Write-HcError $PSCmdlet $PSBoundParameters ("Cannot find path '{0}' because it does not exist." -f $p) 'ObjectNotFound'
}

function Test-Path {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$Path, [string[]]$LiteralPath, [string]$PathType, [switch]$IsValid)
    $p = $(if ($PSBoundParameters.ContainsKey('LiteralPath')) { $LiteralPath[0] } else { $Path[0] })
    $r = Resolve-HcSimPath $p
    if ($null -eq $r) { return Microsoft.PowerShell.Management\Test-Path @PSBoundParameters }
    $s = Get-HcCurrentServer
    switch ($r.Kind) {
        'Cert' { return $s.Store.ContainsKey($r.Thumbprint) }
        'ExSetup' { return ((Get-HcInstallPath $s) -match $r.Version -and [bool]$s.FileVersion) }
        'Setup' { return ((Get-HcInstallPath $s) -match $r.Version) }
    }
    return $false
}

# Windows paths join with a backslash whatever the simulation runs on.
function Join-Path {
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)][string[]]$Path, [Parameter(Position = 1)][string]$ChildPath, [switch]$Resolve)
    if ($Path[0] -match '^[A-Za-z]:\\' -or $Path[0] -match '^(?i)(Cert|HKLM):') {
        return ($Path[0].TrimEnd('\') + '\' + $ChildPath.TrimStart('\'))
    }
    return Microsoft.PowerShell.Management\Join-Path @PSBoundParameters
}

# WinRM to another Exchange server: the script block runs with that
# server's store and registry. A server listed in $HcSimState.NoWinRM is
# unreachable, as without WinRM.
function Invoke-Command {
    [CmdletBinding()]
    param([string[]]$ComputerName, [Parameter(Mandatory)][scriptblock]$ScriptBlock, [object[]]$ArgumentList)
    Add-HcCall 'Invoke-Command' $PSBoundParameters
    if (-not $ComputerName) { return (& $ScriptBlock @ArgumentList) }
    $target = $ComputerName[0]
    $s = Find-HcServer $target
    if ($null -eq $s -or ($script:S.NoWinRM -and $script:S.NoWinRM -contains $s.Name)) {
        Stop-HcCall $PSCmdlet ("Connecting to remote server {0} failed with the following error message : WinRM cannot complete the operation." -f $target) 'OpenError'
    }
    $before = $script:S.RemoteServer
    $script:S.RemoteServer = $s.Name
    try {
        # A remote result comes back deserialized: hashtables stay hashtables.
        return (& $ScriptBlock @ArgumentList)
    } finally {
        $script:S.RemoteServer = $before
    }
}

# The organisation's clock: scripts judge certificate dates with Get-Date.
function Get-Date {
    [CmdletBinding(DefaultParameterSetName = 'net')]
    param([Parameter(Position = 0, ValueFromPipeline = $true)][datetime]$Date, [Parameter(ParameterSetName = 'net')][string]$Format,
        [Parameter(ParameterSetName = 'UFormat')][string]$UFormat, [switch]$AsUTC, [int]$Year, [int]$Month, [int]$Day, [int]$Hour, [int]$Minute,
        [int]$Second, [int]$Millisecond, [Microsoft.PowerShell.Commands.DisplayHintType]$DisplayHint)
    $p = @{} + $PSBoundParameters
    if (-not $p.ContainsKey('Date')) { $p.Date = $script:S.Now.ToLocalTime() }
    Microsoft.PowerShell.Utility\Get-Date @p
}

# Waiting advances the organisation's clock, not the test's.
function Start-Sleep {
    [CmdletBinding()]
    param([Parameter(Position = 0)][double]$Seconds, [int]$Milliseconds, [timespan]$Duration)
    $span = [timespan]::FromSeconds($Seconds)
    if ($PSBoundParameters.ContainsKey('Milliseconds')) { $span = [timespan]::FromMilliseconds($Milliseconds) }
    if ($PSBoundParameters.ContainsKey('Duration')) { $span = $Duration }
    Add-HcCall 'Start-Sleep' @{ Seconds = $span.TotalSeconds }
    $script:S.Now = $script:S.Now.Add($span)
}

# ---------------------------------------------------------------- Exchange Online PowerShell

$script:ExoEnvironments = @{ global = 'O365Default'; china = 'O365China'; gcchigh = 'O365USGovGCCHigh'; dod = 'O365USGovDoD' }
$script:GraphEnvironments = @{ global = 'Global'; china = 'China'; gcchigh = 'USGov'; dod = 'USGovDoD' }
$script:ExoCmdlets = @('Get-IntraOrganizationConnector', 'New-IntraOrganizationConnector', 'Set-IntraOrganizationConnector',
    'Get-OrganizationRelationship', 'Get-AcceptedDomain', 'Get-IntraOrganizationConfiguration', 'Get-OrganizationConfig',
    'Set-OrganizationConfig', 'Test-OAuthConnectivity', 'Get-MigrationEndpoint')

function Connect-ExchangeOnline {
    [CmdletBinding()]
    param([string]$ExchangeEnvironmentName = 'O365Default', [string]$Prefix = '', [switch]$ShowBanner, [string]$UserPrincipalName,
        [string]$Organization, [string]$AppId, [string]$CertificateThumbprint, [switch]$ManagedIdentity, [string[]]$CommandName)
    Add-HcCall 'Connect-ExchangeOnline' $PSBoundParameters
    $want = $script:ExoEnvironments[$script:S.Cloud]
    # A sign-in against another cloud's endpoints finds no such tenant.
    if ($ExchangeEnvironmentName -ne $want) {
        Stop-HcCall $PSCmdlet ("AADSTS90002: Tenant '{0}' not found in environment {1} (the tenant lives in {2})." -f $script:S.TenantId, $ExchangeEnvironmentName, $want) 'AuthenticationError'
    }
    # The module exposes its cmdlets with the prefix in their noun.
    foreach ($c in $script:ExoCmdlets) {
        $verb, $noun = $c -split '-', 2
        Set-Alias -Name ('{0}-{1}{2}' -f $verb, $Prefix, $noun) -Value ('{0}-HcExo{1}' -f $verb, $noun) -Scope Global -Force
    }
    $script:S.Connected.Exo = @{ Environment = $ExchangeEnvironmentName; Prefix = $Prefix }
}

function Disconnect-ExchangeOnline {
    [CmdletBinding(SupportsShouldProcess)]
    param([switch]$Confirm2)
    Add-HcCall 'Disconnect-ExchangeOnline' $PSBoundParameters
    $script:S.Connected.Exo = $null
}

function Get-ConnectionInformation {
    [CmdletBinding()]
    param()
    if ($null -eq $script:S.Connected.Exo) { return }
    [pscustomobject]@{ PSTypeName = 'Microsoft.Exchange.Management.ExoPowershellSnapin.ConnectionInformation'; State = 'Connected'; ConnectionUri = 'https://outlook.office365.com'; ModulePrefix = $script:S.Connected.Exo.Prefix; TenantID = $script:S.TenantId }
}

function Test-HcExoConnected {
    param($Cmdlet)
    if ($null -eq $script:S.Connected.Exo) { Stop-HcCall $Cmdlet 'You must call the Connect-ExchangeOnline cmdlet before calling any other cmdlets.' 'ConnectionError' }
}

function Get-HcExoIntraOrganizationConnector {
    [CmdletBinding()]
    param([Parameter(Position = 0)]$Identity)
    Add-HcCall 'EXO:Get-IntraOrganizationConnector' $PSBoundParameters
    Test-HcExoConnected $PSCmdlet
    Get-HcConnectors $PSCmdlet $PSBoundParameters 'Cloud' $Identity
}

function New-HcExoIntraOrganizationConnector {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)][string]$Name, [Parameter(Mandatory)][string]$DiscoveryEndpoint, [Parameter(Mandatory)][object]$TargetAddressDomains, [bool]$Enabled = $true)
    Add-HcCall 'EXO:New-IntraOrganizationConnector' $PSBoundParameters
    Test-HcExoConnected $PSCmdlet
    if (-not $PSBoundParameters.ContainsKey('WhatIf')) { $WhatIfPreference = Get-HcCallerPreference $PSCmdlet 'WhatIfPreference' }
    New-HcConnector $PSCmdlet $PSBoundParameters 'Cloud' 'EXO:New-IntraOrganizationConnector'
}

function Set-HcExoIntraOrganizationConnector {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory, Position = 0)]$Identity, [string]$DiscoveryEndpoint, [object]$TargetAddressDomains, [bool]$Enabled, [string]$TargetSharingEpr)
    Add-HcCall 'EXO:Set-IntraOrganizationConnector' $PSBoundParameters
    Test-HcExoConnected $PSCmdlet
    if (-not $PSBoundParameters.ContainsKey('WhatIf')) { $WhatIfPreference = Get-HcCallerPreference $PSCmdlet 'WhatIfPreference' }
    Set-HcConnector $PSCmdlet $PSBoundParameters 'Cloud' 'EXO:Set-IntraOrganizationConnector'
}

function Get-HcExoOrganizationRelationship {
    [CmdletBinding()]
    param([Parameter(Position = 0)]$Identity)
    Add-HcCall 'EXO:Get-OrganizationRelationship' $PSBoundParameters
    Test-HcExoConnected $PSCmdlet
    foreach ($r in $script:S.Exo.OrgRels) { ConvertTo-HcRelationship $r }
}

function Get-HcExoAcceptedDomain {
    [CmdletBinding()]
    param([Parameter(Position = 0)]$Identity)
    Add-HcCall 'EXO:Get-AcceptedDomain' $PSBoundParameters
    Test-HcExoConnected $PSCmdlet
    foreach ($d in $script:S.Exo.AcceptedDomains) { ConvertTo-HcAcceptedDomain $d }
}

function Get-HcExoIntraOrganizationConfiguration {
    [CmdletBinding()]
    param([string]$OrganizationGuid)
    Add-HcCall 'EXO:Get-IntraOrganizationConfiguration' $PSBoundParameters
    Test-HcExoConnected $PSCmdlet
    $c = $script:S.Exo.IntraOrgConfig
    if ($null -eq $c) { return }
    New-HcObject 'Microsoft.Exchange.Management.Tasks.IntraOrganizationConfiguration' ([ordered]@{
            OnlineDiscoveryEndpoint = New-HcUri $c.OnlineDiscoveryEndpoint; OnlineTargetAddress = $c.OnlineTargetAddress
            OnPremiseDiscoveryEndpoint = New-HcUri $c.OnPremiseDiscoveryEndpoint; OnPremiseWebServiceEndpoint = New-HcUri $c.OnPremiseWebServiceEndpoint
            OnPremiseTargetAddresses = @($c.OnPremiseTargetAddresses)
        })
}

function Get-HcExoOrganizationConfig {
    [CmdletBinding()]
    param([switch]$RetrieveEwsOperationAccessPolicy)
    Add-HcCall 'EXO:Get-OrganizationConfig' $PSBoundParameters
    Test-HcExoConnected $PSCmdlet
    if ($script:S.Collecting -and $script:S.Exo.OrgConfigAbsent) { throw 'the example snapshot has no exchangeOnline.organizationConfig: the simulated tenant does not say' }
    $c = $script:S.Exo.OrgConfig
    $props = [ordered]@{ Name = $c.Name; Guid = [guid]$c.Guid; EwsEnabled = $c.EwsEnabled; EwsApplicationAccessPolicy = $c.EwsApplicationAccessPolicy
        EwsAllowList = @($c.EwsAllowList); EwsBlockList = @($c.EwsBlockList) }
    # Exchange Online returns the EWS application list only when asked for it
    # with -RetrieveEwsOperationAccessPolicy (otherwise it looks empty), as one
    # comma-separated string.
    $props.EwsAllowedAppIDs = $(if ($RetrieveEwsOperationAccessPolicy) { (@($c.EwsAllowedAppIDs) -join ',') } else { $null })
    New-HcObject 'Microsoft.Exchange.Data.Directory.Management.OrganizationConfig' $props
}

function Set-HcExoOrganizationConfig {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([object]$EwsAllowedAppIDs, [string]$EwsApplicationAccessPolicy, [object]$EwsEnabled)
    Add-HcCall 'EXO:Set-OrganizationConfig' $PSBoundParameters
    Test-HcExoConnected $PSCmdlet
    if (-not $PSBoundParameters.ContainsKey('WhatIf')) { $WhatIfPreference = Get-HcCallerPreference $PSCmdlet 'WhatIfPreference' }
    if (-not $PSCmdlet.ShouldProcess($script:S.Exo.OrgConfig.Name, 'Set-OrganizationConfig')) { return }
    $c = $script:S.Exo.OrgConfig
    # -EwsAllowedAppIDs replaces the whole list with what is given (a list
    # with one app id removes every other); @{Add=…;Remove=…} edits it.
    if ($PSBoundParameters.ContainsKey('EwsAllowedAppIDs')) {
        # The real parameter is one comma-separated string; a list is accepted too.
        $given = $EwsAllowedAppIDs
        if ($given -is [string]) { $given = @($given -split ',' | ForEach-Object { $_.Trim() } | Where-Object { $_ }) }
        Set-HcProperty $script:S $c 'EwsAllowedAppIDs' (Resolve-HcMultiValue $c.EwsAllowedAppIDs $given) 'EXO:Set-OrganizationConfig' $c.Name
    }
    if ($PSBoundParameters.ContainsKey('EwsApplicationAccessPolicy')) {
        if ($EwsApplicationAccessPolicy -notin @('EnforceAllowList', 'EnforceBlockList')) { Stop-HcCall $PSCmdlet ("Cannot bind EwsApplicationAccessPolicy: '{0}'." -f $EwsApplicationAccessPolicy) }
        Set-HcProperty $script:S $c 'EwsApplicationAccessPolicy' $EwsApplicationAccessPolicy 'EXO:Set-OrganizationConfig' $c.Name
    }
    if ($PSBoundParameters.ContainsKey('EwsEnabled')) { Set-HcProperty $script:S $c 'EwsEnabled' $EwsEnabled 'EXO:Set-OrganizationConfig' $c.Name }
}

function Get-HcExoMigrationEndpoint {
    [CmdletBinding()]
    param([Parameter(Position = 0)]$Identity)
    Add-HcCall 'EXO:Get-MigrationEndpoint' $PSBoundParameters
    Test-HcExoConnected $PSCmdlet
    foreach ($m in @($script:S.Exo.MigrationEndpoints)) {
        if ($null -eq $m) { continue }
        New-HcObject 'Microsoft.Exchange.Migration.MigrationEndpoint' ([ordered]@{ Identity = $m.Name; RemoteServer = $m.RemoteServer })
    }
}

function Test-HcExoOAuthConnectivity {
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Service, [Parameter(Mandatory)][string]$TargetUri, [string]$Mailbox)
    Add-HcCall 'EXO:Test-OAuthConnectivity' $PSBoundParameters
    Test-HcExoConnected $PSCmdlet
    Get-HcOAuthResult -Direction 'ToOnPremises' -TargetUri $TargetUri -Mailbox $Mailbox
}

# ---------------------------------------------------------------- Microsoft Graph PowerShell

function Connect-MgGraph {
    [CmdletBinding()]
    param([string]$Environment = 'Global', [string[]]$Scopes, [string]$TenantId, [switch]$NoWelcome, [string]$ClientId, [string]$CertificateThumbprint)
    Add-HcCall 'Connect-MgGraph' $PSBoundParameters
    $want = $script:GraphEnvironments[$script:S.Cloud]
    if ($Environment -ne $want) {
        Stop-HcCall $PSCmdlet ("AADSTS90002: Tenant not found in the {0} environment (the tenant lives in {1})." -f $Environment, $want) 'AuthenticationError'
    }
    if ($TenantId -and (ConvertTo-HcGuid $TenantId) -ne $script:S.TenantId) {
        Stop-HcCall $PSCmdlet ("AADSTS90002: Tenant '{0}' not found: this sign-in belongs to {1}." -f $TenantId, $script:S.TenantId) 'AuthenticationError'
    }
    # A scope the example's errors[] says the sign-in was refused, refused again.
    $refused = @($Scopes | Where-Object { $script:S.Collecting -and $script:S.Failing.ContainsKey('GRAPH:scope:' + $_) })
    if ($refused.Count -gt 0) { Stop-HcCall $PSCmdlet $script:S.Failing['GRAPH:scope:' + $refused[0]] 'AuthenticationError' }
    $have = @()
    if ($script:S.Connected.Graph) { $have = @($script:S.Connected.Graph.Scopes) }
    $script:S.Connected.Graph = @{ Environment = $Environment; Scopes = @($have + @($Scopes) | Select-Object -Unique) }
}

function Disconnect-MgGraph {
    [CmdletBinding()]
    param()
    $script:S.Connected.Graph = $null
}

function Get-MgContext {
    [CmdletBinding()]
    param()
    Add-HcCall 'Get-MgContext' $PSBoundParameters
    $g = $script:S.Connected.Graph
    if ($null -eq $g) { return }
    [pscustomobject]@{ PSTypeName = 'Microsoft.Graph.PowerShell.Authentication.AuthContext'; TenantId = $script:S.TenantId; Environment = $g.Environment; Scopes = @($g.Scopes); AuthType = 'Delegated'; Account = 'admin@simulated' }
}

function Assert-HcGraph {
    param($Cmdlet, [switch]$Write)
    $g = $script:S.Connected.Graph
    if ($null -eq $g) { Stop-HcCall $Cmdlet 'Authentication needed. Please call Connect-MgGraph.' 'AuthenticationError' }
    $need = $(if ($Write) { @('Application.ReadWrite.All', 'Directory.ReadWrite.All') } else { @('Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All') })
    if (@($g.Scopes | Where-Object { $need -contains $_ }).Count -eq 0) {
        Stop-HcCall $Cmdlet ('Insufficient privileges to complete the operation. (Authorization_RequestDenied; the sign-in has {0})' -f (@($g.Scopes) -join ', ')) 'PermissionDenied'
    }
}

# Graph's rule for the key bytes: keyCredentials[].key is returned only when
# one object is read by its id and keyCredentials alone is selected; a list
# query or a wider $select gives key = null.
function ConvertTo-HcGraphKeys {
    param($Keys, [bool]$WithKey)
    @(foreach ($k in $Keys) {
            New-HcObject 'Microsoft.Graph.PowerShell.Models.MicrosoftGraphKeyCredential' ([ordered]@{
                    CustomKeyIdentifier = $k.CustomKeyIdentifier; DisplayName = $k.DisplayName; EndDateTime = $k.EndDateTime
                    Key = $(if ($WithKey) { $k.Key } else { $null }); KeyId = $k.KeyId; StartDateTime = $k.StartDateTime; Type = $k.Type; Usage = $k.Usage
                })
        })
}

function Get-HcSelect {
    param($Property)
    if ($null -eq $Property) { return $null }
    return @(@($Property) | ForEach-Object { ([string]$_) -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
}

function Test-HcKeyRead {
    param([bool]$ById, $Select)
    $Select = @($Select)
    return ($ById -and $Select.Count -eq 1 -and $Select[0] -eq 'keyCredentials')
}

function ConvertTo-HcGraphSp {
    param($sp, $Select, [bool]$ById)
    $all = [ordered]@{
        Id = $sp.Id; AppId = $sp.AppId; DisplayName = $sp.DisplayName; ServicePrincipalNames = @($sp.ServicePrincipalNames)
        KeyCredentials = ConvertTo-HcGraphKeys $sp.KeyCredentials (Test-HcKeyRead $ById $Select)
        AppRoles = @($sp.AppRoles | ForEach-Object { [pscustomobject]@{ Id = $_.Id; Value = $_.Value; DisplayName = $_.DisplayName; AllowedMemberTypes = @('Application'); IsEnabled = $true } })
    }
    if ($null -ne $Select) { foreach ($k in @($all.Keys)) { if (-not ($Select | Where-Object { $_ -eq $k })) { $all[$k] = $null } } }
    New-HcObject 'Microsoft.Graph.PowerShell.Models.MicrosoftGraphServicePrincipal' $all
}

function ConvertTo-HcGraphApp {
    param($app, $Select, [bool]$ById)
    $all = [ordered]@{
        Id = $app.Id; AppId = $app.AppId; DisplayName = $app.DisplayName
        KeyCredentials = ConvertTo-HcGraphKeys $app.KeyCredentials (Test-HcKeyRead $ById $Select)
        RequiredResourceAccess = @($app.RequiredResourceAccess | ForEach-Object {
                [pscustomobject]@{ ResourceAppId = $_.ResourceAppId; ResourceAccess = @($_.ResourceAccess | ForEach-Object { [pscustomobject]@{ Id = $_.Id; Type = $_.Type } }) }
            })
    }
    if ($null -ne $Select) { foreach ($k in @($all.Keys)) { if (-not ($Select | Where-Object { $_ -eq $k })) { $all[$k] = $null } } }
    New-HcObject 'Microsoft.Graph.PowerShell.Models.MicrosoftGraphApplication' $all
}

# The OData filters the scripts use: appId eq '…', displayName eq '…',
# startswith(displayName,'…'); anything else is refused as Graph would.
function Test-HcGraphFilter {
    param($Cmdlet, $Object, [string]$Filter)
    if (-not $Filter) { return $true }
    if ($Filter -match "^\s*(appId|displayName|id)\s+eq\s+'((?:[^']|'')*)'\s*$") { return [string]$Object[$Matches[1]] -eq ($Matches[2] -replace "''", "'") }
    if ($Filter -match "^\s*startswith\((displayName),\s*'((?:[^']|'')*)'\)\s*$") { return ([string]$Object[$Matches[1]]).StartsWith(($Matches[2] -replace "''", "'"), [System.StringComparison]::OrdinalIgnoreCase) }
    Stop-HcCall $Cmdlet ("Invalid filter clause: {0}" -f $Filter) 'InvalidArgument'
}

function Get-MgServicePrincipal {
    [CmdletBinding()]
    param([string]$ServicePrincipalId, [string]$Filter, [object]$Property, [switch]$All, [int]$Top)
    Add-HcCall 'Get-MgServicePrincipal' $PSBoundParameters
    Assert-HcGraph $PSCmdlet
    $select = Get-HcSelect $Property
    if ($ServicePrincipalId) {
        $sp = $script:S.Entra.ServicePrincipals | Where-Object { $_.Id -eq $ServicePrincipalId } | Select-Object -First 1
        if ($null -eq $sp) { Stop-HcCall $PSCmdlet ("Resource '{0}' does not exist or one of its queried reference-property objects are not present. Status: 404 (NotFound)" -f $ServicePrincipalId) 'ObjectNotFound' }
        return ConvertTo-HcGraphSp $sp $select $true
    }
    foreach ($sp in $script:S.Entra.ServicePrincipals) { if (Test-HcGraphFilter $PSCmdlet $sp $Filter) { ConvertTo-HcGraphSp $sp $select $false } }
}

function Get-MgApplication {
    [CmdletBinding()]
    param([string]$ApplicationId, [string]$Filter, [object]$Property, [switch]$All, [int]$Top)
    Add-HcCall 'Get-MgApplication' $PSBoundParameters
    Assert-HcGraph $PSCmdlet
    $select = Get-HcSelect $Property
    if ($ApplicationId) {
        $app = $script:S.Entra.Applications | Where-Object { $_.Id -eq $ApplicationId } | Select-Object -First 1
        if ($null -eq $app) { Stop-HcCall $PSCmdlet ("Resource '{0}' does not exist or one of its queried reference-property objects are not present. Status: 404 (NotFound)" -f $ApplicationId) 'ObjectNotFound' }
        return ConvertTo-HcGraphApp $app $select $true
    }
    foreach ($app in $script:S.Entra.Applications) { if (Test-HcGraphFilter $PSCmdlet $app $Filter) { ConvertTo-HcGraphApp $app $select $false } }
}

function Get-HcKeyField {
    param($k, [string]$Name)
    if ($k -is [System.Collections.IDictionary]) { foreach ($x in $k.Keys) { if ([string]$x -eq $Name) { return , $k[$x] } }; return $null }
    $p = $k.PSObject.Properties[$Name]
    if ($null -eq $p) { return $null }
    return , $p.Value
}

# keyCredentials as Graph takes them: the whole collection replaces the old
# one. A credential without its key bytes is refused, so an update built
# from a list query (where Graph returns key = null) fails instead of
# keeping the old keys. (The rule as issue 16 states it; Graph documents
# that key is returned only for a single-object $select=keyCredentials read.)
function ConvertFrom-HcGraphKeys {
    param($Cmdlet, $Value, $Existing)
    $out = New-Object System.Collections.ArrayList
    foreach ($k in @($Value)) {
        if ($null -eq $k) { continue }
        $key = Get-HcKeyField $k 'Key'
        if ($key -is [string]) { try { $key = [System.Convert]::FromBase64String($key) } catch { $key = $null } }
        if ($null -eq $key -or $key.Length -eq 0) {
            Stop-HcCall $Cmdlet "Invalid value specified for property 'key' of resource 'KeyCredential'. Status: 400 (BadRequest)" 'InvalidData'
        }
        $cert = $null
        try { $cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new([byte[]]$key) } catch {
            Stop-HcCall $Cmdlet "Key credential key is not a valid certificate. Status: 400 (BadRequest)" 'InvalidData'
        }
        $type = [string](Get-HcKeyField $k 'Type'); $usage = [string](Get-HcKeyField $k 'Usage')
        if ($type -ne 'AsymmetricX509Cert') { Stop-HcCall $Cmdlet ("Invalid value specified for property 'type' of resource 'KeyCredential': '{0}'." -f $type) 'InvalidData' }
        if ($usage -ne 'Verify') { Stop-HcCall $Cmdlet ("Invalid value specified for property 'usage' of resource 'KeyCredential': '{0}'." -f $usage) 'InvalidData' }
        $cki = Get-HcKeyField $k 'CustomKeyIdentifier'
        if ($cki -is [string]) { try { $cki = [System.Convert]::FromBase64String($cki) } catch { $cki = $null } }
        $keyId = [string](Get-HcKeyField $k 'KeyId')
        if (-not $keyId) { $keyId = [guid]::NewGuid().ToString() }
        if (-not $script:S.Certs.ContainsKey($cert.Thumbprint)) { $script:S.Certs[$cert.Thumbprint] = $cert }
        $start = Get-HcKeyField $k 'StartDateTime'; $end = Get-HcKeyField $k 'EndDateTime'
        [void]$out.Add(@{
                KeyId = $keyId; DisplayName = [string](Get-HcKeyField $k 'DisplayName'); CustomKeyIdentifier = [byte[]]$cki
                Type = $type; Usage = $usage; Key = [byte[]]$key
                StartDateTime = $(if ($start) { ConvertTo-HcDate $start } else { $cert.NotBefore.ToUniversalTime() })
                EndDateTime = $(if ($end) { ConvertTo-HcDate $end } else { $cert.NotAfter.ToUniversalTime() })
            })
    }
    return , $out
}

function Get-HcKeyThumbprints {
    param($Keys)
    return , @($Keys | ForEach-Object { $t = ConvertFrom-HcThumbprintBytes $_.CustomKeyIdentifier; if ($t) { $t } else { 'key:' + $_.KeyId } })
}

# The tenant's cap on an application's certificate key credentials
# (policies/defaultAppManagementPolicy, applicationRestrictions,
# asymmetricKeyLifetime): a key credential added to an application it
# covers (created after restrictForAppsCreatedAfterDateTime, or of unknown
# age) may not live longer than maxLifetime, and Entra refuses the write.
# Returns why a new key is refused, or $null. The wording is the
# simulation's own.
function Get-HcKeyLifetimeRefusal {
    param($Object, $New)
    $E = $script:S.Entra
    if ($null -eq $E -or -not ($E.Applications -contains $Object)) { return $null }
    $P = $E.AppPolicy
    if ($null -eq $P -or $P.isEnabled -ne $true -or $null -eq $P.applicationRestrictions) { return $null }
    $old = Get-HcKeyThumbprints $Object.KeyCredentials
    foreach ($r in @($P.applicationRestrictions.keyCredentials)) {
        if ($null -eq $r -or $r.restrictionType -ne 'asymmetricKeyLifetime' -or ($r.state -and $r.state -ne 'enabled') -or -not $r.maxLifetime) { continue }
        if ($r.restrictForAppsCreatedAfterDateTime -and $Object.CreatedDateTime -and [datetime]$Object.CreatedDateTime -le [datetime]$r.restrictForAppsCreatedAfterDateTime) { continue }
        $max = [System.Xml.XmlConvert]::ToTimeSpan($r.maxLifetime)
        foreach ($k in @($New)) {
            $t = ConvertFrom-HcThumbprintBytes $k.CustomKeyIdentifier
            if ($t -and $old -contains $t) { continue }
            if ($k.EndDateTime -and $k.StartDateTime -and ([datetime]$k.EndDateTime - [datetime]$k.StartDateTime) -gt $max) {
                return ('the key credential {0} lives {1:N0} days, longer than the tenant''s app management policy allows for this application ({2})' -f $t, ([datetime]$k.EndDateTime - [datetime]$k.StartDateTime).TotalDays, $r.maxLifetime)
            }
        }
    }
    return $null
}

function Set-HcKeyCredentials {
    param($Object, $New, [string]$Cmdlet, [string]$Identity)
    $old = Get-HcKeyThumbprints $Object.KeyCredentials
    $Object.KeyCredentials = $New
    $now = Get-HcKeyThumbprints $New
    if (-not (Test-HcSameValue $old $now)) { Add-HcMutation $script:S $Cmdlet $Identity 'KeyCredentials' $old $now }
}

function Update-MgServicePrincipal {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)][string]$ServicePrincipalId, [object[]]$KeyCredentials, [string[]]$ServicePrincipalNames, [hashtable]$BodyParameter)
    Add-HcCall 'Update-MgServicePrincipal' $PSBoundParameters
    Assert-HcGraph $PSCmdlet -Write
    if (-not $PSBoundParameters.ContainsKey('WhatIf')) { $WhatIfPreference = Get-HcCallerPreference $PSCmdlet 'WhatIfPreference' }
    $sp = $script:S.Entra.ServicePrincipals | Where-Object { $_.Id -eq $ServicePrincipalId } | Select-Object -First 1
    if ($null -eq $sp) { Stop-HcCall $PSCmdlet ("Resource '{0}' does not exist. Status: 404 (NotFound)" -f $ServicePrincipalId) 'ObjectNotFound' }
    $keys = $null
    if ($PSBoundParameters.ContainsKey('KeyCredentials')) { $keys = ConvertFrom-HcGraphKeys $PSCmdlet $KeyCredentials $sp.KeyCredentials }
    if (-not $PSCmdlet.ShouldProcess($sp.DisplayName, 'Update-MgServicePrincipal')) { return }
    if ($null -ne $keys) { Set-HcKeyCredentials $sp $keys 'Update-MgServicePrincipal' $sp.DisplayName }
    if ($PSBoundParameters.ContainsKey('ServicePrincipalNames')) {
        $names = New-Object System.Collections.ArrayList
        foreach ($n in $ServicePrincipalNames) { if (-not $names.Contains($n)) { [void]$names.Add($n) } }
        Set-HcProperty $script:S $sp 'ServicePrincipalNames' $names 'Update-MgServicePrincipal' $sp.DisplayName
    }
}

function Update-MgApplication {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)][string]$ApplicationId, [object[]]$KeyCredentials, [hashtable]$BodyParameter)
    Add-HcCall 'Update-MgApplication' $PSBoundParameters
    Assert-HcGraph $PSCmdlet -Write
    if (-not $PSBoundParameters.ContainsKey('WhatIf')) { $WhatIfPreference = Get-HcCallerPreference $PSCmdlet 'WhatIfPreference' }
    $app = $script:S.Entra.Applications | Where-Object { $_.Id -eq $ApplicationId } | Select-Object -First 1
    if ($null -eq $app) { Stop-HcCall $PSCmdlet ("Resource '{0}' does not exist. Status: 404 (NotFound)" -f $ApplicationId) 'ObjectNotFound' }
    $keys = $null
    if ($PSBoundParameters.ContainsKey('KeyCredentials')) { $keys = ConvertFrom-HcGraphKeys $PSCmdlet $KeyCredentials $app.KeyCredentials }
    if ($null -ne $keys) {
        $refused = Get-HcKeyLifetimeRefusal $app $keys
        if ($refused) { Stop-HcCall $PSCmdlet ('Update-MgApplication: ' + $refused + '. Status: 400 (BadRequest)') 'InvalidArgument' }
    }
    if (-not $PSCmdlet.ShouldProcess($app.DisplayName, 'Update-MgApplication')) { return }
    if ($null -ne $keys) { Set-HcKeyCredentials $app $keys 'Update-MgApplication' $app.DisplayName }
}

function Get-MgServicePrincipalAppRoleAssignment {
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$ServicePrincipalId, [switch]$All)
    Add-HcCall 'Get-MgServicePrincipalAppRoleAssignment' $PSBoundParameters
    Assert-HcGraph $PSCmdlet
    foreach ($g in $script:S.Entra.Assignments) {
        if ($g.PrincipalId -ne $ServicePrincipalId) { continue }
        [pscustomobject]@{ PSTypeName = 'Microsoft.Graph.PowerShell.Models.MicrosoftGraphAppRoleAssignment'; Id = $g.Id; PrincipalId = $g.PrincipalId; ResourceId = $g.ResourceId; AppRoleId = $g.AppRoleId; ResourceDisplayName = $g.ResourceDisplayName; CreatedDateTime = $g.CreatedDateTime }
    }
}

function New-MgServicePrincipalAppRoleAssignment {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)][string]$ServicePrincipalId, [string]$PrincipalId, [string]$ResourceId, [string]$AppRoleId)
    Add-HcCall 'New-MgServicePrincipalAppRoleAssignment' $PSBoundParameters
    Assert-HcGraph $PSCmdlet -Write
    if (-not $PSBoundParameters.ContainsKey('WhatIf')) { $WhatIfPreference = Get-HcCallerPreference $PSCmdlet 'WhatIfPreference' }
    if (-not $PSCmdlet.ShouldProcess($ServicePrincipalId, 'New-MgServicePrincipalAppRoleAssignment')) { return }
    $res = $script:S.Entra.ServicePrincipals | Where-Object { $_.Id -eq $ResourceId } | Select-Object -First 1
    [void]$script:S.Entra.Assignments.Add(@{ Id = [guid]::NewGuid().ToString(); PrincipalId = $PrincipalId; ResourceId = $ResourceId; AppRoleId = $AppRoleId; ResourceDisplayName = $res.DisplayName; CreatedDateTime = $script:S.Now })
    Add-HcMutation $script:S 'New-MgServicePrincipalAppRoleAssignment' $PrincipalId 'AppRoleId' $null $AppRoleId
}

# Invoke-MgGraphRequest answers with hashtables holding the JSON as Graph
# sends it: camelCase names, base64 for binary values, ISO dates.
function ConvertTo-HcJsonKeys {
    param($Keys, [bool]$WithKey)
    @(foreach ($k in $Keys) {
            @{
                keyId = $k.KeyId; displayName = $k.DisplayName; type = $k.Type; usage = $k.Usage
                customKeyIdentifier = $(if ($k.CustomKeyIdentifier) { [System.Convert]::ToBase64String($k.CustomKeyIdentifier) } else { $null })
                startDateTime = ConvertTo-HcLogValue $k.StartDateTime; endDateTime = ConvertTo-HcLogValue $k.EndDateTime
                key = $(if ($WithKey -and $k.Key) { [System.Convert]::ToBase64String($k.Key) } else { $null })
            }
        })
}

function Select-HcJson {
    param([hashtable]$All, $Select)
    if ($null -eq $Select) { return $All }
    $out = @{}
    foreach ($s in $Select) { foreach ($k in $All.Keys) { if ($k -eq $s) { $out[$k] = $All[$k] } } }
    return $out
}

function ConvertTo-HcJsonSp {
    param($sp, $Select, [bool]$ById)
    Select-HcJson @{
        id = $sp.Id; appId = $sp.AppId; displayName = $sp.DisplayName; servicePrincipalNames = @($sp.ServicePrincipalNames)
        keyCredentials = ConvertTo-HcJsonKeys $sp.KeyCredentials (Test-HcKeyRead $ById $Select)
        appRoles = @($sp.AppRoles | ForEach-Object { @{ id = $_.Id; value = $_.Value; displayName = $_.DisplayName; allowedMemberTypes = @('Application'); isEnabled = $true } })
    } $Select
}

function ConvertTo-HcJsonApp {
    param($app, $Select, [bool]$ById)
    Select-HcJson @{
        id = $app.Id; appId = $app.AppId; displayName = $app.DisplayName
        keyCredentials = ConvertTo-HcJsonKeys $app.KeyCredentials (Test-HcKeyRead $ById $Select)
        requiredResourceAccess = @($app.RequiredResourceAccess | ForEach-Object { @{ resourceAppId = $_.ResourceAppId; resourceAccess = @($_.ResourceAccess | ForEach-Object { @{ id = $_.Id; type = $_.Type } }) } })
    } $Select
}

function Invoke-MgGraphRequest {
    [CmdletBinding()]
    param([string]$Method = 'GET', [Parameter(Mandatory)][string]$Uri, [object]$Body, [string]$OutputType)
    Add-HcCall 'Invoke-MgGraphRequest' $PSBoundParameters
    Assert-HcGraph $PSCmdlet -Write:($Method -ne 'GET')
    if ($Method -ne 'GET') { Stop-HcCall $PSCmdlet ('the simulation answers GET only, not {0}' -f $Method) 'NotImplemented' }
    $path = $Uri -replace '^https://[^/]+/', '' -replace '^/', ''
    $query = ''
    if ($path.Contains('?')) { $query = $path.Substring($path.IndexOf('?') + 1); $path = $path.Substring(0, $path.IndexOf('?')) }
    $select = $null; $filter = $null
    foreach ($pair in $query -split '&') {
        if ($pair -match '^\$select=(.*)$') { $select = @($Matches[1] -split ',') }
        if ($pair -match '^\$filter=(.*)$') { $filter = [System.Uri]::UnescapeDataString($Matches[1]) }
    }
    $E = $script:S.Entra
    $notFound = { Stop-HcCall $PSCmdlet ("Resource '{0}' does not exist or one of its queried reference-property objects are not present. Status: 404 (NotFound)" -f $path) 'ObjectNotFound' }
    if ($path -match "^v1\.0/servicePrincipals\(appId='([^']+)'\)/appRoleAssignments$") {
        $fail = 'GRAPH:entra.hybridApplications.appRoleAssignments'
        if ($script:S.Collecting -and $script:S.Failing.ContainsKey($fail)) { Stop-HcCall $PSCmdlet $script:S.Failing[$fail] 'PermissionDenied' }
        $sp = $E.ServicePrincipals | Where-Object { $_.AppId -eq $Matches[1] } | Select-Object -First 1
        if ($null -eq $sp) { & $notFound }
        return @{ value = @($E.Assignments | Where-Object { $_.PrincipalId -eq $sp.Id } | ForEach-Object {
                    @{ id = $_.Id; principalId = $_.PrincipalId; resourceId = $_.ResourceId; appRoleId = $_.AppRoleId; resourceDisplayName = $_.ResourceDisplayName; createdDateTime = ConvertTo-HcLogValue $_.CreatedDateTime }
                }) }
    }
    if ($path -match "^v1\.0/servicePrincipals(?:\(appId='([^']+)'\)|/([0-9a-fA-F-]{36}))$") {
        $byApp = $Matches[1]; $byId = $Matches[2]
        $sp = $E.ServicePrincipals | Where-Object { ($byApp -and $_.AppId -eq $byApp) -or ($byId -and $_.Id -eq $byId) } | Select-Object -First 1
        if ($null -eq $sp) { & $notFound }
        return ConvertTo-HcJsonSp $sp $select $true
    }
    if ($path -match "^v1\.0/applications(?:\(appId='([^']+)'\)|/([0-9a-fA-F-]{36}))$") {
        $byApp = $Matches[1]; $byId = $Matches[2]
        $app = $E.Applications | Where-Object { ($byApp -and $_.AppId -eq $byApp) -or ($byId -and $_.Id -eq $byId) } | Select-Object -First 1
        if ($null -eq $app) { & $notFound }
        return ConvertTo-HcJsonApp $app $select $true
    }
    if ($path -eq 'v1.0/policies/defaultAppManagementPolicy') {
        # Graph: Policy.Read.All (least privileged) or Policy.Read(Write).ApplicationConfiguration;
        # Application.Read.All and Directory.Read.All do not reach policies.
        $scopes = @($script:S.Connected.Graph.Scopes)
        if (@($scopes | Where-Object { @('Policy.Read.All', 'Policy.Read.ApplicationConfiguration', 'Policy.ReadWrite.ApplicationConfiguration') -contains $_ }).Count -eq 0) {
            Stop-HcCall $PSCmdlet ('Response status code does not indicate success: Forbidden (Forbidden). Insufficient privileges to complete the operation. (Authorization_RequestDenied; the sign-in has {0})' -f ($scopes -join ', ')) 'PermissionDenied'
        }
        $fail = 'GRAPH:entra.appManagementPolicy'
        if ($script:S.Collecting -and $script:S.Failing.ContainsKey($fail)) { Stop-HcCall $PSCmdlet $script:S.Failing[$fail] 'PermissionDenied' }
        return Select-HcJson $E.AppPolicy $select
    }
    if ($path -eq 'v1.0/applications') {
        return @{ value = @($E.Applications | Where-Object { Test-HcGraphFilter $PSCmdlet $_ $filter } | ForEach-Object { ConvertTo-HcJsonApp $_ $select $false }) }
    }
    if ($path -eq 'v1.0/servicePrincipals') {
        return @{ value = @($E.ServicePrincipals | Where-Object { Test-HcGraphFilter $PSCmdlet $_ $filter } | ForEach-Object { ConvertTo-HcJsonSp $_ $select $false }) }
    }
    Stop-HcCall $PSCmdlet ('the simulation does not answer {0}' -f $Uri) 'NotImplemented'
}

# The canary: hostile values in the injection tests call it; a record here
# means a value became a command.
function Invoke-HcCanary {
    param([Parameter(ValueFromRemainingArguments)]$Rest)
    [void]$script:S.Canary.Add(('{0}: {1}' -f $script:ShellKind, (@($Rest) -join ' ')))
}

# ---------------------------------------------------------------- what each shell exports

$common = @('Invoke-HcCanary', 'Get-Item', 'Get-ChildItem', 'Get-ItemProperty', 'Test-Path', 'Join-Path', 'Invoke-Command', 'Start-Sleep', 'Get-Date',
    'Connect-ExchangeOnline', 'Disconnect-ExchangeOnline', 'Get-ConnectionInformation',
    'Connect-MgGraph', 'Disconnect-MgGraph', 'Get-MgContext', 'Invoke-MgGraphRequest', 'Get-MgServicePrincipal', 'Update-MgServicePrincipal',
    'Get-MgApplication', 'Update-MgApplication', 'Get-MgServicePrincipalAppRoleAssignment', 'New-MgServicePrincipalAppRoleAssignment')
$common += @($script:ExoCmdlets | ForEach-Object { $v, $n = $_ -split '-', 2; '{0}-HcExo{1}' -f $v, $n })
$ems = @('Get-AuthConfig', 'Set-AuthConfig', 'Get-AuthServer', 'New-AuthServer', 'Set-AuthServer', 'Get-PartnerApplication', 'Set-PartnerApplication',
    'Get-IntraOrganizationConnector', 'New-IntraOrganizationConnector', 'Set-IntraOrganizationConnector', 'Get-AvailabilityAddressSpace',
    'Add-AvailabilityAddressSpace', 'Get-OrganizationRelationship', 'Set-OrganizationRelationship', 'Get-AcceptedDomain', 'Get-HybridConfiguration',
    'Get-SettingOverride', 'New-SettingOverride', 'Set-SettingOverride', 'Remove-SettingOverride', 'Get-ExchangeDiagnosticInfo', 'Get-ExchangeServer',
    'Get-ExchangeCertificate', 'New-ExchangeCertificate', 'Import-ExchangeCertificate', 'Get-WebServicesVirtualDirectory', 'Set-WebServicesVirtualDirectory',
    'Get-AutodiscoverVirtualDirectory', 'Set-AutodiscoverVirtualDirectory', 'Get-OrganizationConfig', 'Get-RemoteMailbox', 'Get-Mailbox', 'Test-OAuthConnectivity')
if ($Shell -eq 'OnPremises') {
    Export-ModuleMember -Function ($common + $ems)
} else {
    Export-ModuleMember -Function $common
}
