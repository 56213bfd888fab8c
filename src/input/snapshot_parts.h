/*
 * Inside the snapshot reader: snapshot.c reads the root and calls the part
 * readers, snapshot_exchange.c (Exchange's objects, on-premises and Online)
 * and snapshot_entra.c (Graph's objects). Not for the checks: they use
 * snapshot.h.
 */
#ifndef HC_SNAPSHOT_PARTS_H
#define HC_SNAPSHOT_PARTS_H

#include "psjson.h"
#include "snapshot.h"

/* Readers of "onPremises", "exchangeOnline" and "entra" into s. */
int	snapshot_onprem_parse(struct psjson *j, const cJSON *o,
	    struct snapshot *s);
int	snapshot_exo_parse(struct psjson *j, const cJSON *o, struct snapshot *s);
int	snapshot_entra_parse(struct psjson *j, const cJSON *o,
	    struct snapshot *s);

/* Exchange Online's EWS gate and migration endpoints (snapshot_exo.c). */
int	snapshot_exo_more_parse(struct psjson *j, const cJSON *o,
	    struct snapshot *s);
void	snapshot_exo_more_release(struct snapshot *s);

/* Free what the part readers filled in; the struct itself stays. */
void	snapshot_onprem_release(struct snapshot *s);
void	snapshot_exo_release(struct snapshot *s);
void	snapshot_entra_release(struct snapshot *s);

/* Upper-case hex SHA-1 of d, or NULL; caller frees. */
char	*snapshot_sha1_hex(const unsigned char *d, size_t n);

#endif
