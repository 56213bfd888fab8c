/* Growing byte buffers with a cap, and lists of owned strings. */
#ifndef HC_BUF_H
#define HC_BUF_H

#include <stddef.h>

/* A growing byte buffer that refuses to grow past max bytes. */
struct buf {
	char	*data;	/* always NUL-terminated when non-NULL */
	size_t	 len;
	size_t	 cap;
	size_t	 max;
};

void	buf_init(struct buf *b, size_t max);
int	buf_append(struct buf *b, const void *p, size_t n);	/* -1 past max */
int	buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void	buf_release(struct buf *b);
char	*buf_steal(struct buf *b);	/* caller frees; buffer is reset */
/* Appends s with & < > " ' escaped, safe in XML and HTML text and attributes. */
void	buf_markup(struct buf *b, const char *s);
/* Appends a as a POSIX shell reads it back: bare when safe, else quoted. */
void	buf_shell_word(struct buf *b, const char *a);

/* A list of owned strings. */
struct strlist {
	char	**v;
	size_t	  n;
};

void	strlist_add(struct strlist *l, const char *s);
void	strlist_add_owned(struct strlist *l, char *s);
int	strlist_contains_ci(const struct strlist *l, const char *s);
void	strlist_release(struct strlist *l);

#endif
