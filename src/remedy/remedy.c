/*
 * The remedy catalogue: which steps exist, in which order, and why; the
 * helpers every step shares; remedy_script() runs the steps the findings
 * ask for and puts the script together.
 */
#include "msid.h"
#include "remedy_steps.h"

#include <stdlib.h>
#include <string.h>

/*
 * The catalogue. Within a section, steps run in this order: the trust in
 * the cloud's issuer first, then the partner application, the virtual
 * directories, the certificate, the connectors; Graph after the
 * on-premises side has a certificate to upload; Exchange Online last.
 */
const struct remedy remedies[] = {
	{ "cloud.select", PS1_MANUAL,
	  "nothing to run: re-run hybridcheck with the cloud the tenant lives in" },
	{ "servers.update", PS1_MANUAL,
	  "nothing to run: install a cumulative update on the servers named" },
	{ "hybrid.move-to-oauth", PS1_MANUAL,
	  "nothing to run: move to OAuth (IntraOrganizationConnectors), the dedicated hybrid application, Exchange SE and the Graph route" },
	{ "tls.certificate", PS1_MANUAL,
	  "nothing to run: replace the published certificate (public CA, names, dates, EKU)" },
	{ "endpoint.publish", PS1_MANUAL,
	  "nothing to run: publish the endpoint without pre-authentication, with public DNS" },
	{ "clock.sync", PS1_MANUAL,
	  "nothing to run: synchronise the server's clock" },
	{ "authserver.evosts.duplicate", PS1_MANUAL,
	  "nothing to run: remove the EvoSTS AuthServers named below yourself, keeping the one for the hybrid application" },
	{ "authserver.acs.create", PS1_ONPREM,
	  "create an AuthServer of type ACS with the cloud's AuthMetadataUrl" },
	{ "authserver.acs.fix", PS1_ONPREM,
	  "point the ACS AuthServer at the cloud's AuthMetadataUrl and enable it" },
	{ "partnerapp.enable", PS1_ONPREM,
	  "enable the Exchange Online PartnerApplication (" MSID_EXO_APP ", empty realm)" },
	{ "vdir.oauth", PS1_ONPREM,
	  "enable OAuth on the EWS and Autodiscover virtual directories" },
	{ "authcert.renew", PS1_ONPREM,
	  "replace, stage or import the Exchange Auth certificate with Microsoft's " MONITOR_SCRIPT },
	{ "authcert.publish", PS1_ONPREM,
	  "publish the staged Auth certificate whose effective date has passed, then clear the previous one" },
	{ "ioc.onprem", PS1_ONPREM,
	  "create or correct the on-premises -> cloud IntraOrganizationConnector" },
	{ "availability.address-space", PS1_ONPREM,
	  "add an InternalProxy AvailabilityAddressSpace for servers older than Exchange 2013 SP1" },
	{ "hybridapp.configure", PS1_ONPREM,
	  "create or complete the dedicated Exchange hybrid application with Microsoft's " HYBRID_SCRIPT },
	{ "hybridapp.override", PS1_ONPREM,
	  "set the EnableExchangeHybrid3PAppFeature setting override to Enabled=true" },
	{ "graph-route.permissions", PS1_ONPREM,
	  "add and consent the Microsoft Graph permissions of the Graph route with Microsoft's " HYBRID_SCRIPT },
	{ "graph-route.enable", PS1_ONPREM,
	  "set GraphBaseUrl on the EvoSTS AuthServer and create the EnableRouteThroughMSGraphFeature override" },
	{ "authcert.cleanup-sp", PS1_ONPREM,
	  "remove the Auth certificate from the shared Exchange Online service principal" },
	{ "authcert.upload", PS1_GRAPH,
	  "register the current Auth certificate as a key credential, keeping the others" },
	{ "authcert.upload-next", PS1_GRAPH,
	  "register the next (staged) Auth certificate as a key credential before it takes effect" },
	{ "spn.add", PS1_GRAPH,
	  "add the missing host authorities to the Exchange Online service principal, keeping the others" },
	{ "ioc.cloud", PS1_EXO,
	  "create or correct the cloud -> on-premises IntraOrganizationConnector" },
	{ "exo.ews-allow-app", PS1_EXO,
	  "add the dedicated hybrid application to Exchange Online's EwsAllowedAppIDs, keeping the others" },
	{ NULL, 0, NULL },
};

static const struct builder builders[] = {
	{ "cloud.select", "every URL and name in this script depends on the cloud; "
	  "a script for the wrong cloud would point the trust at the wrong issuer", remedy_cloud_select },
	{ "servers.update", "servers older than the required build keep using the "
	  "blocked shared service principal path", remedy_manual },
	{ "hybrid.move-to-oauth", "from T2 EWS in Exchange Online is off, and "
	  "DAuth lookups to the cloud are EWS calls: only OAuth with the dedicated "
	  "application over Graph (Exchange SE) keeps rich coexistence", remedy_manual },
	{ "tls.certificate", "Exchange Online reaches on-premises from the internet "
	  "and accepts only a publicly trusted certificate that names the host", remedy_manual },
	{ "endpoint.publish", "Exchange Online must reach EWS and Autodiscover with "
	  "its Bearer token; pre-authentication or missing DNS stops it", remedy_manual },
	{ "clock.sync", "tokens are refused when clocks differ by more than five "
	  "minutes (1007 AccessDenied)", remedy_manual },
	{ "authserver.evosts.duplicate", "with more than one EvoSTS AuthServer for "
	  "the tenant, which one Exchange uses is not defined; Microsoft's script "
	  "stops with an error. This tool never deletes one: check which names the "
	  "hybrid application (Get-AuthServer | fl Name,ApplicationIdentifier,Enabled) "
	  "and remove the others with Remove-AuthServer", remedy_manual },
	{ "authserver.acs.create", "without an AuthServer for the cloud's token "
	  "issuer, on-premises Exchange rejects tokens from Exchange Online", remedy_acs_create },
	{ "authserver.acs.fix", "an AuthServer that points at another cloud or "
	  "realm does not trust this tenant's tokens", remedy_acs_fix },
	{ "partnerapp.enable", "a disabled PartnerApplication makes on-premises "
	  "Exchange refuse Exchange Online's calls", remedy_partnerapp },
	{ "vdir.oauth", "a virtual directory without OAuth offers no Bearer "
	  "challenge, so Exchange Online cannot authenticate", remedy_vdir_oauth },
	{ "authcert.renew", "an expired or expiring Auth certificate, or one "
	  "missing on a server, stops every OAuth call signed with it", remedy_cert_renew },
	{ "authcert.publish", "a staged certificate left unpublished after its date "
	  "leaves the rollover half done while the current one runs out", remedy_cert_publish },
	{ "ioc.onprem", "on-premises Exchange finds Exchange Online through this "
	  "connector; a wrong endpoint or domain sends lookups nowhere", remedy_ioc_onprem },
	{ "availability.address-space", "servers before Exchange 2013 SP1 cannot "
	  "use OAuth and must proxy through a newer server", remedy_address_space },
	{ "hybridapp.configure", "since the 2025 change Exchange Online refuses EWS "
	  "calls through the shared service principal", remedy_hybridapp },
	{ "hybridapp.override", "without the override set to Enabled=true the "
	  "servers keep using the shared service principal", remedy_override },
	{ "graph-route.permissions", "on the Graph route Exchange reads calendars, "
	  "mailbox settings, MailTips and photos through Microsoft Graph with these "
	  "permissions; without consent every lookup is refused", remedy_graph_permissions },
	{ "graph-route.enable", "the Graph route calls the GraphBaseUrl of the EvoSTS "
	  "AuthServer, and only with the EnableRouteThroughMSGraphFeature override on",
	  remedy_graph_enable },
	{ "authcert.cleanup-sp", "the Auth certificate left on the shared service "
	  "principal keeps the retired path open", remedy_cleanup_sp },
	{ "authcert.upload", "Exchange Online verifies on-premises tokens with this "
	  "key; without it calls fail with 'the key was not found'", remedy_cert_upload },
	{ "authcert.upload-next", "once the staged certificate takes effect, tokens "
	  "signed with it fail unless Entra already holds it", remedy_cert_upload_next },
	{ "spn.add", "a token's audience names the on-premises host; a host not "
	  "covered by a service principal name is refused", remedy_spn_add },
	{ "ioc.cloud", "Exchange Online finds on-premises Exchange through this "
	  "connector; a wrong endpoint or domain sends lookups nowhere", remedy_ioc_cloud },
	{ "exo.ews-allow-app", "from T1 Exchange Online lets only the applications "
	  "in EwsAllowedAppIDs call EWS (with EwsEnabled True)", remedy_ews_allow_app },
	{ NULL, NULL, NULL },
};

const struct remedy *
remedy_find(const char *id)
{
	for (const struct remedy *r = remedies; r->id; r++)
		if (strcmp(r->id, id) == 0)
			return r;
	return NULL;
}

static const struct builder *
builder_find(const char *id)
{
	for (const struct builder *b = builders; b->id; b++)
		if (strcmp(b->id, id) == 0)
			return b;
	return NULL;
}

/*
 * Warnings and failures, and information that names a remedy: a step that
 * is likely needed but could not be confirmed (its guard makes it a no-op
 * when it is not). Pass, skip and error findings never ask for a step.
 */
int
remedy_wanted(const struct finding *fd)
{
	return fd->remedy != NULL && (fd->severity == SEV_INFO ||
	    fd->severity == SEV_WARN || fd->severity == SEV_FAIL);
}

/* The first value of a remedy parameter among the job's findings. */
const char *
remedy_param(const struct remedy_job *j, enum remedy_param key)
{
	for (size_t i = 0; i < j->n; i++) {
		const char *v = finding_param_get(j->fd[i], key);

		if (v != NULL && *v != '\0')
			return v;
	}
	return NULL;
}

/* The comment every step starts with: the findings, what and why. */
void
remedy_header(struct ps1 *p, const struct remedy_job *j)
{
	const struct builder *b = builder_find(j->r->id);

	ps1_comment(p, "---- %s: %s", j->r->id, j->r->what);
	for (size_t i = 0; i < j->n; i++) {
		const struct finding *fd = j->fd[i];

		ps1_comment(p, "finding %s %s%s%s: %s", fd->check,
		    severity_name(fd->severity), fd->subject[0] ? " " : "",
		    fd->subject, fd->message);
	}
	ps1_comment(p, "why: %s", b ? b->why : "");
}

/*
 * A step that needs a value nobody has given: a commented instruction
 * naming the input that would let the tool fill it in, never a guess.
 */
void
remedy_unfilled(struct ps1 *p, const struct remedy_job *j, const char *needs,
    const char *input, const char *sketch)
{
	ps1_comment(p, "NOT FILLED IN: this step needs %s.", needs);
	ps1_comment(p, "give %s and run hybridcheck remediate again; the step "
	    "would run:", input);
	ps1_comment(p, "  %s", sketch);
	(void)j;
}

/* The published Autodiscover host: evidence, inputs, or autodiscover.<domain>. */
char *
remedy_onprem_host(const struct remedy_inputs *in)
{
	if (in->onprem_host != NULL)
		return xstrdup(in->onprem_host);
	if (in->domain != NULL)
		return xasprintf("autodiscover.%s", in->domain);
	return NULL;
}

/*
 * The connector logic shared by both directions: find by target domain
 * (or by name), create when absent, correct endpoint, domain and state.
 * $iocName, $iocUrl, $iocAccept and $iocDomain are set by the caller.
 */
void
remedy_ioc_logic(struct ps1 *p)
{
	ps1_code(p, "$ioc = @(Get-IntraOrganizationConnector | Where-Object { @($_.TargetAddressDomains | ForEach-Object { [string]$_ }) -contains $iocDomain })\n"
	    "if ($ioc.Count -eq 0) { $ioc = @(Get-IntraOrganizationConnector -Identity $iocName -ErrorAction SilentlyContinue) }\n"
	    "if ($ioc.Count -eq 0) {\n"
	    "    if ($PSCmdlet.ShouldProcess($iocName, 'New-IntraOrganizationConnector ' + $iocUrl + ' for ' + $iocDomain)) {\n"
	    "        New-IntraOrganizationConnector -Name $iocName -DiscoveryEndpoint $iocUrl -TargetAddressDomains $iocDomain -Enabled $true\n"
	    "    }\n"
	    "}\n"
	    "foreach ($c in $ioc) {\n"
	    "    $domains = @($c.TargetAddressDomains | ForEach-Object { [string]$_ })\n"
	    "    $url = [string]$c.DiscoveryEndpoint\n"
	    "    if ($iocAccept -contains $url -and $c.Enabled -and $domains -contains $iocDomain) {\n"
	    "        Write-Host ('unchanged: IntraOrganizationConnector ' + $c.Name)\n"
	    "        continue\n"
	    "    }\n"
	    "    if ($iocAccept -notcontains $url) { $url = $iocUrl }\n"
	    "    if ($domains -notcontains $iocDomain) { $domains += $iocDomain }\n"
	    "    if ($PSCmdlet.ShouldProcess($c.Name, 'Set-IntraOrganizationConnector ' + $url + ' for ' + ($domains -join ', ') + ', enabled')) {\n"
	    "        Set-IntraOrganizationConnector -Identity $c.Identity -DiscoveryEndpoint $url -TargetAddressDomains $domains -Enabled $true\n"
	    "    }\n"
	    "}\n");
}

void
remedy_manual(struct ps1 *p, const struct remedy_job *j)
{
	ps1_step_begin(p, PS1_MANUAL, j->r->id);
	remedy_header(p, j);
	ps1_step_end(p);
}

/* Wrong cloud: the first step is the run with the right one. */
void
remedy_cloud_select(struct ps1 *p, const struct remedy_job *j)
{
	const char *right = j->in->right_cloud;

	ps1_step_begin(p, PS1_MANUAL, j->r->id);
	remedy_header(p, j);
	if (right != NULL)
		ps1_comment(p, "the tenant lives in the %s cloud, not %s: run "
		    "hybridcheck again with --cloud %s:", right,
		    j->in->cloud->name, right);
	else
		ps1_comment(p, "run hybridcheck again with --cloud set to the "
		    "cloud the tenant lives in (tenant discovery names it):");
	if (j->in->rerun != NULL)
		ps1_comment(p, "  %s", j->in->rerun);
	ps1_step_end(p);
}

int
remedy_script(struct findings *f, const struct remedy_inputs *in,
    struct buf *out)
{
	struct strlist cloud_hosts = { 0 }, onprem_hosts = { 0 };
	const struct finding **fds = NULL;
	struct ps1 p, h;
	int wrong_cloud = 0, dropped;
	size_t nf = f->n;

	ps1_init(&p);
	ps1_init(&h);
	remedy_cloud_hosts(in->cloud, &cloud_hosts);
	remedy_onprem_hosts(in, &onprem_hosts);
	fds = xcalloc(nf ? nf : 1, sizeof(*fds));

	for (const struct remedy *r = remedies; r->id; r++) {
		const struct builder *b = builder_find(r->id);
		struct remedy_job j = { r, in, fds, 0, &cloud_hosts, &onprem_hosts };

		for (size_t i = 0; i < nf; i++)
			if (remedy_wanted(f->v[i]) && strcmp(f->v[i]->remedy, r->id) == 0)
				fds[j.n++] = f->v[i];
		if (j.n == 0 || b == NULL)
			continue;
		if (strcmp(r->id, "cloud.select") == 0)
			wrong_cloud = 1;
		b->build(&p, &j);
	}
	/* A remedy id this catalogue does not know is a defect: say so in the script. */
	for (size_t i = 0; i < nf; i++)
		if (remedy_wanted(f->v[i]) && remedy_find(f->v[i]->remedy) == NULL) {
			ps1_step_begin(&p, PS1_MANUAL, "unknown remedy");
			ps1_comment(&p, "finding %s %s asks for remedy '%s', which this "
			    "version does not know", f->v[i]->check, f->v[i]->subject,
			    f->v[i]->remedy);
			ps1_step_end(&p);
		}
	remedy_verification(&p, in, &cloud_hosts, &onprem_hosts);
	remedy_connect_helpers(&h, in, &p.scopes, p.nsteps[PS1_GRAPH] > 0,
	    p.nsteps[PS1_EXO] > 0 || p.sec[PS1_VERIFY_EXO].len > 0);
	remedy_render(out, &p, &h, in, wrong_cloud);

	/* Dropped steps become findings; fds pointed into f, so add them last. */
	free(fds);
	for (size_t i = 0; i < p.dropped.n; i++)
		findings_add_for(f, "remediation", SEV_ERROR, "script",
		    "step dropped: %s", p.dropped.v[i]);
	for (size_t i = 0; i < h.dropped.n; i++)
		findings_add_for(f, "remediation", SEV_ERROR, "script",
		    "step dropped: %s", h.dropped.v[i]);
	dropped = (int)(p.dropped.n + h.dropped.n);
	ps1_release(&p);
	ps1_release(&h);
	strlist_release(&cloud_hosts);
	strlist_release(&onprem_hosts);
	return dropped;
}

