/* Writes the man page generated from the option tables to stdout. */
#include <stdio.h>

#include "cli.h"

int
main(void)
{
	cli_write_man(stdout);
	return fflush(stdout) == 0 ? 0 : 1;
}
