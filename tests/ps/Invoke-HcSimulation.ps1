<#
.SYNOPSIS
    Runs a hybridcheck remediation script against a simulated organisation
    built from a snapshot, and prints what it changed as JSON.

.DESCRIPTION
    The organisation (tests/ps/sim) is read from the snapshot: Exchange
    on-premises, Exchange Online and Entra ID, with certificates minted for
    the snapshot's thumbprints when it carries no certificate bytes. The
    script runs as its header says: -Part OnPremises, VerifyOnPremises in a
    simulated Exchange Management Shell, then -Part Graph, ExchangeOnline,
    VerifyExchangeOnline in a simulated PowerShell 7 with the cloud modules.
    Microsoft's ConfigureExchangeHybridApplication.ps1 and
    MonitorExchangeAuthCertificate.ps1 are stand-ins placed beside the script.

    Standard output is the mutation log, one JSON array of
    { shell, cmdlet, identity, property, old, new }; what the script printed
    goes to standard error. With -WhatIf the log must be empty.

    A script generated from a snapshot without certificate bytes names
    thumbprints the minted certificates do not have: use -CollectTo to run
    the collector first and generate the script from what it writes.

.EXAMPLE
    pwsh tests/ps/Invoke-HcSimulation.ps1 -Snapshot examples/broken/partnerapp-disabled.json -Script fix.ps1 -WhatIf
.EXAMPLE
    pwsh tests/ps/Invoke-HcSimulation.ps1 -Snapshot examples/global-hybridapp.json -CollectTo collected.json
    build/hybridcheck remediate --snapshot collected.json --offline --ps1 fix.ps1
#>
param(
    [Parameter(Mandatory)][string]$Snapshot,
    [string]$Script,
    [switch]$WhatIf,
    [string]$CollectTo,
    [string]$CollectAfter,
    [datetime]$Now = [datetime]::UtcNow,
    [switch]$Quiet
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'sim/HcSimHarness.ps1')
$collector = Join-Path $PSScriptRoot '../../scripts/Get-HybridCheckSnapshot.ps1'

$state = New-HcState -Snapshot $Snapshot -Now $Now
if ($CollectTo) {
    $r = Invoke-HcCollector -State $state -Collector $collector -OutFile ([System.IO.Path]::GetFullPath($CollectTo)) -ExchangeOnline:$state.Parts.ExchangeOnline -Graph:$state.Parts.Graph
    if (-not $Quiet) { $r.Host + $r.Warnings | ForEach-Object { [Console]::Error.WriteLine($_) } }
}
$mutations = @()
if ($Script) {
    $dir = Join-Path ([System.IO.Path]::GetTempPath()) ('hcsim-' + [guid]::NewGuid().ToString('N'))
    try {
        $copy = Install-HcScript -Script ([System.IO.Path]::GetFullPath($Script)) -Directory $dir
        $run = Invoke-HcScript -State $state -Script $copy -WhatIf:$WhatIf
        $mutations = $run.Mutations
        foreach ($r in $run.Runs) {
            if (-not $Quiet) {
                [Console]::Error.WriteLine(('== {0}' -f $r.Shell))
                $r.Host | ForEach-Object { [Console]::Error.WriteLine($_) }
                $r.Warnings | ForEach-Object { [Console]::Error.WriteLine('WARNING: ' + $_) }
            }
            if ($r.Error) { [Console]::Error.WriteLine(('ERROR ({0}): {1}' -f $r.Shell, $r.Error)) }
        }
    } finally {
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction SilentlyContinue
    }
}
if ($CollectAfter) {
    [void](Invoke-HcCollector -State $state -Collector $collector -OutFile ([System.IO.Path]::GetFullPath($CollectAfter)) -ExchangeOnline:$state.Parts.ExchangeOnline -Graph:$state.Parts.Graph)
}
ConvertTo-HcLogJson $mutations
if (@($run.Runs | Where-Object { $_.Error }).Count -gt 0) { exit 1 }
