# Windows PowerShell 5.1 compatibility of what runs in the Exchange
# Management Shell: the collector and every generated script (from every
# example snapshot and from hc-ps1gen's corpus, hostile values included).

BeforeDiscovery {
    $repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $examples = @(Get-ChildItem -Path (Join-Path $repo 'examples') -Recurse -Filter '*.expect' | Sort-Object FullName | ForEach-Object { @{ Name = $_.FullName.Substring($repo.Length + 1); Path = $_.FullName } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'HcExpect.ps1')
    . (Join-Path $PSScriptRoot 'Test-Ps51Compat.ps1')
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ('hcsim-ps51-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:Work | Out-Null
}

AfterAll {
    if ($script:Work) { Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'the 5.1 lint itself' {
    It 'names every construct 5.1 lacks, with its line' {
        $bad = Join-Path $script:Work 'bad.ps1'
        Set-Content -LiteralPath $bad -Encoding utf8NoBOM -Value @(
            '$a = $b ?? ''x''', '$a ??= 3', '$c = $true ? 1 : 2', 'Get-Item x && Get-Item y', 'Get-Item x || Get-Item y',
            '$d = ${a}?.Length', '1..3 | ForEach-Object -Parallel { $_ }', '1..3 | % -Parallel { $_ }',
            '$h = ''{}'' | ConvertFrom-Json -AsHashtable', 'Get-Date -AsUTC', '''a'' | Join-String', '$PSStyle.Reset',
            'ConvertTo-Json -AsArray 1', 'Set-Content x -Encoding utf8NoBOM -Value 1', 'class Foo { }', 'function f { clean { } }',
            '"`u{2018}"', 'Get-Item x &', '$IsWindows', '${a}?[0]', 'Get-Content x -AsByteStream')
        $found = @(Test-Ps51File $bad)
        $lines = @($found | ForEach-Object { [int]($_ -replace '^.*?:(\d+): .*$', '$1') } | Sort-Object -Unique)
        $lines | Should -Be (1..21)
    }
    It 'passes what 5.1 has' {
        $good = Join-Path $script:Work 'good.ps1'
        Set-Content -LiteralPath $good -Encoding utf8NoBOM -Value @(
            '[CmdletBinding(SupportsShouldProcess)] param([string]$x)', '$a = if ($x) { $x } else { ''y'' }',
            '$j = ''{}'' | ConvertFrom-Json', 'Get-Date -Format o', '@(1, 2) -join '',''', 'ConvertTo-Json -InputObject @(1) -Depth 8',
            'Set-Content x -Encoding UTF8 -Value 1', 'foreach ($i in 1..3) { $i }')
        @(Test-Ps51File $good) | Should -BeNullOrEmpty
    }
}

Describe 'the collector' {
    It 'uses only what Windows PowerShell 5.1 has' {
        @(Test-Ps51File (Join-Path $script:Repo 'scripts/Get-HybridCheckSnapshot.ps1')) | Should -BeNullOrEmpty
    }
}

Describe 'the script for <Name>' -ForEach $examples {
    It 'uses only what Windows PowerShell 5.1 has' {
        $x = Read-HcExpect $Path
        $ps1 = Join-Path $script:Work (([guid]::NewGuid().ToString('N')) + '.ps1')
        $null = Invoke-HcBinary -Command remediate -Snapshot $x.Snapshot -Extra $x.Args -Now $x.Now -Ps1 $ps1 -Report ($ps1 + '.json')
        @(Test-Ps51File $ps1) | Should -BeNullOrEmpty
    }
}

Describe 'hc-ps1gen''s scripts (every step, hostile values)' {
    It 'use only what Windows PowerShell 5.1 has' -Skip:(-not $env:HC_PS1GEN) {
        $dir = Join-Path $script:Work 'ps1gen'
        New-Item -ItemType Directory -Path $dir | Out-Null
        & $env:HC_PS1GEN $dir | Out-Null
        $files = @(Get-ChildItem -Path $dir -Filter '*.ps1')
        $files.Count | Should -BeGreaterThan 10
        @($files | ForEach-Object { Test-Ps51File $_.FullName }) | Should -BeNullOrEmpty
    }
}
