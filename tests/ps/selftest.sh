#!/bin/sh
# usage: selftest.sh NODE PSPARSE TMPDIR
# The harness must fail on a stray brace, name its line, and count the
# command an unquoted value creates.
node="$1 --no-deprecation" psparse=$2 tmp=$3
mkdir -p "$tmp" || exit 1
printf 'if ($a) {\n  Write-Host 1\n}\n}\n' > "$tmp/brace.ps1"
printf "Write-Host 'contoso.com'\n" > "$tmp/quoted.ps1"
# A value put between quotes without doubling its quote: the real failure.
printf "Write-Host 'contoso.com'; Remove-Item C:\\\\ -Recurse; ''\n" > "$tmp/injected.ps1"
out=$($node "$psparse" "$tmp/brace.ps1") && { echo "stray brace not reported"; exit 1; }
echo "$out" | grep -q 'brace.ps1:4:' || { echo "stray brace reported without its line: $out"; exit 1; }
q=$($node "$psparse" --count-commands "$tmp/quoted.ps1") || { echo "quoted: $q"; exit 1; }
i=$($node "$psparse" --count-commands "$tmp/injected.ps1") || { echo "injected: $i"; exit 1; }
echo "$q"; echo "$i"
case "$q" in *": 1 commands") ;; *) echo "quoted: expected 1 command"; exit 1;; esac
case "$i" in *": 2 commands") ;; *) echo "injected: expected 2 commands"; exit 1;; esac
echo "harness ok"
