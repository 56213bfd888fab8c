# The lab scenarios' scripts (written by tests/lab/run-scenarios from live
# probes of the lab) run in the simulation, from the starting states and
# with the expectations of tests/ps/lab-states.json: -WhatIf changes nothing,
# a run makes the listed changes, a second run none, and the fault the
# scenario plays shows in the organisation's snapshot before and not after.

BeforeDiscovery {
    $repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $lab = $env:HC_LAB_DIR
    $cases = @()
    if ($lab -and (Test-Path -LiteralPath (Join-Path $lab 'results'))) {
        $cases = @(Get-ChildItem -Path (Join-Path $repo 'tests/lab/scenarios') -Directory | Sort-Object Name | ForEach-Object {
                $ps1 = Join-Path $lab ('results/' + $_.Name + '.ps1')
                if (Test-Path -LiteralPath $ps1) {
                    # A code step: a step header that is not the verification or a by-hand one.
                    $code = @(Select-String -LiteralPath $ps1 -Pattern '^\s+# ---- (?!verify:)[a-z][a-z0-9.-]*: ').Count -gt 0
                    @{ Name = $_.Name; Dir = $_.FullName; Script = $ps1; Lab = $lab; HasCode = $code }
                }
            })
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'HcExpect.ps1')
    if ($null -eq $global:HcMetrics) { $global:HcMetrics = @{ Scripts = 0; Mutations = 0; Loops = 0; Injections = 0; Collections = 0 } }
    $script:States = (Get-Content -LiteralPath (Join-Path $PSScriptRoot 'lab-states.json') -Raw | ConvertFrom-Json).scenarios
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ('hcsim-lab-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:Work | Out-Null

    function Get-HcArg {
        param([string[]]$Lines, [string]$Name)
        foreach ($l in $Lines) { if ($l -match ('^' + [regex]::Escape($Name) + '\s+(.+)$')) { return $Matches[1].Trim() } }
        return $null
    }

    function Get-HcLabCert {
        param([string]$Lab, [string]$Domain, [string]$Name)
        $path = Join-Path $Lab "orgs/$Domain/$Name.cer"
        return [System.Security.Cryptography.X509Certificates.X509Certificate2]::new([System.IO.File]::ReadAllBytes($path))
    }

    # The designed organisation of an outside-in scenario (lab-states.json, "about").
    function New-HcLabStart {
        param($Case, $Spec, [string]$Domain, [string]$Cloud, [string]$Tenant, [string]$Target)
        $text = Get-Content -LiteralPath (Join-Path $script:Repo 'examples/global-hybridapp.json') -Raw
        $label = ($Domain -split '\.')[0] -replace '[^a-z0-9]', ''
        # The example is worldwide: the organisation takes the names of its
        # tenant's cloud from the cloud's profile (endpoints/<cloud>.json) -
        # the routing and initial domains, the ACS and EvoSTS metadata hosts,
        # the connector's discovery endpoint, Exchange Online's host in the SPNs.
        $prof = Get-HcCloudProfile $Cloud
        $hostOf = { param($u) ([uri]$u.Replace('{domain}', 'x')).Host }
        $text = $text.Replace('contoso.mail.onmicrosoft.com', ('{0}.{1}' -f $label, @($prof.routing_domain_suffixes)[0])).Replace('contoso.onmicrosoft.com', ('{0}.{1}' -f $label, $prof.initial_domain_suffix))
        $text = $text.Replace('accounts.accesscontrol.windows.net', (& $hostOf $prof.acs_metadata_url)).Replace('login.windows.net', (& $hostOf $prof.evosts_metadata_url))
        $text = $text.Replace('autodiscover-s.outlook.com', (& $hostOf @($prof.discovery_endpoints)[0])).Replace('outlook.office365.com', @($prof.exo_hosts)[0])
        $text = $text.Replace('corp.contoso.com', "corp.$Domain").Replace('dmz.contoso.com', "dmz.$Domain").Replace('contoso.com', $Domain).Replace('5de110f8-2e0f-4d45-891d-bcf2218e253d', $Tenant)
        $j = $text | ConvertFrom-Json
        $j.cloud = $Cloud
        # The ACS AuthServer issues as the cloud's own principal (21Vianet:
        # 00000001-0002-..., as the lab's 21Vianet document names it).
        ($j.onPremises.authServers | Where-Object { $_.type -eq 'MicrosoftACS' }).issuerIdentifier = Get-HcCloudAcsPrincipal $Cloud
        # The example's OrganizationRelationships (DAuth) carry worldwide
        # values (TargetApplicationUri outlook.com) no other cloud's example
        # has; 21Vianet has no DAuth at all. Elsewhere the connectors stand alone.
        if ($Cloud -ne 'global') { $j.onPremises.organizationRelationships = @(); $j.exchangeOnline.organizationRelationships = @() }
        # The legacy model: no dedicated application, the key on the shared service principal.
        $j.onPremises.settingOverrides = @()
        ($j.onPremises.authServers | Where-Object { $_.type -eq 'AzureAD' }).applicationIdentifier = $null
        $j.entra.exchangeServicePrincipal.keyCredentials = @($j.entra.hybridApplications[0].keyCredentials)
        $j.entra.hybridApplications = @()
        $p = $Spec.patch
        if ($p -and $p.spns) {
            $j.entra.exchangeServicePrincipal.servicePrincipalNames = @('00000002-0000-0ff1-ce00-000000000000') + @(Get-Content -LiteralPath (Join-Path $Case.Dir 'spns') | Where-Object { $_ -and $_ -notmatch '^\s*#' })
        }
        if ($p -and $null -ne $p.vdirOAuth) {
            foreach ($s in $j.onPremises.servers) { foreach ($v in @($s.webServicesVirtualDirectories) + @($s.autodiscoverVirtualDirectories)) { if ($v) { $v.oAuthAuthentication = [bool]$p.vdirOAuth } } }
        }
        if ($p -and $p.acsRealm) { ($j.onPremises.authServers | Where-Object { $_.type -eq 'MicrosoftACS' }).realm = $p.acsRealm }
        if ($p -and $p.acsIssuer) { ($j.onPremises.authServers | Where-Object { $_.type -eq 'MicrosoftACS' }).issuerIdentifier = $p.acsIssuer }
        if ($p -and $p.authCert) {
            $c = Get-HcLabCert $Case.Lab $Domain $p.authCert
            $entry = [pscustomobject]@{ thumbprint = $c.Thumbprint; subject = $c.Subject; issuer = $c.Issuer; notBefore = $c.NotBefore.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ'); notAfter = $c.NotAfter.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ'); der = [Convert]::ToBase64String($c.RawData) }
            $j.onPremises.authConfig.currentCertificateThumbprint = $c.Thumbprint
            $j.onPremises.authConfig.nextCertificateThumbprint = $null
            $j.onPremises.authConfig.nextCertificateEffectiveDate = $null
            foreach ($s in $j.onPremises.servers) { if ($s.PSObject.Properties['authCertificates']) { $s.authCertificates = @($entry) } }
            $keys = @()
            if ($p.keysOnSp -ne $false) {
                $keys = @([pscustomobject]@{ keyId = $null; displayName = 'OAuth Certificate'; customKeyIdentifier = [Convert]::ToBase64String($c.GetCertHash()); type = 'AsymmetricX509Cert'; usage = 'Verify'; startDateTime = $entry.notBefore; endDateTime = $entry.notAfter; key = $entry.der })
            }
            $j.entra.exchangeServicePrincipal.keyCredentials = $keys
        }
        [System.IO.File]::WriteAllText($Target, (ConvertTo-Json -InputObject $j -Depth 30))
    }

    function Get-HcSerious {
        param([string]$Snapshot, [string[]]$Extra, [string]$Report)
        return @(Invoke-HcBinary -Command preflight -Snapshot $Snapshot -Extra $Extra -Now $null -Report $Report | Where-Object { Test-HcSerious $_ })
    }
}

AfterAll {
    if ($script:Work) { Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'lab scenario <Name>' -ForEach $cases {
    BeforeAll {
        $spec = $script:States.$Name
        $argLines = @(Get-Content -LiteralPath (Join-Path $Dir 'args'))
        $domain = Get-HcArg $argLines '--domain'
        $dir = Join-Path $script:Work $Name
        New-Item -ItemType Directory -Path $dir | Out-Null
        $snapArg = Get-HcArg $argLines '--snapshot'
        $start = Join-Path $dir 'start.json'
        if ($snapArg) {
            Copy-Item -LiteralPath ($snapArg.Replace('@LAB@', $Lab)) -Destination $start
        } else {
            $report = Get-Content -LiteralPath (Join-Path $Lab "results/$Name.json") -Raw | ConvertFrom-Json
            $tenant = @($report.findings | Where-Object { $_.check -eq 'tenant.discovery' -and $_.evidence.'tenant id' } | ForEach-Object { ($_.evidence.'tenant id' -split ' ')[0] })[0]
            if (-not $tenant) { $tenant = '5de110f8-2e0f-4d45-891d-bcf2218e253d' }
            # The cloud the scenario's tenant lives in (its manifest), not the
            # one the run chose: gcchigh-usg names no --cloud, acs-wrong-cloud
            # names the wrong one, and a script that connects to another cloud
            # than the tenant's must fail here as it would there. The verify-*
            # scenarios reuse another's organisation and have no manifest.
            $cloud = $null
            $manifest = Join-Path $_.Dir 'manifest.json'
            if (Test-Path -LiteralPath $manifest) { $cloud = (Get-Content -LiteralPath $manifest -Raw | ConvertFrom-Json).tenant.cloud }
            if (-not $cloud) { $cloud = Get-HcArg $argLines '--cloud' }
            if (-not $cloud) { $cloud = 'global' }
            New-HcLabStart -Case $_ -Spec $spec -Domain $domain -Cloud $cloud -Tenant $tenant -Target $start
        }
        $S = New-HcState -Snapshot $start
        # The administrator's answers to Microsoft's scripts' questions: [question part, y|n].
        if ($spec -and $spec.answers) { Set-HcAnswers $S @($spec.answers | ForEach-Object { @{ Pattern = $_[0]; Answer = $_[1] } }) }
        # A snapshot without Entra has no tenant id: the lab's tenant discovery has it.
        if (-not $S.TenantId) {
            $report = Get-Content -LiteralPath (Join-Path $Lab "results/$Name.json") -Raw | ConvertFrom-Json
            $S.TenantId = @($report.findings | Where-Object { $_.check -eq 'tenant.discovery' -and $_.evidence.'tenant id' } | ForEach-Object { ($_.evidence.'tenant id' -split ' ')[0] })[0]
        }
        $extra = @()
        if ($domain) { $extra += @('--domain', $domain) }
        if ($spec -and $spec.loopArgs) { $extra += @($spec.loopArgs) }
        # Before and after are judged from the same path, so subjects that name it compare.
        $snapDir = Join-Path $dir 'snap'
        New-Item -ItemType Directory -Path $snapDir | Out-Null
        $snapshot = Join-Path $snapDir 'snapshot.json'
        $null = Invoke-HcCollector -State $S -Collector $script:Collector -OutFile $snapshot -ExchangeOnline:$S.Parts.ExchangeOnline -Graph:$S.Parts.Graph
        $global:HcMetrics.Collections++
        $b = Get-HcSerious $snapshot $extra (Join-Path $dir 'before-report.json')
        $copy = Install-HcScript -Script $Script -Directory (Join-Path $dir 'run')
        $probe = Join-Path $dir 'probe/fix.ps1'
        New-Item -ItemType Directory -Path (Split-Path -Parent $probe) | Out-Null
        New-HcInstrumentedScript -Script $Script -Target $probe
        $null = Install-HcScript -Script $probe -Directory (Split-Path -Parent $probe)
        $steps = @(Get-HcSteps $Script)
        $unfixed = @{}
        if ($spec -and $spec.unfixed) { foreach ($p in $spec.unfixed.PSObject.Properties) { $unfixed[$p.Name] = $p.Value } }
    }

    It 'has a starting state and expectations' {
        $spec | Should -Not -BeNullOrEmpty -Because 'every lab scenario with a code step is listed in tests/ps/lab-states.json'
    } -Skip:(-not $HasCode)

    It '-WhatIf changes nothing' {
        $w = Invoke-HcScript -State $S -Script $copy -WhatIf
        $global:HcMetrics.Scripts++
        @($w.Runs | Where-Object { $_.Error } | ForEach-Object { "$($_.Shell): $($_.Error)" }) | Should -BeNullOrEmpty
        @($w.Mutations | ForEach-Object { Format-HcMutation $_ $true }) | Should -BeNullOrEmpty
    }

    It 'a run makes the listed changes' {
        $run = Invoke-HcScript -State $S -Script $copy
        $global:HcMetrics.Scripts++
        @($run.Runs | Where-Object { $_.Error } | ForEach-Object { "$($_.Shell): $($_.Error)" }) | Should -BeNullOrEmpty
        $global:HcMetrics.Mutations += @($run.Mutations).Count
        $want = @()
        if ($spec) { $want = @($spec.mutations | ForEach-Object { , @($_) }) }
        Compare-HcMutations $want $run.Mutations | Should -BeNullOrEmpty
        Get-HcUnusedAnswers $S | Should -BeNullOrEmpty
    }

    It 'a second run changes nothing and every step says it is unchanged' {
        $again = Invoke-HcScript -State $S -Script $probe
        $global:HcMetrics.Scripts++
        @($again.Runs | Where-Object { $_.Error } | ForEach-Object { "$($_.Shell): $($_.Error)" }) | Should -BeNullOrEmpty
        @($again.Mutations | ForEach-Object { Format-HcMutation $_ $true }) | Should -BeNullOrEmpty
        $by = Split-HcOutput (@($again.Runs | ForEach-Object { $_.Host }))
        $silent = @($steps | Where-Object { -not $_.Manual -and -not $_.Verify -and -not $_.Delegates } | Where-Object {
                $st = $_
                $blocked = $st.Findings.Count -gt 0 -and @($st.Findings | Where-Object { -not $unfixed.ContainsKey($_.Check) }).Count -eq 0
                -not $blocked -and @($by[$st.Id] | Where-Object { $_ -like 'unchanged: *' }).Count -eq 0
            } | ForEach-Object { $_.Id })
        $silent | Should -BeNullOrEmpty
    }

    It 'the fault shows in the organisation before the run and not after' {
        $null = Invoke-HcCollector -State $S -Collector $script:Collector -OutFile $snapshot -ExchangeOnline:$S.Parts.ExchangeOnline -Graph:$S.Parts.Graph
        $global:HcMetrics.Collections++
        $a = Get-HcSerious $snapshot $extra (Join-Path $dir 'after-report.json')
        $known = @()
        if ($spec -and $spec.newAfter) { $known = @($spec.newAfter.PSObject.Properties.Name) }
        $problems = @()
        foreach ($c in @($spec.loop)) {
            if (-not $c) { continue }
            if (@($b | Where-Object { $_.check -eq $c }).Count -eq 0) { $problems += "$c does not show before the run: the starting state does not play the fault" }
            $left = @($a | Where-Object { $_.check -eq $c })
            if ($left.Count -gt 0 -and -not $unfixed.ContainsKey($c)) { $problems += ('{0} still shows after: {1}' -f $c, $left[0].message) }
            if ($left.Count -eq 0 -and $unfixed.ContainsKey($c)) { $problems += "$c is listed unfixed but was fixed" }
        }
        # Nothing the run did made a new fault.
        foreach ($f in $a) {
            if (@($b | Where-Object { $_.check -eq $f.check -and $_.subject -eq $f.subject }).Count -eq 0 -and $known -notcontains $f.check -and -not $unfixed.ContainsKey($f.check)) { $problems += ('new after the run: {0} {1} {2}: {3}' -f $f.severity, $f.check, $f.subject, $f.message) }
        }
        $problems | Should -BeNullOrEmpty
        $global:HcMetrics.Loops++
    }
}
