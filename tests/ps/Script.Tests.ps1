# What the script does around its steps, run in the simulation: a worldwide
# organisation whose Hybrid Configuration Wizard made the EvoSTS AuthServer
# but that has no dedicated application yet (global-hybridapp without the
# application, its id on the AuthServer and the override). The script hands
# the work to Microsoft's script; the servers take up to an hour to read the
# AuthServer's new application, so the verification right after fails
# unless it waits (-RetryMinutes); -Transcript records the run.

BeforeAll {
    . (Join-Path $PSScriptRoot 'HcExpect.ps1')
    if ($null -eq $global:HcMetrics) { $global:HcMetrics = @{ Scripts = 0; Mutations = 0; Loops = 0; Injections = 0; Collections = 0 } }
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ('hcsim-script-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:Work | Out-Null
    $script:Now = '2026-11-21T12:00:00Z'

    # A fresh organisation and the script for it (collected, then remediated).
    function New-HcCase {
        param([string]$Tag)
        $json = Get-Content -LiteralPath (Join-Path $script:Repo 'examples/global-hybridapp.json') -Raw | ConvertFrom-Json
        $json.onPremises.settingOverrides = @()
        ($json.onPremises.authServers | Where-Object { $_.type -eq 'AzureAD' }).applicationIdentifier = $null
        $json.entra.hybridApplications = @()
        $dir = Join-Path $script:Work $Tag
        New-Item -ItemType Directory -Path $dir | Out-Null
        $src = Join-Path $dir 'start.json'
        [System.IO.File]::WriteAllText($src, (ConvertTo-Json -InputObject $json -Depth 30))
        $S = New-HcState -Snapshot $src -Now ([datetime]$script:Now).ToUniversalTime()
        # The administrator answers Microsoft's script as the step says.
        Set-HcAnswers $S @(@{ Pattern = 'Graph API permissions in addition'; Answer = 'n' }, @{ Pattern = 'creating the associated Setting Override'; Answer = 'n' })
        $snap = Join-Path $dir 'snapshot.json'
        $null = Invoke-HcCollector -State $S -Collector $script:Collector -OutFile $snap -ExchangeOnline -Graph
        $ps1 = Join-Path $dir 'fix.ps1'
        $null = Invoke-HcBinary -Command remediate -Snapshot $snap -Extra @('--domain', 'contoso.com') -Now $script:Now -Ps1 $ps1 -Report (Join-Path $dir 'report.json')
        $copy = Install-HcScript -Script $ps1 -Directory (Join-Path $dir 'run')
        return [pscustomobject]@{ State = $S; Script = $copy; Dir = $dir }
    }
}

AfterAll {
    if ($script:Work) { Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'after Microsoft''s script configures the application' {
    It 'the verification says servers can take up to an hour, rather than just failing' {
        $c = New-HcCase 'no-wait'
        $r = Invoke-HcScript -State $c.State -Script $c.Script
        $global:HcMetrics.Scripts++
        $onprem = $r.Runs | Where-Object { $_.Shell -eq 'OnPremises' }
        $onprem.Error | Should -BeNullOrEmpty
        ($onprem.Host -join "`n") | Should -Match 'can take up to an hour to pick up the application'
        ($onprem.Output -join "`n") | Should -Match 'ResultType\s+: Error'
        ($onprem.Warnings -join "`n") | Should -Match 'can take up to an hour to pick it up'
        @($r.Mutations | Where-Object { $_.property -eq 'ApplicationIdentifier' }).Count | Should -Be 1
    }

    It 'with -RetryMinutes 60 it tests again every 5 minutes until it passes' {
        $c = New-HcCase 'wait'
        $r = Invoke-HcScript -State $c.State -Script $c.Script -Extra @{ RetryMinutes = 60 }
        $global:HcMetrics.Scripts++
        $onprem = $r.Runs | Where-Object { $_.Shell -eq 'OnPremises' }
        $onprem.Error | Should -BeNullOrEmpty
        $tries = @($onprem.Host | Where-Object { $_ -like 'not yet: testing again in 5 minutes*' })
        $tries.Count | Should -BeGreaterThan 0
        $tries.Count | Should -BeLessOrEqual 12
        (@($onprem.Output | Where-Object { $_ -match 'ResultType' }))[-1] | Should -Match 'Success'
        $onprem.Warnings -join "`n" | Should -Not -Match 'did not pass'
        # The organisation's clock moved by the waits, not the test's.
        ($c.State.Now - ([datetime]$script:Now).ToUniversalTime()).TotalMinutes | Should -Be (5 * $tries.Count)
    }
}

Describe '-Transcript' {
    It 'records the run in the file for the change record' {
        $c = New-HcCase 'transcript'
        $t = Join-Path $c.Dir 'run.log'
        $r = Invoke-HcScript -State $c.State -Script $c.Script -Extra @{ Transcript = $t }
        $global:HcMetrics.Scripts++
        @($r.Runs | Where-Object { $_.Error }) | Should -BeNullOrEmpty
        $text = Get-Content -LiteralPath $t -Raw
        $text | Should -Match 'PowerShell transcript start'
        $text | Should -Match 'can take up to an hour to pick up the application'
        $text | Should -Match 'PowerShell transcript end'
    }
}

Describe 'the simulated cmdlets and Microsoft''s scripts (stand-ins)' {
    BeforeAll {
        $script:S2 = New-HcState -Snapshot (Join-Path $script:Repo 'examples/broken/partnerapp-disabled.json') -Now ([datetime]$script:Now).ToUniversalTime()
        $script:Dir2 = Join-Path $script:Work 'standins'
        New-Item -ItemType Directory -Path $script:Dir2 | Out-Null
        foreach ($f in $script:HcSimStandIns) { Copy-Item -LiteralPath $f -Destination $script:Dir2 }
    }

    It 'a cmdlet takes -WhatIf from its caller, as compiled cmdlets do' {
        $r = Invoke-HcShell -State $script:S2 -Shell OnPremises -ScriptBlock {
            & { [CmdletBinding(SupportsShouldProcess)] param() Set-PartnerApplication -Identity 'Exchange Online' -Enabled $true } -WhatIf
        }
        $r.Error | Should -BeNullOrEmpty
        @($script:S2.Log) | Should -BeNullOrEmpty
    }

    It 'an error stops the caller that set $ErrorActionPreference = Stop, and -ErrorAction SilentlyContinue hides it' {
        $r = Invoke-HcShell -State $script:S2 -Shell OnPremises -ScriptBlock {
            $ErrorActionPreference = 'Stop'
            $x = Get-AuthServer -Identity 'no such server' -ErrorAction SilentlyContinue
            Write-Host ('quiet: ' + ($null -eq $x))
            Get-AuthServer -Identity 'no such server'
            Write-Host 'not reached'
        }
        $r.Host | Should -Contain 'quiet: True'
        $r.Host | Should -Not -Contain 'not reached'
        $r.Error | Should -Match "couldn't be found"
    }

    It 'Graph gives key bytes only for one object read by id with keyCredentials alone' {
        $r = Invoke-HcShell -State $script:S2 -Shell Cloud -ScriptBlock {
            Connect-MgGraph -Environment Global -Scopes 'Application.ReadWrite.All' -NoWelcome
            $sp = Get-MgServicePrincipal -Filter "appId eq '00000002-0000-0ff1-ce00-000000000000'" -Property 'id,keyCredentials'
            $one = Get-MgServicePrincipal -ServicePrincipalId $sp.Id -Property 'keyCredentials'
            Write-Host ('list: ' + @($sp.KeyCredentials | Where-Object { $null -ne $_.Key }).Count + ' of ' + @($sp.KeyCredentials).Count)
            Write-Host ('one: ' + @($one.KeyCredentials | Where-Object { $null -ne $_.Key }).Count + ' of ' + @($one.KeyCredentials).Count)
            try { Update-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials $sp.KeyCredentials } catch { Write-Host ('refused: ' + $_.Exception.Message) }
        }
        $r.Host | Should -Contain 'list: 0 of 1'
        $r.Host | Should -Contain 'one: 1 of 1'
        ($r.Host -join "`n") | Should -Match "refused: Invalid value specified for property 'key'"
    }

    It 'Set-OrganizationConfig -EwsAllowedAppIDs replaces the whole list' {
        $r = Invoke-HcShell -State $script:S2 -Shell Cloud -ScriptBlock {
            Connect-ExchangeOnline -ShowBanner:$false
            Set-OrganizationConfig -EwsAllowedAppIDs @('a', 'b')
            Set-OrganizationConfig -EwsAllowedAppIDs 'c'
            Write-Host ('without: ' + ($null -eq (Get-OrganizationConfig).EwsAllowedAppIDs))
            Write-Host ('with: ' + ((Get-OrganizationConfig -RetrieveEwsOperationAccessPolicy).EwsAllowedAppIDs -join ','))
        }
        $r.Error | Should -BeNullOrEmpty
        $r.Host | Should -Contain 'without: True'
        $r.Host | Should -Contain 'with: c'
    }

    It 'ConfigureExchangeHybridApplication.ps1 refuses what the real parameter sets refuse' {
        $r2 = Invoke-HcShell -State $script:S2 -Shell OnPremises -Script (Join-Path $script:Dir2 'ConfigureExchangeHybridApplication.ps1') -Parameters @{ DeleteApplication = $true; UpdateCertificate = $true }
        $r2.Error | Should -Match 'Parameter set cannot be resolved'
        $r3 = Invoke-HcShell -State $script:S2 -Shell OnPremises -Script (Join-Path $script:Dir2 'ConfigureExchangeHybridApplication.ps1') -Parameters @{ AzureEnvironment = 'Nowhere' }
        $r3.Error | Should -Match 'AzureEnvironment'
    }

    Context 'ConfigureExchangeHybridApplication.ps1 -EnableExchangeHybridApplicationOverride' {
        BeforeAll {
            # An organisation from an example, changed by $Edit; its state, the answers given.
            function New-HcOverrideCase {
                param([string]$Example, [scriptblock]$Edit, [string]$Tag, [string]$GraphOverride = 'n')
                $json = Get-Content -LiteralPath (Join-Path $script:Repo $Example) -Raw | ConvertFrom-Json
                & $Edit $json
                $src = Join-Path $script:Dir2 ($Tag + '.json')
                [System.IO.File]::WriteAllText($src, (ConvertTo-Json -InputObject $json -Depth 30))
                $st = New-HcState -Snapshot $src -Now ([datetime]$script:Now).ToUniversalTime()
                Set-HcAnswers $st @(@{ Pattern = 'validate Graph API permissions in addition'; Answer = 'n' }, @{ Pattern = 'creating the associated Setting Override'; Answer = $GraphOverride })
                return $st
            }
            $script:Cehsa = Join-Path $script:Dir2 'ConfigureExchangeHybridApplication.ps1'
        }

        It 'writes no override without admin consent for full_access_as_app' {
            $st = New-HcOverrideCase 'examples/broken/override-consent-unknown.json' { param($j) $j.errors = @(); foreach ($a in $j.entra.hybridApplications) { $a.appRoleAssignments = @() } } 'no-consent'
            $r = Invoke-HcShell -State $st -Shell OnPremises -Script $script:Cehsa -Parameters @{ EnableExchangeHybridApplicationOverride = $true }
            $r.Error | Should -BeNullOrEmpty
            ($r.Warnings -join "`n") | Should -Match 'tenant-wide admin consent has not yet been granted'
            @($st.Log) | Should -BeNullOrEmpty
        }

        It 'writes no override where OAuth is not configured (the PartnerApplication is disabled)' {
            $st = New-HcOverrideCase 'examples/broken/partnerapp-disabled.json' { param($j) $j.onPremises.settingOverrides = @() } 'dauth'
            $r = Invoke-HcShell -State $st -Shell OnPremises -Script $script:Cehsa -Parameters @{ EnableExchangeHybridApplicationOverride = $true }
            $r.Error | Should -BeNullOrEmpty
            ($r.Warnings -join "`n") | Should -Match 'OAuth configuration is incomplete'
            @($st.Log) | Should -BeNullOrEmpty
        }

        It 'with consent creates the override, and the Graph route''s override only when the administrator says yes' {
            $st = New-HcOverrideCase 'examples/broken/override-consent-unknown.json' { param($j) $j.errors = @() } 'consent-yes' 'y'
            $r = Invoke-HcShell -State $st -Shell OnPremises -Script $script:Cehsa -Parameters @{ EnableExchangeHybridApplicationOverride = $true }
            $r.Error | Should -BeNullOrEmpty
            @($st.Log | ForEach-Object { $_.identity }) | Should -Be @('EnableExchangeHybrid3PAppFeature', 'EnableRouteThroughMSGraphFeature')
            @($st.Prompts | ForEach-Object { $_.answer }) | Should -Be @('n', 'y')
        }
    }

    It 'the tenant''s app management policy refuses a key credential longer than its cap, as Entra does' {
        # 365-day cap (authcert-expiring-no-next): the monitor's default five-year
        # certificate cannot be uploaded; the example's script passes a lifetime that fits.
        $st = New-HcState -Snapshot (Join-Path $script:Repo 'examples/broken/authcert-expiring-no-next.json') -Now ([datetime]'2026-12-05T12:00:00Z').ToUniversalTime()
        $m = Invoke-HcShell -State $st -Shell OnPremises -Script (Join-Path $script:Dir2 'MonitorExchangeAuthCertificate.ps1') -Parameters @{ ValidateAndRenewAuthCertificate = $true; IgnoreHybridConfig = $true; SkipVersionCheck = $true }
        $m.Error | Should -BeNullOrEmpty
        $st.OnPrem.AuthConfig.NextCertificateThumbprint | Should -Not -BeNullOrEmpty
        $r = Invoke-HcShell -State $st -Shell OnPremises -Script (Join-Path $script:Dir2 'ConfigureExchangeHybridApplication.ps1') -Parameters @{ UpdateCertificate = $true }
        $r.Error | Should -BeNullOrEmpty
        ($r.Warnings -join "`n") | Should -Match 'longer than the tenant''s app management policy allows'
        @($st.Log | Where-Object { $_.property -eq 'KeyCredentials' }) | Should -BeNullOrEmpty
    }

    It 'MonitorExchangeAuthCertificate.ps1 replaces an expired Auth certificate and never exports it with its key' {
        $S3 = New-HcState -Snapshot (Join-Path $script:Repo 'examples/global-hybridapp.json') -Now ([datetime]'2031-12-01T00:00:00Z').ToUniversalTime()
        $m = Join-Path $script:Dir2 'MonitorExchangeAuthCertificate.ps1'
        $pfx = Invoke-HcShell -State $S3 -Shell OnPremises -Script $m -Parameters @{ ExportAuthCertificatesAsPfx = $true; Password = (ConvertTo-SecureString 'x' -AsPlainText -Force) }
        ($pfx.Warnings -join "`n") | Should -Match 'blocked since the October 2025 update'
        $look = Invoke-HcShell -State $S3 -Shell OnPremises -Script $m
        @($S3.Log) | Should -BeNullOrEmpty
        # Replace is due; with a hybrid configuration the real script says so and stops.
        ($look.Host -join "`n") | Should -Match 'Current Auth Certificate is valid for -\d+ day'
        ($look.Host -join "`n") | Should -Match 'Exchange Hybrid has been detected'
        $old = $S3.OnPrem.AuthConfig.CurrentCertificateThumbprint
        # A hybrid configuration stops it, as the real script does, unless -IgnoreHybridConfig $true.
        $stop = Invoke-HcShell -State $S3 -Shell OnPremises -Script $m -Parameters @{ ValidateAndRenewAuthCertificate = $true }
        ($stop.Host -join "`n") | Should -Match 'Exchange Hybrid has been detected'
        @($S3.Log) | Should -BeNullOrEmpty
        $fix = Invoke-HcShell -State $S3 -Shell OnPremises -Script $m -Parameters @{ ValidateAndRenewAuthCertificate = $true; IgnoreHybridConfig = $true }
        $fix.Error | Should -BeNullOrEmpty
        # The replace path: effective now, published, the previous one cleared.
        $S3.OnPrem.AuthConfig.CurrentCertificateThumbprint | Should -Not -Be $old
        $S3.OnPrem.AuthConfig.PreviousCertificateThumbprint | Should -BeNullOrEmpty
        $S3.OnPrem.AuthConfig.NextCertificateThumbprint | Should -BeNullOrEmpty
        @($S3.Log | Where-Object { $_.cmdlet -eq 'Set-AuthConfig' -and $_.property -eq 'CurrentCertificateThumbprint' }).Count | Should -Be 1
        foreach ($srv in $S3.OnPrem.Servers | Where-Object { $_.ServerRole -notmatch 'Edge' }) { $srv.Store.ContainsKey($S3.OnPrem.AuthConfig.CurrentCertificateThumbprint) | Should -BeTrue }
    }

    It 'MonitorExchangeAuthCertificate.ps1 stages a next certificate 30 days ahead, or sooner when the current one ends first, and imports one a server lacks' {
        $m = Join-Path $script:Dir2 'MonitorExchangeAuthCertificate.ps1'
        # The example's current certificate ends 2027-01-20 and nothing is staged: 50 and 20 days before its end.
        foreach ($case in @(@{ Now = '2026-12-01T00:00:00Z'; In = 30 }, @{ Now = '2026-12-31T00:00:00Z'; In = 4 })) {
            $S4 = New-HcState -Snapshot (Join-Path $script:Repo 'examples/broken/authcert-expiring-no-next.json') -Now ([datetime]$case.Now).ToUniversalTime()
            $cur = $S4.OnPrem.AuthConfig.CurrentCertificateThumbprint
            $r = Invoke-HcShell -State $S4 -Shell OnPremises -Script $m -Parameters @{ ValidateAndRenewAuthCertificate = $true; IgnoreHybridConfig = $true; CustomCertificateLifetimeInDays = 365 }
            $r.Error | Should -BeNullOrEmpty
            $ac = $S4.OnPrem.AuthConfig
            $ac.CurrentCertificateThumbprint | Should -Be $cur
            $ac.NextCertificateThumbprint | Should -Not -BeNullOrEmpty
            ($ac.NextCertificateEffectiveDate - $S4.Now).TotalDays | Should -Be $case.In
            [int]($S4.Certs[$ac.NextCertificateThumbprint].NotAfter.ToUniversalTime() - $S4.Now).TotalDays | Should -BeIn @(364, 365)
        }
        $S5 = New-HcState -Snapshot (Join-Path $script:Repo 'examples/broken/authcert-next-missing-on-server.json') -Now ([datetime]'2026-11-21T12:00:00Z').ToUniversalTime()
        $r = Invoke-HcShell -State $S5 -Shell OnPremises -Script $m -Parameters @{ ValidateAndRenewAuthCertificate = $true }
        $r.Error | Should -BeNullOrEmpty
        @($S5.Log | ForEach-Object { '{0}|{1}|{2}' -f $_.cmdlet, $_.identity, $_.property }) | Should -Be @('Import-ExchangeCertificate|EX02|Certificate')
    }
}
