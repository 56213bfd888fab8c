<#
.SYNOPSIS
    Runs Pester test files of tests/ps with the Pester that scripts/setup
    restores into build/tools, and prints the simulation's counts.
.EXAMPLE
    pwsh tests/ps/run-pester.ps1 -Pester build/tools/pester/pester/5.7.1/tools/Pester.psd1 -Path tests/ps/Examples.Tests.ps1
#>
param(
    [Parameter(Mandatory)][string]$Pester,
    [Parameter(Mandatory)][string[]]$Path
)
$ErrorActionPreference = 'Stop'
Import-Module ([System.IO.Path]::GetFullPath($Pester)) -Force
$global:HcMetrics = @{ Scripts = 0; Mutations = 0; Loops = 0; Injections = 0; Collections = 0 }
$c = New-PesterConfiguration
$c.Run.Path = $Path
$c.Run.PassThru = $true
$c.Output.Verbosity = 'Detailed'
$c.Output.RenderMode = 'Plaintext'
$watch = [System.Diagnostics.Stopwatch]::StartNew()
$r = Invoke-Pester -Configuration $c
$m = $global:HcMetrics
Write-Host ('simulation: {0} script runs, {1} mutations checked, {2} closed loops passed, {3} injection cases executed, {4} collector runs, {5:N1} s' -f
    $m.Scripts, $m.Mutations, $m.Loops, $m.Injections, $m.Collections, $watch.Elapsed.TotalSeconds)
Write-Host ('{0} passed, {1} failed' -f $r.PassedCount, $r.FailedCount)
if ($r.FailedCount -gt 0 -or $r.PassedCount -eq 0 -or $r.Result -ne 'Passed') { exit 1 }
