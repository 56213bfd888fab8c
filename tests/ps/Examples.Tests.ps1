# Every example snapshot as a simulated organisation: the collector reads it
# back as the example says, and the script hybridcheck writes for it runs:
# -WhatIf changes nothing, a run makes exactly the changes the .expect
# lists, a second run changes nothing and says so, and the organisation it
# leaves no longer shows what the script claimed to fix.
#
# The script is generated from the collector's snapshot of the simulated
# organisation (the administrator's path: collect, remediate, run): the
# examples carry no certificate bytes, so the organisation has certificates
# minted for it, and only the collected snapshot names them.

BeforeDiscovery {
    $repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $only = $env:HC_SIM_ONLY
    $cases = @(Get-ChildItem -Path (Join-Path $repo 'examples') -Recurse -Filter '*.expect' | Sort-Object FullName | ForEach-Object {
            $n = $_.FullName.Substring($repo.Length + 1)
            if (-not $only -or $n -like "*$only*") { @{ Name = $n; Path = $_.FullName } }
        })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'HcExpect.ps1')
    # HC_SIM_COLLECT_ONLY=1 (the sanitizer build): only the collector's round trip.
    if ($null -eq $global:HcMetrics) { $global:HcMetrics = @{ Scripts = 0; Mutations = 0; Loops = 0; Injections = 0; Collections = 0 } }
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ('hcsim-examples-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:Work | Out-Null
}

AfterAll {
    if ($script:Work) { Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe '<Name>' -ForEach $cases {
    BeforeAll {
        $x = Read-HcExpect $Path
        $dir = Join-Path $script:Work ($Name -replace '[\\/]', '_')
        New-Item -ItemType Directory -Path $dir | Out-Null
        $now = [datetime]::Parse($x.Now, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::AdjustToUniversal)
        $S = New-HcState -Snapshot $x.Snapshot -Now $now
        Set-HcAnswers $S $x.Answers
        $snap = Join-Path $dir 'snapshot.json'
        $null = Invoke-HcCollector -State $S -Collector $script:Collector -OutFile $snap -ExchangeOnline:$S.Parts.ExchangeOnline -Graph:$S.Parts.Graph
        $global:HcMetrics.Collections++
        $script1 = Join-Path $dir 'fix.ps1'
        $before = Invoke-HcBinary -Command remediate -Snapshot $snap -Extra $x.Args -Now $x.Now -Ps1 $script1 -Report (Join-Path $dir 'before.json')
        Copy-Item -LiteralPath $snap -Destination (Join-Path $dir 'snapshot-before.json')
        $steps = @(Get-HcSteps $script1)
        $copy = Install-HcScript -Script $script1 -Directory (Join-Path $dir 'run')
        $probe = Join-Path $dir 'probe/fix.ps1'
        New-Item -ItemType Directory -Path (Split-Path -Parent $probe) | Out-Null
        New-HcInstrumentedScript -Script $script1 -Target $probe
        $null = Install-HcScript -Script $probe -Directory (Split-Path -Parent $probe)
    }

    It 'the collector reads the organisation back with the example''s findings' {
        $problems = Compare-HcFindings $x $before
        $problems | Should -BeNullOrEmpty
    }

    # entra.appManagementPolicy: the example's policy as it has it, Graph's
    # default (off, no restrictions) when it has none, and when its errors[]
    # names the part, that part alone in errors[] again (a 403 without
    # Policy.Read.All) and no policy.
    It 'the collector reads the app management policy as the example has it' {
        if (-not $S.Parts.Graph) { Set-ItResult -Skipped -Because 'the example has no Entra ID part'; return }
        $ex = [System.IO.File]::ReadAllText($x.Snapshot).TrimStart([char]0xFEFF) | ConvertFrom-Json
        $got = Get-Content -LiteralPath $snap -Raw | ConvertFrom-Json
        $norm = { param($p)
            $on = Get-HcField $p 'isEnabled'
            $ar = Get-HcField $p 'applicationRestrictions'
            $caps = @(foreach ($r in @(Get-HcField $ar 'keyCredentials')) {
                    if ($null -eq $r) { continue }
                    $after = ConvertTo-HcDate (Get-HcField $r 'restrictForAppsCreatedAfterDateTime')
                    '{0}|{1}|{2}|{3}' -f (Get-HcField $r 'restrictionType'), (Get-HcField $r 'maxLifetime'), (Get-HcField $r 'state'), $(if ($after) { ConvertTo-HcLogValue $after } else { '' })
                })
            'isEnabled={0}; restrictions={1}; keyCredentials=[{2}]' -f $(if ($null -eq $on) { 'null' } else { [string]$on }), ($null -ne $ar), ($caps -join ', ')
        }
        $wantErrors = @($ex.errors | Where-Object { $_ -and $_.part -eq 'entra.appManagementPolicy' } | ForEach-Object { $_.message })
        $wantError = $wantErrors.Count -gt 0
        $gotErrors = @($got.errors | Where-Object { $_ -and $_.part -eq 'entra.appManagementPolicy' } | ForEach-Object { $_.message })
        $policy = Get-HcField $got.entra 'appManagementPolicy'
        if ($wantError) {
            $gotErrors.Count | Should -Be 1
            # The 403 of the read, or the sign-in refused the scope (AADSTS65001): the
            # collector then signs in without it and keeps the rest of the Entra part.
            $gotErrors[0] | Should -Be $wantErrors[0]
            @($got.entra.hybridApplications).Count | Should -Be @($ex.entra.hybridApplications).Count
            $policy | Should -BeNullOrEmpty
        } else {
            $gotErrors | Should -BeNullOrEmpty
            $want = Get-HcField $ex.entra 'appManagementPolicy'
            $expected = $(if ($null -eq $want) { 'isEnabled=False; restrictions=True; keyCredentials=[]' } else { & $norm $want })
            & $norm $policy | Should -BeExactly $expected
        }
    }

    It 'the script uses only what Windows PowerShell 5.1 has' {
        . (Join-Path $PSScriptRoot 'Test-Ps51Compat.ps1')
        @(Test-Ps51File $script1) | Should -BeNullOrEmpty
    }

    It '-WhatIf changes nothing' -Skip:($env:HC_SIM_COLLECT_ONLY -eq '1') {
        $w = Invoke-HcScript -State $S -Script $copy -WhatIf
        $global:HcMetrics.Scripts++
        @($w.Runs | Where-Object { $_.Error } | ForEach-Object { "$($_.Shell): $($_.Error)" }) | Should -BeNullOrEmpty
        @($w.Mutations | ForEach-Object { Format-HcMutation $_ $true }) | Should -BeNullOrEmpty
    }

    It 'a run makes exactly the changes the .expect lists' -Skip:($env:HC_SIM_COLLECT_ONLY -eq '1') {
        $script:run = Invoke-HcScript -State $S -Script $copy
        $global:HcMetrics.Scripts++
        @($run.Runs | Where-Object { $_.Error } | ForEach-Object { "$($_.Shell): $($_.Error)" }) | Should -BeNullOrEmpty
        $global:HcMetrics.Mutations += @($run.Mutations).Count
        Compare-HcMutations $x.Mutations $run.Mutations | Should -BeNullOrEmpty
        Get-HcUnusedAnswers $S | Should -BeNullOrEmpty
    }

    It 'a second run changes nothing and every step says it is unchanged' -Skip:($env:HC_SIM_COLLECT_ONLY -eq '1') {
        $again = Invoke-HcScript -State $S -Script $probe
        $global:HcMetrics.Scripts++
        @($again.Runs | Where-Object { $_.Error } | ForEach-Object { "$($_.Shell): $($_.Error)" }) | Should -BeNullOrEmpty
        @($again.Mutations | ForEach-Object { Format-HcMutation $_ $true }) | Should -BeNullOrEmpty
        $by = Split-HcOutput (@($again.Runs | ForEach-Object { $_.Host }))
        # A step whose findings the .expect lists as unfixed stops with its
        # warning instead; a step handing over to Microsoft's script relies
        # on that script reading the state itself (tests/ps/README.md).
        $blocked = { param($st) $st.Findings.Count -gt 0 -and @($st.Findings | Where-Object { -not $x.Unfixed.Contains($_.Check) }).Count -eq 0 }
        $silent = @($steps | Where-Object { -not $_.Manual -and -not $_.Verify -and -not $_.Delegates -and -not (& $blocked $_) } | Where-Object {
                @($by[$_.Id] | Where-Object { $_ -like 'unchanged: *' }).Count -eq 0
            } | ForEach-Object { $_.Id })
        $silent | Should -BeNullOrEmpty
    }

    It 'the organisation it leaves no longer shows what it fixed; what needs a person still shows' -Skip:($env:HC_SIM_COLLECT_ONLY -eq '1') {
        $snap2 = Join-Path $dir 'snapshot.json'
        $null = Invoke-HcCollector -State $S -Collector $script:Collector -OutFile $snap2 -ExchangeOnline:$S.Parts.ExchangeOnline -Graph:$S.Parts.Graph
        $global:HcMetrics.Collections++
        $after = Invoke-HcBinary -Command preflight -Snapshot $snap2 -Extra $x.Args -Now $x.Now -Report (Join-Path $dir 'after.json')
        $serious = @($after | Where-Object { Test-HcSerious $_ })
        $problems = @()
        foreach ($s in $steps | Where-Object { -not $_.Verify }) {
            foreach ($f in $s.Findings | Where-Object { $_.Severity -in @('warn', 'fail') }) {
                $still = @($serious | Where-Object { $_.check -eq $f.Check -and [string]$_.subject -eq $f.Subject })
                if ($s.Manual -and $still.Count -eq 0) { $problems += ('{0} {1} {2} needs a person but is gone' -f $s.Id, $f.Check, $f.Subject) }
                if (-not $s.Manual -and $still.Count -gt 0 -and -not $x.Unfixed.Contains($f.Check)) { $problems += ('{0} claimed {1} {2}, still: {3}' -f $s.Id, $f.Check, $f.Subject, $still[0].message) }
                if (-not $s.Manual -and $still.Count -eq 0 -and $x.Unfixed.Contains($f.Check)) { $problems += ('{0} {1} is listed unfixed but was fixed' -f $s.Id, $f.Check) }
            }
        }
        $problems | Should -BeNullOrEmpty
        $global:HcMetrics.Loops++
    }
}
