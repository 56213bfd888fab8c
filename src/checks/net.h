/* Helpers the outside-in checks share: evidence and verdicts for a request. */
#ifndef HC_CHECKS_NET_H
#define HC_CHECKS_NET_H

#include "context.h"
#include "findings.h"
#include "probe.h"

/* url, DNS answer, address, outcome, status, challenges, body excerpt. */
void	net_evidence(struct finding *fd, const struct probe_results *r,
	    const struct http_response *resp);
/* One line on why a request got no HTTP response; caller frees. */
char	*net_failure_text(const struct http_response *resp);
/*
 * How bad a transport failure is for an on-premises endpoint: a name that
 * does not exist, a refused connection or a bad certificate is the
 * fault itself (fail); a timeout or an unknown failure taught nothing (error).
 */
enum severity net_failure_severity(const struct http_response *resp);
/*
 * Whether a probe at a name made from the domain (probe.guessed) found
 * nothing there: the name does not exist, nothing listens, or the path is
 * not served (404). Such a name is not published, which is no fault:
 * only names the organisation published are judged.
 */
int	net_not_published(const struct probe *p);
/* The information finding for such a probe: "not published here". */
struct finding *net_not_published_finding(struct findings *out,
	    const struct probe_results *r, const struct probe *p, const char *what);
/* Whether a probe targets Microsoft's side (cloud profile URLs). */
int	net_is_cloud(const struct probe *p);
/*
 * "a body larger than the 1 MiB cap (1048576 bytes)" when the response's
 * body was cut at HTTP_BODY_MAX, else NULL; caller frees. Exchange and
 * Microsoft's endpoints answer with small bodies: a cut one means
 * something else answered, and a cut document is never judged.
 */
char	*net_body_cut(const struct http_response *resp);
/* The first 160 characters of a body, whitespace folded; caller frees. */
char	*net_excerpt(const char *body, size_t len);
/* The ACS principals the cloud accepts ("00000001-…"), first is canonical. */
const struct strlist *net_acs_principals(const struct context *ctx);

#endif
