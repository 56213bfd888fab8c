/*
 * The trust drawn: which part trusts which, and what the checks said
 * about each link. The edges and the checks that judge them are data
 * (trust_edges); tests/unit/test_trust.c keeps them in step with the
 * check catalogue.
 */
#include "report_trust.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot.h"

/*
 * Three columns: on-premises, the connectors, the cloud; a gutter on the
 * left for the edge that goes round from the AuthServers to the servers.
 */
const struct trust_node trust_nodes[] = {
	{ "servers", "On-premises Exchange servers", 150, 40, 240, 110 },
	{ "authcert", "Exchange Auth certificate", 150, 225, 240, 90 },
	{ "authservers", "AuthServers (issuers trusted)", 150, 385, 240, 90 },
	{ "onprem-endpoints", "Published EWS, Autodiscover", 150, 530, 240, 90 },
	{ "ioc-onprem", "Connector to the cloud", 510, 40, 220, 90 },
	{ "ioc-cloud", "Connector to on-premises", 510, 530, 220, 90 },
	{ "cloud-endpoints", "Cloud endpoints (Autodiscover)", 850, 40, 280, 90 },
	{ "entra", "Entra ID: application, keys, SPNs", 850, 205, 280, 130 },
	{ "exo", "Exchange Online", 850, 385, 280, 90 },
	{ NULL, NULL, 0, 0, 0, 0 },
};

const struct trust_edge trust_edges[] = {
	{ "servers-authcert", "servers", "authcert",
	  "the servers hold the Auth certificate and publish it",
	  { "auth-config.certificate", "auth-cert.thumbprint", "auth-cert.validity",
	    "auth-cert.key", "auth-cert.next", "onprem.metadata", NULL } },
	{ "authcert-entra", "authcert", "entra",
	  "Entra ID holds the certificate as a key credential",
	  { "auth-cert.entra", "token.keypair", NULL } },
	{ "servers-entra", "servers", "entra",
	  "the servers call as the dedicated hybrid application",
	  { "hybrid.model", "authserver.evosts", "hybrid-app.override",
	    "servers.build", "model.exchange-se", "graph-route.config",
	    "graph-route.builds", NULL } },
	{ "entra-exo", "entra", "exo",
	  "Exchange Online accepts the application and the host names (SPNs)",
	  { "hybrid-app.permissions", "spn.coverage", "spn.entries",
	    "exo.ews-gate", NULL } },
	{ "exo-authservers", "exo", "authservers",
	  "on-premises trusts the cloud's token issuer for this tenant",
	  { "cloud.selection", "tenant.discovery", "acs.metadata", "acs.keys",
	    "authserver.acs", "oauth.issuer", NULL } },
	{ "authservers-servers", "authservers", "servers",
	  "the servers accept Exchange Online's tokens",
	  { "partner-app.exo", "oauth.challenge", "vdir.oauth", "clock.skew", NULL } },
	{ "servers-ioc-onprem", "servers", "ioc-onprem",
	  "on-premises looks up cloud mailboxes through its connector",
	  { "ioc.onprem", "availability.address-space", "org-relationship.dauth",
	    NULL } },
	{ "ioc-onprem-cloud", "ioc-onprem", "cloud-endpoints",
	  "the connector's endpoint answers, for the tenant's routing domain",
	  { "endpoint.cloud-discovery", "federation.domains", NULL } },
	{ "exo-ioc-cloud", "exo", "ioc-cloud",
	  "Exchange Online looks up on-premises mailboxes through its connector",
	  { "ioc.cloud", "hybrid-config.exo-ioc", "hybrid-config.service-instance",
	    NULL } },
	{ "ioc-cloud-onprem", "ioc-cloud", "onprem-endpoints",
	  "the published endpoints answer from the internet",
	  { "endpoint.onprem-autodiscover", "endpoint.ews", "autodiscover.discovery",
	    "tls.certificate", "dns.split-view", NULL } },
	{ NULL, NULL, NULL, NULL, { NULL } },
};

const char *const trust_undrawn[] = {
	"token.decode", "token.signature", "token.lifetime", "token.audience",
	"token.issuer", NULL,
};

const char *
trust_state_name(enum trust_state s)
{
	switch (s) {
	case TRUST_OK:
		return "ok";
	case TRUST_WARN:
		return "warn";
	case TRUST_FAIL:
		return "fail";
	case TRUST_ERROR:
		return "error";
	default:
		return "not-checked";
	}
}

/* Words and a sign on every edge: colour is never the only signal. */
const char *
trust_state_text(enum trust_state s)
{
	switch (s) {
	case TRUST_OK:
		return "\u2713 ok";
	case TRUST_WARN:
		return "! warning";
	case TRUST_FAIL:
		return "\u2717 FAIL";
	case TRUST_ERROR:
		return "? incomplete";
	default:
		return "\u2013 not checked";
	}
}

enum trust_state
trust_edge_state(const struct trust_edge *e, const struct findings *f)
{
	enum trust_state st = TRUST_UNCHECKED;

	for (size_t i = 0; i < f->n; i++) {
		const struct finding *fd = f->v[i];
		enum trust_state s;
		int mine = 0;

		for (size_t k = 0; k < TRUST_EDGE_CHECKS && e->checks[k] && !mine; k++)
			mine = strcmp(e->checks[k], fd->check) == 0;
		if (!mine || fd->severity == SEV_SKIP)
			continue;
		switch (fd->severity) {
		case SEV_FAIL:
			s = TRUST_FAIL;
			break;
		case SEV_ERROR:
			s = TRUST_ERROR;
			break;
		case SEV_WARN:
			s = TRUST_WARN;
			break;
		default:
			s = TRUST_OK;
			break;
		}
		/* A failure says most; could-not-complete ranks below it. */
		if (st == TRUST_UNCHECKED || (s == TRUST_FAIL) ||
		    (s == TRUST_ERROR && st != TRUST_FAIL) ||
		    (s == TRUST_WARN && st == TRUST_OK))
			st = s;
	}
	return st;
}

static const struct trust_node *
node_find(const char *id)
{
	for (const struct trust_node *n = trust_nodes; n->id; n++)
		if (strcmp(n->id, id) == 0)
			return n;
	return NULL;
}

/* At most max characters (UTF-8 aware enough: never cut inside a sequence). */
static char *
clip(const char *s, size_t max)
{
	size_t len = strlen(s), cut = max;

	if (len <= max)
		return xstrdup(s);
	while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--;
	return xasprintf("%.*s\u2026", (int)cut, s);
}

#define NODE_LINES	4

struct lines {
	char	*v[NODE_LINES];
	size_t	 n;
	size_t	 more;	/* beyond what fits */
	size_t	 max;	/* characters that fit the node's width */
};

static void
line_add(struct lines *l, const char *fmt, const char *a, const char *b)
{
	char *s;

	if (l->n == NODE_LINES - 1 && l->more == 0) {
		l->more = 1;
		return;
	}
	if (l->n >= NODE_LINES - 1) {
		l->more++;
		return;
	}
	s = xasprintf(fmt, a ? a : "", b ? b : "");
	l->v[l->n++] = clip(s, l->max);
	free(s);
}

/* What the input says of a node: names, thumbprints, endpoints. */
static void
node_lines(const struct trust_node *n, const struct report_target *t,
    const struct findings *f, struct lines *l)
{
	const struct snapshot *s = t->snapshot;
	const char *id = n->id;

	memset(l, 0, sizeof(*l));
	/* About 7 units a character at the drawing's font size. */
	l->max = (size_t)(n->w - 20) / 7;
	if (strcmp(id, "servers") == 0 && s != NULL) {
		for (size_t i = 0; i < s->onprem.nservers; i++)
			line_add(l, "%s %s", s->onprem.servers[i].name,
			    s->onprem.servers[i].file_version_text ?
			    s->onprem.servers[i].file_version_text :
			    s->onprem.servers[i].admin_display_version);
	} else if (strcmp(id, "authcert") == 0) {
		if (s != NULL && s->onprem.authconfig.current_thumbprint)
			line_add(l, "current %.16s%s", s->onprem.authconfig.current_thumbprint, "…");
		if (s != NULL && s->onprem.authconfig.next_thumbprint)
			line_add(l, "next %.16s%s", s->onprem.authconfig.next_thumbprint, "…");
		for (size_t i = 0; s == NULL && i < f->n; i++)
			if (strncmp(f->v[i]->check, "auth-cert.", 10) == 0 &&
			    f->v[i]->severity != SEV_SKIP && f->v[i]->subject[0]) {
				const char *base = strrchr(f->v[i]->subject, '/');

				line_add(l, "file %s%s", base ? base + 1 : f->v[i]->subject, "");
				break;
			}
	} else if (strcmp(id, "authservers") == 0 && s != NULL) {
		for (size_t i = 0; i < s->onprem.nauthservers; i++)
			line_add(l, "%s (%s)", s->onprem.authservers[i].name,
			    s->onprem.authservers[i].type_text);
	} else if (strcmp(id, "entra") == 0 && s != NULL && s->entra.present) {
		for (size_t i = 0; i < s->entra.napps; i++) {
			char keys[32];

			snprintf(keys, sizeof(keys), "%zu key%s", s->entra.apps[i].nkeys,
			    s->entra.apps[i].nkeys == 1 ? "" : "s");
			line_add(l, "app %s, %s", s->entra.apps[i].display_name, keys);
		}
		if (s->entra.sp_present) {
			char nums[64];

			snprintf(nums, sizeof(nums), "%zu key%s, %zu SPN%s",
			    s->entra.sp.nkeys, s->entra.sp.nkeys == 1 ? "" : "s",
			    s->entra.sp.spns.n, s->entra.sp.spns.n == 1 ? "" : "s");
			line_add(l, "shared principal: %s%s", nums, "");
		}
	} else if (strcmp(id, "exo") == 0) {
		if (t->cloud)
			line_add(l, "cloud %s%s", t->cloud, "");
		if (t->tenant_id)
			line_add(l, "tenant %s%s", t->tenant_id, "");
	} else if (strcmp(id, "ioc-onprem") == 0 && s != NULL) {
		for (size_t i = 0; i < s->onprem.niocs; i++)
			line_add(l, "%s → %s", s->onprem.iocs[i].name,
			    s->onprem.iocs[i].discovery_endpoint);
	} else if (strcmp(id, "ioc-cloud") == 0 && s != NULL) {
		for (size_t i = 0; i < s->exo.niocs; i++)
			line_add(l, "%s → %s", s->exo.iocs[i].name,
			    s->exo.iocs[i].discovery_endpoint);
	} else if (strcmp(id, "onprem-endpoints") == 0 && t->hosts != NULL) {
		for (size_t i = 0; i < t->hosts->n; i++)
			line_add(l, "%s%s", t->hosts->v[i], "");
	} else if (strcmp(id, "cloud-endpoints") == 0) {
		for (size_t i = 0; i < f->n; i++)
			if (strcmp(f->v[i]->check, "endpoint.cloud-discovery") == 0 &&
			    f->v[i]->severity != SEV_SKIP && f->v[i]->subject[0])
				line_add(l, "%s%s", f->v[i]->subject, "");
	}
	if (l->n == 0)
		line_add(l, "%s%s", "(not in the input)", "");
}

static void
lines_release(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
}

static void
svg_node(struct buf *b, const struct trust_node *n, const struct report_target *t,
    const struct findings *f, const char *prefix)
{
	struct lines l;

	node_lines(n, t, f, &l);
	buf_printf(b, "<g class=\"node\" id=\"%snode-%s\" data-node=\"%s\">"
	    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"8\"/>"
	    "<text x=\"%d\" y=\"%d\" class=\"node-title\">", prefix, n->id, n->id,
	    n->x, n->y, n->w, n->h, n->x + 10, n->y + 20);
	buf_markup(b, n->title);
	buf_printf(b, "</text>");
	for (size_t i = 0; i < l.n; i++) {
		buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"node-line\">",
		    n->x + 10, n->y + 40 + (int)i * 17);
		buf_markup(b, l.v[i]);
		buf_printf(b, "</text>");
	}
	if (l.more > 0)
		buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"node-line\">and "
		    "%zu more</text>", n->x + 10, n->y + 40 + (int)l.n * 17, l.more);
	buf_printf(b, "</g>\n");
	lines_release(&l);
}

/* The point where a line towards (tx, ty) leaves node n's box. */
static void
border_point(const struct trust_node *n, int tx, int ty, int *x, int *y)
{
	int cx = n->x + n->w / 2, cy = n->y + n->h / 2;
	double dx = tx - cx, dy = ty - cy, sx, sy, s;

	if (dx == 0 && dy == 0) {
		*x = cx;
		*y = cy;
		return;
	}
	sx = dx != 0 ? (n->w / 2.0) / (dx < 0 ? -dx : dx) : 1e9;
	sy = dy != 0 ? (n->h / 2.0) / (dy < 0 ? -dy : dy) : 1e9;
	s = sx < sy ? sx : sy;
	*x = cx + (int)(dx * s);
	*y = cy + (int)(dy * s);
}

/* A label's width in the drawing's units, from its characters (not bytes). */
static int
width_of(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n * 7 + 10;
}

static void
svg_edge(struct buf *b, const struct trust_edge *e, const struct findings *f,
    const char *prefix)
{
	const struct trust_node *a = node_find(e->from), *z = node_find(e->to);
	enum trust_state st = trust_edge_state(e, f);
	int x1, y1, x2, y2, mx, my;
	const char *text = trust_state_text(st);

	border_point(a, z->x + z->w / 2, z->y + z->h / 2, &x1, &y1);
	border_point(z, a->x + a->w / 2, a->y + a->h / 2, &x2, &y2);
	buf_printf(b, "<g class=\"edge st-%s\" id=\"%sedge-%s\" data-edge=\"%s\" "
	    "data-status=\"%s\" data-checks=\"", trust_state_name(st), prefix,
	    e->id, e->id, trust_state_name(st));
	for (size_t k = 0; k < TRUST_EDGE_CHECKS && e->checks[k]; k++)
		buf_printf(b, "%s%s", k ? " " : "", e->checks[k]);
	buf_printf(b, "\"><title>");
	buf_markup(b, e->says);
	buf_printf(b, ": %s (", text);
	for (size_t k = 0; k < TRUST_EDGE_CHECKS && e->checks[k]; k++)
		buf_printf(b, "%s%s", k ? ", " : "", e->checks[k]);
	buf_printf(b, ")</title>");
	/* The AuthServers and the servers are a node apart: go round the side. */
	if (strcmp(e->id, "authservers-servers") == 0) {
		x1 = a->x;
		y1 = a->y + a->h / 2;
		x2 = z->x;
		y2 = z->y + z->h / 2;
		buf_printf(b, "<path d=\"M%d,%d C%d,%d %d,%d %d,%d\" "
		    "marker-end=\"url(#%sarrow)\"/>", x1, y1, 10, y1, 10, y2, x2,
		    y2, prefix);
		mx = 4 + width_of(text) / 2;
		my = (y1 + y2) / 2;
	} else {
		buf_printf(b, "<path d=\"M%d,%d L%d,%d\" marker-end=\"url(#%sarrow)\"/>",
		    x1, y1, x2, y2, prefix);
		mx = (x1 + x2) / 2;
		my = (y1 + y2) / 2;
	}
	buf_printf(b, "<rect class=\"label-bg\" x=\"%d\" y=\"%d\" width=\"%d\" "
	    "height=\"20\" rx=\"4\"/><text class=\"edge-label\" x=\"%d\" "
	    "y=\"%d\" text-anchor=\"middle\">%s</text></g>\n",
	    mx - width_of(text) / 2, my - 14, width_of(text), mx, my, text);
}

void
trust_svg(struct buf *b, const struct report_target *t, const struct findings *f,
    const char *prefix)
{
	size_t n[TRUST_ERROR + 1] = { 0 };

	for (const struct trust_edge *e = trust_edges; e->id; e++)
		n[trust_edge_state(e, f)]++;
	buf_printf(b, "<svg class=\"trust\" viewBox=\"0 0 1140 640\" role=\"img\" "
	    "aria-labelledby=\"%strust-title %strust-desc\" "
	    "xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"%strust-title\">"
	    "The OAuth trust between on-premises Exchange and Exchange Online"
	    "</title>\n<desc id=\"%strust-desc\">%zu links: %zu ok, %zu with "
	    "warnings, %zu failing, %zu could not complete, %zu not checked. The "
	    "table below says the same in words.</desc>\n", prefix, prefix, prefix,
	    prefix, (size_t)0 + n[TRUST_OK] + n[TRUST_WARN] + n[TRUST_FAIL] +
	    n[TRUST_ERROR] + n[TRUST_UNCHECKED], n[TRUST_OK], n[TRUST_WARN],
	    n[TRUST_FAIL], n[TRUST_ERROR], n[TRUST_UNCHECKED]);
	buf_printf(b, "<defs><marker id=\"%sarrow\" viewBox=\"0 0 10 10\" refX=\"9\" "
	    "refY=\"5\" markerWidth=\"12\" markerHeight=\"12\" markerUnits=\""
	    "userSpaceOnUse\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>\n",
	    prefix);
	buf_printf(b, "<text x=\"270\" y=\"24\" class=\"column\" "
	    "text-anchor=\"middle\">on-premises</text><text x=\"620\" y=\"24\" "
	    "class=\"column\" text-anchor=\"middle\">connectors</text><text "
	    "x=\"990\" y=\"24\" class=\"column\" text-anchor=\"middle\">"
	    "Microsoft 365</text>\n");
	/* Nodes first: the edges' labels sit on top. */
	for (const struct trust_node *nd = trust_nodes; nd->id; nd++)
		svg_node(b, nd, t, f, prefix);
	for (const struct trust_edge *e = trust_edges; e->id; e++)
		svg_edge(b, e, f, prefix);
	buf_printf(b, "</svg>\n");
}
