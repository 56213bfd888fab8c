# Stand-in for Microsoft's ConfigureExchangeHybridApplication.ps1 (CSS-Exchange,
# Hybrid/ConfigureExchangeHybridApplication) in the simulated organisation.
# Its parameter sets are the real script's, so a call the real script would
# refuse is refused here too; what it does is the documented effect of each
# operation (the real script's help and its docs page, "Changes made by the
# script"), applied to the simulation's state:
#   CreateApplication  ExchangeServerApp-<organization guid> with full_access_as_app
#                      on Office 365 Exchange Online and admin consent
#   UpdateCertificate  the Auth certificates (Automated: AuthConfig's current and next,
#                      read from this server's store) as key credentials of the
#                      application, then removed from the shared service principal
#   ConfigureAuthServer the EvoSTS AuthServer gets the application id and domains
#   ConfigureTargetSharingEpr  enabled OrganizationRelationships to Exchange Online
#                      without TargetSharingEpr get the cloud's EWS URL
#   EnableExchangeHybridApplicationOverride  the global setting override
#   ResetFirstPartyServicePrincipalKeyCredentials  the shared service principal's
#                      keys removed: all, or the thumbprint given and the expired ones
#   UseGraphApiOnly    the Graph permissions instead of full_access_as_app
#   RemoveApiPermissions  accepted as the real script's parameter sets have it
# The questions the May 2026 version asks with Read-Host (its Get-Consent: y or
# n) are asked here too, with its wording, and answered by the test
# (Read-HcSimAnswer): whether to configure (CreateApplication) or validate
# (EnableExchangeHybridApplicationOverride) the Graph permissions besides
# full_access_as_app; whether to add missing permissions and request admin
# consent for an existing application; and, on a server at Exchange SE
# 15.2.2562.41 or later without one, whether to create the RouteThroughMSGraph
# override. It refuses the override, as the real one does, without admin
# consent on every permission it validates and without an enabled Exchange
# Online PartnerApplication (empty realm) and an enabled connector.
[CmdletBinding(DefaultParameterSetName = 'FullyConfigureExchangeHybridApplication', SupportsShouldProcess = $true, ConfirmImpact = 'High')]
param(
    [Parameter(ParameterSetName = 'FullyConfigureExchangeHybridApplication')][switch]$FullyConfigureExchangeHybridApplication,
    [Parameter(ParameterSetName = 'Create')][switch]$CreateApplication,
    [Parameter(Mandatory = $true, ParameterSetName = 'Delete')][switch]$DeleteApplication,
    [Parameter(ParameterSetName = 'Create')][switch]$UpdateCertificate,
    [Parameter(ParameterSetName = 'Create')][Parameter(ParameterSetName = 'CustomAppId')][switch]$ConfigureAuthServer,
    [Parameter(Mandatory = $true, ParameterSetName = 'CustomAppId')][ValidatePattern('[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')][string]$CustomAppId,
    [Parameter(Mandatory = $true, ParameterSetName = 'CustomAppId')][ValidatePattern('[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')][string]$TenantId,
    [Parameter(Mandatory = $true, ParameterSetName = 'CustomAppId')][string]$RemoteRoutingDomain,
    [Parameter(ParameterSetName = 'Create')][Parameter(ParameterSetName = 'CustomAppId')][switch]$ConfigureTargetSharingEpr,
    [Parameter(ParameterSetName = 'Create')][Parameter(ParameterSetName = 'CustomAppId')][switch]$EnableExchangeHybridApplicationOverride,
    [Parameter(ParameterSetName = 'FirstPartyKeyCredentialsCleanup')][switch]$ResetFirstPartyServicePrincipalKeyCredentials,
    [Parameter(ParameterSetName = 'FullyConfigureExchangeHybridApplication')][Parameter(ParameterSetName = 'Create')][switch]$UseGraphApiOnly,
    [ValidateSet('EWS', 'Graph')][Parameter(ParameterSetName = 'RemovePermissions')][string[]]$RemoveApiPermissions,
    [ValidateSet('Global', 'USGovernmentL4', 'USGovernmentL5', 'ChinaCloud', 'BleuCloud', 'DelosCloud')]
    [Parameter(ParameterSetName = 'FullyConfigureExchangeHybridApplication')][Parameter(ParameterSetName = 'FirstPartyKeyCredentialsCleanup')]
    [Parameter(ParameterSetName = 'Create')][Parameter(ParameterSetName = 'Delete')][Parameter(ParameterSetName = 'RemovePermissions')]
    [string]$AzureEnvironment = 'Global',
    [ValidateSet('Thumbprint', 'File', 'Automated')][Parameter(ParameterSetName = 'Create')][string]$CertificateMethod = 'Automated',
    [Parameter(ParameterSetName = 'FirstPartyKeyCredentialsCleanup')][Parameter(ParameterSetName = 'Create')][string]$CertificateInformation,
    [Parameter(Mandatory = $true, ParameterSetName = 'ScriptUpdateOnly')][switch]$ScriptUpdateOnly,
    [Parameter(ParameterSetName = 'FullyConfigureExchangeHybridApplication')][Parameter(ParameterSetName = 'FirstPartyKeyCredentialsCleanup')]
    [Parameter(ParameterSetName = 'Create')][Parameter(ParameterSetName = 'Delete')][switch]$SkipVersionCheck
)

$invocation = [ordered]@{ ParameterSet = $PSCmdlet.ParameterSetName }
foreach ($k in $PSBoundParameters.Keys) { $invocation[$k] = $(if ($PSBoundParameters[$k] -is [switch]) { [bool]$PSBoundParameters[$k] } else { [string]$PSBoundParameters[$k] }) }

$module = Get-Module HcSim
if ($null -eq $module) { throw 'ConfigureExchangeHybridApplication.ps1 (stand-in) runs only inside the simulation' }
if (-not (Get-Command Get-AuthConfig -ErrorAction SilentlyContinue)) {
    Write-Warning 'To perform this configuration, the script must be executed from an elevated Exchange Management Shell (EMS)'
    return
}

# The disclaimer the real script shows before it changes anything.
$target = 'The script was executed to perform the following operations: ' + $PSCmdlet.ParameterSetName
if (-not $PSCmdlet.ShouldProcess($target, 'Configure dedicated Exchange hybrid application feature')) { return }

& $module {
    param($Bound, $Invocation)
    Add-HcCall 'ConfigureExchangeHybridApplication.ps1' $Invocation
    $S = $script:S
    $envs = @{ global = 'Global'; gcchigh = 'USGovernmentL4'; dod = 'USGovernmentL5'; china = 'ChinaCloud' }
    $env = $(if ($Bound.ContainsKey('AzureEnvironment')) { $Bound['AzureEnvironment'] } else { 'Global' })
    if ($envs[$S.Cloud] -ne $env) {
        # The sign-in goes to another cloud's login endpoint and finds no tenant.
        Write-Warning ("Failed to acquire an access token - the script cannot continue (AzureEnvironment {0}, the tenant lives in {1})" -f $env, $envs[$S.Cloud])
        return
    }
    $E = $S.Entra
    $exoSp = $E.ServicePrincipals | Where-Object { $_.AppId -eq $script:ExoAppId } | Select-Object -First 1
    $now = $S.Now
    if ($null -eq $E -or $null -eq $exoSp) {
        Write-Warning 'Failed to acquire an access token - the script cannot continue (the simulated organisation has no Entra ID tenant)'
        return
    }
    # Microsoft's Get-Consent: the question, then Read-Host; y is yes.
    function Get-HcConsent {
        param([string]$Message)
        Write-Host ($Message + ' [Y] Yes [N] No: ')
        return ((Read-HcSimAnswer $Message) -eq 'y')
    }

    function Remove-HcSpKeys {
        param([string[]]$Thumbprints, [switch]$All, [switch]$Expired)
        $keep = New-Object System.Collections.ArrayList
        foreach ($k in $exoSp.KeyCredentials) {
            $t = ConvertFrom-HcThumbprintBytes $k.CustomKeyIdentifier
            $drop = $All -or ($t -and $Thumbprints -contains $t) -or ($Expired -and $k.EndDateTime -lt $now)
            if (-not $drop) { [void]$keep.Add($k) }
        }
        if ($keep.Count -ne $exoSp.KeyCredentials.Count) {
            Set-HcKeyCredentials $exoSp $keep 'ConfigureExchangeHybridApplication.ps1' $exoSp.DisplayName
            Write-Host 'The Service Principal for the first-party application was processed successfully'
        } else {
            Write-Host 'No key credential of the first-party Service Principal had to be removed'
        }
    }

    if ($Bound.ContainsKey('ResetFirstPartyServicePrincipalKeyCredentials')) {
        if ($Bound['CertificateInformation']) {
            Remove-HcSpKeys -Thumbprints @(ConvertTo-HcThumbprint $Bound['CertificateInformation']) -Expired
        } else {
            Remove-HcSpKeys -All
        }
        return
    }
    if ($Bound.ContainsKey('DeleteApplication') -or $Bound.ContainsKey('ScriptUpdateOnly')) {
        Write-Warning 'the simulation does not delete applications or update scripts'
        return
    }

    $full = $Bound.ContainsKey('FullyConfigureExchangeHybridApplication') -or $Bound.Count -eq 0 -or
        (@($Bound.Keys | Where-Object { $_ -notin @('AzureEnvironment', 'SkipVersionCheck') }).Count -eq 0)
    $doCreate = $full -or $Bound.ContainsKey('CreateApplication')
    $doCert = $full -or $Bound.ContainsKey('UpdateCertificate')
    $doAuth = $full -or $Bound.ContainsKey('ConfigureAuthServer')
    $doEpr = $full -or $Bound.ContainsKey('ConfigureTargetSharingEpr')
    $doOverride = $full -or $Bound.ContainsKey('EnableExchangeHybridApplicationOverride')

    $name = 'ExchangeServerApp-' + $S.Org.Guid
    $app = $E.Applications | Where-Object { $_.DisplayName -eq $name } | Select-Object -First 1
    if ($Bound['CustomAppId']) { $app = $E.Applications | Where-Object { $_.AppId -eq (ConvertTo-HcGuid $Bound['CustomAppId']) } | Select-Object -First 1 }

    # The permissions this run configures or validates: full_access_as_app,
    # and the four Graph ones when asked for.
    $graphSp = $E.ServicePrincipals | Where-Object { $_.AppId -eq $script:GraphAppId } | Select-Object -First 1
    $wantEws = -not $Bound.ContainsKey('UseGraphApiOnly')
    $wantGraph = -not $wantEws
    if (($doCreate -or $doOverride) -and $wantEws) {
        $verb = $(if ($doCreate) { 'configure' } else { 'validate' })
        $wantGraph = Get-HcConsent ("Do you want to {0} Graph API permissions in addition to EWS permissions?" -f $verb)
    }
    $want = @()
    if ($wantEws) { $want += , @{ Sp = $exoSp; Role = $script:FullAccessAsAppId; Value = 'full_access_as_app' } }
    if ($wantGraph) {
        foreach ($v in $script:GraphHybridRoles.Keys) {
            $role = $graphSp.AppRoles | Where-Object { $_.Value -eq $v } | Select-Object -First 1
            $want += , @{ Sp = $graphSp; Role = $role.Id; Value = $v }
        }
    }
    # What the application lacks of $want: not requested, or not consented.
    function Get-HcMissing {
        param($App)
        $appSp = $E.ServicePrincipals | Where-Object { $_.AppId -eq $App.AppId } | Select-Object -First 1
        $out = @()
        foreach ($w in $want) {
            $requested = @($App.RequiredResourceAccess | Where-Object { $_.ResourceAppId -eq $w.Sp.AppId } | ForEach-Object { $_.ResourceAccess } | Where-Object { $_.Id -eq $w.Role }).Count -gt 0
            $consented = $appSp -and @($E.Assignments | Where-Object { $_.PrincipalId -eq $appSp.Id -and $_.ResourceId -eq $w.Sp.Id -and $_.AppRoleId -eq $w.Role }).Count -gt 0
            if (-not $requested -or -not $consented) { $out += , @{ W = $w; Requested = $requested; Consented = $consented } }
        }
        return , $out
    }
    # The permissions added to the application and consented (the real
    # script's Update-ExchangeAzureApplication with AskForConsent; the
    # administrator grants the consent in the browser).
    function Add-HcPermissions {
        param($App, $Missing)
        $appSp = $E.ServicePrincipals | Where-Object { $_.AppId -eq $App.AppId } | Select-Object -First 1
        if (-not $appSp) { $appSp = New-HcServicePrincipal -Id $null -AppId $App.AppId -DisplayName $App.DisplayName; [void]$E.ServicePrincipals.Add($appSp) }
        foreach ($m in $Missing) {
            $w = $m.W
            if (-not $m.Requested) {
                $rra = $App.RequiredResourceAccess | Where-Object { $_.ResourceAppId -eq $w.Sp.AppId } | Select-Object -First 1
                if (-not $rra) { $rra = @{ ResourceAppId = $w.Sp.AppId; ResourceAccess = New-Object System.Collections.ArrayList }; [void]$App.RequiredResourceAccess.Add($rra) }
                [void]$rra.ResourceAccess.Add(@{ Id = $w.Role; Type = 'Role' })
                Add-HcMutation $S 'ConfigureExchangeHybridApplication.ps1' $App.DisplayName 'RequiredResourceAccess' $null $w.Value
            }
            if (-not $m.Consented) {
                [void]$E.Assignments.Add(@{ Id = [guid]::NewGuid().ToString(); PrincipalId = $appSp.Id; ResourceId = $w.Sp.Id; AppRoleId = $w.Role; ResourceDisplayName = $w.Sp.DisplayName; CreatedDateTime = $now })
                Add-HcMutation $S 'ConfigureExchangeHybridApplication.ps1' $App.DisplayName 'AppRoleAssignment' $null $w.Value
            }
        }
    }

    if ($doCreate) {
        if ($app) {
            $missing = Get-HcMissing $app
            if ($missing.Count -eq 0) {
                Write-Host ('Application: {0} with App ID: {1} already exists and is configured as expected' -f $name, $app.AppId)
            } else {
                foreach ($m in $missing) {
                    if (-not $m.Requested) { Write-Warning ("Application '{0}' is missing the following permissions: {1}" -f $name, $m.W.Value) }
                    if (-not $m.Consented) { Write-Warning ("Application '{0}' is missing admin consent for the following permissions: {1}" -f $name, $m.W.Value) }
                }
                if (Get-HcConsent 'Do you want the script to add the missing permissions and request admin consent?') {
                    Add-HcPermissions $app $missing
                } else {
                    Write-Warning ("Application '{0}' (App ID: {1}) already exists but is not configured correctly." -f $name, $app.AppId)
                    return
                }
            }
        } else {
            $app = @{
                Id = [guid]::NewGuid().ToString(); AppId = [guid]::NewGuid().ToString(); DisplayName = $name
                KeyCredentials = New-Object System.Collections.ArrayList
                RequiredResourceAccess = New-Object System.Collections.ArrayList
            }
            [void]$E.Applications.Add($app)
            $appSp = New-HcServicePrincipal -Id $null -AppId $app.AppId -DisplayName $name
            [void]$E.ServicePrincipals.Add($appSp)
            Add-HcMutation $S 'ConfigureExchangeHybridApplication.ps1' $name 'Application' $null $name
            # Requested and consented: the app role assignments on the application's service principal.
            $rras = @{}
            foreach ($w in $want) {
                if (-not $rras.ContainsKey($w.Sp.AppId)) { $rras[$w.Sp.AppId] = @{ ResourceAppId = $w.Sp.AppId; ResourceAccess = New-Object System.Collections.ArrayList }; [void]$app.RequiredResourceAccess.Add($rras[$w.Sp.AppId]) }
                [void]$rras[$w.Sp.AppId].ResourceAccess.Add(@{ Id = $w.Role; Type = 'Role' })
                [void]$E.Assignments.Add(@{ Id = [guid]::NewGuid().ToString(); PrincipalId = $appSp.Id; ResourceId = $w.Sp.Id; AppRoleId = $w.Role; ResourceDisplayName = $w.Sp.DisplayName; CreatedDateTime = $now })
                Add-HcMutation $S 'ConfigureExchangeHybridApplication.ps1' $name 'AppRoleAssignment' $null $w.Value
            }
            Write-Host ('Application: {0} was successfully created' -f $name)
        }
    }
    if ($doCert) {
        if (-not $app) { Write-Warning ("Application: {0} doesn't exist - use the parameter 'CreateApplication' to create it first" -f $name); return }
        $certs = @()
        $method = $(if ($Bound['CertificateMethod']) { $Bound['CertificateMethod'] } else { 'Automated' })
        $server = Get-HcLocalServer
        if ($method -eq 'Automated') {
            $ac = $S.OnPrem.AuthConfig
            foreach ($t in @($ac.CurrentCertificateThumbprint, $ac.NextCertificateThumbprint)) {
                if (-not $t) { continue }
                if (-not $server.Store.ContainsKey($t)) {
                    Write-Warning ("Unable to query and export Exchange Server Auth Certificate - Exception: Cannot find path 'Cert:\LocalMachine\My\{0}' because it does not exist." -f $t)
                    return
                }
                $certs += $S.Certs[$t]
            }
        } elseif ($method -eq 'Thumbprint') {
            $t = ConvertTo-HcThumbprint $Bound['CertificateInformation']
            if (-not $t -or -not $server.Store.ContainsKey($t)) { Write-Warning ('Unable to query and export certificate with thumbprint: {0}' -f $Bound['CertificateInformation']); return }
            $certs += $S.Certs[$t]
        } else {
            Write-Warning 'the simulation reads certificates from the store only (CertificateMethod File is not simulated)'
            return
        }
        if ($certs.Count -eq 0) { Write-Warning 'No valid certificate was found - processing will be stopped'; return }
        $keys = New-Object System.Collections.ArrayList
        foreach ($k in $app.KeyCredentials) { [void]$keys.Add($k) }
        foreach ($c in $certs) {
            Write-Host ('Certificate: {0} is now being processed' -f $c.Thumbprint)
            if (@($keys | Where-Object { (ConvertFrom-HcThumbprintBytes $_.CustomKeyIdentifier) -eq $c.Thumbprint }).Count -eq 0) {
                [void]$keys.Add(@{ KeyId = [guid]::NewGuid().ToString(); DisplayName = 'OAuth Certificate'; CustomKeyIdentifier = $c.GetCertHash(); Type = 'AsymmetricX509Cert'; Usage = 'Verify'; Key = $c.RawData; StartDateTime = $c.NotBefore.ToUniversalTime(); EndDateTime = $c.NotAfter.ToUniversalTime() })
            }
        }
        $refused = Get-HcKeyLifetimeRefusal $app $keys
        if ($refused) { Write-Warning ('Something went wrong while adding the certificate to the application: ' + $refused); return }
        Set-HcKeyCredentials $app $keys 'ConfigureExchangeHybridApplication.ps1' $app.DisplayName
        # The same certificates leave the shared service principal.
        Remove-HcSpKeys -Thumbprints @($certs | ForEach-Object { $_.Thumbprint })
    }
    if ($doAuth) {
        $appId = $(if ($Bound['CustomAppId']) { ConvertTo-HcGuid $Bound['CustomAppId'] } elseif ($app) { $app.AppId } else { $null })
        if (-not $appId) { Write-Warning ("Application: {0} doesn't exist" -f $name); return }
        $evo = @($S.OnPrem.AuthServers | Where-Object { $_.Name -match 'EvoSTS' -and $_.Type -eq 'AzureAD' -and $_.Realm -match '[0-9a-fA-F]{8}-' -and $_.Enabled })
        if ($evo.Count -gt 1) { $evo = @($evo | Where-Object { $_.Realm -eq $S.TenantId }) }
        if ($evo.Count -ne 1) { Write-Warning 'We did not find an Auth Server which is valid for hybrid usage - script can''t continue'; return }
        $acs = @($S.OnPrem.AuthServers | Where-Object { $_.Type -eq 'MicrosoftACS' -and $_.Realm -eq $S.TenantId -and $_.DomainName.Count -ge 1 -and $_.Enabled })
        $domains = $null
        if ($acs.Count -eq 1) {
            $domains = @($acs[0].DomainName)
        } elseif ($Bound['RemoteRoutingDomain']) {
            $domains = @($Bound['RemoteRoutingDomain'])
        } else {
            # Accepted domains that the tenant also holds, without its initial domain
            # (IsInitial in Microsoft's script): the routing domain (.mail.) stays.
            $cloudDomains = @($S.Exo.AcceptedDomains | ForEach-Object { $_.DomainName } | Where-Object { $_ -notmatch '^[^.]+\.(onmicrosoft\.(com|us)|partner\.onmschina\.cn)$' })
            $domains = @($S.OnPrem.AcceptedDomains | ForEach-Object { $_.DomainName } | Where-Object { $cloudDomains -contains $_ })
        }
        if (-not $domains -or $domains.Count -eq 0) { Write-Warning 'We did not find any domain that exists in on-premises and online organization'; return }
        $a = $evo[0]
        Set-HcProperty $S $a 'ApplicationIdentifier' $appId 'ConfigureExchangeHybridApplication.ps1' $a.Name
        Set-HcProperty $S $a 'DomainName' ([System.Collections.ArrayList]@($domains)) 'ConfigureExchangeHybridApplication.ps1' $a.Name
        Set-HcAuthPending
    }
    if ($doEpr) {
        $ews = @{ global = 'https://outlook.office365.com/EWS/Exchange.asmx'; china = 'https://partner.outlook.cn/EWS/Exchange.asmx'; gcchigh = 'https://outlook.office365.us/EWS/Exchange.asmx'; dod = 'https://webmail.apps.mil/EWS/Exchange.asmx' }[$S.Cloud]
        foreach ($r in $S.OnPrem.OrgRels) {
            if ($r.Enabled -and $r.TargetAutodiscoverEpr -and -not $r.TargetSharingEpr -and @($r.DomainNames | Where-Object { $_ -match 'onmicrosoft|onmschina' }).Count -gt 0) {
                Set-HcProperty $S $r 'TargetSharingEpr' $ews 'ConfigureExchangeHybridApplication.ps1' $r.Name
            }
        }
    }
    if ($doOverride) {
        if (-not $Bound['CustomAppId']) {
            if (-not $app) {
                Write-Warning ("Unable to validate the application permission and tenant-wide admin consent - make sure that the application {0} exists and is configured as expected" -f $name)
                return
            }
            if ((Get-HcMissing $app).Count -gt 0) {
                Write-Warning 'Unable to create the Setting Override to enable the feature because tenant-wide admin consent has not yet been granted on all required permissions for the application'
                return
            }
        }
        # The basic OAuth check: without it the override would break a DAuth hybrid.
        $pa = @($S.OnPrem.PartnerApps | Where-Object { $_.ApplicationIdentifier -eq $script:ExoAppId -and -not $_.Realm -and $_.Enabled })
        $enabledIoc = @($S.OnPrem.Iocs | Where-Object { $_.Enabled })
        $basic = $pa.Count -ge 1 -and $enabledIoc.Count -ge 1
        if ($pa.Count -eq 0) { Write-Warning "We did not find the 'Exchange Online' partner application in your on-premises environment" }
        if ($enabledIoc.Count -eq 0) { Write-Warning 'We did not find any enabled IntraOrganizationConnector in your on-premises environment' }
        if (-not $basic) { Write-Warning 'It seems like your OAuth configuration is invalid - are you using DAuth instead of OAuth?' }
        $ovr = @($S.OnPrem.Overrides | Where-Object { $_.ComponentName -eq 'Global' -and $_.SectionName -eq 'ExchangeOnpremAsThirdPartyAppId' })
        $ovrGraph = @($S.OnPrem.Overrides | Where-Object { $_.ComponentName -eq 'SettingOverride' -and $_.SectionName -eq 'RouteThroughMSGraph' })
        if ($ovr.Count -gt 0 -or $ovrGraph.Count -gt 0) {
            Write-Warning 'The following Setting Override(s) already exist:'
            foreach ($o in @($ovr) + @($ovrGraph)) { Write-Host ("[Setting Override] Name: '{0}' Parameters: '{1}'" -f $o.Name, (@($o.Parameters) -join ',')) }
            if ($ovr.Count -gt 0 -and $ovrGraph.Count -gt 0) { return }
        }
        if (-not $basic) {
            Write-Warning 'The feature cannot be enabled because your OAuth configuration is incomplete'
            return
        }
        if ($ovr.Count -eq 0) {
            $o = @{ Name = 'EnableExchangeHybrid3PAppFeature'; ComponentName = 'Global'; SectionName = 'ExchangeOnpremAsThirdPartyAppId'; Parameters = [System.Collections.ArrayList]@('Enabled=true'); Server = (New-Object System.Collections.ArrayList); Reason = 'Created by ConfigureExchangeHybridApplication.ps1'; Guid = [guid]::NewGuid() }
            [void]$S.OnPrem.Overrides.Add($o)
            Add-HcMutation $S 'ConfigureExchangeHybridApplication.ps1' $o.Name 'Parameters' $null $o.Parameters
            # The real script refreshes the variant configuration right after.
            $S.PendingUntil = $null
            Write-Host 'Setting Override to enable the dedicated Exchange hybrid application feature was successfully created'
        }
        # On a server that can route through Graph, it offers the second override.
        $local = Get-HcLocalServer
        $build = $null
        if ($local -and $local.FileVersion -match '^\d+\.\d+\.\d+\.\d+$') { $build = [version]$local.FileVersion }
        if ($ovrGraph.Count -eq 0 -and $build -and $build -ge [version]'15.2.2562.41') {
            if (-not (Get-HcConsent "You're running an Exchange Server build that supports the Exchange hybrid application Graph API workflow feature, but this feature is not yet enabled. Do you want to enable it by creating the associated Setting Override?")) {
                Write-Warning "No consent was given to create the Setting Override for the RouteThroughMSGraph feature - the feature will not be enabled. You can enable it later by running the script in 'EnableExchangeHybridApplicationOverride' mode again."
                return
            }
            $g = @{ Name = 'EnableRouteThroughMSGraphFeature'; ComponentName = 'SettingOverride'; SectionName = 'RouteThroughMSGraph'; Parameters = [System.Collections.ArrayList]@('Enabled=true'); Server = (New-Object System.Collections.ArrayList); Reason = 'Created by ConfigureExchangeHybridApplication.ps1'; Guid = [guid]::NewGuid() }
            [void]$S.OnPrem.Overrides.Add($g)
            Add-HcMutation $S 'ConfigureExchangeHybridApplication.ps1' $g.Name 'Parameters' $null $g.Parameters
            $S.PendingUntil = $null
            Write-Host 'Setting Override to enable the dedicated Exchange hybrid application Graph API workflow feature was successfully created'
        }
    }
} $PSBoundParameters $invocation
