/*
 * Inside the remedy catalogue: the steps, by where they run
 * (remedy_onprem.c, remedy_graph.c, remedy_exo.c), the verification
 * (remedy_verify.c) and the script's frame around them (remedy_frame.c).
 * remedy.c holds the catalogue and calls them; the commands use remedy.h.
 */
#ifndef HC_REMEDY_STEPS_H
#define HC_REMEDY_STEPS_H

#include "msid.h"
#include "ps1.h"
#include "remedy.h"

#define HYBRID_SCRIPT	"ConfigureExchangeHybridApplication.ps1"
#define HYBRID_SCRIPT_URL \
	"https://github.com/microsoft/CSS-Exchange/releases/latest/download/" \
	HYBRID_SCRIPT

#define MONITOR_SCRIPT	"MonitorExchangeAuthCertificate.ps1"
#define MONITOR_SCRIPT_URL \
	"https://github.com/microsoft/CSS-Exchange/releases/latest/download/" \
	MONITOR_SCRIPT

/*
 * The checks Microsoft's script makes before it writes an override: an
 * enabled Exchange Online PartnerApplication with an empty realm ($pa)
 * and an enabled IntraOrganizationConnector ($ioc).
 */
#define PS_OAUTH_BASICS(pa, ioc) \
	"$" pa " = @(Get-PartnerApplication | Where-Object { [string]$_.ApplicationIdentifier -eq '" \
	MSID_EXO_APP "' -and $_.Enabled -and [string]::IsNullOrEmpty([string]$_.Realm) })\n" \
	"$" ioc " = @(Get-IntraOrganizationConnector | Where-Object { $_.Enabled })\n"

/* The findings that name one remedy, and what the steps may read. */
struct remedy_job {
	const struct remedy		*r;
	const struct remedy_inputs	*in;
	const struct finding		**fd;
	size_t				 n;
	const struct strlist		*cloud_hosts;	/* hosts of the cloud's URLs */
	const struct strlist		*onprem_hosts;	/* the organisation's names */
};

/* Why each step matters, for its comment; indexed like remedies[]. */
struct builder {
	const char	*id;
	const char	*why;
	void		(*build)(struct ps1 *, const struct remedy_job *);
};

/* Helpers every step uses (remedy.c). */
const char *remedy_param(const struct remedy_job *j, enum remedy_param key);
void	remedy_header(struct ps1 *p, const struct remedy_job *j);
void	remedy_unfilled(struct ps1 *p, const struct remedy_job *j,
	    const char *needs, const char *input, const char *sketch);
/* Caller frees. */
char	*remedy_onprem_host(const struct remedy_inputs *in);
void	remedy_ioc_logic(struct ps1 *p);
/* Sets $hybridScript and $hybridScriptHere (remedy_hybridapp.c). */
void	remedy_hybrid_script_lookup(struct ps1 *p);
/* What to answer Microsoft's script's prompts, printed before it runs. */
enum hybrid_run {
	HYBRID_RUN_CONFIGURE,	/* -FullyConfigureExchangeHybridApplication */
	HYBRID_RUN_OVERRIDE,	/* -EnableExchangeHybridApplicationOverride */
	HYBRID_RUN_GRAPH,	/* -CreateApplication, adding the Graph permissions */
};
void	remedy_hybrid_script_answers(struct ps1 *p, enum hybrid_run run);

/* Steps without code (remedy.c). */
void	remedy_manual(struct ps1 *, const struct remedy_job *);
void	remedy_cloud_select(struct ps1 *, const struct remedy_job *);

/* Steps in the Exchange Management Shell on-premises (remedy_onprem.c). */
void	remedy_acs_create(struct ps1 *, const struct remedy_job *);
void	remedy_acs_fix(struct ps1 *, const struct remedy_job *);
void	remedy_partnerapp(struct ps1 *, const struct remedy_job *);
void	remedy_cert_renew(struct ps1 *, const struct remedy_job *);
void	remedy_cert_publish(struct ps1 *, const struct remedy_job *);
void	remedy_ioc_onprem(struct ps1 *, const struct remedy_job *);
void	remedy_address_space(struct ps1 *, const struct remedy_job *);
void	remedy_vdir_oauth(struct ps1 *, const struct remedy_job *);

/* The dedicated hybrid application's steps, on-premises (remedy_hybridapp.c). */
void	remedy_hybridapp(struct ps1 *, const struct remedy_job *);
void	remedy_cleanup_sp(struct ps1 *, const struct remedy_job *);
void	remedy_override(struct ps1 *, const struct remedy_job *);

/* The Graph route's steps, on-premises (remedy_graph_route.c). */
void	remedy_graph_permissions(struct ps1 *, const struct remedy_job *);
void	remedy_graph_enable(struct ps1 *, const struct remedy_job *);

/* Steps in Microsoft Graph PowerShell (remedy_graph.c). */
void	remedy_cert_upload(struct ps1 *, const struct remedy_job *);
void	remedy_cert_upload_next(struct ps1 *, const struct remedy_job *);
void	remedy_spn_add(struct ps1 *, const struct remedy_job *);

/* Steps in Exchange Online PowerShell (remedy_exo.c). */
void	remedy_ioc_cloud(struct ps1 *, const struct remedy_job *);
void	remedy_ews_allow_app(struct ps1 *, const struct remedy_job *);

/* Both directions' tests, with the cloud's targets (remedy_verify.c). */
void	remedy_verification(struct ps1 *p, const struct remedy_inputs *in,
	    const struct strlist *cloud_hosts, const struct strlist *onprem_hosts);

/* The script around the steps (remedy_frame.c). */
void	remedy_cloud_hosts(const struct cloud *c, struct strlist *out);
void	remedy_onprem_hosts(const struct remedy_inputs *in,
	    struct strlist *out);
void	remedy_connect_helpers(struct ps1 *h, const struct remedy_inputs *in,
	    const struct strlist *scopes, int graph, int exo);
void	remedy_render(struct buf *out, const struct ps1 *p, const struct ps1 *h,
	    const struct remedy_inputs *in, int wrong_cloud);

#endif
