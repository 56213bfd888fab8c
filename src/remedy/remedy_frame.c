/*
 * The script around the steps: the hosts its URLs may use, the connection
 * helpers, the parameters, the parts by shell and the wrong-cloud stop.
 */
#include "remedy_steps.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "str.h"

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
	str_lower(host);
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
void
remedy_cloud_hosts(const struct cloud *c, struct strlist *out)
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
void
remedy_onprem_hosts(const struct remedy_inputs *in, struct strlist *out)
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
void
remedy_connect_helpers(struct ps1 *h, const struct remedy_inputs *in,
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

void
remedy_render(struct buf *out, const struct ps1 *p, const struct ps1 *h,
    const struct remedy_inputs *in, int wrong_cloud)
{
	char *dom = ps1_comment_text(in->domain ? in->domain : "(no domain given)");
	/* A profile from --endpoints is a file: its names stay one comment line. */
	char *cname = ps1_comment_text(in->cloud->name);
	char *cshown = ps1_comment_text(in->cloud->display_name);

	/*
	 * The UTF-8 byte-order mark: Windows PowerShell 5.1 then reads the
	 * file as UTF-8, not in the ANSI code page. The text after it is
	 * ASCII anyway (ps1.h), so a reader that drops the mark reads the same.
	 */
	buf_append(out, PS1_BOM, 3);
	buf_printf(out,
	    "# hybridcheck remediation script for %s, cloud %s (%s)\n"
	    "# generated by hybridcheck %s from the findings of one run; read it before you run it.\n"
	    "#\n"
	    "# Run each part where it belongs (without -Part, the script picks by the shell it finds):\n"
	    "#   Exchange Management Shell on-premises:  .\\<this script> -Part OnPremises, VerifyOnPremises -OnPremisesMailbox <on-premises address>\n"
	    "#   PowerShell 7 with Microsoft.Graph and ExchangeOnlineManagement:\n"
	    "#                                           .\\<this script> -Part Graph, ExchangeOnline, VerifyExchangeOnline -CloudMailbox <cloud address>\n"
	    "# Add -WhatIf to see what would change, -Transcript FILE to record the run. Every step reads the current state first:\n"
	    "# a second run changes nothing. Existing key credentials and service principal names are kept.\n",
	    dom, cname, cshown, in->tool_version ? in->tool_version : "");
	{
		/* Where the profile came from: its hosts are the script's. */
		char *o = cloud_origin_text(in->cloud), *shown = ps1_comment_text(o);

		buf_printf(out, "# cloud profile: %s\n", shown);
		free(shown);
		free(o);
	}
	free(dom);
	free(cname);
	free(cshown);
	/*
	 * -Transcript records the run for the change record; a trap closes it
	 * when a step stops the script. -RetryMinutes lets the verification
	 * wait for servers still reading a changed override or application.
	 */
	buf_printf(out, "[CmdletBinding(SupportsShouldProcess)]\n"
	    "param(\n"
	    "    [ValidateSet('OnPremises', 'Graph', 'ExchangeOnline', 'VerifyOnPremises', 'VerifyExchangeOnline')]\n"
	    "    [string[]]$Part,\n"
	    "    [string]$OnPremisesMailbox,\n"
	    "    [string]$CloudMailbox,\n"
	    "    [ValidateRange(0, 240)]\n"
	    "    [int]$RetryMinutes = 0,\n"
	    "    [string]$Transcript\n"
	    ")\n\n"
	    "$ErrorActionPreference = 'Stop'\n"
	    "if ($Transcript) { Start-Transcript -LiteralPath $Transcript -Append | Out-Null }\n"
	    "trap { if ($Transcript) { Stop-Transcript | Out-Null }; break }\n");

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
		buf_printf(out, "if ($Transcript) { Stop-Transcript | Out-Null }\nreturn\n");
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
	buf_printf(out, "\nif ($Transcript) { Stop-Transcript | Out-Null }\n");
}
