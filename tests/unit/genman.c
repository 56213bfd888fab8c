/*
 * Writes what is generated from the command-line tables to stdout:
 * "hc-genman" the man page (docs/hybridcheck.1), "hc-genman bash" the
 * bash completion (docs/hybridcheck.bash-completion).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int
main(int argc, char **argv)
{
	struct hcerr e = { "" };

	if (argc == 1 || (argc == 2 && strcmp(argv[1], "man") == 0))
		cli_write_man(stdout);
	else if (argc == 2 && strcmp(argv[1], "bash") == 0) {
		if (cli_write_bash_completion(stdout, &e) == -1) {
			fprintf(stderr, "hc-genman: %s\n", e.msg);
			return 1;
		}
	} else {
		fprintf(stderr, "usage: hc-genman [man|bash]\n");
		return 64;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
