/* hybridcheck: a thin main over the core library. */
#include <stdio.h>

#include "cli.h"

int
main(int argc, char **argv)
{
	return cli_main(argc, argv, stdout, stderr);
}
