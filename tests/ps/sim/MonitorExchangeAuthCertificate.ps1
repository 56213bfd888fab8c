# Stand-in for Microsoft's MonitorExchangeAuthCertificate.ps1 (CSS-Exchange,
# Admin/MonitorExchangeAuthCertificate) in the simulated organisation. Its
# parameter sets are the real script's; the manual mode's documented rules
# are applied to the state in its order (DataCollection/Get-ExchangeAuthCertificateStatus.ps1
# and ConfigurationAction/New-ExchangeAuthCertificate.ps1 state them):
#   1. the current and the next certificate both invalid: replace - a new
#      certificate effective now, -PublishCertificate, -ClearPreviousCertificate;
#   2. the current one valid for 60 days or less, no next one valid for more
#      than 120 days, both on every server: a new next certificate, effective
#      in 30 days (4, 2 or 0 when the current one ends within 32);
#   3. the current one at its end and a next one valid: replace;
#   4/5. otherwise a configured certificate missing on a server is imported.
# With a hybrid configuration it changes nothing for 1-3 unless
# -IgnoreHybridConfig $true. Without -ValidateAndRenewAuthCertificate $true
# it only reports.
# Exporting the Auth certificate with its private key is not offered: the
# October 2025 update blocks it, and the stand-in refuses
# -ExportAuthCertificatesAsPfx likewise.
[CmdletBinding(DefaultParameterSetName = 'MonitorExchangeAuthCertificateManually', SupportsShouldProcess = $true, ConfirmImpact = 'High')]
param(
    [Parameter(ParameterSetName = 'MonitorExchangeAuthCertificateManually')][bool]$ValidateAndRenewAuthCertificate = $false,
    [Parameter(ParameterSetName = 'EnforceNewNextAuthCertificateConfiguration')][switch]$EnforceNewAuthCertificateCreation,
    [Parameter(ParameterSetName = 'MonitorExchangeAuthCertificateManually')][Parameter(ParameterSetName = 'ConfigureAutomaticExecutionViaScheduledTask')]
    [Parameter(ParameterSetName = 'EnforceNewNextAuthCertificateConfiguration')][ValidateScript({ $_ -ge 0 })][int]$CustomCertificateLifetimeInDays = 0,
    [Parameter(ParameterSetName = 'MonitorExchangeAuthCertificateManually')][Parameter(ParameterSetName = 'ConfigureAutomaticExecutionViaScheduledTask')]
    [Parameter(ParameterSetName = 'EnforceNewNextAuthCertificateConfiguration')][bool]$IgnoreUnreachableServers = $false,
    [Parameter(ParameterSetName = 'MonitorExchangeAuthCertificateManually')][Parameter(ParameterSetName = 'ConfigureAutomaticExecutionViaScheduledTask')]
    [Parameter(ParameterSetName = 'EnforceNewNextAuthCertificateConfiguration')][bool]$IgnoreHybridConfig = $false,
    [Parameter(ParameterSetName = 'SetupAutomaticExecutionADRequirements')][switch]$PrepareADForAutomationOnly,
    [Parameter(ParameterSetName = 'SetupAutomaticExecutionADRequirements')][string]$ADAccountDomain,
    [Parameter(ParameterSetName = 'ConfigureAutomaticExecutionViaScheduledTask')][switch]$ConfigureScriptToRunViaScheduledTask,
    [Parameter(ParameterSetName = 'ConfigureAutomaticExecutionViaScheduledTask')][PSCredential]$AutomationAccountCredential,
    [Parameter(ParameterSetName = 'MonitorExchangeAuthCertificateManually')][Parameter(ParameterSetName = 'ConfigureAutomaticExecutionViaScheduledTask')]
    [Parameter(Mandatory = $true, ParameterSetName = 'TestEmailNotification')][string[]]$SendEmailNotificationTo,
    [Parameter(ParameterSetName = 'MonitorExchangeAuthCertificateManually')][Parameter(ParameterSetName = 'ConfigureAutomaticExecutionViaScheduledTask')]
    [Parameter(ParameterSetName = 'TestEmailNotification')][switch]$TrustAllCertificates,
    [Parameter(ParameterSetName = 'TestEmailNotification')][switch]$TestEmailNotification,
    [Parameter(Mandatory = $true, ParameterSetName = 'SetupAutomaticExecutionADRequirements')][Parameter(ParameterSetName = 'ConfigureAutomaticExecutionViaScheduledTask')]
    [Parameter(Mandatory = $true, ParameterSetName = 'ExportExchangeAuthCertificatesAsPfx')][SecureString]$Password,
    [Parameter(ParameterSetName = 'ExportExchangeAuthCertificatesAsPfx')][switch]$ExportAuthCertificatesAsPfx,
    [Parameter(ParameterSetName = 'ScriptUpdateOnly')][switch]$ScriptUpdateOnly,
    [Parameter(ParameterSetName = 'MonitorExchangeAuthCertificateManually')][Parameter(ParameterSetName = 'ConfigureAutomaticExecutionViaScheduledTask')]
    [Parameter(ParameterSetName = 'EnforceNewNextAuthCertificateConfiguration')][Parameter(ParameterSetName = 'SetupAutomaticExecutionADRequirements')]
    [switch]$SkipVersionCheck
)

$module = Get-Module HcSim
if ($null -eq $module) { throw 'MonitorExchangeAuthCertificate.ps1 (stand-in) runs only inside the simulation' }
if (-not (Get-Command Get-AuthConfig -ErrorAction SilentlyContinue)) {
    Write-Warning 'The script must be run from an elevated Exchange Management Shell on an Exchange server running the Mailbox role'
    return
}
$set = $PSCmdlet.ParameterSetName
if ($set -eq 'ExportExchangeAuthCertificatesAsPfx') {
    Write-Warning 'Exporting the Auth certificate with its private key is blocked since the October 2025 update; the simulation refuses it as well'
    return
}
if ($set -notin @('MonitorExchangeAuthCertificateManually', 'EnforceNewNextAuthCertificateConfiguration')) {
    Write-Warning ('the simulation does not model the {0} mode' -f $set)
    return
}
$renew = ($set -eq 'EnforceNewNextAuthCertificateConfiguration') -or $ValidateAndRenewAuthCertificate
$whatIf = [bool]$WhatIfPreference

& $module {
    param($Set, [bool]$Renew, [int]$Lifetime, [bool]$IgnoreHybrid, [bool]$WhatIf, $Bound)
    Add-HcCall 'MonitorExchangeAuthCertificate.ps1' $Bound
    $S = $script:S
    $ac = $S.OnPrem.AuthConfig
    $local = Get-HcLocalServer
    # Get-ExchangeAuthCertificateStatus: Mailbox or CAS servers of version 15.
    $mailbox = @($S.OnPrem.Servers | Where-Object { $_.ServerRole -notmatch 'Edge' -and [string]$_.AdminDisplayVersion -match '^Version 15' })
    $missingCur = @($mailbox | Where-Object { $ac.CurrentCertificateThumbprint -and -not $_.Store.ContainsKey($ac.CurrentCertificateThumbprint) })
    $missingNext = @($mailbox | Where-Object { $ac.NextCertificateThumbprint -and -not $_.Store.ContainsKey($ac.NextCertificateThumbprint) })
    # Its day count: TimeSpan.Days, and -1 once NotAfter's date has begun.
    $days = {
        param($t, $missing)
        if (-not $t -or -not $S.Certs.ContainsKey($t) -or $missing.Count -ge $mailbox.Count) { return -1 }
        $na = $S.Certs[$t].NotAfter.ToUniversalTime()
        $d = ($na - $S.Now).Days
        if ($na.Date -lt $S.Now) { if ($d -eq 0) { return -1 } }
        return $d
    }
    $cur = & $days $ac.CurrentCertificateThumbprint $missingCur
    $next = & $days $ac.NextCertificateThumbprint $missingNext
    $replace = $false; $configureNext = $false; $importCur = $false; $importNext = $false
    if ($cur -lt 0 -and $next -lt 0) { $replace = $true }
    elseif (($cur -ge 0 -and $cur -le 60 -and $next -le 120 -and $missingCur.Count -eq 0 -and $missingNext.Count -eq 0) -or $Set -eq 'EnforceNewNextAuthCertificateConfiguration') { $configureNext = $true }
    elseif ($cur -le 0 -and $next -ge 0) { $replace = $true }
    else { $importCur = $missingCur.Count -gt 0; $importNext = $missingNext.Count -gt 0 }
    Write-Host ('Current Auth Certificate is valid for {0} day(s); next: {1}' -f $cur, $next)
    if (-not ($replace -or $configureNext -or $importCur -or $importNext)) { Write-Host 'No renewal action is required'; return }
    if ($null -ne $S.OnPrem.HybridConfig -and -not $IgnoreHybrid -and ($replace -or $configureNext)) {
        Write-Host 'We have not made any configuration change because Exchange Hybrid has been detected in your environment.'
        Write-Host "Please rerun the script using the '-IgnoreHybridConfig `$true' parameter to perform the renewal action."
        return
    }
    if (-not $Renew) {
        Write-Host ('Renewal action required: replace={0} configureNext={1} import on {2} server(s); run with -ValidateAndRenewAuthCertificate $true' -f $replace, $configureNext, ($missingCur.Count + $missingNext.Count))
        return
    }
    if ($WhatIf) { Write-Host 'What if: Auth Certificate renewal'; return }
    # New-ExchangeAuthCertificate: a certificate made on this server; Set-AuthConfig
    # deploys it to the servers of this server's AD site (the others get it
    # from the next run's import, as the script's own notice says).
    $mint = {
        param([datetime]$Effective)
        $c = New-ExchangeCertificate -Server $local.Name -KeySize 2048 -PrivateKeyExportable $true -SubjectName 'cn=Microsoft Exchange Server Auth Certificate' -FriendlyName 'Microsoft Exchange Server Auth Certificate' -DomainName @() -LifetimeInDays $(if ($Lifetime -gt 0) { $Lifetime } else { 1825 })
        Set-AuthConfig -NewCertificateThumbprint $c.Thumbprint -NewCertificateEffectiveDate $Effective -Force
        foreach ($m in $mailbox) {
            if ($m.Site -eq $local.Site -and -not $m.Store.ContainsKey($c.Thumbprint)) {
                $m.Store[$c.Thumbprint] = $true
                Add-HcMutation $S 'Set-AuthConfig' $m.Name 'Certificate' $null $c.Thumbprint
            }
        }
    }
    if ($replace) {
        & $mint $S.Now
        Set-AuthConfig -PublishCertificate
        Set-AuthConfig -ClearPreviousCertificate
        Write-Host 'The renewal action was successfully performed'
    } elseif ($configureNext) {
        $inDays = 30
        if ($Set -eq 'EnforceNewNextAuthCertificateConfiguration') { $cur = 2 }
        if ($cur -lt 32) { $inDays = $(if ($cur - 4 -gt 0) { 4 } elseif ($cur - 2 -gt 0) { 2 } else { 0 }) }
        & $mint $S.Now.AddDays($inDays)
        Write-Host ('The renewal action was successfully performed - the new Auth Certificate will become active on: {0}' -f $S.Now.AddDays($inDays))
    } else {
        # Import-ExchangeAuthCertificateToServers: exported with its key by the
        # script's own function (not Export-ExchangeCertificate) and imported.
        foreach ($pair in @(@($importCur, $ac.CurrentCertificateThumbprint, $missingCur), @($importNext, $ac.NextCertificateThumbprint, $missingNext))) {
            if (-not $pair[0]) { continue }
            foreach ($m in $pair[2]) { $null = Import-ExchangeCertificate -Server $m.Name -FileData $S.Certs[$pair[1]].RawData -PrivateKeyExportable $true }
        }
        Write-Host 'Import successful'
    }
} $set $renew $CustomCertificateLifetimeInDays $IgnoreHybridConfig $whatIf $PSBoundParameters
