#include "remedy.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ps1.h"

/* Exchange Online's first-party application: fixed in every cloud. */
#define EXO_APP_ID	"00000002-0000-0ff1-ce00-000000000000"
#define HYBRID_SCRIPT	"ConfigureExchangeHybridApplication.ps1"
#define HYBRID_SCRIPT_URL \
	"https://github.com/microsoft/CSS-Exchange/releases/latest/download/" \
	HYBRID_SCRIPT

/* The findings that name one remedy, and what the steps may read. */
struct job {
	const struct remedy		*r;
	const struct remedy_inputs	*in;
	const struct finding		**fd;
	size_t				 n;
	const struct strlist		*cloud_hosts;	/* hosts of the cloud's URLs */
	const struct strlist		*onprem_hosts;	/* the organisation's names */
};

static void b_acs_create(struct ps1 *, const struct job *);
static void b_acs_fix(struct ps1 *, const struct job *);
static void b_partnerapp(struct ps1 *, const struct job *);
static void b_cert_upload(struct ps1 *, const struct job *);
static void b_cert_upload_next(struct ps1 *, const struct job *);
static void b_cert_renew(struct ps1 *, const struct job *);
static void b_cleanup_sp(struct ps1 *, const struct job *);
static void b_spn_add(struct ps1 *, const struct job *);
static void b_ioc_onprem(struct ps1 *, const struct job *);
static void b_ioc_cloud(struct ps1 *, const struct job *);
static void b_address_space(struct ps1 *, const struct job *);
static void b_vdir_oauth(struct ps1 *, const struct job *);
static void b_hybridapp(struct ps1 *, const struct job *);
static void b_override(struct ps1 *, const struct job *);
static void b_manual(struct ps1 *, const struct job *);
static void b_cloud_select(struct ps1 *, const struct job *);

/* Why each step matters, for its comment; indexed like remedies[]. */
struct builder {
	const char	*id;
	const char	*why;
	void		(*build)(struct ps1 *, const struct job *);
};

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
	{ "tls.certificate", PS1_MANUAL,
	  "nothing to run: replace the published certificate (public CA, names, dates, EKU)" },
	{ "endpoint.publish", PS1_MANUAL,
	  "nothing to run: publish the endpoint without pre-authentication, with public DNS" },
	{ "clock.sync", PS1_MANUAL,
	  "nothing to run: synchronise the server's clock" },
	{ "authserver.acs.create", PS1_ONPREM,
	  "create an AuthServer of type ACS with the cloud's AuthMetadataUrl" },
	{ "authserver.acs.fix", PS1_ONPREM,
	  "point the ACS AuthServer at the cloud's AuthMetadataUrl and enable it" },
	{ "partnerapp.enable", PS1_ONPREM,
	  "enable the Exchange Online PartnerApplication (" EXO_APP_ID ", empty realm)" },
	{ "vdir.oauth", PS1_ONPREM,
	  "enable OAuth on the EWS and Autodiscover virtual directories" },
	{ "authcert.renew", PS1_ONPREM,
	  "create a new Exchange Auth certificate and stage it as the next one" },
	{ "ioc.onprem", PS1_ONPREM,
	  "create or correct the on-premises -> cloud IntraOrganizationConnector" },
	{ "availability.address-space", PS1_ONPREM,
	  "add an InternalProxy AvailabilityAddressSpace for servers older than Exchange 2013 SP1" },
	{ "hybridapp.configure", PS1_ONPREM,
	  "create or complete the dedicated Exchange hybrid application with Microsoft's " HYBRID_SCRIPT },
	{ "hybridapp.override", PS1_ONPREM,
	  "set the EnableExchangeHybrid3PAppFeature setting override to Enabled=true" },
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
	{ NULL, 0, NULL },
};

static const struct builder builders[] = {
	{ "cloud.select", "every URL and name in this script depends on the cloud; "
	  "a script for the wrong cloud would point the trust at the wrong issuer", b_cloud_select },
	{ "servers.update", "servers older than the required build keep using the "
	  "blocked shared service principal path", b_manual },
	{ "tls.certificate", "Exchange Online reaches on-premises from the internet "
	  "and accepts only a publicly trusted certificate that names the host", b_manual },
	{ "endpoint.publish", "Exchange Online must reach EWS and Autodiscover with "
	  "its Bearer token; pre-authentication or missing DNS stops it", b_manual },
	{ "clock.sync", "tokens are refused when clocks differ by more than five "
	  "minutes (1007 AccessDenied)", b_manual },
	{ "authserver.acs.create", "without an AuthServer for the cloud's token "
	  "issuer, on-premises Exchange rejects tokens from Exchange Online", b_acs_create },
	{ "authserver.acs.fix", "an AuthServer that points at another cloud or "
	  "realm does not trust this tenant's tokens", b_acs_fix },
	{ "partnerapp.enable", "a disabled PartnerApplication makes on-premises "
	  "Exchange refuse Exchange Online's calls", b_partnerapp },
	{ "vdir.oauth", "a virtual directory without OAuth offers no Bearer "
	  "challenge, so Exchange Online cannot authenticate", b_vdir_oauth },
	{ "authcert.renew", "an expired or expiring Auth certificate stops every "
	  "OAuth call signed with it", b_cert_renew },
	{ "ioc.onprem", "on-premises Exchange finds Exchange Online through this "
	  "connector; a wrong endpoint or domain sends lookups nowhere", b_ioc_onprem },
	{ "availability.address-space", "servers before Exchange 2013 SP1 cannot "
	  "use OAuth and must proxy through a newer server", b_address_space },
	{ "hybridapp.configure", "since the 2025 change Exchange Online refuses EWS "
	  "calls through the shared service principal", b_hybridapp },
	{ "hybridapp.override", "without the override set to Enabled=true the "
	  "servers keep using the shared service principal", b_override },
	{ "authcert.cleanup-sp", "the Auth certificate left on the shared service "
	  "principal keeps the retired path open", b_cleanup_sp },
	{ "authcert.upload", "Exchange Online verifies on-premises tokens with this "
	  "key; without it calls fail with 'the key was not found'", b_cert_upload },
	{ "authcert.upload-next", "once the staged certificate takes effect, tokens "
	  "signed with it fail unless Entra already holds it", b_cert_upload_next },
	{ "spn.add", "a token's audience names the on-premises host; a host not "
	  "covered by a service principal name is refused", b_spn_add },
	{ "ioc.cloud", "Exchange Online finds on-premises Exchange through this "
	  "connector; a wrong endpoint or domain sends lookups nowhere", b_ioc_cloud },
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

/* The first value of an evidence key among the job's findings. */
static const char *
ev(const struct job *j, const char *key)
{
	for (size_t i = 0; i < j->n; i++) {
		const char *v = finding_get(j->fd[i], key);

		if (v != NULL && *v != '\0')
			return v;
	}
	return NULL;
}

/* The comment every step starts with: the findings, what and why. */
static void
header(struct ps1 *p, const struct job *j)
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
static void
unfilled(struct ps1 *p, const struct job *j, const char *needs,
    const char *input, const char *sketch)
{
	ps1_comment(p, "NOT FILLED IN: this step needs %s.", needs);
	ps1_comment(p, "give %s and run hybridcheck remediate again; the step "
	    "would run:", input);
	ps1_comment(p, "  %s", sketch);
	(void)j;
}

/* The ACS metadata URL for the tenant, or NULL; caller frees. */
static char *
acs_url(const struct job *j)
{
	const char *e = ev(j, "acs metadata url"), *dom;

	if (e != NULL)
		return xstrdup(e);
	dom = j->in->acs_domain ? j->in->acs_domain : j->in->domain;
	if (dom == NULL || cloud_value(j->in->cloud, "acs_metadata_url") == NULL)
		return NULL;
	return cloud_expand(cloud_value(j->in->cloud, "acs_metadata_url"), dom);
}

static void
b_manual(struct ps1 *p, const struct job *j)
{
	ps1_step_begin(p, PS1_MANUAL, j->r->id);
	header(p, j);
	ps1_step_end(p);
}

/* Whether a cloud name can sit in the script's code as it is. */
static int
cloud_word(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 32)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-'))
			return 0;
	return 1;
}

/* Wrong cloud: the first step is the run with the right one. */
static void
b_cloud_select(struct ps1 *p, const struct job *j)
{
	const char *right = j->in->right_cloud;

	ps1_step_begin(p, PS1_MANUAL, j->r->id);
	header(p, j);
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

static void
b_acs_create(struct ps1 *p, const struct job *j)
{
	char *url = acs_url(j);

	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	header(p, j);
	if (url == NULL) {
		unfilled(p, j, "the tenant domain for the ACS metadata URL",
		    "--domain D", "New-AuthServer -Name MicrosoftAzureACS "
		    "-AuthMetadataUrl <ACS metadata URL>");
		goto out;
	}
	ps1_code(p, "$acsUrl = ");
	ps1_add_url(p, "ACS metadata URL", url, j->cloud_hosts);
	ps1_code(p, "\n"
	    "$acs = @(Get-AuthServer | Where-Object { $_.AuthMetadataUrl -eq $acsUrl })\n"
	    "if ($acs.Count -gt 0) {\n"
	    "    Write-Host ('unchanged: AuthServer ' + $acs[0].Name + ' already uses ' + $acsUrl)\n"
	    "} elseif (Get-AuthServer -Identity 'MicrosoftAzureACS' -ErrorAction SilentlyContinue) {\n"
	    "    Write-Warning 'an AuthServer named MicrosoftAzureACS exists with another URL: correct it (authserver.acs.fix) rather than add a second'\n"
	    "} elseif ($PSCmdlet.ShouldProcess($acsUrl, 'New-AuthServer MicrosoftAzureACS')) {\n"
	    "    New-AuthServer -Name 'MicrosoftAzureACS' -AuthMetadataUrl $acsUrl\n"
	    "}\n");
out:
	ps1_step_end(p);
	free(url);
}

static void
b_acs_fix(struct ps1 *p, const struct job *j)
{
	const char *name = ev(j, "authserver"), *realm;
	char *url = acs_url(j);

	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	header(p, j);
	if (url == NULL) {
		unfilled(p, j, "the tenant domain for the ACS metadata URL",
		    "--domain D", "Set-AuthServer -Identity <ACS AuthServer> "
		    "-AuthMetadataUrl <ACS metadata URL>; Set-AuthServer -Enabled $true");
		goto out;
	}
	ps1_code(p, "$acsUrl = ");
	ps1_add_url(p, "ACS metadata URL", url, j->cloud_hosts);
	ps1_code(p, "\n");
	/* The realm the tenant's metadata really has: live, else the tenant id. */
	realm = ev(j, "live acs realm");
	if (realm == NULL)
		realm = ev(j, "tenant id");
	if (realm != NULL) {
		ps1_code(p, "$acsRealm = ");
		ps1_add_guid(p, "tenant realm", realm);
		ps1_code(p, "\n");
	}
	if (name != NULL) {
		ps1_code(p, "$acsTargets = @(Get-AuthServer -Identity ");
		ps1_add_text(p, "AuthServer name", name);
		ps1_code(p, " -ErrorAction SilentlyContinue)\n");
	} else {
		/* Found by type, never by name: names vary between wizards. */
		ps1_code(p, "$acsTargets = @(Get-AuthServer | Where-Object { [string]$_.Type -eq 'MicrosoftACS' })\n"
		    "if ($acsTargets.Count -gt 1) {\n"
		    "    Write-Warning 'several ACS AuthServers exist: give hybridcheck a snapshot so this step names the one to correct'\n"
		    "    $acsTargets = @()\n"
		    "}\n");
	}
	ps1_code(p, "if ($acsTargets.Count -eq 0) { Write-Warning 'no ACS AuthServer to correct was found' }\n"
	    "foreach ($a in $acsTargets) {\n"
	    "    if ($a.AuthMetadataUrl -eq $acsUrl) {\n"
	    "        Write-Host ('unchanged: AuthServer ' + $a.Name + ' already uses ' + $acsUrl)\n"
	    "    } elseif ($PSCmdlet.ShouldProcess($a.Name, 'Set-AuthServer -AuthMetadataUrl ' + $acsUrl)) {\n"
	    "        Set-AuthServer -Identity $a.Identity -AuthMetadataUrl $acsUrl\n"
	    "    }\n");
	/* A realm read from an older document stays until the metadata is read again. */
	if (realm != NULL)
		ps1_code(p, "    $acsNow = Get-AuthServer -Identity $a.Identity\n"
		    "    if ($acsNow.Realm -eq $acsRealm) {\n"
		    "        Write-Host ('unchanged: AuthServer ' + $a.Name + ' has realm ' + $acsRealm)\n"
		    "    } elseif ($PSCmdlet.ShouldProcess($a.Name, 'Set-AuthServer -RefreshAuthMetadata (realm ' + $acsNow.Realm + ', tenant ' + $acsRealm + ')')) {\n"
		    "        Set-AuthServer -Identity $a.Identity -RefreshAuthMetadata\n"
		    "    }\n");
	ps1_code(p, "    if ($a.Enabled) {\n"
	    "        Write-Host ('unchanged: AuthServer ' + $a.Name + ' is enabled')\n"
	    "    } elseif ($PSCmdlet.ShouldProcess($a.Name, 'Set-AuthServer -Enabled $true')) {\n"
	    "        Set-AuthServer -Identity $a.Identity -Enabled $true\n"
	    "    }\n"
	    "}\n");
out:
	ps1_step_end(p);
	free(url);
}

static void
b_partnerapp(struct ps1 *p, const struct job *j)
{
	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	header(p, j);
	ps1_code(p, "$exoApp = '" EXO_APP_ID "'\n"
	    "$pa = @(Get-PartnerApplication | Where-Object { $_.ApplicationIdentifier -eq $exoApp -and [string]::IsNullOrEmpty($_.Realm) })\n"
	    "if ($pa.Count -eq 0) {\n"
	    "    Write-Warning 'there is no PartnerApplication for Exchange Online with an empty realm: run the Hybrid Configuration Wizard'\n"
	    "}\n"
	    "foreach ($a in $pa) {\n"
	    "    if ($a.Enabled) {\n"
	    "        Write-Host ('unchanged: PartnerApplication ' + $a.Name + ' is enabled')\n"
	    "    } elseif ($PSCmdlet.ShouldProcess($a.Name, 'Set-PartnerApplication -Enabled $true')) {\n"
	    "        Set-PartnerApplication -Identity $a.Identity -Enabled $true\n"
	    "    }\n"
	    "}\n");
	ps1_step_end(p);
}

/*
 * Uploads a certificate as a key credential of the shared service
 * principal (legacy model) or of the dedicated application (appid known).
 * Graph replaces the whole collection, so the existing unexpired keys are
 * sent back with the new one.
 */
static void
cert_upload(struct ps1 *p, const struct job *j, const char *thumb,
    const char *b64, const char *which)
{
	const char *app = ev(j, "app id");
	char what[64];

	/*
	 * In the dedicated model the key belongs on the application; a finding
	 * about the shared service principal (auth-cert.entra) names none.
	 */
	if (app == NULL && j->in->hybrid_app_id != NULL) {
		int sp = 0;

		for (size_t i = 0; i < j->n; i++)
			sp |= strcmp(j->fd[i]->check, "auth-cert.entra") == 0;
		if (!sp)
			app = j->in->hybrid_app_id;
	}

	ps1_step_begin(p, PS1_GRAPH, j->r->id);
	header(p, j);
	ps1_need_scope(p, "Application.ReadWrite.All");
	snprintf(what, sizeof(what), "the %s Auth certificate", which);
	if (b64 == NULL || thumb == NULL) {
		unfilled(p, j, b64 == NULL ? "the certificate itself (DER, base64)" :
		    "the certificate's thumbprint", strcmp(which, "next") == 0 ?
		    "--next-cert FILE (or a snapshot with the staged certificate)" :
		    "--cert FILE (or a snapshot with the Auth certificate)",
		    "Update-MgServicePrincipal -ServicePrincipalId <id> "
		    "-KeyCredentials (<existing unexpired keys> + <the certificate>)");
		goto out;
	}
	ps1_code(p, "$certB64 = ");
	ps1_add_base64(p, what, b64);
	ps1_code(p, "\n$certThumb = ");
	ps1_add_thumbprint(p, "thumbprint", thumb);
	ps1_code(p, "\n"
	    "$cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new([Convert]::FromBase64String($certB64))\n"
	    "if ($cert.Thumbprint -ne $certThumb) {\n"
	    "    throw ('the certificate in this step has thumbprint ' + $cert.Thumbprint + ', expected ' + $certThumb)\n"
	    "}\n");
	if (app != NULL) {
		ps1_code(p, "$appId = ");
		ps1_add_guid(p, "application id", app);
		ps1_code(p, "\n"
		    "$target = Get-MgApplication -Filter (\"appId eq '\" + $appId + \"'\") -Property 'id,appId,displayName,keyCredentials'\n"
		    "if ($null -eq $target) { throw ('no application with appId ' + $appId) }\n");
	} else
		ps1_code(p, "$target = Get-MgServicePrincipal -Filter \"appId eq '" EXO_APP_ID "'\" -Property 'id,appId,displayName,keyCredentials'\n"
		    "if ($null -eq $target) { throw 'the Exchange Online service principal was not found' }\n");
	ps1_code(p, "$now = (Get-Date).ToUniversalTime()\n"
	    "$have = @($target.KeyCredentials | Where-Object {\n"
	    "    ($_.CustomKeyIdentifier -and (([BitConverter]::ToString($_.CustomKeyIdentifier) -replace '-', '') -eq $certThumb)) -or\n"
	    "    ($_.StartDateTime -eq $cert.NotBefore.ToUniversalTime() -and $_.EndDateTime -eq $cert.NotAfter.ToUniversalTime())\n"
	    "})\n"
	    "if ($have.Count -gt 0) {\n"
	    "    Write-Host ('unchanged: ' + $target.DisplayName + ' already holds certificate ' + $certThumb)\n"
	    "} else {\n"
	    "    # Graph replaces the collection: send every unexpired key back with the new one.\n"
	    "    $keep = @($target.KeyCredentials | Where-Object { $_.EndDateTime -gt $now })\n"
	    "    $new = @{\n"
	    "        Type                = 'AsymmetricX509Cert'\n"
	    "        Usage               = 'Verify'\n"
	    "        Key                 = $cert.RawData\n"
	    "        CustomKeyIdentifier = $cert.GetCertHash()\n"
	    "        DisplayName         = $cert.Subject\n"
	    "        StartDateTime       = $cert.NotBefore.ToUniversalTime()\n"
	    "        EndDateTime         = $cert.NotAfter.ToUniversalTime()\n"
	    "    }\n"
	    "    if ($PSCmdlet.ShouldProcess($target.DisplayName, 'add key credential ' + $certThumb + ', keeping ' + $keep.Count + ' unexpired')) {\n");
	if (app != NULL)
		ps1_code(p, "        Update-MgApplication -ApplicationId $target.Id -KeyCredentials (@($keep) + $new)\n");
	else
		ps1_code(p, "        Update-MgServicePrincipal -ServicePrincipalId $target.Id -KeyCredentials (@($keep) + $new)\n");
	ps1_code(p, "    }\n}\n");
out:
	ps1_step_end(p);
}

static void
b_cert_upload(struct ps1 *p, const struct job *j)
{
	const char *t = ev(j, "thumbprint"), *b64 = ev(j, "certificate");

	/* A finding that carries the certificate (onprem.metadata) names it whole. */
	if (b64 != NULL && t != NULL) {
		cert_upload(p, j, t, b64, "current");
		return;
	}
	cert_upload(p, j, t ? t : j->in->thumbprint, j->in->cert_b64, "current");
}

static void
b_cert_upload_next(struct ps1 *p, const struct job *j)
{
	const char *t = ev(j, "next thumbprint");

	/* auth-cert.next names the next certificate "thumbprint". */
	if (t == NULL)
		t = ev(j, "thumbprint");
	cert_upload(p, j, t ? t : j->in->next_thumbprint, j->in->next_cert_b64,
	    "next");
}

static void
b_cert_renew(struct ps1 *p, const struct job *j)
{
	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	header(p, j);
	ps1_comment(p, "afterwards: upload the new certificate (authcert.upload-next, "
	    "run hybridcheck again) before its effective date in two days;");
	ps1_comment(p, "on that date run Set-AuthConfig -PublishCertificate, then "
	    "Set-AuthConfig -ClearPreviousCertificate");
	ps1_code(p, "$ac = Get-AuthConfig\n"
	    "$staged = $null\n"
	    "if ($ac.NextCertificateThumbprint) {\n"
	    "    $staged = Get-ExchangeCertificate -Thumbprint $ac.NextCertificateThumbprint -ErrorAction SilentlyContinue\n"
	    "}\n"
	    "if ($staged -and $staged.NotAfter -gt (Get-Date).AddDays(60)) {\n"
	    "    Write-Host ('unchanged: certificate ' + $staged.Thumbprint + ' is already staged as the next Auth certificate')\n"
	    "} elseif ($PSCmdlet.ShouldProcess('Exchange Auth certificate', 'New-ExchangeCertificate, then Set-AuthConfig -NewCertificateThumbprint')) {\n"
	    "    # If asked whether to replace the default SMTP certificate, answer No.\n"
	    "    $newCert = New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable $true -SubjectName 'cn=Microsoft Exchange Server Auth Certificate' -FriendlyName 'Microsoft Exchange Server Auth Certificate' -DomainName @()\n"
	    "    Set-AuthConfig -NewCertificateThumbprint $newCert.Thumbprint -NewCertificateEffectiveDate ((Get-Date).AddDays(2))\n"
	    "    Write-Host ('staged the next Auth certificate ' + $newCert.Thumbprint + ': upload it to Entra before it takes effect')\n"
	    "}\n");
	ps1_step_end(p);
}

/* Microsoft's script beside this one, or a warning saying where to get it. */
static void
hybrid_script_lookup(struct ps1 *p)
{
	ps1_code(p, "    $hybridScript = Join-Path $PSScriptRoot '" HYBRID_SCRIPT "'\n"
	    "    $hybridScriptHere = Test-Path -LiteralPath $hybridScript\n"
	    "    if (-not $hybridScriptHere) {\n"
	    "        Write-Warning ('" HYBRID_SCRIPT " is not beside this script: download it from "
	    HYBRID_SCRIPT_URL " into ' + $PSScriptRoot + ' and run this part again')\n"
	    "    }\n");
}

static void
b_hybridapp(struct ps1 *p, const struct job *j)
{
	const char *env = cloud_value(j->in->cloud, "hybrid_app_environment");

	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	header(p, j);
	ps1_comment(p, "Microsoft's script creates the application, uploads the Auth "
	    "certificate, configures the EvoSTS AuthServer and the override");
	if (env == NULL) {
		unfilled(p, j, "the cloud profile's hybrid_app_environment",
		    "a cloud profile with hybrid_app_environment (--endpoints)",
		    ".\\" HYBRID_SCRIPT " -FullyConfigureExchangeHybridApplication "
		    "-AzureEnvironment <environment>");
		goto out;
	}
	ps1_code(p, "$hybridEnv = ");
	ps1_add_word(p, "hybrid_app_environment", env);
	ps1_code(p, "\n");
	if (j->in->tenant_id != NULL) {
		ps1_code(p, "$tenantId = ");
		ps1_add_guid(p, "tenant id", j->in->tenant_id);
		ps1_code(p, "\n$evo = @(Get-AuthServer | Where-Object { [string]$_.Type -eq 'AzureAD' -and $_.Enabled -and $_.ApplicationIdentifier -and $_.Realm -eq $tenantId })\n");
	} else
		ps1_code(p, "$evo = @(Get-AuthServer | Where-Object { [string]$_.Type -eq 'AzureAD' -and $_.Enabled -and $_.ApplicationIdentifier })\n");
	ps1_code(p, "$ovr = @(Get-SettingOverride | Where-Object { $_.SectionName -eq 'ExchangeOnpremAsThirdPartyAppId' -and ($_.Parameters -contains 'Enabled=true') })\n"
	    "if ($evo.Count -gt 0 -and $ovr.Count -gt 0) {\n"
	    "    Write-Host ('unchanged: the dedicated hybrid application ' + $evo[0].ApplicationIdentifier + ' is configured')\n"
	    "} else {\n");
	hybrid_script_lookup(p);
	ps1_code(p, "    if ($hybridScriptHere -and $PSCmdlet.ShouldProcess('dedicated Exchange hybrid application', '" HYBRID_SCRIPT " -FullyConfigureExchangeHybridApplication')) {\n"
	    "        & $hybridScript -FullyConfigureExchangeHybridApplication -AzureEnvironment $hybridEnv\n"
	    "    }\n"
	    "}\n");
out:
	ps1_step_end(p);
}

static void
b_cleanup_sp(struct ps1 *p, const struct job *j)
{
	const char *env = cloud_value(j->in->cloud, "hybrid_app_environment");
	const char *t = ev(j, "thumbprint");

	if (t == NULL)
		t = j->in->thumbprint;
	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	header(p, j);
	if (env == NULL) {
		unfilled(p, j, "the cloud profile's hybrid_app_environment",
		    "a cloud profile with hybrid_app_environment (--endpoints)",
		    ".\\" HYBRID_SCRIPT " -ResetFirstPartyServicePrincipalKeyCredentials "
		    "-AzureEnvironment <environment>");
		goto out;
	}
	if (t == NULL)
		ps1_comment(p, "without a thumbprint Microsoft's script removes every "
		    "key credential of the shared service principal; give --thumbprint T "
		    "to remove only that certificate and the expired ones");
	ps1_code(p, "$hybridEnv = ");
	ps1_add_word(p, "hybrid_app_environment", env);
	ps1_code(p, "\n");
	if (t != NULL) {
		ps1_code(p, "$cleanThumb = ");
		ps1_add_thumbprint(p, "thumbprint", t);
		ps1_code(p, "\n");
	}
	/* Removing the key before the dedicated app works would stop free/busy. */
	ps1_code(p, "$evo = @(Get-AuthServer | Where-Object { [string]$_.Type -eq 'AzureAD' -and $_.Enabled -and $_.ApplicationIdentifier })\n"
	    "if ($evo.Count -eq 0) {\n"
	    "    Write-Warning 'the dedicated hybrid application is not configured yet: removing the certificate from the shared service principal now would stop free/busy (run hybridapp.configure first)'\n"
	    "} else {\n");
	hybrid_script_lookup(p);
	ps1_code(p, "    # Microsoft's script reads the key credentials and removes only what is there.\n"
	    "    if ($hybridScriptHere -and $PSCmdlet.ShouldProcess('Office 365 Exchange Online service principal', 'remove the Auth certificate from its key credentials')) {\n");
	if (t != NULL)
		ps1_code(p, "        & $hybridScript -ResetFirstPartyServicePrincipalKeyCredentials -CertificateInformation $cleanThumb -AzureEnvironment $hybridEnv\n");
	else
		ps1_code(p, "        & $hybridScript -ResetFirstPartyServicePrincipalKeyCredentials -AzureEnvironment $hybridEnv\n");
	ps1_code(p, "    }\n}\n");
out:
	ps1_step_end(p);
}

static void
b_override(struct ps1 *p, const struct job *j)
{
	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	header(p, j);
	ps1_code(p, "$ov = @(Get-SettingOverride | Where-Object { $_.ComponentName -eq 'Global' -and $_.SectionName -eq 'ExchangeOnpremAsThirdPartyAppId' })\n"
	    "$ovOk = @($ov | Where-Object { $_.Parameters -contains 'Enabled=true' })\n"
	    "$ovChanged = $false\n"
	    "if ($ovOk.Count -gt 0) {\n"
	    "    Write-Host ('unchanged: setting override ' + $ovOk[0].Name + ' says Enabled=true')\n"
	    "} elseif ($ov.Count -gt 0) {\n"
	    "    foreach ($o in $ov) {\n"
	    "        if ($PSCmdlet.ShouldProcess($o.Name, 'Set-SettingOverride -Parameters Enabled=true')) {\n"
	    "            Set-SettingOverride -Identity $o.Identity -Parameters @('Enabled=true')\n"
	    "            $ovChanged = $true\n"
	    "        }\n"
	    "    }\n"
	    "} elseif ($PSCmdlet.ShouldProcess('EnableExchangeHybrid3PAppFeature', 'New-SettingOverride')) {\n"
	    "    New-SettingOverride -Name 'EnableExchangeHybrid3PAppFeature' -Component 'Global' -Section 'ExchangeOnpremAsThirdPartyAppId' -Parameters @('Enabled=true') -Reason 'dedicated Exchange hybrid application'\n"
	    "    $ovChanged = $true\n"
	    "}\n"
	    "if ($ovChanged) {\n"
	    "    Get-ExchangeDiagnosticInfo -Process 'Microsoft.Exchange.Directory.TopologyService' -Component 'VariantConfiguration' -Argument 'Refresh' | Out-Null\n"
	    "}\n");
	ps1_step_end(p);
}

/* Splits "a b, c" into entries, once each. */
static void
split_list(const char *s, struct strlist *out)
{
	while (s != NULL && *s) {
		size_t n;

		s += strspn(s, " ,;\t");
		n = strcspn(s, " ,;\t");
		if (n > 0) {
			char *one = xstrndup(s, n);

			if (!strlist_contains_ci(out, one))
				strlist_add_owned(out, one);
			else
				free(one);
		}
		s += n;
	}
}

static void
b_spn_add(struct ps1 *p, const struct job *j)
{
	struct strlist want = { 0 };

	/* spn.coverage: "add" per host, "all to add" (space-separated) once. */
	for (size_t i = 0; i < j->n; i++) {
		split_list(finding_get(j->fd[i], "all to add"), &want);
		split_list(finding_get(j->fd[i], "add"), &want);
	}
	ps1_step_begin(p, PS1_GRAPH, j->r->id);
	header(p, j);
	ps1_need_scope(p, "Application.ReadWrite.All");
	if (want.n == 0) {
		unfilled(p, j, "the host authorities to add",
		    "--host H for every published host (or a snapshot)",
		    "Update-MgServicePrincipal -ServicePrincipalId <id> "
		    "-ServicePrincipalNames (<existing> + <missing>)");
		goto out;
	}
	ps1_code(p, "$spnWanted = @(\n");
	for (size_t i = 0; i < want.n; i++) {
		ps1_code(p, "    ");
		ps1_add_spn(p, "service principal name", want.v[i]);
		ps1_code(p, "\n");
	}
	ps1_code(p, ")\n"
	    "$sp = Get-MgServicePrincipal -Filter \"appId eq '" EXO_APP_ID "'\" -Property 'id,appId,displayName,servicePrincipalNames'\n"
	    "if ($null -eq $sp) { throw 'the Exchange Online service principal was not found' }\n"
	    "$spnHave = @($sp.ServicePrincipalNames)\n"
	    "$spnMissing = @($spnWanted | Where-Object { $spnHave -notcontains $_ })\n"
	    "if ($spnMissing.Count -eq 0) {\n"
	    "    Write-Host 'unchanged: every host authority is registered'\n"
	    "} elseif ($PSCmdlet.ShouldProcess($sp.DisplayName, 'add service principal names ' + ($spnMissing -join ', '))) {\n"
	    "    # Graph replaces the list: send the existing names with the missing ones.\n"
	    "    Update-MgServicePrincipal -ServicePrincipalId $sp.Id -ServicePrincipalNames ($spnHave + $spnMissing)\n"
	    "}\n");
out:
	ps1_step_end(p);
	strlist_release(&want);
}

/*
 * The connector logic shared by both directions: find by target domain
 * (or by name), create when absent, correct endpoint, domain and state.
 * $iocName, $iocUrl, $iocAccept and $iocDomain are set by the caller.
 */
static void
ioc_logic(struct ps1 *p)
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

static const char *
routing_domain(const struct job *j)
{
	const char *v = ev(j, "routing domain");

	return v ? v : j->in->routing_domain;
}

static void
b_ioc_onprem(struct ps1 *p, const struct job *j)
{
	const struct cloud_field *eps = cloud_field(j->in->cloud, "discovery_endpoints");
	const char *url = cloud_preferred(j->in->cloud, "discovery_endpoints");
	const char *dom = routing_domain(j), *name = ev(j, "connector");

	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	header(p, j);
	if (dom == NULL || url == NULL) {
		unfilled(p, j, dom == NULL ? "the tenant's routing domain" :
		    "the cloud's discovery endpoint",
		    dom == NULL ? "--snapshot FILE (Exchange Online accepted domains) "
		    "or network access for GetFederationInformation" :
		    "a cloud profile with discovery_endpoints (--endpoints)",
		    "New-IntraOrganizationConnector -Name ExchangeHybridOnPremisesToOnline "
		    "-DiscoveryEndpoint <cloud endpoint> -TargetAddressDomains <routing domain>");
		goto out;
	}
	ps1_code(p, "$iocName = ");
	ps1_add_text(p, "connector name", name ? name : "ExchangeHybridOnPremisesToOnline");
	ps1_code(p, "\n$iocUrl = ");
	ps1_add_url(p, "discovery endpoint", url, j->cloud_hosts);
	/* Every endpoint the cloud is known to answer on counts as correct. */
	ps1_code(p, "\n$iocAccept = @(");
	for (size_t i = 0; eps != NULL && i < eps->values.n; i++) {
		ps1_code(p, i ? ", " : "");
		ps1_add_url(p, "discovery endpoint", eps->values.v[i], j->cloud_hosts);
	}
	ps1_code(p, ")\n$iocDomain = ");
	ps1_add_dnsname(p, "routing domain", dom);
	ps1_code(p, "\n");
	ioc_logic(p);
out:
	ps1_step_end(p);
}

/* The published Autodiscover host: evidence, inputs, or autodiscover.<domain>. */
static char *
onprem_host(const struct remedy_inputs *in)
{
	if (in->onprem_host != NULL)
		return xstrdup(in->onprem_host);
	if (in->domain != NULL)
		return xasprintf("autodiscover.%s", in->domain);
	return NULL;
}

static void
b_ioc_cloud(struct ps1 *p, const struct job *j)
{
	const char *given = ev(j, "discovery endpoint"), *name = ev(j, "connector");
	const char *dom = ev(j, "domain");
	char *host = onprem_host(j->in), *url = NULL;

	if (dom == NULL)
		dom = j->in->domain;
	if (given != NULL)
		url = xstrdup(given);
	else if (host != NULL)
		url = xasprintf("https://%s/autodiscover/autodiscover.svc", host);
	ps1_step_begin(p, PS1_EXO, j->r->id);
	header(p, j);
	if (dom == NULL || url == NULL) {
		unfilled(p, j, "the organisation's domain and published Autodiscover host",
		    "--domain D", "New-IntraOrganizationConnector -Name "
		    "ExchangeHybridOnlineToOnPremises -DiscoveryEndpoint "
		    "https://autodiscover.<domain>/autodiscover/autodiscover.svc "
		    "-TargetAddressDomains <domain>");
		goto out;
	}
	ps1_code(p, "$iocName = ");
	ps1_add_text(p, "connector name", name ? name : "ExchangeHybridOnlineToOnPremises");
	ps1_code(p, "\n$iocUrl = ");
	ps1_add_url(p, "discovery endpoint", url, j->onprem_hosts);
	ps1_code(p, "\n$iocAccept = @($iocUrl)\n$iocDomain = ");
	ps1_add_dnsname(p, "domain", dom);
	ps1_code(p, "\n");
	ioc_logic(p);
out:
	ps1_step_end(p);
	free(host);
	free(url);
}

static void
b_address_space(struct ps1 *p, const struct job *j)
{
	const char *dom = routing_domain(j), *proxy = ev(j, "proxy url");

	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	header(p, j);
	if (dom == NULL || proxy == NULL) {
		unfilled(p, j, proxy == NULL ? "the EWS URL of an Exchange 2013 SP1 "
		    "or later server" : "the tenant's routing domain",
		    "--snapshot FILE (servers, virtual directories and accepted domains)",
		    "Add-AvailabilityAddressSpace -AccessMethod InternalProxy "
		    "-ProxyUrl <EWS URL> -ForestName <routing domain> -UseServiceAccount $true");
		goto out;
	}
	ps1_code(p, "$aasForest = ");
	ps1_add_dnsname(p, "routing domain", dom);
	ps1_code(p, "\n$aasProxy = ");
	ps1_add_url(p, "proxy URL", proxy, j->onprem_hosts);
	ps1_code(p, "\n"
	    "$aas = @(Get-AvailabilityAddressSpace | Where-Object { $_.ForestName -eq $aasForest })\n"
	    "if ($aas.Count -gt 0) {\n"
	    "    Write-Host ('unchanged: an AvailabilityAddressSpace for ' + $aasForest + ' exists (' + $aas[0].AccessMethod + ')')\n"
	    "} elseif ($PSCmdlet.ShouldProcess($aasForest, 'Add-AvailabilityAddressSpace -AccessMethod InternalProxy -ProxyUrl ' + $aasProxy)) {\n"
	    "    Add-AvailabilityAddressSpace -AccessMethod InternalProxy -ProxyUrl $aasProxy -ForestName $aasForest -UseServiceAccount $true\n"
	    "}\n");
out:
	ps1_step_end(p);
}

static void
b_vdir_oauth(struct ps1 *p, const struct job *j)
{
	const char *server = ev(j, "server"), *vdir = ev(j, "virtual directory");
	int ews = 1, ad = 1;

	if (vdir != NULL && util_strcaseeq(vdir, "EWS"))
		ad = 0;
	else if (vdir != NULL && util_strcaseeq(vdir, "Autodiscover"))
		ews = 0;
	ps1_step_begin(p, PS1_ONPREM, j->r->id);
	header(p, j);
	if (server != NULL) {
		ps1_code(p, "$vdirServer = ");
		ps1_add_dnsname(p, "server", server);
		ps1_code(p, "\n");
	}
	ps1_code(p, "$vdirs = @()\n");
	if (ews)
		ps1_code(p, server ?
		    "$vdirs += @(Get-WebServicesVirtualDirectory -Server $vdirServer -ADPropertiesOnly | Where-Object { -not $_.OAuthAuthentication } | ForEach-Object { @{ Kind = 'EWS'; Identity = $_.Identity } })\n" :
		    "$vdirs += @(Get-WebServicesVirtualDirectory -ADPropertiesOnly | Where-Object { -not $_.OAuthAuthentication } | ForEach-Object { @{ Kind = 'EWS'; Identity = $_.Identity } })\n");
	if (ad)
		ps1_code(p, server ?
		    "$vdirs += @(Get-AutodiscoverVirtualDirectory -Server $vdirServer -ADPropertiesOnly | Where-Object { -not $_.OAuthAuthentication } | ForEach-Object { @{ Kind = 'Autodiscover'; Identity = $_.Identity } })\n" :
		    "$vdirs += @(Get-AutodiscoverVirtualDirectory -ADPropertiesOnly | Where-Object { -not $_.OAuthAuthentication } | ForEach-Object { @{ Kind = 'Autodiscover'; Identity = $_.Identity } })\n");
	ps1_code(p, "if ($vdirs.Count -eq 0) { Write-Host 'unchanged: OAuth is enabled on every virtual directory' }\n"
	    "foreach ($v in $vdirs) {\n"
	    "    if ($v.Kind -eq 'EWS') {\n"
	    "        if ($PSCmdlet.ShouldProcess([string]$v.Identity, 'Set-WebServicesVirtualDirectory -OAuthAuthentication $true')) {\n"
	    "            Set-WebServicesVirtualDirectory -Identity $v.Identity -OAuthAuthentication $true\n"
	    "        }\n"
	    "    } elseif ($PSCmdlet.ShouldProcess([string]$v.Identity, 'Set-AutodiscoverVirtualDirectory -OAuthAuthentication $true')) {\n"
	    "        Set-AutodiscoverVirtualDirectory -Identity $v.Identity -OAuthAuthentication $true\n"
	    "    }\n"
	    "}\n");
	ps1_step_end(p);
}

/* The verification steps: both directions, with the cloud's targets. */
static void
verification(struct ps1 *p, const struct remedy_inputs *in,
    const struct strlist *cloud_hosts, const struct strlist *onprem_hosts)
{
	const char *ews = cloud_value(in->cloud, "ews_url");
	char *host = onprem_host(in), *target = NULL;

	ps1_step_begin(p, PS1_VERIFY_ONPREM, "verify on-premises -> Exchange Online");
	ps1_comment(p, "---- verify: on-premises Exchange obtains a token for Exchange Online");
	ps1_comment(p, "success: the output shows ResultType : Success");
	if (ews == NULL) {
		ps1_comment(p, "NOT FILLED IN: the cloud profile has no ews_url; give "
		    "--endpoints with one and run hybridcheck remediate again");
		goto exo;
	}
	ps1_code(p, "$ewsUrl = ");
	ps1_add_url(p, "cloud EWS URL", ews, cloud_hosts);
	ps1_code(p, "\n"
	    "if ([string]::IsNullOrEmpty($OnPremisesMailbox)) {\n"
	    "    Write-Warning 'give -OnPremisesMailbox <address of an on-premises mailbox> to run this test'\n"
	    "} else {\n"
	    "    Test-OAuthConnectivity -Service EWS -TargetUri $ewsUrl -Mailbox $OnPremisesMailbox -Verbose | Format-List\n"
	    "}\n");
exo:
	ps1_step_end(p);

	ps1_step_begin(p, PS1_VERIFY_EXO, "verify Exchange Online -> on-premises");
	ps1_comment(p, "---- verify: Exchange Online obtains a token for on-premises Exchange");
	ps1_comment(p, "success: ResultType : Success. The note 'The SMTP address has no "
	    "mailbox associated with it.' is benign here;");
	ps1_comment(p, "the test user must be synchronised to the tenant (otherwise: "
	    "'The user specified by the user-context in the token does not exist').");
	if (host == NULL) {
		ps1_comment(p, "NOT FILLED IN: this test needs the published Autodiscover "
		    "host; give --domain D and run hybridcheck remediate again");
		goto out;
	}
	target = xasprintf("https://%s/metadata/json/1", host);
	ps1_code(p, "$onpremMetadata = ");
	ps1_add_url(p, "on-premises metadata URL", target, onprem_hosts);
	ps1_code(p, "\n"
	    "if ([string]::IsNullOrEmpty($CloudMailbox)) {\n"
	    "    Write-Warning 'give -CloudMailbox <address of an Exchange Online mailbox> to run this test'\n"
	    "} else {\n"
	    "    Test-OAuthConnectivity -Service EWS -TargetUri $onpremMetadata -Mailbox $CloudMailbox -Verbose | Format-List\n"
	    "}\n");
out:
	ps1_step_end(p);
	free(host);
	free(target);
}

/* The host of an https URL template, lower-cased; NULL if none. */
static char *
url_host(const char *url)
{
	const char *h;
	size_t n;
	char *host;

	if (url == NULL || strncasecmp(url, "https://", 8) != 0)
		return NULL;
	h = url + 8;
	n = strcspn(h, ":/?#");
	if (n == 0)
		return NULL;
	host = xstrndup(h, n);
	util_lower(host);
	return host;
}

static void
add_host_once(struct strlist *l, char *host)
{
	if (host != NULL && !strlist_contains_ci(l, host))
		strlist_add(l, host);
	free(host);
}

/* Every host the cloud profile names: the only ones its URLs may use. */
static void
collect_cloud_hosts(const struct cloud *c, struct strlist *out)
{
	static const char *const url_fields[] = { "acs_metadata_url",
	    "evosts_metadata_url", "openid_configuration_url", "ews_url",
	    "discovery_endpoints" };
	static const char *const host_fields[] = { "login_hosts", "exo_hosts",
	    "graph_host" };

	for (size_t i = 0; i < sizeof(url_fields) / sizeof(url_fields[0]); i++) {
		const struct cloud_field *f = cloud_field(c, url_fields[i]);

		for (size_t k = 0; f != NULL && k < f->values.n; k++)
			add_host_once(out, url_host(f->values.v[k]));
	}
	for (size_t i = 0; i < sizeof(host_fields) / sizeof(host_fields[0]); i++) {
		const struct cloud_field *f = cloud_field(c, host_fields[i]);

		for (size_t k = 0; f != NULL && k < f->values.n; k++)
			add_host_once(out, xstrdup(f->values.v[k]));
	}
}

/* The organisation's own names: the domain, its subdomains, given hosts. */
static void
collect_onprem_hosts(const struct remedy_inputs *in, struct strlist *out)
{
	if (in->domain != NULL) {
		add_host_once(out, xstrdup(in->domain));
		add_host_once(out, xasprintf("*.%s", in->domain));
	}
	if (in->onprem_host != NULL)
		add_host_once(out, xstrdup(in->onprem_host));
	for (size_t i = 0; in->hosts != NULL && i < in->hosts->n; i++)
		add_host_once(out, xstrdup(in->hosts->v[i]));
}

/* Appends text with every line indented by ind spaces. */
static void
indent(struct buf *out, const struct buf *in, int ind)
{
	const char *s = in->data ? in->data : "";

	while (*s) {
		size_t n = strcspn(s, "\n");

		if (n > 0)
			buf_printf(out, "%*s%.*s", ind, "", (int)n, s);
		buf_append(out, "\n", 1);
		s += n;
		if (*s == '\n')
			s++;
	}
}

/* Connection helpers: values validated through a small builder of their own. */
static void
connect_helpers(struct ps1 *h, const struct remedy_inputs *in,
    const struct strlist *scopes, int graph, int exo)
{
	const char *genv = cloud_value(in->cloud, "graph_environment");
	const char *xenv = cloud_value(in->cloud, "exo_environment");

	if (graph) {
		ps1_step_begin(h, PS1_GRAPH, "connect to Microsoft Graph");
		ps1_comment(h, "signs in to Microsoft Graph in the %s cloud with the "
		    "least scopes the steps need", in->cloud->name);
		ps1_code(h, "function Connect-HcGraph {\n    $scopes = @(");
		for (size_t i = 0; i < scopes->n; i++) {
			ps1_code(h, i ? ", " : "");
			ps1_add_text(h, "Graph scope", scopes->v[i]);
		}
		ps1_code(h, ")\n    $envName = ");
		ps1_add_word(h, "graph_environment", genv);
		ps1_code(h, "\n    $mg = Get-MgContext\n"
		    "    if ($null -ne $mg -and $mg.Environment -eq $envName -and @($scopes | Where-Object { $mg.Scopes -notcontains $_ }).Count -eq 0) { return }\n");
		if (in->tenant_id != NULL) {
			ps1_code(h, "    Connect-MgGraph -Environment $envName -Scopes $scopes -TenantId ");
			ps1_add_guid(h, "tenant id", in->tenant_id);
			ps1_code(h, " -NoWelcome\n}\n");
		} else
			ps1_code(h, "    Connect-MgGraph -Environment $envName -Scopes $scopes -NoWelcome\n}\n");
		ps1_step_end(h);
	}
	if (exo) {
		ps1_step_begin(h, PS1_EXO, "connect to Exchange Online");
		ps1_comment(h, "signs in to Exchange Online PowerShell in the %s cloud",
		    in->cloud->name);
		ps1_code(h, "function Connect-HcExchangeOnline {\n"
		    "    $exo = @(Get-ConnectionInformation -ErrorAction SilentlyContinue | Where-Object { $_.State -eq 'Connected' })\n"
		    "    if ($exo.Count -gt 0) { return }\n"
		    "    Connect-ExchangeOnline -ExchangeEnvironmentName ");
		ps1_add_word(h, "exo_environment", xenv);
		ps1_code(h, " -ShowBanner:$false\n}\n");
		ps1_step_end(h);
	}
}

struct part {
	int		 section;
	const char	*name;		/* the -Part value */
	const char	*where;		/* section title */
	const char	*probe;		/* a command that proves the shell */
	const char	*connect;	/* helper to call first, or NULL */
	const char	*wrong_shell;
};

static const struct part parts[] = {
	{ PS1_ONPREM, "OnPremises", "Exchange Management Shell on-premises",
	  "Get-ExchangeCertificate", NULL,
	  "part OnPremises needs the Exchange Management Shell on-premises" },
	{ PS1_GRAPH, "Graph", "Microsoft Graph PowerShell",
	  "Connect-MgGraph", "Connect-HcGraph",
	  "part Graph needs the Microsoft.Graph.Applications module (Install-Module Microsoft.Graph.Applications)" },
	{ PS1_EXO, "ExchangeOnline", "Exchange Online PowerShell",
	  "Connect-ExchangeOnline", "Connect-HcExchangeOnline",
	  "part ExchangeOnline needs the ExchangeOnlineManagement module (Install-Module ExchangeOnlineManagement)" },
	{ PS1_VERIFY_ONPREM, "VerifyOnPremises", "verification in the Exchange Management Shell on-premises",
	  "Get-ExchangeCertificate", NULL,
	  "part VerifyOnPremises needs the Exchange Management Shell on-premises" },
	{ PS1_VERIFY_EXO, "VerifyExchangeOnline", "verification in Exchange Online PowerShell",
	  "Connect-ExchangeOnline", "Connect-HcExchangeOnline",
	  "part VerifyExchangeOnline needs the ExchangeOnlineManagement module (Install-Module ExchangeOnlineManagement)" },
};

static void
render(struct buf *out, const struct ps1 *p, const struct ps1 *h,
    const struct remedy_inputs *in, int wrong_cloud)
{
	char *dom = ps1_comment_text(in->domain ? in->domain : "(no domain given)");

	buf_printf(out,
	    "# hybridcheck remediation script for %s, cloud %s (%s)\n"
	    "# generated by hybridcheck %s from the findings of one run; read it before you run it.\n"
	    "#\n"
	    "# Run each part where it belongs (without -Part, the script picks by the shell it finds):\n"
	    "#   Exchange Management Shell on-premises:  .\\<this script> -Part OnPremises, VerifyOnPremises -OnPremisesMailbox <on-premises address>\n"
	    "#   PowerShell 7 with Microsoft.Graph and ExchangeOnlineManagement:\n"
	    "#                                           .\\<this script> -Part Graph, ExchangeOnline, VerifyExchangeOnline -CloudMailbox <cloud address>\n"
	    "# Add -WhatIf to see what would change. Every step reads the current state first:\n"
	    "# a second run changes nothing. Existing key credentials and service principal names are kept.\n",
	    dom, in->cloud->name, in->cloud->display_name,
	    in->tool_version ? in->tool_version : "");
	free(dom);
	buf_printf(out, "[CmdletBinding(SupportsShouldProcess)]\n"
	    "param(\n"
	    "    [ValidateSet('OnPremises', 'Graph', 'ExchangeOnline', 'VerifyOnPremises', 'VerifyExchangeOnline')]\n"
	    "    [string[]]$Part,\n"
	    "    [string]$OnPremisesMailbox,\n"
	    "    [string]$CloudMailbox\n"
	    ")\n\n"
	    "$ErrorActionPreference = 'Stop'\n");

	if (p->nsteps[PS1_MANUAL] > 0) {
		buf_printf(out, "\n# ==== Not for a script: what the findings ask you to do by hand ====\n");
		indent(out, &p->sec[PS1_MANUAL], 0);
	}
	if (wrong_cloud) {
		/* Code text stays literal: only a plain cloud word goes in. */
		if (cloud_word(in->right_cloud) && cloud_word(in->cloud->name))
			buf_printf(out, "Write-Warning 'the findings say the tenant "
			    "lives in the %s cloud, not %s: run hybridcheck again "
			    "with --cloud %s (the command is above); this script "
			    "changes nothing'\n", in->right_cloud, in->cloud->name,
			    in->right_cloud);
		else
			buf_printf(out, "Write-Warning 'the findings say the tenant "
			    "lives in another cloud: run hybridcheck again with the "
			    "right --cloud (see above); this script changes nothing'\n");
		buf_printf(out, "return\n");
		return;
	}
	buf_printf(out, "\n"
	    "if (-not $PSBoundParameters.ContainsKey('Part')) {\n"
	    "    if (Get-Command Get-ExchangeCertificate -ErrorAction SilentlyContinue) {\n"
	    "        $Part = @('OnPremises', 'VerifyOnPremises')\n"
	    "    } else {\n"
	    "        $Part = @('Graph', 'ExchangeOnline', 'VerifyExchangeOnline')\n"
	    "    }\n"
	    "    Write-Host ('running part(s): ' + ($Part -join ', '))\n"
	    "}\n");
	for (int s = PS1_GRAPH; s <= PS1_EXO; s++)
		if (h->sec[s].len > 0) {
			buf_printf(out, "\n");
			indent(out, &h->sec[s], 0);
		}
	if (p->nsteps[PS1_ONPREM] + p->nsteps[PS1_GRAPH] + p->nsteps[PS1_EXO] == 0)
		buf_printf(out, "\n# Nothing to change: no finding asks for a step. "
		    "This script only verifies.\n");
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const struct part *pt = &parts[i];

		if (p->sec[pt->section].len == 0)
			continue;
		buf_printf(out, "\n# ==== %s (-Part %s) ====\n", pt->where, pt->name);
		buf_printf(out, "if ($Part -contains '%s') {\n"
		    "    if (-not (Get-Command %s -ErrorAction SilentlyContinue)) {\n"
		    "        Write-Warning '%s'\n"
		    "    } else {\n", pt->name, pt->probe, pt->wrong_shell);
		if (pt->connect)
			buf_printf(out, "        %s\n\n", pt->connect);
		indent(out, &p->sec[pt->section], 8);
		buf_printf(out, "    }\n}\n");
	}
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
	collect_cloud_hosts(in->cloud, &cloud_hosts);
	collect_onprem_hosts(in, &onprem_hosts);
	fds = xcalloc(nf ? nf : 1, sizeof(*fds));

	for (const struct remedy *r = remedies; r->id; r++) {
		const struct builder *b = builder_find(r->id);
		struct job j = { r, in, fds, 0, &cloud_hosts, &onprem_hosts };

		for (size_t i = 0; i < nf; i++)
			if (remedy_wanted(&f->v[i]) && strcmp(f->v[i].remedy, r->id) == 0)
				fds[j.n++] = &f->v[i];
		if (j.n == 0 || b == NULL)
			continue;
		if (strcmp(r->id, "cloud.select") == 0)
			wrong_cloud = 1;
		b->build(&p, &j);
	}
	/* A remedy id this catalogue does not know is a defect: say so in the script. */
	for (size_t i = 0; i < nf; i++)
		if (remedy_wanted(&f->v[i]) && remedy_find(f->v[i].remedy) == NULL) {
			ps1_step_begin(&p, PS1_MANUAL, "unknown remedy");
			ps1_comment(&p, "finding %s %s asks for remedy '%s', which this "
			    "version does not know", f->v[i].check, f->v[i].subject,
			    f->v[i].remedy);
			ps1_step_end(&p);
		}
	verification(&p, in, &cloud_hosts, &onprem_hosts);
	connect_helpers(&h, in, &p.scopes, p.nsteps[PS1_GRAPH] > 0,
	    p.nsteps[PS1_EXO] > 0 || p.sec[PS1_VERIFY_EXO].len > 0);
	render(out, &p, &h, in, wrong_cloud);

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
