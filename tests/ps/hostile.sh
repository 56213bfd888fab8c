#!/bin/sh
# usage: hostile.sh NODE PSPARSE DIR
# Every hostile-* script holds at most as many commands as benign.ps1, and
# every textslot-* script exactly as many: a value never becomes a command.
node="$1 --no-deprecation" psparse=$2 dir=$3
count() { $node "$psparse" --count-commands "$1" | sed -n 's/.*: \([0-9][0-9]*\) commands$/\1/p'; }
base=$(count "$dir/benign.ps1")
[ -n "$base" ] && [ "$base" -gt 0 ] || { echo "benign.ps1: no command count"; exit 1; }
echo "benign.ps1: $base commands"
fail=0 n=0
for f in "$dir"/hostile-*.ps1; do
	c=$(count "$f")
	n=$((n + 1))
	if [ -z "$c" ] || [ "$c" -gt "$base" ]; then
		echo "FAIL $(basename "$f"): $c commands, more than $base"; fail=1
	fi
done
for f in "$dir"/textslot-*.ps1; do
	c=$(count "$f")
	n=$((n + 1))
	if [ "$c" != "$base" ]; then
		echo "FAIL $(basename "$f"): $c commands, expected $base"; fail=1
	fi
done
[ "$n" -gt 0 ] || { echo "no hostile scripts"; exit 1; }
echo "$n hostile scripts checked"
exit $fail
