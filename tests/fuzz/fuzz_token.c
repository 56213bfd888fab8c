/*
 * Fuzzes the token decoder with text as it arrives from logs and stdin,
 * and explains every claim of what decodes (the code the report runs).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
explain_all(const struct token *t)
{
	char rel[64];

	for (size_t i = 0; i < t->nheader; i++)
		free(token_explain(t, &t->header[i], 1, 1700000000));
	for (size_t i = 0; i < t->nclaims; i++)
		free(token_explain(t, &t->claims[i], 0, 1700000000));
	token_lifetime(t, 1700000000, TOKEN_SKEW);
	if (t->exp.valid)
		token_relative(t->exp.t, 1700000000, rel, sizeof(rel));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct token t;
	struct token_keyset ks = { 0 };
	struct token_sigcheck r;
	struct hcerr e;

	if (token_decode(&t, (const char *)data, size, &e) == 0) {
		explain_all(&t);
		if (t.actor != NULL)
			explain_all(t.actor);
		/* No keys: every path short of libjwt's signature check. */
		token_verify(&t, &ks, &r);
		token_release(&t);
	} else if (t.compact != NULL || t.nclaims != 0)
		abort();	/* a failed decode leaves nothing behind */
	return 0;
}
