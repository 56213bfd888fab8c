# Runs scripts in the simulated organisation: each shell (the Exchange
# Management Shell on-premises, PowerShell 7 with the cloud modules) is a
# fresh runspace with HcSim.psm1 imported for that shell, over one shared
# state. Dot-sourced by Invoke-HcSimulation.ps1 and the Pester tests.

. (Join-Path $PSScriptRoot 'HcSimState.ps1')

$script:HcSimModule = Join-Path $PSScriptRoot 'HcSim.psm1'
$script:HcSimStandIns = @(
    (Join-Path $PSScriptRoot 'ConfigureExchangeHybridApplication.ps1'),
    (Join-Path $PSScriptRoot 'MonitorExchangeAuthCertificate.ps1')
)

# The parts of a generated script by the shell they run in.
$script:HcShellParts = @{
    OnPremises = @('OnPremises', 'VerifyOnPremises')
    Cloud      = @('Graph', 'ExchangeOnline', 'VerifyExchangeOnline')
}

# Runs one script (or script block) in one shell. Returns what it printed
# (Write-Host lines), its warnings, its output and the error that ended it.
function Invoke-HcShell {
    param(
        [Parameter(Mandatory)]$State,
        [Parameter(Mandatory)][ValidateSet('OnPremises', 'Cloud')][string]$Shell,
        [string]$Script,
        [scriptblock]$ScriptBlock,
        [hashtable]$Parameters = @{},
        [string]$WorkingDirectory
    )
    $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
    $rs = [System.Management.Automation.Runspaces.RunspaceFactory]::CreateRunspace($iss)
    $rs.Open()
    $State.Shell = $Shell
    # A new shell has signed in nowhere.
    $State.Connected = @{ Exo = $null; Graph = $null }
    $rs.SessionStateProxy.SetVariable('HcSimState', $State)
    # The administrator answers a confirmation prompt with Yes (Microsoft's
    # scripts ask one with ConfirmImpact High); -WhatIf still holds.
    $rs.SessionStateProxy.SetVariable('ConfirmPreference', 'None')
    if ($WorkingDirectory) { $rs.SessionStateProxy.Path.SetLocation($WorkingDirectory) | Out-Null }
    $ps = [System.Management.Automation.PowerShell]::Create()
    $ps.Runspace = $rs
    $result = [ordered]@{ Shell = $Shell; Host = @(); Warnings = @(); Output = @(); Error = $null; Errors = @() }
    try {
        [void]$ps.AddCommand('Import-Module').AddParameter('Name', $script:HcSimModule).AddParameter('ArgumentList', @($Shell)).AddParameter('Force')
        [void]$ps.Invoke()
        $ps.Commands.Clear()
        if ($Script) {
            [void]$ps.AddCommand($Script)
            foreach ($k in $Parameters.Keys) { [void]$ps.AddParameter($k, $Parameters[$k]) }
            # What the script writes (Format-List among it) as the console shows it.
            [void]$ps.AddCommand('Out-String').AddParameter('Stream')
        } else {
            [void]$ps.AddScript($ScriptBlock.ToString())
            foreach ($k in $Parameters.Keys) { [void]$ps.AddParameter($k, $Parameters[$k]) }
        }
        try {
            $result.Output = @($ps.Invoke())
        } catch {
            $e = $_.Exception
            while ($e -is [System.Management.Automation.MethodInvocationException] -and $e.InnerException) { $e = $e.InnerException }
            $result.Error = $e.Message
        }
        $result.Host = @($ps.Streams.Information | ForEach-Object { [string]$_.MessageData })
        $result.Warnings = @($ps.Streams.Warning | ForEach-Object { [string]$_.Message })
        $result.Errors = @($ps.Streams.Error | ForEach-Object { [string]$_ })
        foreach ($line in $result.Host) { [void]$State.Output.Add($line) }
    } finally {
        $ps.Dispose()
        $rs.Dispose()
        $State.Shell = $null
    }
    return [pscustomobject]$result
}

# A generated script beside Microsoft's scripts (stand-ins), as the
# script expects to find them; returns the copy's path.
function Install-HcScript {
    param([Parameter(Mandatory)][string]$Script, [Parameter(Mandatory)][string]$Directory, [switch]$WithoutStandIns)
    New-Item -ItemType Directory -Path $Directory -Force | Out-Null
    $target = Join-Path $Directory ([System.IO.Path]::GetFileName($Script))
    if ([System.IO.Path]::GetFullPath($Script) -ne [System.IO.Path]::GetFullPath($target)) { Copy-Item -LiteralPath $Script -Destination $target -Force }
    if (-not $WithoutStandIns) { foreach ($s in $script:HcStandIns) { Copy-Item -LiteralPath $s -Destination $Directory -Force } }
    return $target
}
$script:HcStandIns = $script:HcSimStandIns

# Runs a generated script the way its header says: the on-premises parts in
# the Exchange Management Shell, the others in PowerShell 7 with the cloud
# modules. Returns both shells' results and the mutations this run made.
function Invoke-HcScript {
    param(
        [Parameter(Mandatory)]$State,
        [Parameter(Mandatory)][string]$Script,
        [switch]$WhatIf,
        [string]$OnPremisesMailbox,
        [string]$CloudMailbox,
        [hashtable]$Extra = @{}
    )
    # Test mailboxes in the organisation's default domain.
    $domain = 'contoso.com'
    if ($State.OnPrem) {
        $d = @($State.OnPrem.AcceptedDomains | Where-Object { $_.Default }) + @($State.OnPrem.AcceptedDomains)
        if ($d.Count -gt 0) { $domain = $d[0].DomainName }
    }
    if (-not $OnPremisesMailbox) { $OnPremisesMailbox = 'onprem.user@' + $domain }
    if (-not $CloudMailbox) { $CloudMailbox = 'cloud.user@' + $domain }
    $start = $State.Log.Count
    $runs = @()
    foreach ($shell in 'OnPremises', 'Cloud') {
        $p = @{ Part = $script:HcShellParts[$shell] }
        if ($shell -eq 'OnPremises') { $p.OnPremisesMailbox = $OnPremisesMailbox } else { $p.CloudMailbox = $CloudMailbox }
        if ($WhatIf) { $p.WhatIf = $true }
        foreach ($k in $Extra.Keys) { $p[$k] = $Extra[$k] }
        $runs += Invoke-HcShell -State $State -Shell $shell -Script $Script -Parameters $p -WorkingDirectory (Split-Path -Parent $Script)
    }
    $mutations = @()
    for ($i = $start; $i -lt $State.Log.Count; $i++) { $mutations += , $State.Log[$i] }
    return [pscustomobject]@{ Runs = $runs; Mutations = $mutations }
}

# The collector (scripts/Get-HybridCheckSnapshot.ps1) run in the Exchange
# Management Shell with the parts the state has; returns the snapshot path.
function Invoke-HcCollector {
    param([Parameter(Mandatory)]$State, [Parameter(Mandatory)][string]$Collector, [Parameter(Mandatory)][string]$OutFile,
        [switch]$ExchangeOnline, [switch]$Graph)
    $p = @{ Cloud = $State.Cloud; OutFile = $OutFile }
    if ($ExchangeOnline) { $p.ExchangeOnline = $true }
    if ($Graph) { $p.Graph = $true }
    $before = $State.Log.Count
    # The parts the example's errors[] names fail again, for the collector only.
    $State.Collecting = $true
    try {
        $r = Invoke-HcShell -State $State -Shell OnPremises -Script $Collector -Parameters $p -WorkingDirectory (Split-Path -Parent $OutFile)
    } finally { $State.Collecting = $false }
    if ($State.Log.Count -ne $before) { throw 'the collector changed the organisation: ' + (($State.Log[$before..($State.Log.Count - 1)] | ForEach-Object { $_.cmdlet }) -join ', ') }
    if ($r.Error) { throw ('the collector failed: ' + $r.Error) }
    return $r
}

# The mutation log as one JSON document.
function ConvertTo-HcLogJson {
    param($Mutations)
    return (ConvertTo-Json -InputObject @($Mutations) -Depth 6)
}
