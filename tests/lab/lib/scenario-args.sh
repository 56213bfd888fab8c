# Sourced by scripts/lab and tests/lab/run-scenarios (bash).
# scenario_args DIR: fills the array `args` with the tool options of the
# scenario in DIR, placeholders replaced (see docs/lab.md). Needs LAB_DIR and
# DNS_INTERNAL_PORT from the lab's environment.
scenario_args() {
	local sdir=$1 line opt rel
	args=()
	[ -f "$sdir/args" ] || return 0
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in ''|'#'*) continue ;; esac
		line=${line//@LAB@/$LAB_DIR}
		line=${line//@SCENARIO@/$sdir}
		line=${line//@DNS_INTERNAL@/127.0.0.1:$DNS_INTERNAL_PORT}
		while [[ $line =~ @LABFILE:([^@]+)@ ]]; do
			rel=${BASH_REMATCH[1]}
			line=${line//"@LABFILE:$rel@"/$(tr -d '\r\n' < "$LAB_DIR/$rel")}
		done
		opt=${line%% *}
		args+=("$opt")
		[ "$opt" != "$line" ] && args+=("${line#* }")
	done < "$sdir/args"
	return 0
}
