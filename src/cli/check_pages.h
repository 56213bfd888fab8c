/* The check pages (docs/checks/<id>.md), built into the binary by cmake/embed.cmake. */
#ifndef HC_CHECK_PAGES_H
#define HC_CHECK_PAGES_H

#include <stddef.h>

struct check_page {
	const char	*name;	/* the check id */
	const char	*text;	/* the page's Markdown, NUL-terminated */
	size_t		 len;
};

extern const struct check_page check_pages[];	/* ends with a NULL name */

#endif
