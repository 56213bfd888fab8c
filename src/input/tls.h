/*
 * TLS diagnosis: what a captured certificate chain tells an administrator
 * to fix. Pure: DER bytes in, facts out; http.c does the capturing.
 */
#ifndef HC_TLS_H
#define HC_TLS_H

#include <stddef.h>
#include <time.h>

#include "mem.h"
#include "buf.h"

#define TLS_EXPIRY_WARN_DAYS	30
#define TLS_CHAIN_MAX		16

/* A certificate chain as the server sent it, leaf first, with the verdict. */
struct tls_capture {
	unsigned char	*der[TLS_CHAIN_MAX];
	size_t		 der_len[TLS_CHAIN_MAX];
	size_t		 n;
	int		 verified;	/* 1 the chain verified, 0 it did not */
	long		 verify_code;	/* X509_V_OK or the X509_V_ERR_* seen */
	int		 verify_depth;	/* depth of the certificate that failed */
	int		 ran;		/* verification took place */
};

void	tls_capture_add(struct tls_capture *c, const unsigned char *der, size_t len);
void	tls_capture_release(struct tls_capture *c);
/* to becomes a copy of from (its certificates and verdict); to is released first. */
void	tls_capture_copy(struct tls_capture *to, const struct tls_capture *from);

/* One certificate, described. */
struct tls_cert {
	char		*subject;	/* RFC 2253 one line */
	char		*issuer;
	char		*cn;		/* subject CN or NULL */
	struct strlist	 dns_names;	/* subjectAltName dNSName entries */
	struct strlist	 ip_addrs;	/* subjectAltName iPAddress entries */
	time_t		 not_before;
	time_t		 not_after;
	char		 sha1[41];	/* upper-case hex */
	char		 sha256[65];
	char		 key_type[16];	/* "RSA", "EC", … */
	int		 key_bits;
	int		 has_eku;
	int		 eku_server_auth;
	int		 self_issued;	/* subject equals issuer */
	char		*sig_alg;
};

struct x509_st;
/* Fills info from an OpenSSL X509; -1 if x is unusable. */
int	tls_cert_describe(struct x509_st *x, struct tls_cert *info);
/* Same from DER bytes. */
int	tls_cert_describe_der(const unsigned char *der, size_t len,
	    struct tls_cert *info);
void	tls_cert_release(struct tls_cert *info);
/*
 * Certificates are decoded once per process (a cache keyed by their DER):
 * how many decodes so far, for tests and scripts/bench; and emptying it.
 */
unsigned long	tls_cert_decodes(void);
void		tls_cert_cache_clear(void);

enum tls_problem {
	TLS_UNTRUSTED		= 1u << 0,	/* chain does not verify */
	TLS_NAME_MISMATCH	= 1u << 1,	/* host not in SAN */
	TLS_EXPIRED		= 1u << 2,
	TLS_NOT_YET_VALID	= 1u << 3,
	TLS_EXPIRING		= 1u << 4,	/* within TLS_EXPIRY_WARN_DAYS */
	TLS_NO_SERVER_AUTH	= 1u << 5,	/* EKU present without serverAuth */
	TLS_WEAK_KEY		= 1u << 6,
	TLS_MISSING_INTERMEDIATE = 1u << 7,
	TLS_SELF_SIGNED		= 1u << 8,
	TLS_SINGLE_LABEL	= 1u << 9,	/* self-signed to a single-label name */
	TLS_CN_ONLY		= 1u << 10,	/* the host is only in the CN */
	TLS_NO_CHAIN		= 1u << 11,	/* nothing was captured */
};

struct tls_diag {
	unsigned	 problems;	/* enum tls_problem bits */
	struct tls_cert	 leaf;
	size_t		 chain_len;
	int		 verified;
	long		 verify_code;
	const char	*verify_reason;	/* OpenSSL's text for verify_code */
	long		 days_left;	/* until the leaf expires (negative: ago) */
	struct strlist	 chain_subjects;	/* as sent, leaf first */
};

/*
 * Diagnoses a captured chain for host at time now. Returns -1 with e set
 * only when the leaf cannot be decoded; otherwise d holds the facts, with
 * TLS_NO_CHAIN when nothing was captured.
 */
int	tls_diagnose(struct tls_diag *d, const struct tls_capture *c,
	    const char *host, time_t now, struct hcerr *e);
void	tls_diag_release(struct tls_diag *d);

/* One phrase per problem bit ("expired", …), for messages. */
const char *tls_problem_text(enum tls_problem p);
/* "expired, name mismatch": every problem in bits; caller frees. */
char	*tls_problems_text(unsigned bits);

/* Whether a problem is a failure (1) or only a warning (0). */
int	tls_problem_is_failure(unsigned bits);

#endif
