#include "cli.h"
#include "datetime.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "dnsname.h"
#include "findings.h"
#include "netopt.h"
#include "str.h"

#ifndef HC_VERSION
#define HC_VERSION "0.0.0"
#endif

/* Option setters: validate, then store. Each names the option on error. */

static int
set_string(char **dst, const char *name, const char *v, struct hcerr *e)
{
	if (*v == '\0') {
		hcerr_set(e, "--%s: empty value", name);
		return -1;
	}
	free(*dst);
	*dst = xstrdup(v);
	return 0;
}

static int
set_domain(struct options *o, const char *v, struct hcerr *e)
{
	struct hcerr why;
	char *d = dnsname_normalize(v, &why);

	if (d == NULL) {
		hcerr_set(e, "--domain: %s", why.msg);
		return -1;
	}
	if (dnsname_labels(d) < 2) {
		hcerr_set(e, "--domain: '%s' is a single label, expected an e-mail "
		    "domain such as contoso.com", v);
		free(d);
		return -1;
	}
	free(o->domain);
	o->domain = d;
	return 0;
}

static int
set_host(struct options *o, const char *v, struct hcerr *e)
{
	struct hcerr why;
	char *h = dnsname_normalize(v, &why);

	if (h == NULL) {
		hcerr_set(e, "--host: %s", why.msg);
		return -1;
	}
	if (!strlist_contains_ci(&o->hosts, h))
		strlist_add(&o->hosts, h);
	free(h);
	return 0;
}

static int
set_cloud(struct options *o, const char *v, struct hcerr *e)
{
	/* Whether the profile exists is known once --endpoints is loaded. */
	for (const char *p = v; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')) {
			hcerr_set(e, "--cloud: '%s' is not a cloud name (global, "
			    "china, gcchigh, dod)", v);
			return -1;
		}
	return set_string(&o->cloud, "cloud", v, e);
}

static int
set_snapshot(struct options *o, const char *v, struct hcerr *e)
{
	return set_string(&o->snapshot, "snapshot", v, e);
}

static int
set_cert(struct options *o, const char *v, struct hcerr *e)
{
	return set_string(&o->cert, "cert", v, e);
}

static int
set_next_cert(struct options *o, const char *v, struct hcerr *e)
{
	return set_string(&o->next_cert, "next-cert", v, e);
}

static int
set_thumbprint(struct options *o, const char *v, struct hcerr *e)
{
	return set_string(&o->thumbprint, "thumbprint", v, e);
}

static int
set_spn(struct options *o, const char *v, struct hcerr *e)
{
	if (*v == '\0') {
		hcerr_set(e, "--spn: empty value");
		return -1;
	}
	strlist_add(&o->spns, v);
	return 0;
}

static int
set_spn_file(struct options *o, const char *v, struct hcerr *e)
{
	return set_string(&o->spn_file, "spn-file", v, e);
}

static int
set_offline(struct options *o, const char *v, struct hcerr *e)
{
	(void)v;
	(void)e;
	o->offline = 1;
	return 0;
}

static int
set_no_color(struct options *o, const char *v, struct hcerr *e)
{
	(void)v;
	(void)e;
	o->no_color = 1;
	return 0;
}

static int
set_upload(struct options *o, const char *v, struct hcerr *e)
{
	(void)v;
	(void)e;
	o->show_upload = 1;
	return 0;
}

static int
set_connect_to(struct options *o, const char *v, struct hcerr *e)
{
	struct connect_to ct;

	if (netopt_parse_connect_to(v, &ct, e) == -1)
		return -1;
	strlist_add(&o->connect_to, v);
	return 0;
}

static int
set_resolve(struct options *o, const char *v, struct hcerr *e)
{
	struct resolve_entry r;

	if (netopt_parse_resolve(v, &r, e) == -1)
		return -1;
	netopt_resolve_release(&r);
	strlist_add(&o->resolve, v);
	return 0;
}

static int
set_dns_server(struct options *o, const char *v, struct hcerr *e)
{
	struct dns_server d;

	if (netopt_parse_dns_server(v, &d, e) == -1)
		return -1;
	if (o->dns_servers.n == 2) {
		hcerr_set(e, "--dns-server: at most two (an internal and an "
		    "external view)");
		return -1;
	}
	strlist_add(&o->dns_servers, v);
	return 0;
}

static int
set_ca_file(struct options *o, const char *v, struct hcerr *e)
{
	return set_string(&o->ca_file, "ca-file", v, e);
}

static int
parse_long(const char *name, const char *v, long min, long max, long *out,
    struct hcerr *e)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || n < min || n > max) {
		hcerr_set(e, "--%s: '%s' is not a whole number from %ld to %ld",
		    name, v, min, max);
		return -1;
	}
	*out = n;
	return 0;
}

static int
set_timeout(struct options *o, const char *v, struct hcerr *e)
{
	return parse_long("timeout", v, 1, 600, &o->timeout, e);
}

static int
set_window(struct options *o, const char *v, struct hcerr *e)
{
	return parse_long("window", v, 0, 3650, &o->window, e);
}

static int
set_format(struct options *o, const char *v, struct hcerr *e)
{
	if (strcmp(v, "text") == 0)
		o->format = FMT_TEXT;
	else if (strcmp(v, "json") == 0)
		o->format = FMT_JSON;
	else if (strcmp(v, "junit") == 0)
		o->format = FMT_JUNIT;
	else {
		hcerr_set(e, "--format: '%s', expected text, json or junit", v);
		return -1;
	}
	return 0;
}

static int
set_output(struct options *o, const char *v, struct hcerr *e)
{
	return set_string(&o->output, "output", v, e);
}

static int
set_ps1(struct options *o, const char *v, struct hcerr *e)
{
	return set_string(&o->ps1, "ps1", v, e);
}

static int
set_baseline(struct options *o, const char *v, struct hcerr *e)
{
	return set_string(&o->baseline, "baseline", v, e);
}

static int
set_endpoints(struct options *o, const char *v, struct hcerr *e)
{
	return set_string(&o->endpoints, "endpoints", v, e);
}

static int
set_tenant(struct options *o, const char *v, struct hcerr *e)
{
	static const int dash[] = { 8, 13, 18, 23 };
	size_t n = strlen(v);
	char *g;

	for (size_t i = 0, d = 0; i < n; i++) {
		if (d < 4 && i == (size_t)dash[d]) {
			if (v[i] != '-')
				break;
			d++;
		} else if (!isxdigit((unsigned char)v[i]))
			break;
		if (i == 35 && n == 36) {
			g = xstrdup(v);
			str_lower(g);
			free(o->tenant);
			o->tenant = g;
			return 0;
		}
	}
	hcerr_set(e, "--tenant: '%s' is not a tenant id (a GUID such as "
	    "72416f3c-199e-43f6-9bb5-29f4a10665d5)", v);
	return -1;
}

static int
set_pfx(struct options *o, const char *v, struct hcerr *e)
{
	return set_string(&o->pfx, "pfx", v, e);
}

static int
set_metadata(struct options *o, const char *v, struct hcerr *e)
{
	return set_string(&o->metadata, "metadata", v, e);
}

static int
set_token_file(struct options *o, const char *v, struct hcerr *e)
{
	return set_string(&o->token_file, "token-file", v, e);
}

static int
set_domains_file(struct options *o, const char *v, struct hcerr *e)
{
	return set_string(&o->domains_file, "domains-file", v, e);
}

static int
set_parallel(struct options *o, const char *v, struct hcerr *e)
{
	return parse_long("parallel", v, 1, 1024, &o->parallel, e);
}

/* Every option, documented once; commands pick theirs by name. */
const struct optdef cli_options[] = {
	{ "domain", "D", "the organisation's e-mail domain (IDN accepted)", 0, set_domain },
	{ "cloud", "NAME", "global, china, gcchigh or dod (default: discovered)", 0, set_cloud },
	{ "host", "H", "a published on-premises host to judge (repeatable)", 1, set_host },
	{ "snapshot", "FILE", "a configuration snapshot from the collector script", 0, set_snapshot },
	{ "cert", "FILE", "the Exchange Auth certificate (.cer, PEM, base64 or PFX)", 0, set_cert },
	{ "next-cert", "FILE", "the next Auth certificate staged for a rollover", 0, set_next_cert },
	{ "thumbprint", "T", "CurrentCertificateThumbprint from Get-AuthConfig", 0, set_thumbprint },
	{ "spn", "S", "a service principal name of Exchange Online (repeatable)", 1, set_spn },
	{ "spn-file", "FILE", "service principal names, one a line or a JSON array", 0, set_spn_file },
	{ "upload", NULL, "print the base64 value to upload and the x5t", 0, set_upload },
	{ "offline", NULL, "no network: judge only the given files", 0, set_offline },
	{ "connect-to", "HOST:PORT:HOST2:PORT2", "connect to HOST2:PORT2 instead of HOST:PORT, as curl does (repeatable)", 1, set_connect_to },
	{ "resolve", "HOST:PORT:ADDR", "use ADDR for HOST:PORT instead of DNS, as curl does (repeatable)", 1, set_resolve },
	{ "ca-file", "FILE", "trust these CA certificates (PEM) in addition to none other", 0, set_ca_file },
	{ "dns-server", "ADDR[:PORT]", "resolve with this server; twice for an internal and an external view", 1, set_dns_server },
	{ "timeout", "SECONDS", "limit for each network request (default 10)", 0, set_timeout },
	{ "window", "DAYS", "treat what expires within DAYS as a failure (migration window)", 0, set_window },
	{ "format", "FMT", "text, json or junit (default text)", 0, set_format },
	{ "output", "FILE", "write the report to FILE, whole or not at all (default stdout)", 0, set_output },
	{ "ps1", "FILE", "write the remediation PowerShell script to FILE", 0, set_ps1 },
	{ "baseline", "FILE", "an earlier JSON report to compare with", 0, set_baseline },
	{ "endpoints", "PATH", "load cloud profiles from a file or a directory of *.json", 0, set_endpoints },
	{ "no-color", NULL, "never colour the text report (NO_COLOR is honoured too)", 0, set_no_color },
	{ "tenant", "GUID", "the tenant id tokens must be issued for", 0, set_tenant },
	{ "token-file", "FILE", "read the token from FILE", 0, set_token_file },
	{ "pfx", "FILE", "the Auth certificate with its private key: sign an actor token to prove the key pair", 0, set_pfx },
	{ "metadata", "FILE", "a saved ACS or on-premises auth metadata document: its signing keys and realm", 0, set_metadata },
	{ "domains-file", "FILE", "batch: the organisations, one 'DOMAIN [CLOUD]' a line ('#' comments)", 0, set_domains_file },
	{ "parallel", "N", "batch: at most N transfers (connections) at once (default 32)", 0, set_parallel },
	{ NULL, NULL, NULL, 0, NULL },
};

static const char *const preflight_opts[] = {
	"domain", "cloud", "host", "snapshot", "offline", "timeout", "format",
	"output", "endpoints", "no-color", "cert", "next-cert", "thumbprint",
	"spn", "spn-file", "window", "ps1", "connect-to", "resolve", "ca-file",
	"dns-server", NULL,
};
/* remediate and verify take every preflight option (base_opts) and these. */
static const char *const remediate_opts[] = {
	NULL,
};
static const char *const verify_opts[] = {
	"baseline", NULL,
};
static const char *const endpoints_opts[] = {
	"cloud", "format", "output", "endpoints", NULL,
};
static const char *const checks_opts[] = {
	"format", "output", NULL,
};
static const char *const cert_opts[] = {
	"thumbprint", "next-cert", "window", "upload", "format", "output",
	"no-color", NULL,
};
static const char *const spn_opts[] = {
	"spn", "spn-file", "host", "domain", "format", "output", "no-color", NULL,
};
static const char *const batch_opts[] = {
	"domains-file", "parallel", "cloud", "timeout", "format", "output",
	"endpoints", "connect-to", "resolve", "ca-file", "dns-server", NULL,
};
static const char *const token_opts[] = {
	"token-file", "cert", "pfx", "spn", "spn-file", "cloud", "tenant",
	"format", "output", "endpoints", "no-color", "snapshot", "metadata",
	"domain", "offline", "timeout", "connect-to", "resolve", "ca-file",
	"dns-server", NULL,
};

const struct command cli_commands[] = {
	{ "preflight", cmd_preflight,
	  "check what is missing or wrong before or during a hybrid migration",
	  "--domain D [--cloud NAME] [options]",
	  "Builds what is known about the organisation from the options, the "
	  "files given and, unless --offline, live probes run in parallel; runs "
	  "every check whose inputs are present and reports the findings. "
	  "Checks that lack an input are reported as skipped with the option "
	  "that would enable them.",
	  preflight_opts, 0, NULL },
	{ "remediate", cmd_remediate,
	  "write the PowerShell that fixes what the checks found, for the cloud",
	  "--domain D [--cloud NAME] --ps1 FILE [options]",
	  "Runs the same checks as preflight, then writes one PowerShell script "
	  "with only the steps the failing findings need, for the target cloud, "
	  "in sections by where they run (Exchange Management Shell on-premises, "
	  "Microsoft Graph PowerShell, Exchange Online PowerShell), followed by "
	  "the verification for the cloud. Every value is validated and quoted; "
	  "every step reads the current state first and supports -WhatIf. The "
	  "script is written whole or not at all; the report is printed as usual.",
	  remediate_opts, 0, preflight_opts },
	{ "verify", cmd_verify,
	  "run the checks and compare with an earlier JSON report",
	  "--domain D [--cloud NAME] --baseline FILE [options]",
	  "Runs the same checks as preflight and compares the findings, by check "
	  "and subject, with an earlier report written by --format json: what is "
	  "fixed, what regressed (was pass, info or skip and is now warn, fail or "
	  "error, or got worse), what is new and what is gone. Exits 2 on any "
	  "failure or regression, 0 when nothing changed for the worse and "
	  "nothing is worse than information.",
	  verify_opts, 0, preflight_opts },
	{ "endpoints", cmd_endpoints,
	  "print the cloud profiles: every host, URL and name per cloud",
	  "[--cloud NAME] [--format text|json]",
	  "Prints the built-in cloud profiles (and those loaded with "
	  "--endpoints), each field with its source and how certain it is.",
	  endpoints_opts, 0, NULL },
	{ "checks", cmd_checks,
	  "list the checks with their ids, titles and the inputs they need",
	  "[--format text|json]",
	  "Lists the catalogue of checks. Each id has a page in docs/checks/.",
	  checks_opts, 0, NULL },
	{ "cert", cmd_cert,
	  "show an Auth certificate's facts and check it; print what to upload",
	  "FILE [--thumbprint T] [--next-cert FILE] [--window DAYS] [--upload]",
	  "Reads the Exchange Auth certificate from FILE, whatever its format "
	  "(DER .cer as ExportAuthCert.ps1 writes it, PEM, the bare base64 of "
	  "the upload script, UTF-16 text from Out-File, or PFX with its "
	  "password in HYBRIDCHECK_PFX_PASSWORD or typed at the prompt), shows "
	  "its subject, issuer, dates, SHA-1 thumbprint, SHA-256, x5t, key and "
	  "signature algorithm, and runs the auth-cert checks: the thumbprint "
	  "Get-AuthConfig shows, validity (60 days, or --window), key size, a "
	  "private key in the file, and the next certificate of a rollover. "
	  "--upload prints the base64 value to register as a key credential.",
	  cert_opts, 1, NULL },
	{ "spn", cmd_spn,
	  "show which hosts the SPN host authorities cover, and what to add",
	  "[--spn S]... [--spn-file FILE] [--host H]... [--domain D]",
	  "Reads the service principal names of Exchange Online (--spn, or "
	  "--spn-file with one a line as Graph or MSOnline print them, or a "
	  "JSON array), prints which entry covers each host (--host, and "
	  "autodiscover.D for --domain D), and runs the spn checks: missing "
	  "hosts, the smallest set of entries to add, malformed, duplicate and "
	  "unrelated entries. A wildcard covers exactly one label: "
	  "*.contoso.com covers mail.contoso.com, not contoso.com. Whether the "
	  "dedicated hybrid application still needs these authorities is "
	  "unsettled; they are checked as under the shared service principal.",
	  spn_opts, 0, NULL },
	{ "token", cmd_token,
	  "decode, explain and verify a token; prove the Auth certificate's key pair",
	  "TOKEN|- [--token-file FILE] [--domain D] [--cert FILE] [--pfx FILE] [--snapshot FILE] [--metadata FILE] [--tenant GUID] [options]",
	  "Decodes a token copied from a log or a trace (TOKEN, or - to read "
	  "standard input, or --token-file; standard input and files keep a live "
	  "token out of the process list and the shell history), including the "
	  "actor token inside Exchange's unsigned outer token, and explains each "
	  "claim. Then checks it against what is known: the RS256 signature "
	  "with the key its x5t names (the ACS signing keys of the tenant's "
	  "metadata, fetched for --domain unless --offline or read from a saved "
	  "document with --metadata, which may also be Exchange's own; the Auth "
	  "certificate from --cert, --pfx or the snapshot), the validity window "
	  "against the clock with five minutes of skew, the audience host "
	  "against the SPN authorities (--spn, --spn-file, the snapshot) and the "
	  "issuer's realm against the tenant (--tenant, else the snapshot, the "
	  "metadata's realm or tenant discovery). With --domain only the "
	  "tenant's OpenID configuration and ACS metadata are requested. With "
	  "--pfx (or a --cert that is a PFX with its private key; the password "
	  "comes from HYBRIDCHECK_PFX_PASSWORD or, once, the terminal) it signs "
	  "a self-issued actor token as Exchange does and verifies it against "
	  "the exported certificate given with --cert and each Entra key "
	  "credential of the snapshot (the shared service principal's and the "
	  "dedicated hybrid application's): proof that they are one key pair. "
	  "The token's signature and the private key never appear in the output.",
	  token_opts, 1, NULL },
	{ "batch", cmd_batch,
	  "check many organisations from outside in one run",
	  "--domains-file FILE [--parallel N] [--format text|json] [options]",
	  "Runs the outside-in checks of preflight for every organisation in "
	  "FILE (one 'DOMAIN [CLOUD]' a line; '#' starts a comment; without a "
	  "cloud, --cloud or tenant discovery decides) in one run: one event "
	  "loop, one connection cache, one DNS cache and one TLS session cache, "
	  "at most --parallel transfers at once. Each organisation is reported "
	  "as soon as its answers are in; one organisation's failures never stop "
	  "the others. --format json writes one compact JSON report (the "
	  "preflight schema) per line, in the order they finish, and the summary "
	  "table to standard error; text writes the summary table: domain, "
	  "cloud, tenant, worst severity, counts and exit code per organisation, "
	  "in the file's order. Progress goes to standard error when it is a "
	  "terminal. The exit status is the worst of all organisations; a bad "
	  "line in FILE is a usage error reported before any traffic.",
	  batch_opts, 0, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL },
};

const struct optdef *
cli_option(const char *name)
{
	for (const struct optdef *d = cli_options; d->name; d++)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

const struct command *
cli_command(const char *name)
{
	for (const struct command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static const struct optdef *
command_option(const struct command *cmd, const char *name)
{
	for (const char *const *n = cmd->opts; *n; n++)
		if (strcmp(*n, name) == 0)
			return cli_option(name);
	for (const char *const *n = cmd->base_opts; n != NULL && *n; n++)
		if (strcmp(*n, name) == 0)
			return cli_option(name);
	return NULL;
}

/* The n-th option name of a command: its own, then its base command's. */
static const char *
command_opt_at(const struct command *cmd, size_t i)
{
	size_t own = 0;

	while (cmd->opts[own] != NULL)
		own++;
	if (i < own)
		return cmd->opts[i];
	i -= own;
	for (size_t k = 0; cmd->base_opts != NULL && cmd->base_opts[k]; k++)
		if (k == i)
			return cmd->base_opts[k];
	return NULL;
}

static void
print_commands(FILE *out)
{
	fprintf(out, "usage: hybridcheck COMMAND [options]\n\ncommands:\n");
	for (const struct command *c = cli_commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fprintf(out, "\n'hybridcheck COMMAND --help' lists a command's options; "
	    "man hybridcheck has it all.\n");
}

void
cli_help(FILE *out, const struct command *cmd)
{
	if (cmd == NULL) {
		print_commands(out);
		return;
	}
	fprintf(out, "usage: hybridcheck %s %s\n\n%s\n\noptions:\n", cmd->name,
	    cmd->synopsis, cmd->description);
	for (size_t i = 0; command_opt_at(cmd, i) != NULL; i++) {
		const struct optdef *d = cli_option(command_opt_at(cmd, i));
		char left[64];

		snprintf(left, sizeof(left), "--%s%s%s", d->name, d->arg ? " " : "",
		    d->arg ? d->arg : "");
		fprintf(out, "  %-28s %s\n", left, d->help);
	}
	fprintf(out, "  %-28s %s\n", "--help", "show this help");
	fprintf(out, "\nexit status: 0 nothing worse than info, 1 warnings, "
	    "2 failures, 3 could not complete, 64 usage error\n");
}

/* Roff needs backslashes, leading dots and hyphens in options escaped. */
static void
roff(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

void
cli_write_man(FILE *out)
{
	fputs(".\\\" generated by hc-genman from the option tables in src/cli.c; do not edit\n"
	    ".TH HYBRIDCHECK 1 \"\" \"hybridcheck " HC_VERSION "\" \"User Commands\"\n"
	    ".SH NAME\nhybridcheck \\- check and repair the OAuth trust of Exchange hybrid\n"
	    ".SH SYNOPSIS\n", out);
	for (const struct command *c = cli_commands; c->name; c++) {
		fprintf(out, ".B hybridcheck %s\n", c->name);
		roff(out, c->synopsis);
		fputs("\n.br\n", out);
	}
	fputs(".SH DESCRIPTION\n"
	    "hybridcheck checks, explains and helps repair the OAuth trust behind "
	    "free/busy, MailTips and photos between on\\-premises Exchange and "
	    "Exchange Online, in every Microsoft 365 cloud: worldwide, 21Vianet "
	    "(China), GCC High and DoD.\n.SH COMMANDS\n", out);
	for (const struct command *c = cli_commands; c->name; c++) {
		fprintf(out, ".SS %s\n", c->name);
		roff(out, c->description);
		fputc('\n', out);
		for (size_t i = 0; command_opt_at(c, i) != NULL; i++) {
			const struct optdef *d = cli_option(command_opt_at(c, i));

			fputs(".TP\n.B \\-\\-", out);
			roff(out, d->name);
			if (d->arg) {
				fputs(" \" \"\n.I ", out);
				roff(out, d->arg);
			}
			fputc('\n', out);
			roff(out, d->help);
			fputc('\n', out);
		}
	}
	fputs(".SH EXIT STATUS\n"
	    ".TP\n.B 0\nnothing worse than information\n"
	    ".TP\n.B 1\nwarnings\n"
	    ".TP\n.B 2\nfailures (in verify: also a regression against the baseline)\n"
	    ".TP\n.B 3\ncould not complete: no check could run, or a fatal I/O error\n"
	    ".TP\n.B 64\nusage error: a bad option or value\n"
	    ".SH ENVIRONMENT\n"
	    ".TP\n.B NO_COLOR\nwhen set and not empty, the text report has no colour\n"
	    ".TP\n.B HYBRIDCHECK_PFX_PASSWORD\nthe password of a PFX given with "
	    "\\-\\-cert, of any length; never on the command line (a password "
	    "typed at the prompt may have up to 1024 characters)\n"
	    ".TP\n.B HYBRIDCHECK_NOW\nan ISO\\-8601 date the checks judge "
	    "against instead of the clock (tests and what\\-if runs)\n"
	    ".SH SEE ALSO\nThe pages under docs/checks/ describe each check.\n", out);
}

int
cli_parse(int argc, char **argv, struct options *o, const struct command **cmd,
    FILE *out, struct hcerr *e)
{
	struct strlist seen = { 0 };
	int i = 2, rc = -1;

	*cmd = NULL;
	if (argc < 2) {
		hcerr_set(e, "no command given; try 'hybridcheck --help'");
		return -1;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		const struct command *c = argc > 2 ? cli_command(argv[2]) : NULL;

		if (argc > 2 && c == NULL) {
			hcerr_set(e, "unknown command '%s'", argv[2]);
			return -1;
		}
		cli_help(out, c);
		return 1;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		fprintf(out, "hybridcheck %s\n", HC_VERSION);
		return 1;
	}
	if ((*cmd = cli_command(argv[1])) == NULL) {
		hcerr_set(e, "unknown command '%s'; try 'hybridcheck --help'", argv[1]);
		return -1;
	}
	/* Kept for messages that show the command to run again. */
	for (int k = 1; k < argc; k++)
		strlist_add(&o->argv, argv[k]);
	for (; i < argc; i++) {
		const char *a = argv[i], *eq, *value = NULL;
		const struct optdef *d;
		char name[64];
		size_t n;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cli_help(out, *cmd);
			rc = 1;
			goto out;
		}
		if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
			fprintf(out, "hybridcheck %s\n", HC_VERSION);
			rc = 1;
			goto out;
		}
		if (strcmp(a, "--") == 0) {
			for (i++; i < argc; i++)
				strlist_add(&o->args, argv[i]);
			break;
		}
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			if (a[0] == '-' && a[1] != '\0') {
				hcerr_set(e, "%s: unknown option '%s'", (*cmd)->name, a);
				goto out;
			}
			strlist_add(&o->args, a);
			continue;
		}
		eq = strchr(a, '=');
		n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		if (n < sizeof(name))
			snprintf(name, sizeof(name), "%.*s", (int)n, a + 2);
		if (n >= sizeof(name) || (d = command_option(*cmd, name)) == NULL) {
			hcerr_set(e, "%s: unknown option '%.*s'", (*cmd)->name,
			    (int)(eq ? (size_t)(eq - a) : strlen(a)), a);
			goto out;
		}
		if (d->arg == NULL) {
			if (eq != NULL) {
				hcerr_set(e, "--%s takes no value", d->name);
				goto out;
			}
		} else if (eq != NULL)
			value = eq + 1;
		else if (i + 1 < argc)
			value = argv[++i];
		else {
			hcerr_set(e, "--%s needs a value (%s)", d->name, d->arg);
			goto out;
		}
		if (!d->repeatable && strlist_contains_ci(&seen, d->name)) {
			hcerr_set(e, "--%s given twice", d->name);
			goto out;
		}
		strlist_add(&seen, d->name);
		if (d->set(o, value ? value : "", e) == -1)
			goto out;
	}
	if (o->args.n > (*cmd)->max_args) {
		hcerr_set(e, "%s: unexpected argument '%s'", (*cmd)->name,
		    o->args.v[(*cmd)->max_args]);
		goto out;
	}
	rc = 0;
out:
	strlist_release(&seen);
	return rc;
}

/*
 * The environment, read once here and passed down: the run's clock
 * (HYBRIDCHECK_NOW fixes it, for tests and what-if runs) and NO_COLOR.
 */
static int
cli_environment(struct options *o, FILE *err)
{
	const char *now = getenv("HYBRIDCHECK_NOW"), *nc = getenv("NO_COLOR");

	o->now = time(NULL);
	if (now != NULL && datetime_parse_iso8601(now, &o->now) == -1) {
		fprintf(err, "hybridcheck: HYBRIDCHECK_NOW: '%s' is not an "
		    "ISO-8601 date\n", now);
		return EXIT_INCOMPLETE;
	}
	if (nc != NULL && *nc != '\0')
		o->no_color = 1;
	return 0;
}

int
cli_main(int argc, char **argv, FILE *out, FILE *err)
{
	struct options o;
	const struct command *cmd;
	struct hcerr e = { "" };
	int rc;

	options_init(&o);
	switch (cli_parse(argc, argv, &o, &cmd, out, &e)) {
	case 1:
		rc = fflush(out) == 0 && !ferror(out) ? EXIT_OK : EXIT_INCOMPLETE;
		break;
	case -1:
		fprintf(err, "hybridcheck: %s\n", e.msg);
		rc = EXIT_USAGE;
		break;
	default:
		if ((rc = cli_environment(&o, err)) != 0)
			break;
		rc = cmd->run(&o, out, err);
		if (fflush(out) != 0 || ferror(out)) {
			fprintf(err, "hybridcheck: cannot write to standard output\n");
			rc = EXIT_INCOMPLETE;
		}
		break;
	}
	options_release(&o);
	return rc;
}
