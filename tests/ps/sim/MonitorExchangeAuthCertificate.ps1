# Stand-in for Microsoft's MonitorExchangeAuthCertificate.ps1 (CSS-Exchange,
# Admin/MonitorExchangeAuthCertificate) in the simulated organisation. Its
# parameter sets are the real script's; the manual mode's documented rules
# are applied to the state (DataCollection/Get-ExchangeAuthCertificateStatus.ps1
# and ConfigurationAction/New-ExchangeAuthCertificate.ps1 state them):
#   - the current and the next certificate both invalid, or the current one
#     invalid and no valid next: replace - a new certificate active at once;
#   - the current one valid for 60 days or less and no next one valid for
#     more than 120 days: a new next certificate, active in 30 days (sooner
#     when the current one ends first);
#   - a configured certificate missing on a Mailbox server: imported there.
# Without -ValidateAndRenewAuthCertificate $true it only reports.
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
$lifetime = $(if ($CustomCertificateLifetimeInDays -gt 0) { $CustomCertificateLifetimeInDays } else { 1825 })
$whatIf = [bool]$WhatIfPreference

& $module {
    param($Set, [bool]$Renew, [int]$Lifetime, [bool]$WhatIf, $Bound)
    Add-HcCall 'MonitorExchangeAuthCertificate.ps1' $Bound
    $S = $script:S
    $ac = $S.OnPrem.AuthConfig
    $days = {
        param($t)
        if (-not $t -or -not $S.Certs.ContainsKey($t)) { return -1 }
        $d = ($S.Certs[$t].NotAfter.ToUniversalTime() - $S.Now).Days
        if ($d -le 0 -and $S.Certs[$t].NotAfter.ToUniversalTime() -lt $S.Now) { return -1 }
        return $d
    }
    $cur = & $days $ac.CurrentCertificateThumbprint
    $next = & $days $ac.NextCertificateThumbprint
    $replace = ($cur -lt 0 -and $next -lt 0) -or ($cur -le 0 -and $next -ge 0 -and -not $ac.NextCertificateThumbprint)
    $configureNext = ($Set -eq 'EnforceNewNextAuthCertificateConfiguration') -or ($cur -ge 0 -and $cur -le 60 -and $next -le 120)
    $mailbox = @($S.OnPrem.Servers | Where-Object { $_.ServerRole -notmatch 'Edge' })
    $missing = @($mailbox | Where-Object { ($ac.CurrentCertificateThumbprint -and -not $_.Store.ContainsKey($ac.CurrentCertificateThumbprint)) -or ($ac.NextCertificateThumbprint -and -not $_.Store.ContainsKey($ac.NextCertificateThumbprint)) })
    Write-Host ('Current Auth Certificate is valid for {0} day(s); next: {1}' -f $cur, $next)
    if (-not ($replace -or $configureNext -or $missing.Count -gt 0)) { Write-Host 'No renewal action is required'; return }
    if (-not $Renew) {
        Write-Host ('Renewal action required: replace={0} configureNext={1} import on {2} server(s); run with -ValidateAndRenewAuthCertificate $true' -f $replace, $configureNext, $missing.Count)
        return
    }
    if ($WhatIf) { Write-Host 'What if: Auth Certificate renewal'; return }
    $local = Get-HcLocalServer
    $mint = {
        $c = New-HcCertificate -Subject 'CN=Microsoft Exchange Server Auth Certificate' -NotBefore $S.Now.AddMinutes(-5) -NotAfter $S.Now.AddDays($Lifetime)
        $S.Certs[$c.Thumbprint] = $c
        foreach ($m in $mailbox) { $m.Store[$c.Thumbprint] = $true }
        Add-HcMutation $S 'MonitorExchangeAuthCertificate.ps1' $local.Name 'Certificate' $null $c.Subject
        return $c
    }
    if ($replace) {
        $c = & $mint
        Set-HcProperty $S $ac 'PreviousCertificateThumbprint' $ac.CurrentCertificateThumbprint 'MonitorExchangeAuthCertificate.ps1' 'Auth Configuration'
        Set-HcProperty $S $ac 'CurrentCertificateThumbprint' $c.Thumbprint 'MonitorExchangeAuthCertificate.ps1' 'Auth Configuration'
        Set-HcProperty $S $ac 'NextCertificateThumbprint' $null 'MonitorExchangeAuthCertificate.ps1' 'Auth Configuration'
        Set-HcProperty $S $ac 'NextCertificateEffectiveDate' $null 'MonitorExchangeAuthCertificate.ps1' 'Auth Configuration'
    } elseif ($configureNext) {
        $c = & $mint
        $inDays = 30
        if ($cur -lt 32) { $inDays = $(if ($cur - 4 -gt 0) { 4 } elseif ($cur - 2 -gt 0) { 2 } else { 0 }) }
        Set-HcProperty $S $ac 'NextCertificateThumbprint' $c.Thumbprint 'MonitorExchangeAuthCertificate.ps1' 'Auth Configuration'
        Set-HcProperty $S $ac 'NextCertificateEffectiveDate' $S.Now.AddDays($inDays) 'MonitorExchangeAuthCertificate.ps1' 'Auth Configuration'
    }
    foreach ($m in $missing) {
        foreach ($t in @($ac.CurrentCertificateThumbprint, $ac.NextCertificateThumbprint)) {
            if ($t -and -not $m.Store.ContainsKey($t)) {
                $m.Store[$t] = $true
                Add-HcMutation $S 'MonitorExchangeAuthCertificate.ps1' $m.Name 'Certificate' $null $t
            }
        }
    }
} $set $renew $lifetime $whatIf $PSBoundParameters
