<#
.SYNOPSIS
    Reads every generated script the way Windows PowerShell 5.1 reads it, in
    every ANSI code page it may run under, and asserts it means the same.
.DESCRIPTION
    Windows PowerShell 5.1 decodes a .ps1 with a byte-order mark by the mark
    and one without in the machine's ANSI code page (docs/security.md). For
    every example snapshot with every payload class of the injection corpus
    appended to each name (plus the unchanged example), `hybridcheck
    remediate` writes a script; hc-ps1gen adds its corpus (hostile values in
    every slot); the scripts under scripts/ join them. Each script is then

    - checked to be the UTF-8 byte-order mark followed by ASCII only (a
      shipped script under scripts/, the collector: ASCII, no mark);
    - decoded as 5.1 would (the mark: UTF-8; none: the code page) and, to
      show the ASCII alone suffices, with the mark dropped, in each of the
      code pages 874, 932, 936, 949, 950, 1250-1258;
    - parsed with PowerShell's own parser (Parser.ParseInput), in this one
      process: every reading must parse without error and give the same
      syntax tree (commands, their elements, constants) as the UTF-8
      reading;
    - parsed with tree-sitter (psparse.mjs --map-quotes: the Unicode quotes
      and dashes PowerShell accepts mapped to ASCII first) in one node
      process: the same number of commands as the UTF-8 reading.

    A self-test first feeds the checker scripts as the old writer made them
    (no mark, raw UTF-8): a hand-made one and the Ntilde-payload scripts
    turned back into that form. The checker must report them, or the test
    fails.

    Environment: HC_BINARY, HC_PS1GEN, HC_NODE, HC_PSPARSE; HC_CODEPAGE_KEEP=1
    keeps the work directory. Exit 0 when every reading matches.
#>
param([string]$Work)

$ErrorActionPreference = 'Stop'
$watch = [System.Diagnostics.Stopwatch]::StartNew()
$repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$binary = if ($env:HC_BINARY) { $env:HC_BINARY } else { Join-Path $repo 'build/hybridcheck' }
foreach ($v in 'HC_PS1GEN', 'HC_NODE', 'HC_PSPARSE') {
    if (-not [Environment]::GetEnvironmentVariable($v)) { throw "$v is not set" }
}
if (-not $Work) { $Work = Join-Path ([System.IO.Path]::GetTempPath()) ('hc-codepage-' + [guid]::NewGuid().ToString('N')) }
New-Item -ItemType Directory -Path $Work -Force | Out-Null

[System.Text.Encoding]::RegisterProvider([System.Text.CodePagesEncodingProvider]::Instance)
$codePages = @(874, 932, 936, 949, 950, 1250, 1251, 1252, 1253, 1254, 1255, 1256, 1257, 1258)
$encodings = [ordered]@{}
foreach ($cp in $codePages) { $encodings["cp$cp"] = [System.Text.Encoding]::GetEncoding($cp) }
$utf8 = [System.Text.UTF8Encoding]::new($false, $true)

# The payload classes: Injection.Tests.ps1's, hc-ps1gen's, and letters whose
# UTF-8 holds the bytes 0x82, 0x91, 0x92 (quotes in cp1250-1258) or that the
# double-byte code pages split differently.
function U { param([int[]]$cp) -join ($cp | ForEach-Object { [char]::ConvertFromUtf32($_) }) }
$payloads = [ordered]@{
    'single quote'           = "x'; Invoke-HcCanary sq; '"
    'doubled quote'          = "''"
    'double quote'           = 'x"; Invoke-HcCanary dq; "'
    'subexpression'          = 'x$(Invoke-HcCanary se)'
    'variable'               = 'x$env:PATH${function:Invoke-HcCanary}'
    'backtick'               = 'x`"; Invoke-HcCanary bt; `'
    'U+2018'                 = "x$(U 0x2018); Invoke-HcCanary u2018; $(U 0x2018)"
    'U+2019'                 = "x$(U 0x2019); Invoke-HcCanary u2019; $(U 0x2019)"
    'U+201A'                 = "x$(U 0x201A); Invoke-HcCanary u201a; $(U 0x201A)"
    'U+201B'                 = "x$(U 0x201B); Invoke-HcCanary u201b; $(U 0x201B)"
    'U+201C/U+201D'          = "x$(U 0x201C); Invoke-HcCanary u201c; $(U 0x201D)"
    'U+201E'                 = "x$(U 0x201E); Invoke-HcCanary u201e; $(U 0x201E)"
    'dashes'                 = "x $(U 0x2013)Confirm $(U 0x2014)WhatIf $(U 0x2015)x"
    'here-string terminator' = "x`n'@`nInvoke-HcCanary hs`n@'`n"
    'braces'                 = '} ; Invoke-HcCanary br; {'
    'block comment'          = '#> Invoke-HcCanary bc <#'
    'CR'                     = "x`rInvoke-HcCanary cr"
    'U+2028'                 = "x$(U 0x2028)Invoke-HcCanary ls"
    'U+2029'                 = "x$(U 0x2029)Invoke-HcCanary ps"
    'U+0085'                 = "x$(U 0x85)Invoke-HcCanary nel"
    'NUL'                    = "x$([char]0)Invoke-HcCanary nul"
    'Ntilde command'         = "Hybrid $(U 0xD1); Invoke-HcCanary nt; #"
    'Ntilde name'            = "Conector ESPA$(U 0xD1)A"
    'Ograve'                 = "x$(U 0xD2)'; Invoke-HcCanary og; '"
    'Cyrillic te io'         = "$(U 0x442)$(U 0x451)$(U 0x442); Invoke-HcCanary cy; #"
    'CJK kei'                = "$(U 0x4FC2); Invoke-HcCanary kei; #"
    'Chinese'                = (U 0x6DF7, 0x5408, 0x90E8, 0x7F72, 0x8FDE, 0x63A5, 0x5668)
    'Japanese'               = ((U 0x30CF, 0x30A4, 0x30D6, 0x30EA, 0x30C3, 0x30C9) + "'; Invoke-HcCanary ja; '")
    'Korean'                 = (U 0xD558, 0xC774, 0xBE0C, 0xB9AC, 0xB4DC)
    'astral'                 = "x$(U 0x1F600)'$(U 0x20BB7)"
    'BOM and NBSP'           = "x$(U 0xFEFF)$(U 0xA0)y"
    'bidi override'          = "x$(U 0x202E)Invoke-HcCanary rlo"
}

$metrics = [ordered]@{ Cases = 0; Scripts = 0; Readings = 0; Parses = 0; TreeSitter = 0; Failed = 0; Misread = 0; Injected = 0 }
$byPage = [ordered]@{}
$failures = New-Object System.Collections.Generic.List[string]

# ---- the checker ----------------------------------------------------------

# What the tree says: every node's type, the values of constants and strings,
# parameter and variable names. Comments are not in it: the ASCII check holds them.
function Get-HcTreeSignature {
    param($Ast)
    $sb = [System.Text.StringBuilder]::new()
    foreach ($n in $Ast.FindAll({ $true }, $true)) {
        [void]$sb.Append($n.GetType().Name)
        if ($n -is [System.Management.Automation.Language.ConstantExpressionAst]) { [void]$sb.Append('=').Append([string]$n.Value) }
        elseif ($n -is [System.Management.Automation.Language.ExpandableStringExpressionAst]) { [void]$sb.Append('=').Append($n.Value) }
        elseif ($n -is [System.Management.Automation.Language.CommandParameterAst]) { [void]$sb.Append('-').Append($n.ParameterName) }
        elseif ($n -is [System.Management.Automation.Language.VariableExpressionAst]) { [void]$sb.Append('$').Append($n.VariablePath.UserPath) }
        [void]$sb.Append("`n")
    }
    return $sb.ToString()
}

function Get-HcCommands {
    param($Ast)
    return @($Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object {
            $c = $_.GetCommandName(); if ($c) { $c } else { $_.CommandElements[0].Extent.Text } })
}

$parseCache = @{}
function Read-HcText {
    param([string]$Text)
    $key = Get-HcKey $Text
    if ($parseCache.ContainsKey($key)) { return $parseCache[$key] }
    $tokens = $null; $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref]$tokens, [ref]$errors)
    $script:metrics.Parses++
    $r = [pscustomobject]@{ Errors = @($errors | ForEach-Object { '{0}:{1}: {2}' -f $_.Extent.StartLineNumber, $_.Extent.StartColumnNumber, $_.Message })
        Tree = (Get-HcKey (Get-HcTreeSignature $ast)); Commands = (Get-HcCommands $ast) }
    $parseCache[$key] = $r
    return $r
}

# The readings of one file: name -> text.
function Get-HcReadings {
    param([byte[]]$Bytes)
    $bom = $Bytes.Length -ge 3 -and $Bytes[0] -eq 0xEF -and $Bytes[1] -eq 0xBB -and $Bytes[2] -eq 0xBF
    $at = if ($bom) { 3 } else { 0 }
    $n = $Bytes.Length - $at
    $r = [ordered]@{}
    foreach ($name in $encodings.Keys) {
        # 5.1: a mark decides; without one, the ANSI code page.
        $r["5.1 $name"] = if ($bom) { $utf8.GetString($Bytes, $at, $n) } else { $encodings[$name].GetString($Bytes, $at, $n) }
        # The mark dropped (a copy through a tool that strips it).
        $r["no BOM $name"] = $encodings[$name].GetString($Bytes, $at, $n)
    }
    return [pscustomobject]@{ Bom = $bom; At = $at; Readings = $r }
}

$sha = [System.Security.Cryptography.SHA256]::Create()
function Get-HcKey { param([string]$Text) return [Convert]::ToBase64String($sha.ComputeHash([System.Text.Encoding]::Unicode.GetBytes($Text))) }
$latin1 = [System.Text.Encoding]::Latin1

# Checks one script: returns the problems found (empty: it means the same).
function Test-HcScriptBytes {
    param([string]$Name, [byte[]]$Bytes, [switch]$NoCount, [switch]$TreeSitter, [switch]$Shipped)
    $problems = New-Object System.Collections.Generic.List[string]
    $f = Get-HcReadings $Bytes
    # A shipped script is ASCII without the mark (docs/security.md).
    if (-not $f.Bom -and -not $Shipped) { $problems.Add('no UTF-8 byte-order mark') }
    $m = [regex]::Match($latin1.GetString($Bytes, $f.At, $Bytes.Length - $f.At), '[^\x01-\x7F]')
    if ($m.Success) { $problems.Add(('byte 0x{0:X2} at offset {1}: not ASCII' -f [int][char]$m.Value, ($m.Index + $f.At))) }
    try { $text = $utf8.GetString($Bytes, $f.At, $Bytes.Length - $f.At) } catch { $problems.Add('not UTF-8'); return , $problems }
    $base = Read-HcText $text
    if ($TreeSitter) { $tsBase = Add-HcTreeSitter $text }
    foreach ($e in $base.Errors) { $problems.Add("UTF-8 reading: $e") }
    foreach ($k in $f.Readings.Keys) {
        if (-not $NoCount) { $script:metrics.Readings++ }
        if ($TreeSitter) { $tsPairs.Add(@($Name, $k, $tsBase, (Add-HcTreeSitter $f.Readings[$k]))) }
        $r = Read-HcText $f.Readings[$k]
        if ($r.Errors.Count -gt 0) { $problems.Add(('{0}: does not parse: {1}' -f $k, $r.Errors[0])); continue }
        if ($r.Tree -ne $base.Tree) {
            $extra = @($r.Commands | Group-Object | Where-Object { $n = $_.Name; $_.Count -gt @($base.Commands | Where-Object { $_ -ceq $n }).Count } | ForEach-Object { $_.Name })
            $what = if ($extra.Count -gt 0) { 'new command: ' + ($extra -join ', ') } else { 'other values or structure' }
            $problems.Add(('{0}: reads differently from UTF-8 ({1})' -f $k, $what))
        }
    }
    return , $problems
}

# The tree-sitter side: every distinct reading with the quotes PowerShell
# accepts mapped to ASCII, counted in one node run.
$tsDir = Join-Path $Work 'treesitter'
New-Item -ItemType Directory -Path $tsDir -Force | Out-Null
$tsFiles = @{}
function Add-HcTreeSitter {
    param([string]$Text)
    $key = Get-HcKey $Text
    if ($tsFiles.ContainsKey($key)) { return $tsFiles[$key] }
    $path = Join-Path $tsDir ('{0}.ps1' -f $tsFiles.Count)
    [System.IO.File]::WriteAllText($path, $Text, [System.Text.UTF8Encoding]::new($false))
    $tsFiles[$key] = $path
    return $path
}
$tsPairs = New-Object System.Collections.Generic.List[object]

function Invoke-HcTreeSitter {
    # In batches of 400: the grammar's trees are native memory node frees late.
    $all = [string[]]@($tsFiles.Values)
    $out = for ($b = 0; $b -lt $all.Count; $b += 400) {
        $list = Join-Path $Work "treesitter-$b.list"
        [System.IO.File]::WriteAllLines($list, [string[]]$all[$b..([Math]::Min($b + 399, $all.Count - 1))])
        & $env:HC_NODE --no-deprecation $env:HC_PSPARSE --map-quotes --count-commands --files-from $list 2>&1
    }
    $counts = @{}
    $errs = @{}
    foreach ($l in $out) {
        if ($l -match '^(.*): (\d+) commands$') { $counts[$Matches[1]] = [int]$Matches[2] }
        elseif ($l -match '^(.*\.ps1):\d+:\d+: (.*)$') { if (-not $errs.ContainsKey($Matches[1])) { $errs[$Matches[1]] = $Matches[2] } }
    }
    $script:metrics.TreeSitter = $counts.Count
    foreach ($p in $tsPairs) {
        $name, $k, $b, $t = $p
        if (-not $counts.ContainsKey($t)) { $failures.Add("${name}: tree-sitter gave no count for the $k reading: $($out | Select-Object -First 3)"); continue }
        if ($errs.ContainsKey($t)) { $failures.Add("${name}: tree-sitter, $k reading: $($errs[$t])"); continue }
        if ($counts[$t] -ne $counts[$b]) { $failures.Add(('{0}: tree-sitter, {1} reading: {2} commands, UTF-8 {3}' -f $name, $k, $counts[$t], $counts[$b])) }
    }
}

# ---- self-test: the checker must see what the old writer did -------------

# The old writer's form of a script: no mark, values as raw UTF-8 between
# quotes with every quote character doubled, comments as raw UTF-8.
function ConvertTo-HcOldForm {
    param([string]$Text)
    $expr = [regex]"\('(?:[^']|'')*'(?: \+ (?:\[char\]0x[0-9A-F]{4}|'(?:[^']|'')*'))*\)"
    $t = $expr.Replace($Text, {
            param($m)
            $v = [System.Text.StringBuilder]::new()
            foreach ($part in [regex]::Matches($m.Value, "\[char\]0x([0-9A-F]{4})|'((?:[^']|'')*)'")) {
                if ($part.Groups[1].Success) { [void]$v.Append([char][Convert]::ToInt32($part.Groups[1].Value, 16)) }
                else { [void]$v.Append($part.Groups[2].Value.Replace("''", "'")) }
            }
            "'" + ($v.ToString() -replace "(['$([char]0x2018)-$([char]0x201B)])", '$1$1') + "'"
        })
    $t = [regex]::Replace($t, '`u\{([0-9A-F]{4,6})\}', { param($m) [char]::ConvertFromUtf32([Convert]::ToInt32($m.Groups[1].Value, 16)) })
    return [System.Text.UTF8Encoding]::new($false).GetBytes($t.Replace('``', '`'))
}

$selfFailures = New-Object System.Collections.Generic.List[string]
# A name that closes its string in cp1250-1258 and runs a command...
$hand = [System.Text.UTF8Encoding]::new($false).GetBytes("Get-AuthServer -Identity 'Hybrid $(U 0xD1); Invoke-HcCanary; #'`n")
$p = Test-HcScriptBytes 'hand-made' $hand -NoCount
foreach ($cp in 'cp1250', 'cp1252', 'cp1254') {
    if (@($p | Where-Object { $_ -like "5.1 ${cp}: *new command: Invoke-HcCanary*" }).Count -eq 0) {
        $selfFailures.Add("self-test: the BOM-less script with Ntilde is not reported as running Invoke-HcCanary under ${cp}: " + ($p -join '; '))
    }
}
if (@($p | Where-Object { $_ -like '5.1 cp936: *' }).Count -eq 0) { $selfFailures.Add('self-test: the BOM-less script with Ntilde is not reported under cp936') }
# ...and a harmless name that makes it fail to parse.
$hand2 = [System.Text.UTF8Encoding]::new($false).GetBytes("Set-IntraOrganizationConnector -Identity 'Conector ESPA$(U 0xD1)A' -Enabled `$true`n")
$p2 = Test-HcScriptBytes 'hand-made 2' $hand2 -NoCount
if (@($p2 | Where-Object { $_ -like '5.1 cp1252: does not parse*' }).Count -eq 0) {
    $selfFailures.Add('self-test: the BOM-less script with ESPANA is not reported as a parse failure under cp1252: ' + ($p2 -join '; '))
}
$good = [byte[]](@(0xEF, 0xBB, 0xBF) + [System.Text.Encoding]::ASCII.GetBytes("Get-AuthServer -Identity ('Hybrid ' + [char]0x00D1 + '; Invoke-HcCanary; #')`n"))
$pg = Test-HcScriptBytes 'hand-made, fixed' $good -NoCount
if ($pg.Count -gt 0) { $selfFailures.Add('self-test: the fixed form is reported: ' + ($pg -join '; ')) }
Write-Host ('self-test: the hand-made old-form scripts give {0} and {1} problems (cp1252: {2}; {3}); the fixed form {4}' -f $p.Count, $p2.Count,
    (@($p | Where-Object { $_ -like '5.1 cp1252: *' }) -join ''), (@($p2 | Where-Object { $_ -like '5.1 cp1252: *' }) -join ''), $(if ($pg.Count) { $pg -join '; ' } else { 'none' }))

# ---- the cases ------------------------------------------------------------

function Add-HcPayload {
    param($Node, [string]$Payload)
    if ($Node -is [System.Management.Automation.PSCustomObject]) {
        foreach ($p in $Node.PSObject.Properties) {
            if ($p.Value -is [string] -and $p.Name -in @('name', 'displayName', 'reason', 'site')) { $p.Value = $p.Value + $Payload }
            else { Add-HcPayload $p.Value $Payload }
        }
    } elseif ($Node -is [System.Collections.IList]) {
        foreach ($x in $Node) { Add-HcPayload $x $Payload }
    }
}

$jobs = New-Object System.Collections.Generic.List[string]
$cases = New-Object System.Collections.Generic.List[object]
$examples = @(Get-ChildItem -Path (Join-Path $repo 'examples') -Recurse -Filter '*.expect' | Sort-Object FullName)
$i = 0
foreach ($x in $examples) {
    $snapshot = $x.FullName -replace '\.expect$', '.json'
    $now = '2026-11-21T12:00:00Z'
    $extra = @()
    foreach ($line in Get-Content -LiteralPath $x.FullName) {
        $w, $rest = $line -split '\s+', 2
        if ($w -eq 'now') { $now = $rest.Trim() }
        elseif ($w -eq 'args') { $extra = @($rest -split '\s+' | Where-Object { $_ }) }
        elseif ($w -eq 'snapshot') { $snapshot = Join-Path $x.DirectoryName $rest.Trim() }
    }
    $name = $x.FullName.Substring($repo.Length + 1) -replace '\.expect$', ''
    $json = Get-Content -LiteralPath $snapshot -Raw
    foreach ($k in @('(none)') + @($payloads.Keys)) {
        $dir = Join-Path $Work ('case{0:D4}' -f $i++)
        New-Item -ItemType Directory -Path $dir | Out-Null
        $snap = Join-Path $dir 'snapshot.json'
        if ($k -eq '(none)') { Copy-Item -LiteralPath $snapshot -Destination $snap }
        else {
            $o = ConvertFrom-Json -InputObject $json
            Add-HcPayload $o $payloads[$k]
            [System.IO.File]::WriteAllText($snap, (ConvertTo-Json -InputObject $o -Depth 30), [System.Text.UTF8Encoding]::new($false))
        }
        $ps1 = Join-Path $dir 'fix.ps1'
        # One line per run for xargs: NOW, then the arguments (no blanks in them).
        $jobs.Add((@($now, $binary, 'remediate', '--snapshot', $snap, '--offline', '--ps1', $ps1) + $extra) -join ' ')
        $cases.Add([pscustomobject]@{ Name = "$name + $k"; Payload = $k; Script = $ps1 })
    }
}
$metrics.Cases = $cases.Count
$prepSeconds = $watch.Elapsed.TotalSeconds

# The runs, two at a time, outside this process (each writes its script).
$jobFile = Join-Path $Work 'jobs'
[System.IO.File]::WriteAllLines($jobFile, [string[]]$jobs)
& sh -c 'xargs -P 2 -L 1 sh -c ''HYBRIDCHECK_NOW=$0 "$@" >/dev/null 2>&1; [ $? -le 2 ]'' < "$1"' sh $jobFile
if ($LASTEXITCODE -ne 0) { $failures.Add('a remediate run failed (exit above 2)') }
$runSeconds = $watch.Elapsed.TotalSeconds

# hc-ps1gen's corpus: hostile values in every slot, every cloud.
$genDir = Join-Path $Work 'ps1gen'
New-Item -ItemType Directory -Path $genDir | Out-Null
& $env:HC_PS1GEN $genDir
if ($LASTEXITCODE -ne 0) { $failures.Add("hc-ps1gen failed ($LASTEXITCODE)") }
foreach ($g in Get-ChildItem -LiteralPath $genDir -Filter '*.ps1' | Sort-Object Name) {
    $cases.Add([pscustomobject]@{ Name = "hc-ps1gen $($g.Name)"; Payload = 'hc-ps1gen'; Script = $g.FullName })
}

# The scripts the project ships (the snapshot collector): ASCII, so every
# code page reads them alike.
foreach ($g in Get-ChildItem -Path (Join-Path $repo 'scripts') -Recurse -Filter '*.ps1' | Sort-Object FullName) {
    $cases.Add([pscustomobject]@{ Name = $g.FullName.Substring($repo.Length + 1); Payload = 'shipped'; Script = $g.FullName })
}

# ---- the readings ---------------------------------------------------------

$metrics.Cases = $cases.Count
$old = New-Object System.Collections.Generic.List[object]
foreach ($c in $cases) {
    if (-not (Test-Path -LiteralPath $c.Script)) { $failures.Add("$($c.Name): no script written"); continue }
    $bytes = [System.IO.File]::ReadAllBytes($c.Script)
    $metrics.Scripts++
    $p = Test-HcScriptBytes $c.Name $bytes -TreeSitter -Shipped:($c.Payload -eq 'shipped')
    if ($p.Count -gt 0) { $metrics.Failed++; foreach ($x in $p | Select-Object -First 3) { $failures.Add("$($c.Name): $x") } }
    # How 5.1 would misread it, by code page (the figures without the fix).
    $mis = @($p | Where-Object { $_ -like '5.1 *' })
    if ($mis.Count -gt 0) { $metrics.Misread++ }
    if (@($mis | Where-Object { $_ -like '*new command: *' }).Count -gt 0) { $metrics.Injected++ }
    foreach ($x in $mis) { $cp = ($x -split '[ :]')[1]; $byPage[$cp] = 1 + [int]$byPage[$cp] }
    if ($c.Payload -eq 'Ntilde command' -or $c.Payload -eq 'Ntilde name') { $old.Add($c) }
}
$readSeconds = $watch.Elapsed.TotalSeconds
Invoke-HcTreeSitter

# The same scripts in the old writer's form must fail under cp1252 wherever
# a value holds the letter (the checker bites on real output too).
$oldHit = 0; $oldWith = 0
foreach ($c in $old) {
    if (-not (Test-Path -LiteralPath $c.Script)) { continue }
    $text = $utf8.GetString([System.IO.File]::ReadAllBytes($c.Script)).TrimStart([char]0xFEFF)
    if ($text -notmatch '\[char\]0x00D1') { continue }
    $oldWith++
    $p = Test-HcScriptBytes "$($c.Name) (old form)" (ConvertTo-HcOldForm $text) -NoCount
    if (@($p | Where-Object { $_ -like '5.1 cp1252: *' }).Count -gt 0) { $oldHit++ }
    else { $selfFailures.Add("self-test: $($c.Name) in the old writer's form passes under cp1252") }
}
if ($oldWith -eq 0) { $selfFailures.Add('self-test: no Ntilde script carries the letter in a value') }
Write-Host ('self-test: {0} of {1} Ntilde scripts with the letter in a value fail under cp1252 in the old form' -f $oldHit, $oldWith)

foreach ($f in $selfFailures) { Write-Host "FAIL $f" }
foreach ($f in $failures | Select-Object -First 40) { Write-Host "FAIL $f" }
if ($failures.Count -gt 40) { Write-Host "... and $($failures.Count - 40) more" }
Write-Host ('code pages: {0} cases ({1} examples x ({2} payload classes + none), the hc-ps1gen corpus, the shipped scripts), {3} scripts read, {4} readings ({5} code pages, as 5.1 reads and with the mark dropped), {6} distinct texts parsed by PowerShell, {7} by tree-sitter; {8} scripts failed; snapshots written by {9:N1} s, remediate runs by {10:N1} s, readings by {11:N1} s, total {12:N1} s' -f
    $metrics.Cases, $examples.Count, $payloads.Count, $metrics.Scripts, $metrics.Readings, $codePages.Count, $metrics.Parses, $metrics.TreeSitter, $metrics.Failed, $prepSeconds, $runSeconds, $readSeconds, $watch.Elapsed.TotalSeconds)
Write-Host ('scripts 5.1 would misread: {0} (a new command in {1}); by code page: {2}' -f $metrics.Misread, $metrics.Injected,
    $(if ($byPage.Count) { ($byPage.Keys | ForEach-Object { '{0} {1}' -f $_, $byPage[$_] }) -join ', ' } else { 'none' }))
if ($env:HC_CODEPAGE_KEEP -ne '1') { Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue }
if ($failures.Count -gt 0 -or $selfFailures.Count -gt 0) { exit 1 }
exit 0
