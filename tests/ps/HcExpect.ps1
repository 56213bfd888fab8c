# Helpers the Pester tests share: the .expect files, the real binary, the
# script's steps and the findings each step claims to fix.

$script:Repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
. (Join-Path $PSScriptRoot 'sim/HcSimHarness.ps1')
$script:Collector = Join-Path $script:Repo 'scripts/Get-HybridCheckSnapshot.ps1'
$script:HcBinary = $env:HC_BINARY
if (-not $script:HcBinary) { $script:HcBinary = Join-Path $script:Repo 'build/hybridcheck' }

# One example: examples/<name>.expect, its snapshot, date and options, and
# the lines the simulation reads:
#   mutation CMDLET | IDENTITY | PROPERTY [| NEW]   a change the script's run makes
#   unfixed CHECK REASON                            a finding the script claims but
#                                                   cannot fix in this organisation
#   answer QUESTION | y|n                           the administrator's answer when one
#                                                   of Microsoft's scripts asks a question
#                                                   that contains QUESTION (every one
#                                                   must be asked during the run)
function Read-HcExpect {
    param([string]$Path)
    $e = [ordered]@{ Path = $Path; Name = [System.IO.Path]::GetFileNameWithoutExtension($Path); Now = $null; Args = @(); Snapshot = ($Path -replace '\.expect$', '.json')
        Findings = @(); Mutations = @(); Unfixed = @{}; Answers = @() }
    foreach ($line in Get-Content -LiteralPath $Path) {
        if ($line -match '^\s*(#|$)') { continue }
        $word, $rest = $line -split '\s+', 2
        switch ($word) {
            'now' { $e.Now = $rest.Trim() }
            'args' { $e.Args = @($rest -split '\s+' | Where-Object { $_ }) }
            'snapshot' { $e.Snapshot = Join-Path (Split-Path -Parent $Path) $rest.Trim() }
            'mutation' { $e.Mutations += , @($rest -split '\s*\|\s*' | ForEach-Object { $_.Trim() }) }
            'unfixed' { $c, $why = $rest -split '\s+', 2; $e.Unfixed[$c] = $why }
            'answer' {
                $q, $a = $rest -split '\s*\|\s*', 2
                if ($a -notin @('y', 'n')) { throw ("{0}: answer '{1}' must end in | y or | n" -f $Path, $rest) }
                $e.Answers += , @{ Pattern = $q.Trim(); Answer = $a }
            }
            { $_ -in 'pass', 'info', 'warn', 'fail', 'error', 'skip' } {
                $c, $sub = $rest -split '\s+', 2
                $e.Findings += , @{ Severity = $word; Check = $c; Subject = $sub }
            }
        }
    }
    return [pscustomobject]$e
}

# Runs the real binary; returns its JSON report's findings.
function Invoke-HcBinary {
    param([string]$Command, [string]$Snapshot, [string[]]$Extra, [string]$Now, [string]$Ps1, [string]$Report)
    $argv = @($Command, '--snapshot', $Snapshot, '--offline', '--format', 'json', '--output', $Report) + $Extra
    if ($Ps1) { $argv += @('--ps1', $Ps1) }
    $old = $env:HYBRIDCHECK_NOW
    try {
        if ($Now) { $env:HYBRIDCHECK_NOW = $Now } else { Remove-Item Env:HYBRIDCHECK_NOW -ErrorAction SilentlyContinue }
        $err = & $script:HcBinary @argv 2>&1
        $rc = $LASTEXITCODE
    } finally {
        if ($old) { $env:HYBRIDCHECK_NOW = $old } else { Remove-Item Env:HYBRIDCHECK_NOW -ErrorAction SilentlyContinue }
    }
    if (-not (Test-Path -LiteralPath $Report)) { throw ("hybridcheck {0} wrote no report (exit {1}): {2}" -f $Command, $rc, ($err -join "`n")) }
    return @((Get-Content -LiteralPath $Report -Raw | ConvertFrom-Json).findings)
}

function Test-HcSerious { param($f) return $f.severity -in @('warn', 'fail', 'error') }

# The .expect's judgement of a report, as hc-expect makes it: every listed
# warn/fail/error finding present, every serious finding listed.
function Compare-HcFindings {
    param($Expect, $Findings)
    $problems = @()
    $wanted = @($Expect.Findings | Where-Object { $_.Severity -in @('warn', 'fail', 'error') })
    foreach ($w in $wanted) {
        $hit = @($Findings | Where-Object { $_.severity -eq $w.Severity -and $_.check -eq $w.Check -and (-not $w.Subject -or ([string]$_.subject).Contains($w.Subject)) })
        if ($hit.Count -eq 0) { $problems += ('missing: {0} {1} {2}' -f $w.Severity, $w.Check, $w.Subject) }
    }
    foreach ($f in $Findings | Where-Object { Test-HcSerious $_ }) {
        $listed = @($wanted | Where-Object { $_.Severity -eq $f.severity -and $_.Check -eq $f.check -and (-not $_.Subject -or ([string]$f.subject).Contains($_.Subject)) })
        if ($listed.Count -eq 0) { $problems += ('unexpected: {0} {1} {2}: {3}' -f $f.severity, $f.check, $f.subject, $f.message) }
    }
    return , $problems
}

# Comment text as the script writes it (ps1_comment_text: `u{XXXX} for a
# character that is not printable ASCII, `` for a backtick) back to text.
function ConvertFrom-HcCommentText {
    param([string]$Text)
    return [regex]::Replace($Text, '``|`u\{([0-9A-F]{4,6})\}', {
            param($m)
            if ($m.Value -eq '``') { '`' } else { [char]::ConvertFromUtf32([Convert]::ToInt32($m.Groups[1].Value, 16)) }
        })
}

# The script's steps: id, whether it runs code, the findings its header
# names, and whether it hands the work to one of Microsoft's scripts.
function Get-HcSteps {
    param([string]$Script)
    $steps = @()
    $cur = $null
    foreach ($line in Get-Content -LiteralPath $Script) {
        if ($line -match '^(\s*)# ---- ([a-z][a-z0-9.-]*): (.*)$') {
            $cur = [pscustomobject]@{ Id = $Matches[2]; Manual = ($Matches[3] -like 'nothing to run*'); Findings = @(); Code = New-Object System.Text.StringBuilder; Verify = ($Matches[2] -eq 'verify') }
            $steps += $cur
            continue
        }
        if ($null -eq $cur) { continue }
        if ($line -match '^\s*# finding (\S+) (info|warn|fail|error)(?: (.*?))?: ') {
            $cur.Findings += , @{ Check = $Matches[1]; Severity = $Matches[2]; Subject = (ConvertFrom-HcCommentText ([string]$Matches[3])) }
        } elseif ($line -notmatch '^\s*#') {
            [void]$cur.Code.AppendLine($line)
        }
    }
    foreach ($s in $steps) {
        $code = $s.Code.ToString()
        $s | Add-Member -NotePropertyName Delegates -NotePropertyValue (($code -match '& \$hybridScript|& \$monitorScript') -and ($code -notmatch "unchanged:"))
    }
    return $steps
}

# A copy of the script that prints a marker where each step begins, so the
# output can be told apart by step.
function New-HcInstrumentedScript {
    param([string]$Script, [string]$Target)
    $out = foreach ($line in Get-Content -LiteralPath $Script) {
        $line
        if ($line -match '^(\s+)# ---- ([a-z][a-z0-9.-]*): ' -and $Matches[2] -ne 'verify') { "$($Matches[1])Write-Host '##hc-step $($Matches[2])'" }
    }
    Set-Content -LiteralPath $Target -Value $out -Encoding utf8NoBOM
}

# Output lines by step (after the marker lines).
function Split-HcOutput {
    param([string[]]$Lines)
    $by = @{}
    $cur = $null
    foreach ($l in $Lines) {
        if ($l -match '^##hc-step (.+)$') { $cur = $Matches[1]; if (-not $by.ContainsKey($cur)) { $by[$cur] = @() }; continue }
        if ($cur) { $by[$cur] += $l }
    }
    return $by
}

# The administrator's answers into the simulated organisation's state.
function Set-HcAnswers {
    param($State, $Answers)
    $State.Answers.Clear()
    foreach ($a in @($Answers)) { if ($a) { [void]$State.Answers.Add(@{ Pattern = [string]$a.Pattern; Answer = [string]$a.Answer; Used = 0 }) } }
}

# Answers no question asked for: the step's advice and Microsoft's script part ways.
function Get-HcUnusedAnswers {
    param($State)
    return , @($State.Answers | Where-Object { $_.Used -eq 0 } | ForEach-Object { 'never asked: ' + $_.Pattern })
}

function Format-HcMutation {
    param($m, [bool]$WithValue)
    $s = '{0} | {1} | {2}' -f $m.cmdlet, $m.identity, $m.property
    if ($WithValue) { $s += ' | ' + (@($m.new) -join ', ') }
    return $s
}

# Expected against actual mutations: every expected one made once, no other.
function Compare-HcMutations {
    param($Expected, $Actual)
    $left = New-Object System.Collections.ArrayList
    foreach ($a in $Actual) { [void]$left.Add($a) }
    $problems = @()
    foreach ($x in $Expected) {
        $hit = $null
        foreach ($a in $left) {
            if ($a.cmdlet -eq $x[0] -and ($x[1] -eq '*' -or $a.identity -eq $x[1]) -and $a.property -eq $x[2] -and ($x.Count -lt 4 -or (@($a.new) -join ', ') -eq $x[3])) { $hit = $a; break }
        }
        if ($hit) { $left.Remove($hit) } else { $problems += ('not made: ' + ($x -join ' | ')) }
    }
    foreach ($a in $left) { $problems += ('not announced: ' + (Format-HcMutation $a $true)) }
    return , $problems
}
