/*
 * The command line's tables: every option once, with its kind and its
 * field, and every subcommand with the options it takes.
 */
#include "cli.h"

#include <stddef.h>
#include <string.h>

#include "commands.h"

/*
 * An option's field by name; the _Generic makes a row whose kind does
 * not match its field's type a compile error.
 */
#define FIELD(f, T)	.offset = _Generic(((struct options *)0)->f, \
			    T: offsetof(struct options, f))
#define FLAG(n, f)	.name = n, .kind = OPT_FLAG, FIELD(f, int)
#define STRING(n, f, val, a) \
			.name = n, .kind = OPT_STRING, FIELD(f, char *), \
			.value = val, .arg = a
#define NUMBER(n, f, lo, hi, a) \
			.name = n, .kind = OPT_NUMBER, FIELD(f, long), \
			.min = lo, .max = hi, .arg = a
#define LIST(n, f, val, a) \
			.name = n, .kind = OPT_LIST, FIELD(f, struct strlist), \
			.value = val, .arg = a
#define ENUM(n, f, T, c, a) \
			.name = n, .kind = OPT_ENUM, FIELD(f, T), .choices = c, \
			.arg = a

/* An enum option is stored through an int. */
_Static_assert(sizeof(enum report_format) == sizeof(int),
    "enum report_format is stored as an int");

static const struct optchoice formats[] = {
	{ "text", FMT_TEXT },
	{ "json", FMT_JSON },
	{ "junit", FMT_JUNIT },
	{ "html", FMT_HTML },
	{ NULL, 0 },
};

/*
 * Every option, documented once; commands pick theirs by name. --help and
 * the man page list them by group, in this order. Short names only for
 * the options nearly every run has.
 */
const struct optdef cli_options[] = {
	/* inputs: what is judged, and against what */
	{ STRING("domain", domain, VAL_DOMAIN, "D"), .short_name = 'd',
	  .group = GROUP_INPUT,
	  .help = "the organisation's e-mail domain (IDN accepted)" },
	{ STRING("cloud", cloud, VAL_CLOUD, "NAME"), .short_name = 'c',
	  .group = GROUP_INPUT,
	  .help = "global, china, gcchigh or dod (default: discovered)" },
	{ LIST("host", hosts, VAL_HOST, "H"), .unique = 1, .group = GROUP_INPUT,
	  .help = "a published on-premises host to judge (repeatable)" },
	{ STRING("snapshot", snapshot, VAL_FILE, "FILE"), .short_name = 's',
	  .group = GROUP_INPUT,
	  .help = "a configuration snapshot from the collector script" },
	{ STRING("cert", cert, VAL_FILE, "FILE"), .group = GROUP_INPUT,
	  .help = "the Exchange Auth certificate (.cer, PEM, base64 or PFX)" },
	{ STRING("next-cert", next_cert, VAL_FILE, "FILE"), .group = GROUP_INPUT,
	  .help = "the next Auth certificate staged for a rollover" },
	{ STRING("thumbprint", thumbprint, VAL_TEXT, "T"), .group = GROUP_INPUT,
	  .help = "CurrentCertificateThumbprint from Get-AuthConfig" },
	{ LIST("spn", spns, VAL_TEXT, "S"), .group = GROUP_INPUT,
	  .help = "a service principal name of Exchange Online (repeatable)" },
	{ STRING("spn-file", spn_file, VAL_FILE, "FILE"), .group = GROUP_INPUT,
	  .help = "service principal names, one a line or a JSON array" },
	{ STRING("token-file", token_file, VAL_FILE, "FILE"), .group = GROUP_INPUT,
	  .help = "read the token from FILE" },
	{ STRING("pfx", pfx, VAL_FILE, "FILE"), .group = GROUP_INPUT,
	  .help = "the Auth certificate with its private key: sign an actor token to prove the key pair" },
	{ STRING("metadata", metadata, VAL_FILE, "FILE"), .group = GROUP_INPUT,
	  .help = "a saved ACS or on-premises auth metadata document: its signing keys and realm" },
	{ STRING("tenant", tenant, VAL_GUID, "GUID"), .group = GROUP_INPUT,
	  .help = "the tenant id tokens must be issued for" },
	{ STRING("baseline", baseline, VAL_FILE, "FILE"), .group = GROUP_INPUT,
	  .help = "an earlier JSON report to compare with" },
	{ STRING("domains-file", domains_file, VAL_FILE, "FILE"), .group = GROUP_INPUT,
	  .help = "batch: the organisations, one 'DOMAIN [CLOUD]' a line ('#' comments)" },
	{ STRING("endpoints", endpoints, VAL_FILE, "PATH"), .group = GROUP_INPUT,
	  .help = "load cloud profiles from a file or a directory of *.json: "
	  "they add clouds; the report and the script name each file and its "
	  "SHA-256" },
	{ FLAG("endpoints-override", endpoints_override), .group = GROUP_INPUT,
	  .help = "let --endpoints replace a built-in cloud of the same name "
	  "(refused without it)" },
	{ NUMBER("window", window, 0, 3650, "DAYS"), .group = GROUP_INPUT,
	  .help = "treat what expires within DAYS as a failure (migration window)" },

	/* network: whether and how the live probes reach the servers */
	{ FLAG("offline", offline), .group = GROUP_NETWORK,
	  .help = "no network: judge only the given files" },
	{ NUMBER("timeout", timeout, 1, 600, "SECONDS"), .group = GROUP_NETWORK,
	  .help = "limit for each network request (default 10)" },
	{ NUMBER("parallel", parallel, 1, 1024, "N"), .group = GROUP_NETWORK,
	  .help = "batch: at most N transfers at once (default 32)" },
	{ NUMBER("workers", workers, 1, 64, "N"), .group = GROUP_NETWORK,
	  .help = "batch: N processes share the list (default: one per core)" },
	{ LIST("connect-to", connect_to, VAL_CONNECT_TO, "HOST:PORT:HOST2:PORT2"),
	  .group = GROUP_NETWORK,
	  .help = "connect to HOST2:PORT2 instead of HOST:PORT, as curl does (repeatable)" },
	{ LIST("resolve", resolve, VAL_RESOLVE, "HOST:PORT:ADDR"),
	  .group = GROUP_NETWORK,
	  .help = "use ADDR for HOST:PORT instead of DNS, as curl does (repeatable)" },
	{ LIST("dns-server", dns_servers, VAL_DNS_SERVER, "ADDR[:PORT]"),
	  .max = 2, .max_why = "an internal and an external view",
	  .group = GROUP_NETWORK,
	  .help = "resolve with this server; twice for an internal and an external view" },
	{ STRING("ca-file", ca_file, VAL_FILE, "FILE"), .group = GROUP_NETWORK,
	  .help = "trust only the CA certificates (PEM) in FILE, not the system's, "
	  "as curl's --cacert" },
	{ LIST("ca-add", ca_add, VAL_FILE, "FILE"), .group = GROUP_NETWORK,
	  .help = "also trust the CA certificates (PEM) in FILE (repeatable)" },

	/* output: what is written, and where */
	{ ENUM("format", format, enum report_format, formats, "FMT"),
	  .short_name = 'f',	  .group = GROUP_OUTPUT,
	  .help = "text, json, junit or html: one self-contained page with the "
	  "trust drawn (default text)" },
	{ FLAG("quiet", quiet), .short_name = 'q', .group = GROUP_OUTPUT,
	  .help = "text: only the verdict, what was not checked, and the problems" },
	{ FLAG("verbose", verbose), .short_name = 'v', .group = GROUP_OUTPUT,
	  .help = "text: everything, every pass and skip and the network evidence" },
	{ STRING("output", output, VAL_FILE, "FILE"), .short_name = 'o',
	  .group = GROUP_OUTPUT,
	  .help = "write the report to FILE, whole or not at all (default stdout)" },
	{ STRING("ps1", ps1, VAL_FILE, "FILE"), .group = GROUP_OUTPUT,
	  .help = "write the remediation PowerShell script to FILE ('-': standard "
	  "output, when --output takes the report)" },
	{ FLAG("upload", show_upload), .group = GROUP_OUTPUT,
	  .help = "print the base64 value to upload and the x5t" },
	{ FLAG("no-color", no_color), .group = GROUP_OUTPUT,
	  .help = "never colour the text report (NO_COLOR is honoured too)" },
	{ .name = NULL },
};

static const char *const preflight_opts[] = {
	"domain", "cloud", "host", "snapshot", "offline", "timeout", "format",
	"output", "endpoints", "endpoints-override", "no-color", "cert",
	"next-cert", "thumbprint",
	"spn", "spn-file", "window", "ps1", "connect-to", "resolve", "ca-file",
	"ca-add", "dns-server", "quiet", "verbose", NULL,
};
/* remediate and verify take every preflight option (base_opts) and these. */
static const char *const remediate_opts[] = {
	NULL,
};
static const char *const verify_opts[] = {
	"baseline", NULL,
};
static const char *const endpoints_opts[] = {
	"cloud", "format", "output", "endpoints", "endpoints-override", NULL,
};
static const char *const checks_opts[] = {
	"format", "output", NULL,
};
static const char *const cert_opts[] = {
	"thumbprint", "next-cert", "window", "upload", "format", "output",
	"no-color", "quiet", "verbose", NULL,
};
static const char *const spn_opts[] = {
	"spn", "spn-file", "host", "domain", "format", "output", "no-color",
	"quiet", "verbose", NULL,
};
static const char *const explain_opts[] = {
	"format", "output", NULL,
};
static const char *const batch_opts[] = {
	"domains-file", "parallel", "workers", "cloud", "timeout", "format",
	"output", "endpoints", "endpoints-override", "connect-to", "resolve",
	"ca-file", "ca-add", "dns-server", NULL,
};
static const char *const token_opts[] = {
	"token-file", "cert", "pfx", "spn", "spn-file", "cloud", "tenant",
	"format", "output", "endpoints", "endpoints-override", "no-color",
	"snapshot", "metadata",
	"domain", "offline", "timeout", "connect-to", "resolve", "ca-file",
	"ca-add", "dns-server", "quiet", "verbose", NULL,
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
	  preflight_opts, 0, NULL, VAL_NONE,
	  {
	    { "hybridcheck preflight -d contoso.com",
	      "outside in: what the internet shows of contoso.com; the cloud is discovered" },
	    { "hybridcheck preflight -d contoso.cn -c china -s snapshot.json --cert auth.cer",
	      "inside and out, for 21Vianet: the collector's snapshot and the Auth certificate too" }
	  } },
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
	  remediate_opts, 0, preflight_opts, VAL_NONE,
	  {
	    { "hybridcheck remediate -d contoso.com -s snapshot.json --ps1 fix.ps1",
	      "write the script that fixes what failed; read it, then run it with -WhatIf" },
	    { "hybridcheck remediate -s snapshot.json -c gcchigh --offline --ps1 fix.ps1",
	      "from the snapshot alone, for GCC High, without a single request" }
	  } },
	{ "verify", cmd_verify,
	  "run the checks and compare with an earlier JSON report",
	  "--domain D [--cloud NAME] --baseline FILE [options]",
	  "Runs the same checks as preflight and compares the findings, by check "
	  "and subject, with an earlier report written by --format json: what is "
	  "fixed, what regressed (was pass, info or skip and is now warn, fail or "
	  "error, or got worse), what is new and what is gone. Exits 2 on any "
	  "failure or regression, 0 when nothing changed for the worse and "
	  "nothing is worse than information.",
	  verify_opts, 0, preflight_opts, VAL_NONE,
	  {
	    { "hybridcheck verify -d contoso.com -s after.json --baseline before.json",
	      "after a change: what is fixed and what regressed since before.json (a --format json report)" },
	    { "hybridcheck verify -d contoso.com --baseline before.json -f junit -o verify.xml",
	      "on a schedule, as JUnit for a CI dashboard" }
	  } },
	{ "endpoints", cmd_endpoints,
	  "print the cloud profiles: every host, URL and name per cloud",
	  "[--cloud NAME] [--format text|json]",
	  "Prints the built-in cloud profiles (and those loaded with "
	  "--endpoints), each field with its source and how certain it is.",
	  endpoints_opts, 0, NULL, VAL_NONE,
	  {
	    { "hybridcheck endpoints -c china",
	      "every host, URL and name of 21Vianet, each with its source" },
	    { "hybridcheck endpoints --endpoints profiles/ -f json",
	      "the built-in profiles and yours, as JSON" }
	  } },
	{ "checks", cmd_checks,
	  "list the checks, or print one check's page",
	  "[ID] [--format text|json]",
	  "Lists the catalogue of checks: each id, its title and the inputs it "
	  "needs. With a check id, prints that check's page (what it verifies, "
	  "why it matters, how to fix it, its evidence), built into the binary "
	  "from docs/checks/ID.md.",
	  checks_opts, 1, NULL, VAL_TEXT,
	  {
	    { "hybridcheck checks",
	      "the catalogue: each check's id, title and the inputs it needs" },
	    { "hybridcheck checks auth-cert.entra",
	      "what auth-cert.entra verifies, why it matters and how to fix it" }
	  } },
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
	  cert_opts, 1, NULL, VAL_FILE,
	  {
	    { "hybridcheck cert ExchangeAuth.cer --upload",
	      "the certificate's facts and checks, and the base64 value to register in Entra" },
	    { "hybridcheck cert current.cer --next-cert next.cer --window 90",
	      "a rollover: the staged certificate too, and what expires within 90 days a failure" }
	  } },
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
	  spn_opts, 0, NULL, VAL_NONE,
	  {
	    { "hybridcheck spn --spn-file spns.txt -d contoso.com",
	      "which SPN authority covers autodiscover.contoso.com, and what to add" },
	    { "hybridcheck spn --spn https://mail.contoso.com --host mail.contoso.com --host owa.contoso.com",
	      "whether owa.contoso.com is covered too" }
	  } },
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
	  token_opts, 1, NULL, VAL_TEXT,
	  {
	    { "hybridcheck token --token-file token.txt -d contoso.com",
	      "a token copied from a trace: each claim explained, the signature checked with the tenant's keys" },
	    { "hybridcheck token --pfx auth.pfx --cert auth.cer -s snapshot.json --offline",
	      "proof that the PFX, its export and Entra's key credentials are one key pair" }
	  } },
	{ "explain", cmd_explain,
	  "say what an error message means, what to check and what fixes it",
	  "[FILE|-] [--format text|json]",
	  "Reads text an administrator has -- the output of Test-OAuthConnectivity "
	  "in either direction, an x-ms-diagnostics header, an EWS or "
	  "Autodiscover error, an AADSTS error, a Hybrid Configuration Wizard "
	  "message, an Outlook on the web free/busy error code -- from FILE or "
	  "standard input, and explains every message its table knows: what it "
	  "means, the checks to run and the remedy, each with the source of the "
	  "explanation. The table is data; a message it does not know is said "
	  "to be unknown, never guessed. Exits 0 when something was explained, "
	  "1 when nothing was recognised.",
	  explain_opts, 1, NULL, VAL_FILE,
	  {
	    { "hybridcheck explain test-oauth.txt",
	      "the output of Test-OAuthConnectivity -Verbose, message by message" },
	    { "hybridcheck explain -f json hcw.log",
	      "the HCW messages in a log, as JSON for tooling" }
	  } },
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
	  "table to standard error; html writes one page with a row per "
	  "organisation linking to its report further down; text writes the "
	  "summary table: domain, cloud, tenant, verdict (ok, warn, fail, "
	  "incomplete), counts and exit code per organisation, in the file's "
	  "order. Progress goes to standard error when it is a "
	  "terminal. The exit status is the worst of all organisations (a "
	  "failure outranks could not complete); a bad "
	  "line in FILE is a usage error reported before any traffic.",
	  batch_opts, 0, NULL, VAL_NONE,
	  {
	    { "hybridcheck batch --domains-file orgs.txt",
	      "the summary table: a row per organisation, and the worst exit code" },
	    { "hybridcheck batch --domains-file orgs.txt --parallel 8 -f json -o reports.jsonl",
	      "one JSON report a line, at most 8 connections at once" }
	  } },
	{ .name = NULL },
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

int
cli_command_takes(const struct command *cmd, const struct optdef *d)
{
	for (const char *const *n = cmd->opts; *n; n++)
		if (strcmp(*n, d->name) == 0)
			return 1;
	for (const char *const *n = cmd->base_opts; n != NULL && *n; n++)
		if (strcmp(*n, d->name) == 0)
			return 1;
	return 0;
}
