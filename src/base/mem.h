/* Errors, tri-state booleans and allocation that cannot fail. */
#ifndef HC_MEM_H
#define HC_MEM_H

#include <stdarg.h>
#include <stddef.h>

#define HC_ERRLEN 512

/* A boolean that may not have been collected. */
enum tristate {
	TRI_UNKNOWN = -1,
	TRI_FALSE = 0,
	TRI_TRUE = 1,
};

/* An error message, filled by the function that failed. */
struct hcerr {
	char msg[HC_ERRLEN];
};

void hcerr_set(struct hcerr *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Allocation that cannot fail: out of memory ends the program. */
void	*xmalloc(size_t n);
void	*xcalloc(size_t n, size_t size);
void	*xrealloc(void *p, size_t n);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);
char	*xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *fmt, va_list ap);

#endif
