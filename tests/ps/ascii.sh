#!/bin/sh
# usage: ascii.sh FILE...
# Every file is ASCII without NUL: Windows PowerShell 5.1 reads a .ps1
# without a byte-order mark in the ANSI code page, where bytes above 0x7F
# can decode to quote characters (docs/security.md).
[ $# -gt 0 ] || { echo "no files"; exit 1; }
bad=0
for f in "$@"; do
	if LC_ALL=C grep -naP '[^\x01-\x7f]' "$f" | head -3 | sed "s|^|$f:|" | grep .; then
		bad=1
	fi
done
[ $bad -eq 0 ] && echo "$# files ASCII"
exit $bad
