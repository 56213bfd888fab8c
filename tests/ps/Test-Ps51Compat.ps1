<#
.SYNOPSIS
    Refuses what Windows PowerShell 5.1 (the Exchange Management Shell) lacks,
    over the syntax tree PowerShell's own parser builds.

.DESCRIPTION
    The collector and the on-premises parts of every generated script run in
    the Exchange Management Shell, which is Windows PowerShell 5.1. PowerShell
    7 parses them here; this walks the tree and names each construct,
    parameter, command and variable that 5.1 does not have, with the file
    and line. The list it checks is in $Ps51Rules below and in
    docs/remediation.md ("Windows PowerShell 5.1").

    Prints one line per problem and exits 1 when there is any.

.EXAMPLE
    pwsh tests/ps/Test-Ps51Compat.ps1 scripts/Get-HybridCheckSnapshot.ps1 fix.ps1
#>
param([Parameter(ValueFromRemainingArguments)][string[]]$Path)

# Cmdlets PowerShell 7 added (5.1 has none of them).
$script:Ps51MissingCommands = @('Join-String', 'Test-Json', 'Get-Error', 'Remove-Alias', 'Get-Uptime', 'ConvertFrom-Markdown',
    'Show-Markdown', 'Get-MarkdownOption', 'Set-MarkdownOption', 'Start-ThreadJob', 'Remove-Service', 'Get-PSSubsystem',
    'Enable-ExperimentalFeature', 'Disable-ExperimentalFeature', 'Get-ExperimentalFeature', 'Update-PSModuleManifest',
    'Test-Connection:TargetName')

# Parameters 5.1's cmdlets do not have: command => parameters (prefixes as typed are matched).
$script:Ps51MissingParameters = @{
    'ConvertTo-Json'    = @('AsArray', 'EnumsAsStrings', 'EscapeHandling')
    'ConvertFrom-Json'  = @('AsHashtable', 'Depth', 'NoEnumerate', 'DateKind')
    'ForEach-Object'    = @('Parallel', 'ThrottleLimit', 'TimeoutSeconds', 'AsJob')
    'Get-Date'          = @('AsUTC', 'UnixTimeSeconds')
    'Get-Content'       = @('AsByteStream')
    'Set-Content'       = @('AsByteStream')
    'Add-Content'       = @('AsByteStream')
    'Invoke-WebRequest' = @('SkipCertificateCheck', 'SslProtocol', 'Authentication', 'Token', 'ResponseHeadersVariable', 'StatusCodeVariable', 'SkipHttpErrorCheck', 'MaximumRetryCount', 'RetryIntervalSec', 'Resume', 'SkipHeaderValidation', 'NoProxy', 'Form')
    'Invoke-RestMethod' = @('SkipCertificateCheck', 'SslProtocol', 'Authentication', 'Token', 'ResponseHeadersVariable', 'StatusCodeVariable', 'SkipHttpErrorCheck', 'MaximumRetryCount', 'RetryIntervalSec', 'Resume', 'SkipHeaderValidation', 'NoProxy', 'Form', 'FollowRelLink')
    'Select-Object'     = @('SkipIndex')
    'Get-ChildItem'     = @('FollowSymlink')
    'Split-Path'        = @('Extension', 'LeafBase')
    'Join-Path'         = @('AdditionalChildPath')
    'Test-Path'         = @('IsValid:never')
    'Import-PowerShellDataFile' = @('SkipLimitCheck')
    'Out-File'          = @()
}

# -Encoding values 5.1 does not know.
$script:Ps51MissingEncodings = @('utf8NoBOM', 'utf8BOM', 'ansi')

# Variables only PowerShell 6+ defines: in 5.1 they read as $null.
$script:Ps51MissingVariables = @('PSStyle', 'IsWindows', 'IsLinux', 'IsMacOS', 'IsCoreCLR', 'PSNativeCommandUseErrorActionPreference',
    'PSNativeCommandArgumentPassing', 'EnabledExperimentalFeatures')

$script:Aliases = @{ '%' = 'ForEach-Object'; 'foreach' = 'ForEach-Object'; '?' = 'Where-Object'; 'where' = 'Where-Object'; 'select' = 'Select-Object'; 'gc' = 'Get-Content'; 'iwr' = 'Invoke-WebRequest'; 'irm' = 'Invoke-RestMethod'; 'gci' = 'Get-ChildItem'; 'ls' = 'Get-ChildItem'; 'dir' = 'Get-ChildItem' }

function Test-Ps51File {
    param([string]$File)
    $problems = New-Object System.Collections.ArrayList
    $tokens = $null; $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($File, [ref]$tokens, [ref]$errors)
    $say = { param($extent, [string]$what) [void]$problems.Add(('{0}:{1}: {2}' -f $File, $extent.StartLineNumber, $what)) }
    foreach ($e in $errors) { & $say $e.Extent ('does not parse: ' + $e.Message) }

    $all = $ast.FindAll({ $true }, $true)
    foreach ($n in $all) {
        switch ($n.GetType().Name) {
            'TernaryExpressionAst' { & $say $n.Extent 'the ?: operator (PowerShell 7)' }
            'PipelineChainAst' { & $say $n.Extent ('a pipeline chain {0} (PowerShell 7)' -f $n.Operator) }
            'BinaryExpressionAst' { if ([string]$n.Operator -eq 'QuestionQuestion') { & $say $n.Extent 'the ?? operator (PowerShell 7)' } }
            'AssignmentStatementAst' { if ([string]$n.Operator -eq 'QuestionQuestionEquals') { & $say $n.Extent 'the ??= operator (PowerShell 7)' } }
            'MemberExpressionAst' { if ($n.NullConditional) { & $say $n.Extent 'the ?. operator (PowerShell 7)' } }
            'InvokeMemberExpressionAst' { if ($n.NullConditional) { & $say $n.Extent 'the ?. operator (PowerShell 7)' } }
            'IndexExpressionAst' { if ($n.NullConditional) { & $say $n.Extent 'the ?[] operator (PowerShell 7)' } }
            'PipelineAst' { if ($n.Background) { & $say $n.Extent 'the & background operator (PowerShell 6)' } }
            'ScriptBlockAst' { if ($null -ne $n.CleanBlock) { & $say $n.CleanBlock.Extent 'a clean block (PowerShell 7.3)' } }
            'TypeDefinitionAst' { & $say $n.Extent ('class or enum {0}: classes are not shared across files in 5.1 and none is needed here' -f $n.Name) }
            'UsingStatementAst' { if ([string]$n.UsingStatementKind -eq 'Module') { & $say $n.Extent 'using module (classes across files)' } }
            'VariableExpressionAst' {
                $v = $n.VariablePath.UserPath
                if ($script:Ps51MissingVariables -contains $v) { & $say $n.Extent ('${0} does not exist in 5.1' -f $v) }
            }
            'CommandAst' {
                $name = $n.GetCommandName()
                if (-not $name) { break }
                if ($script:Aliases.ContainsKey($name)) { $name = $script:Aliases[$name] }
                if ($script:Ps51MissingCommands -contains $name) { & $say $n.Extent ('{0} (PowerShell 6+)' -f $name) }
                $missing = $null
                foreach ($k in $script:Ps51MissingParameters.Keys) { if ($k -eq $name) { $missing = $script:Ps51MissingParameters[$k] } }
                for ($i = 0; $i -lt $n.CommandElements.Count; $i++) {
                    $el = $n.CommandElements[$i]
                    if ($el -isnot [System.Management.Automation.Language.CommandParameterAst]) { continue }
                    $p = $el.ParameterName
                    foreach ($m in @($missing)) {
                        if ($m -and $m.Length -ge $p.Length -and $m.StartsWith($p, [System.StringComparison]::OrdinalIgnoreCase) -and $p.Length -ge 2) {
                            & $say $el.Extent ('{0} -{1} (PowerShell 6+)' -f $name, $m)
                        }
                    }
                    if ($p -eq 'Encoding') {
                        $arg = $el.Argument
                        if ($null -eq $arg -and $i + 1 -lt $n.CommandElements.Count) { $arg = $n.CommandElements[$i + 1] }
                        if ($arg -is [System.Management.Automation.Language.StringConstantExpressionAst] -and $script:Ps51MissingEncodings -contains $arg.Value) {
                            & $say $arg.Extent ('-Encoding {0} (5.1 knows UTF8, with a byte-order mark, and no utf8NoBOM)' -f $arg.Value)
                        }
                    }
                }
            }
        }
    }
    foreach ($t in $tokens) {
        if ($t.Kind -eq 'StringExpandable' -or $t.Kind -eq 'HereStringExpandable') {
            if ($t.Text -match '`u\{') { & $say $t.Extent 'the `u{} escape (PowerShell 6): 5.1 prints it as it is' }
        }
        if ($t.Kind -eq 'Comment' -and $t.Text -match '^#requires\s.*-PSEdition\s+Core') { & $say $t.Extent '#requires -PSEdition Core' }
    }
    return $problems.ToArray()
}

if ($MyInvocation.InvocationName -ne '.' -and $Path) {
    $bad = 0
    foreach ($f in $Path) {
        $found = Test-Ps51File ([System.IO.Path]::GetFullPath($f))
        foreach ($p in $found) { Write-Output $p; $bad++ }
    }
    Write-Output ('{0} file(s) checked for Windows PowerShell 5.1, {1} problem(s)' -f $Path.Count, $bad)
    if ($bad -gt 0) { exit 1 }
}
