/*
 * spn.*: do the SPN host authorities of Exchange Online cover every host
 * the cloud calls on-premises, and are the entries themselves sound?
 */
#include <stdlib.h>
#include <string.h>

#include "check_fns.h"
#include "spn.h"
#include "buf.h"
#include <stdio.h>

/* PROTOCOLS §8: nobody has settled whether the dedicated app still needs them. */
static const char model_note[] =
    "required with the shared Exchange Online service principal; whether "
    "the dedicated hybrid application still needs SPN host authorities is "
    "unsettled, so they are still checked";

static void
entry_where(struct finding *fd, const struct spn_entry *e)
{
	if (e->line > 0)
		finding_evidence(fd, "source", "%s:%zu", e->source, e->line);
	else
		finding_evidence(fd, "source", "%s", e->source);
}

void
check_spn_coverage(const struct context *ctx, struct findings *out)
{
	struct strlist domains = { 0 };
	struct spn_plan plan;
	struct finding *fd;
	int first_fail = 0;

	if (ctx->domain != NULL)
		strlist_add(&domains, ctx->domain);
	spn_plan_build(ctx->spns, &ctx->hosts, &domains, &plan);
	/*
	 * A redirect arrives over plain HTTP and an SRV record may name any
	 * host: one outside the organisation's domains is reported, never an
	 * SPN to add (it would let Exchange Online issue tokens for it).
	 */
	for (size_t i = 0; i < ctx->foreign_hosts.n; i++) {
		fd = findings_add(out, SEV_WARN, ctx->foreign_hosts.v[i],
		    "'%s' answered as Exchange but lies outside the "
		    "organisation's own domains (the domain, its accepted "
		    "domains, --host): not judged for SPN coverage and never "
		    "added as an SPN; if it is yours, name it with --host",
		    ctx->foreign_hosts.v[i]);
		finding_evidence(fd, "named by", "%s", ctx->foreign_from.v[i]);
		if (ctx->domain != NULL)
			finding_evidence(fd, "domain", "%s", ctx->domain);
	}
	for (size_t i = 0; i < plan.nhosts; i++) {
		const struct spn_cover *c = &plan.hosts[i];
		struct strlist near = { 0 };

		if (c->entry != -1) {
			const struct spn_entry *e = &ctx->spns->v[c->entry];

			fd = findings_add(out, SEV_PASS, c->host, "covered by %s",
			    e->raw);
			finding_evidence(fd, "entry", "%s", e->raw);
			continue;
		}
		fd = findings_add(out, SEV_FAIL, c->host, "no SPN host authority "
		    "covers '%s': Exchange Online cannot present tokens for it "
		    "(401, 'the hostname component of the audience claim value "
		    "is invalid')", c->host);
		spn_near_misses(ctx->spns, c->host, &near);
		for (size_t j = 0; j < near.n; j++) {
			char key[32];

			snprintf(key, sizeof(key), j == 0 ? "close" : "close %zu",
			    j + 1);
			finding_evidence(fd, key, "%s", near.v[j]);
		}
		if (c->add != -1) {
			finding_evidence_param(fd, RP_SPNS_ADD, "add", "%s", plan.add.v[c->add]);
			finding_evidence(fd, "add covers", "%s",
			    plan.add_covers.v[c->add]);
		}
		if (!first_fail) {
			struct buf all;

			buf_init(&all, (size_t)-1);
			for (size_t j = 0; j < plan.add.n; j++)
				buf_printf(&all, "%s%s", j ? " " : "", plan.add.v[j]);
			finding_evidence_param(fd, RP_SPNS_ALL_TO_ADD, "all to add", "%s", all.data ? all.data : "");
			buf_release(&all);
			finding_evidence(fd, "model", "%s", model_note);
			first_fail = 1;
		}
		finding_remedy(fd, "spn.add");
		strlist_release(&near);
	}
	spn_plan_release(&plan);
	strlist_release(&domains);
}

void
check_spn_entries(const struct context *ctx, struct findings *out)
{
	const struct spn_set *s = ctx->spns;
	struct finding *fd;
	struct buf unrel, appids;
	size_t nunrel = 0, nappids = 0;

	buf_init(&unrel, (size_t)-1);
	buf_init(&appids, (size_t)-1);
	for (size_t i = 0; i < s->n; i++) {
		const struct spn_entry *e = &s->v[i];

		if (e->kind == SPN_MALFORMED) {
			fd = findings_add(out, SEV_WARN, e->raw, "malformed entry: %s",
			    e->why);
			entry_where(fd, e);
		} else if (e->dup_of != -1) {
			const struct spn_entry *first = &s->v[e->dup_of];

			fd = findings_add(out, SEV_INFO, e->raw, "duplicate of "
			    "'%s'", first->raw);
			entry_where(fd, e);
			if (first->line > 0)
				finding_evidence(fd, "first", "%s:%zu",
				    first->source, first->line);
		} else if (e->kind == SPN_UNRELATED) {
			buf_printf(&unrel, "%s%s (%s)", nunrel ? "; " : "", e->raw,
			    e->why);
			nunrel++;
		} else if (e->kind == SPN_APPID) {
			buf_printf(&appids, "%s%s (%s)", nappids ? "; " : "", e->raw,
			    e->why);
			nappids++;
		} else if (e->why != NULL) {
			fd = findings_add(out, SEV_INFO, e->raw, "%s", e->why);
			entry_where(fd, e);
		}
	}
	if (nunrel > 0) {
		fd = findings_add(out, SEV_INFO, "", "%zu entr%s name%s no host "
		    "authority and %s ignored", nunrel, nunrel == 1 ? "y" : "ies",
		    nunrel == 1 ? "s" : "", nunrel == 1 ? "is" : "are");
		finding_evidence(fd, "unrelated", "%s", unrel.data);
	}
	if (nappids > 0) {
		fd = findings_add(out, SEV_INFO, "", "%zu bare application "
		    "id%s: not host authorities, ignored", nappids,
		    nappids == 1 ? "" : "s");
		finding_evidence(fd, "app ids", "%s", appids.data);
	}
	if (ctx->have & INPUT_HOSTS) {
		struct spn_plan plan;
		struct buf list;

		spn_plan_build(s, &ctx->hosts, NULL, &plan);
		buf_init(&list, (size_t)-1);
		for (size_t i = 0; i < plan.nunused; i++) {
			char a[300];

			spn_authority(&s->v[plan.unused[i]], a, sizeof(a));
			buf_printf(&list, "%s%s", i ? ", " : "", a);
		}
		if (plan.nunused > 0) {
			fd = findings_add(out, SEV_INFO, "", "%zu host authorit%s "
			    "cover%s none of the hosts judged", plan.nunused,
			    plan.nunused == 1 ? "y" : "ies",
			    plan.nunused == 1 ? "s" : "");
			finding_evidence(fd, "entries", "%s", list.data);
			finding_evidence(fd, "hosts judged", "%zu", ctx->hosts.n);
		}
		buf_release(&list);
		spn_plan_release(&plan);
	}
	buf_release(&unrel);
	buf_release(&appids);
}
