# The simulated organisation's state: read from a hybridcheck snapshot
# (docs/snapshot.md; the reader's tolerance of Windows PowerShell 5.1 output
# is mirrored here), held in one hashtable that every shell of a simulation
# shares, and changed only through Set-HcProperty, which logs each change.
#
# Dot-sourced by HcSim.psm1 and by the harness (Invoke-HcSimulation.ps1).

$script:ExoAppId = '00000002-0000-0ff1-ce00-000000000000'
$script:GraphAppId = '00000003-0000-0000-c000-000000000000'
# full_access_as_app on Office 365 Exchange Online: the id Microsoft's
# ConfigureExchangeHybridApplication.ps1 asks for ($resourceAccessId).
$script:FullAccessAsAppId = 'dc890d15-9560-4a4c-9b7f-a736ec74ec40'
# The Graph application permissions of the Graph route (PROTOCOLS 12.7), as
# the simulated Microsoft Graph service principal offers them when the
# snapshot names none: the ids of Calendars.Read and MailboxSettings.Read are
# Microsoft's; the other two are placeholders (the examples carry the same and
# say so), as every reader resolves the roles by value.
$script:GraphHybridRoles = [ordered]@{
    'Calendars.Read'         = '798ee544-9d2d-430c-a058-570e29e34338'
    'MailboxSettings.Read'   = '40f97065-3a51-4e33-b7fd-0db9bf4f68b9'
    'MailTips.ReadBasic.All' = '00000000-0000-4000-8000-00000000a001'
    'ProfilePhoto.Read.All'  = '00000000-0000-4000-8000-00000000a002'
}

# ---------------------------------------------------------------- clouds

# A cloud's profile (endpoints/<cloud>.json, the data the binary embeds):
# field name to value or list of values. The simulation takes each cloud's
# names from it rather than from a table of its own.
$script:HcProfiles = @{}
function Get-HcCloudProfile {
    param([Parameter(Mandatory)][string]$Cloud)
    if (-not $script:HcProfiles.ContainsKey($Cloud)) {
        $path = Join-Path $PSScriptRoot ('../../../endpoints/{0}.json' -f $Cloud)
        if (-not (Test-Path -LiteralPath $path)) { throw "no cloud profile '$Cloud' ($path)" }
        $f = @{}
        foreach ($p in ((Get-Content -LiteralPath $path -Raw | ConvertFrom-Json).fields).PSObject.Properties) {
            $f[$p.Name] = $(if ($null -ne $p.Value.PSObject.Properties['values']) { @($p.Value.values) } else { $p.Value.value })
        }
        $script:HcProfiles[$Cloud] = $f
    }
    return $script:HcProfiles[$Cloud]
}

# The ACS principal a cloud's own ACS issues as: the one its profile names
# beside the worldwide one (21Vianet: 00000001-0002-..., what its Exchange
# Online trusts in the real challenge; the lab's 21Vianet ACS document names
# it too, invented there), else the worldwide one.
function Get-HcCloudAcsPrincipal {
    param([Parameter(Mandatory)][string]$Cloud)
    $all = @((Get-HcCloudProfile $Cloud).acs_principals)
    $worldwide = @((Get-HcCloudProfile 'global').acs_principals)
    $own = @($all | Where-Object { $worldwide -notcontains $_ })
    if ($own.Count -gt 0) { return $own[0] }
    return $all[0]
}

# The cloud whose ACS metadata a URL names (by its host), or $null.
function Get-HcAcsCloud {
    param([string]$Url)
    $h = $null
    try { $h = ([uri]$Url).Host } catch { return $null }
    foreach ($c in 'global', 'china', 'gcchigh', 'dod') {
        if (([uri](Get-HcCloudProfile $c).acs_metadata_url.Replace('{domain}', 'x')).Host -eq $h) { return $c }
    }
    return $null
}

# ---------------------------------------------------------------- values

# A value PowerShell 5.1 wrapped ({"value":…,"Count":n}, a DateTime with
# DisplayHint, a Graph page) unwrapped.
function Get-HcUnwrapped {
    param($Value)
    while ($Value -is [System.Management.Automation.PSCustomObject]) {
        $names = @($Value.PSObject.Properties.Name)
        if ($names -contains 'value' -and ($names -contains 'Count' -or $names -contains 'DisplayHint' -or $names -contains '@odata.context')) {
            $Value = $Value.value
        } else {
            break
        }
    }
    return $Value
}

function Get-HcField {
    param($Object, [string]$Name)
    if ($null -eq $Object) { return $null }
    if ($Object -is [System.Collections.IDictionary]) {
        foreach ($k in $Object.Keys) { if ([string]$k -eq $Name) { return (Get-HcUnwrapped $Object[$k]) } }
        return $null
    }
    $p = $Object.PSObject.Properties[$Name]
    if ($null -eq $p) { return $null }
    return (Get-HcUnwrapped $p.Value)
}

function Test-HcHasField {
    param($Object, [string]$Name)
    if ($null -eq $Object) { return $false }
    return $null -ne $Object.PSObject.Properties[$Name]
}

# Text of a value: a Uri, an SmtpDomain, a ServerVersion object or a scalar.
function ConvertTo-HcText {
    param($Value)
    $Value = Get-HcUnwrapped $Value
    if ($null -eq $Value) { return $null }
    if ($Value -is [System.Management.Automation.PSCustomObject]) {
        foreach ($n in 'AbsoluteUri', 'OriginalString', 'Domain', 'Address') {
            $v = Get-HcField $Value $n
            if ($null -ne $v) { return [string]$v }
        }
        if ($null -ne (Get-HcField $Value 'Major')) {
            return ('Version {0}.{1} (Build {2}.{3})' -f (Get-HcField $Value 'Major'), (Get-HcField $Value 'Minor'), (Get-HcField $Value 'Build'), (Get-HcField $Value 'Revision'))
        }
    }
    if ($Value -is [datetime]) { return $Value.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ') }
    return [string]$Value
}

function ConvertTo-HcList {
    param($Value)
    $Value = Get-HcUnwrapped $Value
    $out = New-Object System.Collections.ArrayList
    if ($null -eq $Value) { return , $out }
    foreach ($v in @($Value)) {
        $t = ConvertTo-HcText $v
        if ($null -ne $t -and $t.Length -gt 0) { [void]$out.Add($t) }
    }
    return , $out
}

function ConvertTo-HcBool {
    param($Value)
    $Value = Get-HcUnwrapped $Value
    if ($null -eq $Value) { return $false }
    if ($Value -is [bool]) { return $Value }
    if ($Value -is [int] -or $Value -is [long] -or $Value -is [double]) { return $Value -ne 0 }
    return ([string]$Value).Trim().TrimStart('$') -in @('true', '1', 'yes')
}

# A UTC DateTime from ISO-8601, \/Date(ms)\/ or a DateTime; $null otherwise.
function ConvertTo-HcDate {
    param($Value)
    $Value = Get-HcUnwrapped $Value
    if ($null -eq $Value) { return $null }
    if ($Value -is [datetime]) {
        if ($Value.Kind -eq [System.DateTimeKind]::Unspecified) { return [datetime]::SpecifyKind($Value, [System.DateTimeKind]::Utc) }
        return $Value.ToUniversalTime()
    }
    if ($Value -is [System.DateTimeOffset]) { return $Value.UtcDateTime }
    $s = [string]$Value
    if ($s -match '^\\?/Date\((-?\d+)') {
        return [System.DateTimeOffset]::FromUnixTimeMilliseconds([long]$Matches[1]).UtcDateTime
    }
    $d = [System.DateTimeOffset]::MinValue
    if ([System.DateTimeOffset]::TryParse($s, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::AssumeUniversal, [ref]$d)) {
        return $d.UtcDateTime
    }
    return $null
}

function ConvertTo-HcThumbprint {
    param($Value)
    $t = ConvertTo-HcText $Value
    if ($null -eq $t) { return $null }
    $t = ($t -replace '[^0-9A-Fa-f]', '').ToUpperInvariant()
    if ($t.Length -ne 40) { return $null }
    return $t
}

function ConvertTo-HcGuid {
    param($Value)
    $t = ConvertTo-HcText $Value
    if ($null -eq $t) { return $null }
    return $t.Trim().Trim('{', '}').ToLowerInvariant()
}

# Enums the reader accepts as numbers (docs/snapshot.md, "Enums written as numbers").
$script:EnumNames = @{
    AuthServerType           = @('Unknown', 'MicrosoftACS', 'Facebook', 'LinkedIn', 'ADFS', 'AzureAD')
    AvailabilityAccessMethod = @('PerUserFB', 'OrgWideFB', 'PublicFolder', 'InternalProxy', 'OrgWideFBBasic')
    AcceptedDomainType       = @('Authoritative', 'ExternalRelay', 'InternalRelay')
}

function ConvertTo-HcEnum {
    param($Value, [string]$Enum)
    $Value = Get-HcUnwrapped $Value
    if ($null -eq $Value) { return $null }
    $names = $script:EnumNames[$Enum]
    $n = 0
    if ([int]::TryParse([string]$Value, [ref]$n) -and $n -ge 0 -and $n -lt $names.Count) { return $names[$n] }
    foreach ($name in $names) { if ($name -eq [string]$Value) { return $name } }
    return [string]$Value
}

# ---------------------------------------------------------------- certificates

# A certificate with only its public part, minted for the simulation: the
# snapshots carry thumbprints but no bytes, and a thumbprint cannot be
# chosen, so the organisation gets real certificates with the snapshot's
# subject and dates, and every reference to the old thumbprint follows.
function New-HcCertificate {
    param([string]$Subject, [datetime]$NotBefore, [datetime]$NotAfter)
    if ([string]::IsNullOrEmpty($Subject)) { $Subject = 'CN=Microsoft Exchange Server Auth Certificate' }
    if ($NotAfter -le $NotBefore) { $NotAfter = $NotBefore.AddDays(1) }
    $rsa = [System.Security.Cryptography.RSA]::Create(2048)
    try {
        $req = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new($Subject, $rsa,
            [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $c = $req.CreateSelfSigned([System.DateTimeOffset]$NotBefore, [System.DateTimeOffset]$NotAfter)
        $der = $c.Export([System.Security.Cryptography.X509Certificates.X509ContentType]::Cert)
        $c.Dispose()
        return [System.Security.Cryptography.X509Certificates.X509Certificate2]::new([byte[]]$der)
    } finally {
        $rsa.Dispose()
    }
}

function ConvertFrom-HcThumbprintBytes {
    param([byte[]]$Bytes)
    if ($null -eq $Bytes) { return $null }
    return ([System.BitConverter]::ToString($Bytes) -replace '-', '')
}

function ConvertTo-HcThumbprintBytes {
    param([string]$Thumbprint)
    $b = New-Object byte[] ($Thumbprint.Length / 2)
    for ($i = 0; $i -lt $b.Length; $i++) { $b[$i] = [System.Convert]::ToByte($Thumbprint.Substring(2 * $i, 2), 16) }
    return , $b
}

# The thumbprint a Graph customKeyIdentifier names: Microsoft's script stores
# the 20 bytes of the hash, other tools the 40 hex characters as text.
function Get-HcKeyIdentifierThumbprint {
    param($CustomKeyIdentifier)
    if ($null -eq $CustomKeyIdentifier) { return $null }
    [byte[]]$bytes = $null
    if ($CustomKeyIdentifier -is [byte[]]) {
        $bytes = $CustomKeyIdentifier
    } else {
        try { $bytes = [System.Convert]::FromBase64String([string]$CustomKeyIdentifier) } catch { return $null }
    }
    if ($bytes.Length -eq 20) { return ConvertFrom-HcThumbprintBytes $bytes }
    $text = [System.Text.Encoding]::ASCII.GetString($bytes)
    return ConvertTo-HcThumbprint $text
}

# Registers a certificate under the thumbprint the snapshot used for it
# (minting one when the snapshot has no bytes); returns the real thumbprint.
function Register-HcCertificate {
    param($State, [string]$OldThumbprint, [string]$Der, [string]$Subject, $NotBefore, $NotAfter)
    if ($OldThumbprint -and $State.ThumbMap.ContainsKey($OldThumbprint)) { return $State.ThumbMap[$OldThumbprint] }
    $cert = $null
    if (-not [string]::IsNullOrEmpty($Der)) {
        $cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new([System.Convert]::FromBase64String($Der))
    } else {
        $nb = ConvertTo-HcDate $NotBefore
        $na = ConvertTo-HcDate $NotAfter
        if ($null -eq $nb) { $nb = $State.Now.AddYears(-1) }
        if ($null -eq $na) { $na = $nb.AddYears(5) }
        $cert = New-HcCertificate -Subject $Subject -NotBefore $nb -NotAfter $na
    }
    $State.Certs[$cert.Thumbprint] = $cert
    if ($OldThumbprint) { $State.ThumbMap[$OldThumbprint] = $cert.Thumbprint }
    return $cert.Thumbprint
}

# ---------------------------------------------------------------- the log

function Add-HcMutation {
    param($State, [string]$Cmdlet, [string]$Identity, [string]$Property, $Old, $New)
    [void]$State.Log.Add([ordered]@{
        shell    = $State.Shell
        cmdlet   = $Cmdlet
        identity = $Identity
        property = $Property
        old      = ConvertTo-HcLogValue $Old
        new      = ConvertTo-HcLogValue $New
    })
}

# Log values are text or lists of text, so the log compares and prints plainly.
function ConvertTo-HcLogValue {
    param($Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [string]) { return $Value }
    if ($Value -is [bool]) { return [string]$Value }
    if ($Value -is [datetime]) { return $Value.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ') }
    if ($Value -is [System.Collections.IDictionary]) {
        return (($Value.Keys | Sort-Object | ForEach-Object { "$_=$(ConvertTo-HcLogValue $Value[$_])" }) -join ';')
    }
    if ($Value -is [System.Collections.IEnumerable]) {
        return , @($Value | ForEach-Object { [string](ConvertTo-HcLogValue $_) })
    }
    return [string]$Value
}

function Test-HcSameValue {
    param($A, $B)
    $a = ConvertTo-HcLogValue $A
    $b = ConvertTo-HcLogValue $B
    if ($a -is [array] -or $b -is [array]) {
        $a = @($a); $b = @($b)
        if ($a.Count -ne $b.Count) { return $false }
        for ($i = 0; $i -lt $a.Count; $i++) { if ([string]$a[$i] -cne [string]$b[$i]) { return $false } }
        return $true
    }
    return [string]$a -ceq [string]$b
}

# Sets one property of a state object and logs it when the value changes.
function Set-HcProperty {
    param($State, $Object, [string]$Property, $Value, [string]$Cmdlet, [string]$Identity)
    $old = $Object[$Property]
    if (Test-HcSameValue $old $Value) { return }
    $Object[$Property] = $Value
    Add-HcMutation -State $State -Cmdlet $Cmdlet -Identity $Identity -Property $Property -Old $old -New $Value
}

# ---------------------------------------------------------------- loading

function ConvertFrom-HcConnector {
    param($c)
    @{
        Name                 = ConvertTo-HcText (Get-HcField $c 'name')
        Enabled              = ConvertTo-HcBool (Get-HcField $c 'enabled')
        DiscoveryEndpoint    = ConvertTo-HcText (Get-HcField $c 'discoveryEndpoint')
        TargetAddressDomains = ConvertTo-HcList (Get-HcField $c 'targetAddressDomains')
        TargetSharingEpr     = ConvertTo-HcText (Get-HcField $c 'targetSharingEpr')
        Guid                 = [guid]::NewGuid()
    }
}

function ConvertFrom-HcRelationship {
    param($r)
    @{
        Name                  = ConvertTo-HcText (Get-HcField $r 'name')
        Enabled               = ConvertTo-HcBool (Get-HcField $r 'enabled')
        DomainNames           = ConvertTo-HcList (Get-HcField $r 'domainNames')
        FreeBusyAccessEnabled = ConvertTo-HcBool (Get-HcField $r 'freeBusyAccessEnabled')
        FreeBusyAccessLevel   = ConvertTo-HcText (Get-HcField $r 'freeBusyAccessLevel')
        TargetApplicationUri  = ConvertTo-HcText (Get-HcField $r 'targetApplicationUri')
        TargetAutodiscoverEpr = ConvertTo-HcText (Get-HcField $r 'targetAutodiscoverEpr')
        TargetSharingEpr      = ConvertTo-HcText (Get-HcField $r 'targetSharingEpr')
        Guid                  = [guid]::NewGuid()
    }
}

function ConvertFrom-HcAcceptedDomain {
    param($d)
    $name = ConvertTo-HcText (Get-HcField $d 'domainName')
    @{
        Name       = $name
        DomainName = $name
        DomainType = ConvertTo-HcEnum (Get-HcField $d 'domainType') 'AcceptedDomainType'
        Default    = ConvertTo-HcBool (Get-HcField $d 'default')
        Guid       = [guid]::NewGuid()
    }
}

function ConvertFrom-HcVdir {
    param($v, [string]$Server)
    $oauth = Get-HcField $v 'oAuthAuthentication'
    @{
        Name                     = ConvertTo-HcText (Get-HcField $v 'name')
        Server                   = $Server
        InternalUrl              = ConvertTo-HcText (Get-HcField $v 'internalUrl')
        ExternalUrl              = ConvertTo-HcText (Get-HcField $v 'externalUrl')
        # Exchange 2010 has no OAuthAuthentication property: kept as absent.
        OAuthAuthentication      = $(if ($null -eq $oauth) { $null } else { ConvertTo-HcBool $oauth })
        WSSecurityAuthentication = ConvertTo-HcBool (Get-HcField $v 'wsSecurityAuthentication')
        WindowsAuthentication    = ConvertTo-HcBool (Get-HcField $v 'windowsAuthentication')
        Guid                     = [guid]::NewGuid()
    }
}

function ConvertFrom-HcKeyCredential {
    param($State, $k)
    $thumb = Get-HcKeyIdentifierThumbprint (Get-HcField $k 'customKeyIdentifier')
    $key = ConvertTo-HcText (Get-HcField $k 'key')
    $start = ConvertTo-HcDate (Get-HcField $k 'startDateTime')
    $end = ConvertTo-HcDate (Get-HcField $k 'endDateTime')
    $real = $null
    if ($null -ne $thumb) {
        $real = Register-HcCertificate -State $State -OldThumbprint $thumb -Der $key -Subject 'CN=Microsoft Exchange Server Auth Certificate' -NotBefore $start -NotAfter $end
    } elseif ($key) {
        $real = Register-HcCertificate -State $State -OldThumbprint $null -Der $key
    }
    $cert = $(if ($real) { $State.Certs[$real] } else { $null })
    $keyId = ConvertTo-HcGuid (Get-HcField $k 'keyId')
    if (-not $keyId) { $keyId = [guid]::NewGuid().ToString() }
    $display = ConvertTo-HcText (Get-HcField $k 'displayName')
    @{
        KeyId               = $keyId
        DisplayName         = $display
        CustomKeyIdentifier = $(if ($real) { ConvertTo-HcThumbprintBytes $real } else { $null })
        Type                = $(if (ConvertTo-HcText (Get-HcField $k 'type')) { ConvertTo-HcText (Get-HcField $k 'type') } else { 'AsymmetricX509Cert' })
        Usage               = $(if (ConvertTo-HcText (Get-HcField $k 'usage')) { ConvertTo-HcText (Get-HcField $k 'usage') } else { 'Verify' })
        StartDateTime       = $(if ($cert) { $cert.NotBefore.ToUniversalTime() } else { $start })
        EndDateTime         = $(if ($cert) { $cert.NotAfter.ToUniversalTime() } else { $end })
        Key                 = $(if ($cert) { $cert.RawData } else { $null })
    }
}

# A new state from a snapshot file. -Now fixes the organisation's clock
# (the example's "now"); the default is the machine's.
function New-HcState {
    param([Parameter(Mandatory)][string]$Snapshot, [datetime]$Now = [datetime]::UtcNow)
    $text = [System.IO.File]::ReadAllText($Snapshot)
    $j = $text.TrimStart([char]0xFEFF) | ConvertFrom-Json
    $S = @{
        Now        = $Now.ToUniversalTime()
        Shell      = $null
        Cloud      = ConvertTo-HcText (Get-HcField $j 'cloud')
        TenantId   = ConvertTo-HcGuid (Get-HcField $j 'tenantId')
        Org        = @{ Name = 'Simulated Organisation'; Guid = [guid]::NewGuid().ToString() }
        Certs      = @{}
        ThumbMap   = @{}
        OnPrem     = $null
        Exo        = $null
        Entra      = $null
        Log        = New-Object System.Collections.ArrayList
        Calls      = New-Object System.Collections.ArrayList
        Output     = New-Object System.Collections.ArrayList
        Canary     = New-Object System.Collections.ArrayList
        # Changes to overrides and the hybrid app reach the servers after a
        # while (Microsoft: up to an hour); the clock the sim advances.
        PendingUntil = $null
        AuthPendingUntil = $null
        Connected  = @{ Exo = $null; Graph = $null }
        Parts      = @{ ExchangeOnline = $false; Graph = $false }
        # errors[] of the snapshot -> message: Exchange's own parts
        # (on-premises, Exchange Online) by cmdlet (EXO: prefixed); of Entra
        # ID's, the role assignments and the app management policy by part
        # (GRAPH: prefixed).
        Failing    = @{}
        Collecting = $false
        NewServers = $null
        # The administrator's answers to the questions Microsoft's scripts ask
        # (pattern, answer, times used; Read-HcSimAnswer) and the questions asked.
        Answers    = New-Object System.Collections.ArrayList
        Prompts    = New-Object System.Collections.ArrayList
    }
    if (-not $S.Cloud) { $S.Cloud = 'global' }
    $org = Get-HcField $j 'organization'
    if ($null -ne $org) {
        if (ConvertTo-HcText (Get-HcField $org 'name')) { $S.Org.Name = ConvertTo-HcText (Get-HcField $org 'name') }
        if (ConvertTo-HcGuid (Get-HcField $org 'guid')) { $S.Org.Guid = ConvertTo-HcGuid (Get-HcField $org 'guid') }
    }

    foreach ($er in @(Get-HcField $j 'errors')) {
        if ($null -eq $er) { continue }
        $part = ConvertTo-HcText (Get-HcField $er 'part'); $cmd = ConvertTo-HcText (Get-HcField $er 'command')
        if (-not $part -or -not $cmd -or $cmd -notmatch '^[A-Z][a-z]+-[A-Za-z]+$') { continue }
        if ($part -match '^onPremises\.[A-Za-z]+$') { $S.Failing[$cmd] = ConvertTo-HcText (Get-HcField $er 'message') }
        elseif ($part -match '^exchangeOnline\.[A-Za-z]+$') { $S.Failing['EXO:' + $cmd] = ConvertTo-HcText (Get-HcField $er 'message') }
    }
    # Entra parts the collector could not read fail again for it: by part.
    foreach ($er in @(Get-HcField $j 'errors')) {
        if ($null -eq $er) { continue }
        $part = ConvertTo-HcText (Get-HcField $er 'part')
        if ($part -eq 'entra.hybridApplications.appRoleAssignments') { $S.Failing['GRAPH:' + $part] = ConvertTo-HcText (Get-HcField $er 'message') }
        if ($part -eq 'entra.appManagementPolicy') {
            # Typically the sign-in lacks Policy.Read.All: Graph answers 403.
            $why = ConvertTo-HcText (Get-HcField $er 'message')
            if (-not $why) { $why = 'Response status code does not indicate success: Forbidden (Forbidden).' }
            $S.Failing['GRAPH:' + $part] = $why
            # Refused at the sign-in: the scope itself was not consented.
            if ((ConvertTo-HcText (Get-HcField $er 'command')) -eq 'Connect-MgGraph') { $S.Failing['GRAPH:scope:Policy.Read.All'] = $why }
        }
    }
    $op = Get-HcField $j 'onPremises'
    if ($null -ne $op) { $S.OnPrem = Import-HcOnPremises $S $op }
    $exo = Get-HcField $j 'exchangeOnline'
    if ($null -ne $exo) {
        $S.Parts.ExchangeOnline = $true
        $S.Exo = Import-HcExchangeOnline $S $exo
    } else {
        $S.Exo = Import-HcExchangeOnline $S $null
    }
    $entra = Get-HcField $j 'entra'
    if ($null -ne $entra) { $S.Parts.Graph = $true }
    $S.Entra = Import-HcEntra $S $entra
    if (-not $S.TenantId -and $S.Entra.TenantId) { $S.TenantId = $S.Entra.TenantId }
    if (-not $S.Entra.TenantId) { $S.Entra.TenantId = $S.TenantId }
    return $S
}

function Import-HcOnPremises {
    param($S, $op)
    $P = @{
        AuthConfig     = $null
        AuthServers    = New-Object System.Collections.ArrayList
        PartnerApps    = New-Object System.Collections.ArrayList
        Iocs           = New-Object System.Collections.ArrayList
        AddressSpaces  = New-Object System.Collections.ArrayList
        OrgRels        = New-Object System.Collections.ArrayList
        AcceptedDomains = New-Object System.Collections.ArrayList
        HybridConfig   = $null
        Overrides      = New-Object System.Collections.ArrayList
        Servers        = New-Object System.Collections.ArrayList
        RemoteMailboxes = New-Object System.Collections.ArrayList
    }
    # Certificates first, so AuthConfig and the stores name the same ones.
    $seen = @{}
    foreach ($srv in @(Get-HcField $op 'servers')) {
        foreach ($c in @(Get-HcField $srv 'authCertificates')) {
            if ($null -eq $c) { continue }
            $t = ConvertTo-HcThumbprint (Get-HcField $c 'thumbprint')
            if (-not $t -or $seen.ContainsKey($t)) { continue }
            $seen[$t] = $true
            [void](Register-HcCertificate -State $S -OldThumbprint $t -Der (ConvertTo-HcText (Get-HcField $c 'der')) -Subject (ConvertTo-HcText (Get-HcField $c 'subject')) -NotBefore (Get-HcField $c 'notBefore') -NotAfter (Get-HcField $c 'notAfter'))
        }
    }
    $ac = Get-HcField $op 'authConfig'
    if ($null -ne $ac) {
        $map = {
            param($t)
            $t = ConvertTo-HcThumbprint $t
            if (-not $t) { return $null }
            # A thumbprint no server holds still names a certificate somewhere.
            Register-HcCertificate -State $S -OldThumbprint $t -Der $null -Subject $null -NotBefore $null -NotAfter $null
        }
        $P.AuthConfig = @{
            Name                          = 'Auth Configuration'
            CurrentCertificateThumbprint  = & $map (Get-HcField $ac 'currentCertificateThumbprint')
            PreviousCertificateThumbprint = & $map (Get-HcField $ac 'previousCertificateThumbprint')
            NextCertificateThumbprint     = & $map (Get-HcField $ac 'nextCertificateThumbprint')
            NextCertificateEffectiveDate  = ConvertTo-HcDate (Get-HcField $ac 'nextCertificateEffectiveDate')
            ServiceName                   = $(if (ConvertTo-HcText (Get-HcField $ac 'serviceName')) { ConvertTo-HcText (Get-HcField $ac 'serviceName') } else { $script:ExoAppId })
            Realm                         = ConvertTo-HcText (Get-HcField $ac 'realm')
        }
    }
    foreach ($a in @(Get-HcField $op 'authServers')) {
        if ($null -eq $a) { continue }
        $url = ConvertTo-HcText (Get-HcField $a 'authMetadataUrl')
        $type = ConvertTo-HcEnum (Get-HcField $a 'type') 'AuthServerType'
        if (-not $type -or $type -eq 'Unknown') {
            if ($url -match 'federationmetadata') { $type = 'AzureAD' } elseif ($url -match '/metadata/json/1$') { $type = 'MicrosoftACS' } else { $type = 'Unknown' }
        }
        [void]$P.AuthServers.Add(@{
            Name                  = ConvertTo-HcText (Get-HcField $a 'name')
            Type                  = $type
            AuthMetadataUrl       = $url
            IssuerIdentifier      = ConvertTo-HcText (Get-HcField $a 'issuerIdentifier')
            TokenIssuingEndpoint  = ConvertTo-HcText (Get-HcField $a 'tokenIssuingEndpoint')
            Realm                 = ConvertTo-HcText (Get-HcField $a 'realm')
            ApplicationIdentifier = ConvertTo-HcText (Get-HcField $a 'applicationIdentifier')
            DomainName            = ConvertTo-HcList (Get-HcField $a 'domainName')
            Enabled               = ConvertTo-HcBool (Get-HcField $a 'enabled')
            GraphBaseUrl          = ConvertTo-HcText (Get-HcField $a 'graphBaseUrl')
            Guid                  = [guid]::NewGuid()
        })
    }
    foreach ($a in @(Get-HcField $op 'partnerApplications')) {
        if ($null -eq $a) { continue }
        [void]$P.PartnerApps.Add(@{
            Name                  = ConvertTo-HcText (Get-HcField $a 'name')
            ApplicationIdentifier = ConvertTo-HcText (Get-HcField $a 'applicationIdentifier')
            Realm                 = [string](ConvertTo-HcText (Get-HcField $a 'realm'))
            AuthMetadataUrl       = ConvertTo-HcText (Get-HcField $a 'authMetadataUrl')
            UseAuthServer         = ConvertTo-HcBool (Get-HcField $a 'useAuthServer')
            Enabled               = ConvertTo-HcBool (Get-HcField $a 'enabled')
            # The account the Hybrid Configuration Wizard links; a snapshot that names none keeps none.
            LinkedAccount         = $(if ($null -ne $a.PSObject.Properties['linkedAccount'] -or ($a -is [System.Collections.IDictionary] -and $a.Contains('linkedAccount'))) { ConvertTo-HcText (Get-HcField $a 'linkedAccount') } else { 'corp.local/Users/Exchange Online-ApplicationAccount' })
            Guid                  = [guid]::NewGuid()
        })
    }
    # Remote mailboxes as many as each routing domain counts; cloud archives as counted.
    foreach ($r in @(Get-HcField $op 'remoteRoutingDomains')) {
        if ($null -eq $r) { continue }
        $d = ConvertTo-HcText (Get-HcField $r 'domain')
        $n = [int](Get-HcField $r 'count')
        if ($n -lt 1) { $n = 1 }
        for ($i = 1; $i -le $n; $i++) {
            [void]$P.RemoteMailboxes.Add(@{ Name = ('remote{0}-{1}' -f $i, $d); PrimarySmtpAddress = ('remote{0}@{1}' -f $i, $d); RemoteRoutingAddress = ('SMTP:remote{0}@{1}' -f $i, $d) })
        }
    }
    $P.CloudArchives = [int](Get-HcField $op 'cloudArchiveMailboxes')
    foreach ($c in @(Get-HcField $op 'intraOrganizationConnectors')) { if ($null -ne $c) { [void]$P.Iocs.Add((ConvertFrom-HcConnector $c)) } }
    foreach ($a in @(Get-HcField $op 'availabilityAddressSpaces')) {
        if ($null -eq $a) { continue }
        [void]$P.AddressSpaces.Add(@{
            ForestName            = ConvertTo-HcText (Get-HcField $a 'forestName')
            AccessMethod          = ConvertTo-HcEnum (Get-HcField $a 'accessMethod') 'AvailabilityAccessMethod'
            ProxyUrl              = ConvertTo-HcText (Get-HcField $a 'proxyUrl')
            TargetAutodiscoverEpr = ConvertTo-HcText (Get-HcField $a 'targetAutodiscoverEpr')
            UseServiceAccount     = ConvertTo-HcBool (Get-HcField $a 'useServiceAccount')
            Guid                  = [guid]::NewGuid()
        })
    }
    foreach ($r in @(Get-HcField $op 'organizationRelationships')) { if ($null -ne $r) { [void]$P.OrgRels.Add((ConvertFrom-HcRelationship $r)) } }
    foreach ($d in @(Get-HcField $op 'acceptedDomains')) { if ($null -ne $d) { [void]$P.AcceptedDomains.Add((ConvertFrom-HcAcceptedDomain $d)) } }
    $h = Get-HcField $op 'hybridConfiguration'
    if ($null -ne $h) {
        $P.HybridConfig = @{
            Domains             = ConvertTo-HcList (Get-HcField $h 'domains')
            Features            = ConvertTo-HcList (Get-HcField $h 'features')
            OnPremisesSmartHost = ConvertTo-HcText (Get-HcField $h 'onPremisesSmartHost')
            ServiceInstance     = ConvertTo-HcText (Get-HcField $h 'serviceInstance')
            TlsCertificateName  = ConvertTo-HcText (Get-HcField $h 'tlsCertificateName')
        }
    }
    foreach ($o in @(Get-HcField $op 'settingOverrides')) {
        if ($null -eq $o) { continue }
        $component = ConvertTo-HcText (Get-HcField $o 'componentName')
        if (-not $component) { $component = ConvertTo-HcText (Get-HcField $o 'component') }
        $section = ConvertTo-HcText (Get-HcField $o 'sectionName')
        if (-not $section) { $section = ConvertTo-HcText (Get-HcField $o 'section') }
        [void]$P.Overrides.Add(@{
            Name          = ConvertTo-HcText (Get-HcField $o 'name')
            ComponentName = $component
            SectionName   = $section
            Parameters    = ConvertTo-HcList (Get-HcField $o 'parameters')
            Server        = ConvertTo-HcList (Get-HcField $o 'server')
            Reason        = ConvertTo-HcText (Get-HcField $o 'reason')
            Guid          = [guid]::NewGuid()
        })
    }
    foreach ($srv in @(Get-HcField $op 'servers')) {
        if ($null -eq $srv) { continue }
        $name = ConvertTo-HcText (Get-HcField $srv 'name')
        $roles = ConvertTo-HcList (Get-HcField $srv 'serverRole')
        $rolesText = ($roles -join ', ')
        $n = 0
        if ($roles.Count -eq 1 -and [int]::TryParse($roles[0], [ref]$n)) {
            $rolesText = $(if ($n -band 64) { 'Edge' } else { 'Mailbox' })
        }
        $store = @{}
        foreach ($c in @(Get-HcField $srv 'authCertificates')) {
            $t = ConvertTo-HcThumbprint (Get-HcField $c 'thumbprint')
            if ($t -and $S.ThumbMap.ContainsKey($t)) { $store[$S.ThumbMap[$t]] = $true }
        }
        $version = ConvertTo-HcText (Get-HcField $srv 'adminDisplayVersion')
        $fileVersion = ConvertTo-HcText (Get-HcField $srv 'fileVersion')
        if (-not $fileVersion) { $fileVersion = ConvertTo-HcText (Get-HcField $srv 'version') }
        $server = @{
            Name                = $name
            Fqdn                = ConvertTo-HcText (Get-HcField $srv 'fqdn')
            ServerRole          = $rolesText
            Edition             = ConvertTo-HcText (Get-HcField $srv 'edition')
            Site                = ConvertTo-HcText (Get-HcField $srv 'site')
            AdminDisplayVersion = $version
            FileVersion         = $fileVersion
            Store               = $store
            Autodiscover        = New-Object System.Collections.ArrayList
            WebServices         = New-Object System.Collections.ArrayList
            HasVdirs            = (Test-HcHasField $srv 'webServicesVirtualDirectories')
            Guid                = [guid]::NewGuid()
        }
        foreach ($v in @(Get-HcField $srv 'autodiscoverVirtualDirectories')) { if ($null -ne $v) { [void]$server.Autodiscover.Add((ConvertFrom-HcVdir $v $name)) } }
        foreach ($v in @(Get-HcField $srv 'webServicesVirtualDirectories')) { if ($null -ne $v) { [void]$server.WebServices.Add((ConvertFrom-HcVdir $v $name)) } }
        [void]$P.Servers.Add($server)
    }
    return $P
}

function Import-HcExchangeOnline {
    param($S, $exo)
    $X = @{
        Iocs            = New-Object System.Collections.ArrayList
        OrgRels         = New-Object System.Collections.ArrayList
        AcceptedDomains = New-Object System.Collections.ArrayList
        IntraOrgConfig  = $null
        # Get-OrganizationConfig -RetrieveEwsOperationAccessPolicy: EWS access
        # for applications (EwsApplicationAccessPolicy, EwsAllowedAppIDs).
        OrgConfig       = @{ Name = $S.Org.Name; Guid = [guid]::NewGuid().ToString(); EwsEnabled = $null; EwsApplicationAccessPolicy = $null; EwsAllowedAppIDs = (New-Object System.Collections.ArrayList)
            EwsAllowList = (New-Object System.Collections.ArrayList); EwsBlockList = (New-Object System.Collections.ArrayList) }
        # Get-MigrationEndpoint: Identity, RemoteServer (a Hybrid Agent shows here too).
        MigrationEndpoints = New-Object System.Collections.ArrayList
    }
    if ($null -eq $exo) { return $X }
    foreach ($c in @(Get-HcField $exo 'intraOrganizationConnectors')) { if ($null -ne $c) { [void]$X.Iocs.Add((ConvertFrom-HcConnector $c)) } }
    foreach ($r in @(Get-HcField $exo 'organizationRelationships')) { if ($null -ne $r) { [void]$X.OrgRels.Add((ConvertFrom-HcRelationship $r)) } }
    foreach ($d in @(Get-HcField $exo 'acceptedDomains')) { if ($null -ne $d) { [void]$X.AcceptedDomains.Add((ConvertFrom-HcAcceptedDomain $d)) } }
    $oc = Get-HcField $exo 'organizationConfig'
    # An example without it says nothing of the EWS gate: the collector's read fails (below).
    $X.OrgConfigAbsent = ($null -eq $oc)
    if ($null -ne $oc) {
        $en = Get-HcField $oc 'ewsEnabled'
        $X.OrgConfig.EwsEnabled = $(if ($null -eq $en) { $null } else { ConvertTo-HcBool $en })
        $X.OrgConfig.EwsApplicationAccessPolicy = ConvertTo-HcText (Get-HcField $oc 'ewsApplicationAccessPolicy')
        # The list as an array, or the one comma-separated string Exchange Online returns.
        foreach ($v in @(ConvertTo-HcList (Get-HcField $oc 'ewsAllowedAppIds'))) {
            foreach ($id in ([string]$v -split ',')) { if ($id.Trim()) { [void]$X.OrgConfig.EwsAllowedAppIDs.Add($id.Trim()) } }
        }
        foreach ($v in @(ConvertTo-HcList (Get-HcField $oc 'ewsAllowList'))) { [void]$X.OrgConfig.EwsAllowList.Add([string]$v) }
        foreach ($v in @(ConvertTo-HcList (Get-HcField $oc 'ewsBlockList'))) { [void]$X.OrgConfig.EwsBlockList.Add([string]$v) }
    }
    foreach ($m in @(Get-HcField $exo 'migrationEndpoints')) {
        if ($null -ne $m) { [void]$X.MigrationEndpoints.Add(@{ Name = ConvertTo-HcText (Get-HcField $m 'name'); RemoteServer = ConvertTo-HcText (Get-HcField $m 'remoteServer') }) }
    }
    $c = Get-HcField $exo 'intraOrganizationConfiguration'
    if ($null -ne $c) {
        $X.IntraOrgConfig = @{
            OnlineDiscoveryEndpoint     = ConvertTo-HcText (Get-HcField $c 'onlineDiscoveryEndpoint')
            OnlineTargetAddress         = ConvertTo-HcText (Get-HcField $c 'onlineTargetAddress')
            OnPremiseDiscoveryEndpoint  = ConvertTo-HcText (Get-HcField $c 'onPremiseDiscoveryEndpoint')
            OnPremiseWebServiceEndpoint = ConvertTo-HcText (Get-HcField $c 'onPremiseWebServiceEndpoint')
            OnPremiseTargetAddresses    = ConvertTo-HcList (Get-HcField $c 'onPremiseTargetAddresses')
        }
    }
    return $X
}

function New-HcServicePrincipal {
    param([string]$Id, [string]$AppId, [string]$DisplayName)
    @{
        Id                    = $(if ($Id) { $Id } else { [guid]::NewGuid().ToString() })
        AppId                 = $AppId
        DisplayName           = $DisplayName
        ServicePrincipalNames = New-Object System.Collections.ArrayList
        KeyCredentials        = New-Object System.Collections.ArrayList
        AppRoles              = New-Object System.Collections.ArrayList
    }
}

function Import-HcEntra {
    param($S, $entra)
    $E = @{
        TenantId          = $null
        ServicePrincipals = New-Object System.Collections.ArrayList
        Applications      = New-Object System.Collections.ArrayList
        Assignments       = New-Object System.Collections.ArrayList
        AppPolicy         = Import-HcAppPolicy (Get-HcField $entra 'appManagementPolicy')
    }
    $E.TenantId = ConvertTo-HcGuid (Get-HcField $entra 'tenantId')
    $sp = Get-HcField $entra 'exchangeServicePrincipal'
    $exoSp = New-HcServicePrincipal -Id (ConvertTo-HcGuid (Get-HcField $sp 'id')) -AppId $script:ExoAppId -DisplayName 'Office 365 Exchange Online'
    if ($null -ne $sp) {
        if (ConvertTo-HcText (Get-HcField $sp 'displayName')) { $exoSp.DisplayName = ConvertTo-HcText (Get-HcField $sp 'displayName') }
        foreach ($n in (ConvertTo-HcList (Get-HcField $sp 'servicePrincipalNames'))) { [void]$exoSp.ServicePrincipalNames.Add($n) }
        foreach ($k in @(Get-HcField $sp 'keyCredentials')) { if ($null -ne $k) { [void]$exoSp.KeyCredentials.Add((ConvertFrom-HcKeyCredential $S $k)) } }
    } else {
        [void]$exoSp.ServicePrincipalNames.Add($script:ExoAppId)
    }
    [void]$E.ServicePrincipals.Add($exoSp)
    [void]$exoSp.AppRoles.Add(@{ Id = $script:FullAccessAsAppId; Value = 'full_access_as_app'; DisplayName = 'Use Exchange Web Services with full access to all mailboxes' })
    $graphSp = New-HcServicePrincipal -Id $null -AppId $script:GraphAppId -DisplayName 'Microsoft Graph'
    [void]$E.ServicePrincipals.Add($graphSp)
    $graphSeed = $graphSp.AppRoles

    foreach ($a in @(Get-HcField $entra 'hybridApplications')) {
        if ($null -eq $a) { continue }
        $app = @{
            Id                     = ConvertTo-HcGuid (Get-HcField $a 'id')
            AppId                  = ConvertTo-HcGuid (Get-HcField $a 'appId')
            DisplayName            = ConvertTo-HcText (Get-HcField $a 'displayName')
            KeyCredentials         = New-Object System.Collections.ArrayList
            RequiredResourceAccess = New-Object System.Collections.ArrayList
        }
        if (-not $app.Id) { $app.Id = [guid]::NewGuid().ToString() }
        foreach ($k in @(Get-HcField $a 'keyCredentials')) { if ($null -ne $k) { [void]$app.KeyCredentials.Add((ConvertFrom-HcKeyCredential $S $k)) } }
        foreach ($r in @(Get-HcField $a 'requiredResourceAccess')) {
            if ($null -eq $r) { continue }
            $resApp = ConvertTo-HcGuid (Get-HcField $r 'resourceAppId')
            $access = New-Object System.Collections.ArrayList
            foreach ($x in @(Get-HcField $r 'resourceAccess')) {
                if ($null -eq $x) { continue }
                $id = ConvertTo-HcGuid (Get-HcField $x 'id')
                [void]$access.Add(@{ Id = $id; Type = ConvertTo-HcText (Get-HcField $x 'type') })
                $value = ConvertTo-HcText (Get-HcField $x 'value')
                $res = Get-HcResourceSp $E $resApp $null
                if ($value -and -not ($res.AppRoles | Where-Object { $_.Id -eq $id })) {
                    [void]$res.AppRoles.Add(@{ Id = $id; Value = $value; DisplayName = $value })
                }
            }
            [void]$app.RequiredResourceAccess.Add(@{ ResourceAppId = $resApp; ResourceAccess = $access })
        }
        [void]$E.Applications.Add($app)
        # The application's own service principal: consent lives there.
        $appSp = New-HcServicePrincipal -Id $null -AppId $app.AppId -DisplayName $app.DisplayName
        [void]$E.ServicePrincipals.Add($appSp)
        foreach ($g in @(Get-HcField $a 'appRoleAssignments')) {
            if ($null -eq $g) { continue }
            $resId = ConvertTo-HcGuid (Get-HcField $g 'resourceId')
            $resApp = ConvertTo-HcGuid (Get-HcField $g 'resourceAppId')
            $res = Get-HcResourceSp $E $resApp $resId
            $roleId = ConvertTo-HcGuid (Get-HcField $g 'appRoleId')
            $value = ConvertTo-HcText (Get-HcField $g 'appRoleValue')
            if ($value -and -not ($res.AppRoles | Where-Object { $_.Id -eq $roleId })) {
                [void]$res.AppRoles.Add(@{ Id = $roleId; Value = $value; DisplayName = $value })
            }
            [void]$E.Assignments.Add(@{
                Id                  = [guid]::NewGuid().ToString()
                PrincipalId         = $appSp.Id
                ResourceId          = $res.Id
                AppRoleId           = $roleId
                ResourceDisplayName = $(if (ConvertTo-HcText (Get-HcField $g 'resourceDisplayName')) { ConvertTo-HcText (Get-HcField $g 'resourceDisplayName') } else { $res.DisplayName })
                CreatedDateTime     = ConvertTo-HcDate (Get-HcField $g 'createdDateTime')
            })
        }
    }
    # The Graph route's roles the snapshot did not name, under their own ids.
    foreach ($v in $script:GraphHybridRoles.Keys) {
        if (-not ($graphSeed | Where-Object { $_.Value -eq $v })) { [void]$graphSeed.Add(@{ Id = $script:GraphHybridRoles[$v]; Value = $v; DisplayName = $v }) }
    }
    return $E
}

# The tenant's default app management policy, held as Graph's
# policies/defaultAppManagementPolicy answers it (camelCase, ISO 8601 text).
# Without one in the snapshot: the policy every tenant has until an
# administrator changes it, as Microsoft documents it (Graph v1.0, "Get
# tenantAppManagementPolicy", example response; tenantAppManagementPolicy:
# "isEnabled ... Default value is false"): the fixed id of zeros, off, no
# restrictions.
function Import-HcAppPolicy {
    param($Policy)
    $P = @{
        id                           = '00000000-0000-0000-0000-000000000000'
        displayName                  = 'Default app management tenant policy'
        description                  = 'Default tenant policy that enforces app management restrictions on applications and service principals.'
        isEnabled                    = $false
        applicationRestrictions      = @{ passwordCredentials = @(); keyCredentials = @() }
        servicePrincipalRestrictions = @{ passwordCredentials = @(); keyCredentials = @() }
    }
    if ($null -eq $Policy) { return $P }
    $on = Get-HcField $Policy 'isEnabled'
    $P.isEnabled = $(if ($null -eq $on) { $null } else { ConvertTo-HcBool $on })
    $ar = Get-HcField $Policy 'applicationRestrictions'
    if ($null -eq $ar) {
        $P.applicationRestrictions = $null
        return $P
    }
    $P.applicationRestrictions.keyCredentials = @(foreach ($r in @(Get-HcField $ar 'keyCredentials')) {
            if ($null -eq $r) { continue }
            $after = ConvertTo-HcDate (Get-HcField $r 'restrictForAppsCreatedAfterDateTime')
            @{
                restrictionType                     = ConvertTo-HcText (Get-HcField $r 'restrictionType')
                maxLifetime                         = ConvertTo-HcText (Get-HcField $r 'maxLifetime')
                state                               = ConvertTo-HcText (Get-HcField $r 'state')
                restrictForAppsCreatedAfterDateTime = $(if ($after) { ConvertTo-HcLogValue $after } else { $null })
                certificateBasedApplicationConfigurationIds = @()
            }
        })
    return $P
}

# The service principal of a resource application, made when first named.
function Get-HcResourceSp {
    param($E, [string]$AppId, [string]$Id)
    $sp = $null
    if ($AppId) { $sp = $E.ServicePrincipals | Where-Object { $_.AppId -eq $AppId } | Select-Object -First 1 }
    if (-not $sp -and $Id) { $sp = $E.ServicePrincipals | Where-Object { $_.Id -eq $Id } | Select-Object -First 1 }
    if (-not $sp) {
        $sp = New-HcServicePrincipal -Id $Id -AppId $AppId -DisplayName $AppId
        [void]$E.ServicePrincipals.Add($sp)
    }
    return $sp
}
