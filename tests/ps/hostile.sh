#!/bin/sh
# usage: hostile.sh NODE PSPARSE DIR
# Every hostile-* script holds at most as many commands as benign.ps1, and
# every textslot-* script exactly as many: a value never becomes a command.
node=$1 psparse=$2 dir=$3
counts=$("$node" --no-deprecation "$psparse" --count-commands "$dir"/benign.ps1 \
	"$dir"/hostile-*.ps1 "$dir"/textslot-*.ps1) || { echo "$counts"; exit 1; }
echo "$counts" | awk -v dir="$dir/" '
	/ commands$/ {
		file = $1; sub(/:$/, "", file); sub(dir, "", file); n = $2
		if (file == "benign.ps1") { base = n; next }
		count[file] = n; files[++nf] = file
	}
	END {
		if (base == "" || base == 0) { print "benign.ps1: no command count"; exit 1 }
		print "benign.ps1: " base " commands"
		bad = 0
		for (i = 1; i <= nf; i++) {
			f = files[i]; c = count[f]
			if (f ~ /^hostile-/ && c > base) { print "FAIL " f ": " c " commands, more than " base; bad = 1 }
			if (f ~ /^textslot-/ && c != base) { print "FAIL " f ": " c " commands, expected " base; bad = 1 }
		}
		if (nf == 0) { print "no hostile scripts"; exit 1 }
		print nf " hostile scripts checked"
		exit bad
	}'
