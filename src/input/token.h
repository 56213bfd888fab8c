/*
 * Tokens of the Exchange OAuth trust (MS-XOAUTH): JSON Web Tokens issued by
 * ACS or self-issued by Exchange with its Auth certificate, and the
 * unsigned outer token that carries one of them as its actor token.
 * Decoding, explaining each claim, verifying the RS256 signature through
 * libjwt, and signing a self-issued actor token for the key-pair proof.
 * Pure: text and keys in memory, no I/O. token.c decodes and explains;
 * token_verify.c holds keys, verifies and signs.
 */
#ifndef HC_TOKEN_H
#define HC_TOKEN_H

#include <stddef.h>
#include <time.h>

#include <openssl/evp.h>

#include "mem.h"
#include "msid.h"
#include "buf.h"

#define TOKEN_MAX		(64 * 1024)	/* bytes of the compact form */
#define TOKEN_SKEW		300	/* seconds of clock difference allowed */
#define TOKEN_ACTOR_LIFETIME	(24 * 3600)	/* what ACS gives an actor token */
#define TOKEN_ACS_PRINCIPAL	MSID_ACS_PRINCIPAL

/*
 * "principal/host@realm" (aud) or "principal@realm" (iss, nameid), split.
 * Entra ID writes URLs instead: "https://sts.windows.net/<tid>/",
 * "https://login.microsoftonline.com/<tid>/v2.0", an audience
 * "https://outlook.office365.com"; then url is set, host is the URL's
 * host, realm the first GUID of its path, and principal NULL.
 */
struct token_name {
	char	*principal;
	char	*host;		/* NULL when the value names none */
	char	*realm;		/* NULL when there is no '@' (or no GUID in a URL) */
	int	 url;		/* the value is an http(s) URL */
};

/* One claim or header field: its name and its JSON value as text. */
struct token_claim {
	char	*name;
	char	*value;		/* strings without quotes; cleaned for terminals */
	int	 is_string;
};

/* A time claim (nbf, exp, iat), written as a number or a string. */
struct token_time {
	int	 present;
	int	 valid;		/* 0: present but not a time */
	int	 was_string;
	time_t	 t;
};

struct token {
	char			*compact;	/* header.payload.signature as given, trimmed */
	struct token_claim	*header;
	size_t			 nheader;
	struct token_claim	*claims;
	size_t			 nclaims;
	/* Fields the checks judge; NULL when absent. Point into header/claims. */
	const char		*alg;
	const char		*typ;
	const char		*x5t;
	const char		*kid;
	const char		*aud;
	const char		*iss;
	const char		*nameid;
	const char		*tid;		/* Entra ID: the tenant id claim */
	const char		*ver;		/* Entra ID: "1.0" or "2.0" */
	int			 entra;		/* issued by Entra ID: iss is a URL */
	struct token_name	 aud_name;
	struct token_name	 iss_name;
	struct token_name	 nameid_name;
	struct token_time	 nbf;
	struct token_time	 exp;
	struct token_time	 iat;
	size_t			 sig_len;	/* decoded signature bytes */
	struct token		*actor;		/* the decoded actortoken (or actort) claim */
	const char		*actor_claim;	/* which of the two carried it */
	char			*actor_error;	/* why it did not decode */
	int			 stripped_bearer;	/* "Bearer " was removed */
};

/*
 * Decodes a compact token (leading "Bearer ", quotes and white space are
 * removed). Segments are base64url with or without padding. An actortoken
 * claim (Exchange's name) or actort (MS-XOAUTH's) is decoded too (one
 * level deep); if it fails, t->actor_error says why and the outer token
 * still decodes. Returns 0, or -1 with e naming
 * the part (header, payload, signature) and what was expected; t is then
 * empty. Release with token_release().
 */
int	token_decode(struct token *t, const char *text, size_t len,
	    struct hcerr *e);
void	token_release(struct token *t);

/* Splits "principal/host@realm"; every field may come back NULL. */
void	token_name_parse(const char *s, struct token_name *n);
void	token_name_release(struct token_name *n);

/* The claim named name, or NULL. */
const struct token_claim *token_claim(const struct token *t, const char *name);

/*
 * What a claim (or a header field with header set) means, in words, given
 * the clock: "Exchange Online, host outlook.office365.com, tenant …",
 * "2026-11-21T12:00:00Z, in 23 h 59 min". NULL when there is nothing to
 * add to the value. Caller frees.
 */
char	*token_explain(const struct token *t, const struct token_claim *c,
	    int header, time_t now);

/* A well-known principal id in words ("Exchange Online"), or NULL. */
const char *token_principal_name(const char *principal);

/* Upper-case hex of n bytes into out (2n+1 bytes). */
void	token_hex(const unsigned char *p, size_t n, char *out);
/* An x5t or kid as a hex thumbprint when it holds 20 bytes; 0 if not. */
int	token_x5t_hex(const char *x5t, char out[41]);

/* "in 3 h 12 min", "2 d 4 h ago", "now" into buf. */
void	token_relative(time_t t, time_t now, char *buf, size_t len);

/* Lifetime against the clock, with skew seconds allowed either way. */
enum token_lifetime {
	TOKEN_LIFE_VALID,
	TOKEN_LIFE_EXPIRED,
	TOKEN_LIFE_NOT_YET,
	TOKEN_LIFE_NO_EXP,	/* no exp claim, or one that is not a time */
	TOKEN_LIFE_BAD_TIME,	/* nbf or iat present but not a time */
};

enum token_lifetime token_lifetime(const struct token *t, time_t now, long skew);

/* A certificate whose public key may have signed a token. */
struct token_key {
	char		*source;	/* "ACS metadata 'acs.json' key 2" */
	unsigned char	*der;
	size_t		 der_len;
	char		 x5t[32];	/* base64url(SHA-1(der)), no padding */
	char		 thumbprint[41];	/* upper-case hex SHA-1 */
	char		*subject;
	char		 key_type[16];	/* "RSA", "EC", … */
	time_t		 not_before;
	time_t		 not_after;
	/* An Entra key credential: the object holding it, when it ends. */
	char		*object;	/* NULL for any other key */
	time_t		 cred_end;	/* endDateTime; 0 when unknown */
};

struct token_keyset {
	struct token_key	*v;
	size_t			 n;
};

/*
 * Adds the certificate in der (copied) under source. The same certificate
 * twice is kept once (the first source wins). Returns 0, or -1 with e set
 * when der is not a certificate.
 */
int	token_keyset_add(struct token_keyset *ks, const unsigned char *der,
	    size_t len, const char *source, struct hcerr *e);
/*
 * Adds an Entra key credential: kept even when the same certificate is
 * already in ks (on another object, it is another credential). object
 * names what holds it; end is its endDateTime (0: unknown).
 */
int	token_keyset_add_credential(struct token_keyset *ks,
	    const unsigned char *der, size_t len, const char *source,
	    const char *object, time_t end, struct hcerr *e);
void	token_keyset_release(struct token_keyset *ks);
/* Whether k is past its end: the credential's when known, else the certificate's. */
int	token_key_expired(const struct token_key *k, time_t now);

/* The key named by the token's x5t or kid (x5t or hex thumbprint), or NULL. */
const struct token_key *token_keyset_find(const struct token_keyset *ks,
	    const struct token *t);

enum token_sig {
	TOKEN_SIG_VALID,
	TOKEN_SIG_UNSIGNED,	/* alg none (with or without a signature part) */
	TOKEN_SIG_NO_KEY_ID,	/* neither x5t nor kid */
	TOKEN_SIG_UNKNOWN_KEY,	/* x5t/kid names no key given */
	TOKEN_SIG_BAD_ALG,	/* not RS256/384/512, or the key cannot do it */
	TOKEN_SIG_INVALID,	/* the signature does not match the content */
};

struct token_sigcheck {
	enum token_sig		 status;
	const struct token_key	*key;		/* the key tried, or NULL */
	char			 reason[HC_ERRLEN];
};

/*
 * Verifies t's signature with the key its x5t/kid names. Never accepts
 * alg none, never a shared-secret alg, and only an RSA key for RS*. The
 * signature check itself is libjwt's jwt_decode with the PEM public key.
 */
enum token_sig	token_verify(const struct token *t, const struct token_keyset *ks,
		    struct token_sigcheck *r);
/* The same against one given key, whatever x5t/kid say. */
enum token_sig	token_verify_key(const struct token *t, const struct token_key *k,
		    struct token_sigcheck *r);

const char	*token_sig_name(enum token_sig s);

/*
 * Signs a self-issued actor token as Exchange does (MS-XOAUTH): RS256,
 * x5t of the certificate in cert_der, iss and nameid
 * "00000002-…@realm", aud "00000002-…/host@realm", nbf now and exp now +
 * lifetime. key must be the certificate's RSA private key; the PEM copy
 * made for libjwt is wiped before returning. Caller frees the token.
 */
char	*token_sign_actor(EVP_PKEY *key, const unsigned char *cert_der,
	    size_t der_len, const char *host, const char *realm, time_t now,
	    long lifetime, struct hcerr *e);

/*
 * What 'hybridcheck token' gathered for the token.* checks (ctx->token):
 * the token, the keys that may have signed it, the tenant it should
 * belong to, and the key-pair proof. Owned by the context.
 */
struct token_input {
	char			*source;	/* "the argument", "standard input", a file */
	struct token		 tok;		/* tok.compact is NULL when it did not decode */
	char			*decode_error;
	struct token_keyset	 keys;		/* ACS keys, the Auth certificate */
	struct strlist		 key_notes;	/* keys that could not be had, and why */
	char			*tenant;	/* tenant id, when known */
	char			*tenant_source;	/* "--tenant", "metadata 'acs.json'" */
	struct strlist		 tenant_notes;	/* other sources naming another tenant */
	struct strlist		 exo_hosts;	/* Exchange Online hosts of the cloud(s) */
	/* Key-pair proof: an actor token signed with the PFX's private key. */
	char			*proof;
	char			*proof_source;	/* the PFX file */
	char			*proof_thumbprint;	/* of the PFX's certificate */
	char			*proof_error;	/* why no proof was made */
	char			*proof_realm;	/* the realm it was signed for */
	struct token_keyset	 proof_certs;	/* exported certificates (.cer) */
	struct token_keyset	 proof_entra;	/* Entra key credentials */
	struct strlist		 proof_notes;	/* credentials that cannot be compared */
};

struct token_input	*token_input_new(void);
void			 token_input_free(struct token_input *ti);

#endif
