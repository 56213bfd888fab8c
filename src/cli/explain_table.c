/*
 * What hybridcheck explain knows, as data: one row per message, each with
 * the source of its meaning (PROTOCOLS.md, or a Microsoft page named in
 * tests/data/real/SOURCES.md) and a real sample of the message that
 * tests/unit/test_explain.c decodes. A message without a source for its
 * meaning has no row, however often it is seen: explain says it is
 * unknown rather than guess.
 */
#include "explain.h"

#include <stddef.h>

#define WS	"[[:space:]]+"

const struct explain_entry explain_table[] = {
	/* Test-OAuthConnectivity, in either direction */
	{ "toc.config-never-loaded", "test-oauthconnectivity",
	  "01[-/.]01[-/.]0001",
	  "Test-OAuthConnectivity: the configuration was last loaded at 01/01/0001",
	  "01/01/0001 is the empty date: Exchange says this process never loaded "
	  "its OAuth configuration. Beside (403) Forbidden it is the reported "
	  "symptom of a missing setting override for the dedicated hybrid "
	  "application; on its own it decides nothing (the 21Vianet capture shows "
	  "it beside a trusted-issuer failure).",
	  "hybrid-app.override hybrid.model", "hybridapp.override", NULL,
	  "PROTOCOLS.md 12.6 (the 403 symptom, a third-party report)",
	  "explain/qa-1629044-21v-test-oauthconnectivity.txt" },
	{ "toc.issuer-not-included", "test-oauthconnectivity",
	  "trusted_issuer does NOT include the auth server '([^']*)",
	  "Test-OAuthConnectivity: trusted_issuer does NOT include the auth server",
	  "The target's 401 challenge lists the token issuers it trusts, and this "
	  "AuthServer's issuer is not among them: on-premises Exchange would sign "
	  "through an issuer the other side refuses. The AuthServer points at "
	  "another cloud, or another realm than the tenant's.",
	  "authserver.acs cloud.selection endpoint.cloud-discovery",
	  "authserver.acs.fix", NULL,
	  "PROTOCOLS.md 11 (AuthServer pointing at the wrong cloud or realm) and 12.2",
	  "explain/qa-1629044-21v-test-oauthconnectivity.txt" },
	{ "toc.no-issuer-configured", "test-oauthconnectivity",
	  "following" WS "entries" WS "'([^']*)'[.]?" WS "None" WS "of" WS "them"
	  WS "are" WS "configured" WS "locally",
	  "Test-OAuthConnectivity: none of the trusted issuers is configured locally",
	  "No enabled AuthServer on-premises has an issuer that the target trusts. "
	  "The GUID before the @ names the issuer's principal: "
	  "00000001-0000-0000-c000-000000000000 is ACS worldwide, "
	  "00000001-0002-0000-c000-000000000000 the one 21Vianet's Exchange Online "
	  "trusts (that the second group names the ACS instance is an inference). "
	  "Create or correct the ACS AuthServer for the cloud the tenant lives in.",
	  "authserver.acs cloud.selection endpoint.cloud-discovery",
	  "authserver.acs.create authserver.acs.fix", NULL,
	  "PROTOCOLS.md 12.2 (from this capture)",
	  "explain/qa-1629044-21v-test-oauthconnectivity.txt" },
	{ "toc.result-error", "test-oauthconnectivity",
	  "ResultType[[:space:]]*:[[:space:]]*Error",
	  "Test-OAuthConnectivity: ResultType Error",
	  "The test failed; a working trust gives ResultType Success. ResultType "
	  "says no more than that: the Detail lines above it say why (paste them "
	  "too, each is explained on its own).",
	  "", "",
	  "run hybridcheck preflight with the snapshot: it judges every link the "
	  "test crosses",
	  "PROTOCOLS.md 8, step 9 (expect ResultType: Success)",
	  "explain/qa-1629044-21v-test-oauthconnectivity.txt" },
	{ "toc.401-access-denied", "test-oauthconnectivity",
	  "401 Access denied",
	  "Test-OAuthConnectivity: 401 Access denied",
	  "Exchange Online refused the test's token. Microsoft names two causes: a "
	  "service principal name for the on-premises endpoints "
	  "(Get-IntraOrganizationConfiguration shows them) is missing, or the "
	  "mailbox tested is not synchronised between on-premises and Exchange "
	  "Online (an on-premises administrator account, for one).",
	  "spn.coverage spn.entries", "spn.add",
	  "test with a mailbox that is synchronised to Exchange Online",
	  "Microsoft KB 3090197 (OfficeDocs-Support, "
	  "401-access-denied-error-when-running-test-oauthconnectivity.md)",
	  "explain/officedocs-support-test-oauth-401.txt" },

	/* TLS from the Exchange servers, and the ACS document */
	{ "tls.connection-closed", "tls",
	  "underlying connection was closed:" WS "An unexpected error occurred on "
	  "a (send|receive)",
	  "The underlying connection was closed (an Exchange server's TLS)",
	  "The Exchange server's .NET could not complete a TLS handshake. "
	  "Microsoft's cause: TLS 1.2 is not fully enabled and configured on every "
	  "Exchange server; the Hybrid Configuration Wizard, New-AuthServer and "
	  "Test-OAuthConnectivity all fail this way.",
	  "", "",
	  "enable and configure TLS 1.2 on every Exchange server (Microsoft's "
	  "Exchange Server TLS configuration best practices; Health Checker reports "
	  "what is missing)",
	  "Microsoft (OfficeDocs-Support, free-busy-sharing-issues-tls12.md)",
	  "explain/officedocs-support-test-oauth-tls.txt" },
	{ "acs.metadata-not-acquired", "acs",
	  "Cannot acquire auth metadata document from '([^']*)'",
	  "New-AuthServer: cannot acquire the auth metadata document",
	  "The Exchange server could not read the ACS metadata document at that "
	  "URL. With 'The underlying connection was closed' after it, Microsoft's "
	  "cause is TLS 1.2 not fully enabled on the Exchange servers. The URL must "
	  "also be the one of the cloud the tenant lives in.",
	  "acs.metadata cloud.selection", "authserver.acs.create",
	  "enable and configure TLS 1.2 on every Exchange server",
	  "Microsoft (OfficeDocs-Support, free-busy-sharing-issues-tls12.md); "
	  "PROTOCOLS.md 1 (the URL per cloud)",
	  "explain/officedocs-support-new-authserver-tls.txt" },

	/* x-ms-diagnostics: Exchange's reason for a 401 */
	{ "diag.2000003", "x-ms-diagnostics",
	  "2000003;[[:space:]]*reason=[[:space:]]*\"?([^\"]*)",
	  "x-ms-diagnostics 2000003: the audience's host name is invalid",
	  "Exchange refused the token because its audience names another host "
	  "than the one the request reached. Microsoft's example: the audience "
	  "says https:// but the request arrived as http://, TLS offloading in "
	  "front of Exchange, which OAuth does not support. A published host that "
	  "no service principal name covers is refused the same way.",
	  "spn.coverage oauth.challenge", "spn.add",
	  "end TLS on the Exchange servers, not on a device in front of them",
	  "Microsoft (OfficeDocs-Exchange, use-hybrid-modern-auth.md); "
	  "PROTOCOLS.md 11",
	  "wwwauth/officedocs-exchange-hma-ssl-offload-401.txt" },
	{ "diag.2000004", "x-ms-diagnostics",
	  "2000004;[[:space:]]*reason=[[:space:]]*\"?([^\"]*)",
	  "x-ms-diagnostics 2000004: the tenant does not exist",
	  "Exchange did not find the tenant the token names among its "
	  "organisation's domains. Microsoft's cause: an accepted domain written "
	  "as a wildcard (*.contoso.com) instead of the domain itself; "
	  "server-to-server authentication does not support wildcard accepted "
	  "domains.",
	  "", "",
	  "define every accepted domain explicitly, without wildcards",
	  "Microsoft (OfficeDocs-Support, sfb-and-exchange-integration-fails.md)",
	  "wwwauth/officedocs-support-sfb-invalid-tenant-401.txt" },
	{ "diag.2000005", "x-ms-diagnostics",
	  "2000005;[[:space:]]*reason=[[:space:]]*\"?([^\"]*)",
	  "x-ms-diagnostics 2000005: the user in the token",
	  "The token was accepted, but the user it acts for could not be resolved "
	  "to one mailbox: not there, not synchronised, or, as the reason may say, "
	  "ambiguous. The trust worked; the user did not.",
	  "", "",
	  "test with a mailbox synchronised between on-premises and Exchange "
	  "Online whose address names one object on each side",
	  "PROTOCOLS.md 11 (the user of the token's context); Microsoft KB 3090197 "
	  "(an unsynchronised account)",
	  "explain/qa-108027-freebusy-2000005.txt" },
	{ "diag.4000000", "x-ms-diagnostics",
	  "4000000;[[:space:]]*reason=[[:space:]]*\"?([^\"]*)",
	  "x-ms-diagnostics 4000000: OAuth is not available",
	  "The on-premises server answered that OAuth is not available there "
	  "(error_category oauth_not_available), although its challenge may name "
	  "the tenant: OAuth cannot be used against that server as it stands.",
	  "oauth.challenge", "", NULL,
	  "PROTOCOLS.md 12.5 (a capture)",
	  "wwwauth/qa-1792037-test-hmaeas-401.txt" },

	/* Outlook on the web: free/busy of a cloud attendee, from on-premises */
	{ "owa.5039", "owa-freebusy",
	  "Error Code:?[[:space:]]*5039",
	  "Outlook on the web, free/busy error 5039: the attendee's server couldn't be found",
	  "On-premises could not find the cloud attendee's server. Microsoft's "
	  "steps: when the servers reach the internet through a web proxy, set it "
	  "on them; then make sure their clocks are within 5 minutes.",
	  "clock.skew", "clock.sync",
	  "Get-ExchangeServer | fl InternetWebProxy; Set-ExchangeServer "
	  "-InternetWebProxy with the proxy's URL where one is needed",
	  "Microsoft (OfficeDocs-Support, troubleshoot-freebusy-issues-in-exchange-hybrid.md)",
	  "explain/officedocs-support-owa-freebusy-codes.txt" },
	{ "owa.5016", "owa-freebusy",
	  "Error Code:?[[:space:]]*5016",
	  "Outlook on the web, free/busy error 5016: the attendee's server couldn't be contacted",
	  "Microsoft's step: the cloud mailbox's on-premises object (its remote "
	  "mailbox) must have a RemoteRoutingAddress in the tenant's routing "
	  "domain (tenant.mail.onmicrosoft.com, or the one the hybrid uses).",
	  "federation.domains ioc.onprem", "",
	  "Get-RemoteMailbox NAME | fl RemoteRoutingAddress: the address must be "
	  "in the routing domain",
	  "Microsoft (OfficeDocs-Support, troubleshoot-freebusy-issues-in-exchange-hybrid.md)",
	  "explain/officedocs-support-owa-freebusy-codes.txt" },
	{ "owa.5037", "owa-freebusy",
	  "Error code:?[[:space:]]*5037",
	  "Outlook on the web, free/busy error 5037: no permission to see free/busy",
	  "Microsoft's step: the organisation relationships on both sides must "
	  "enable free/busy for the users (FreeBusyAccessEnabled, a "
	  "FreeBusyAccessLevel, the other side's DomainNames).",
	  "org-relationship.dauth", "",
	  "Get-OrganizationRelationship | fl on both sides; correct with "
	  "Set-OrganizationRelationship",
	  "Microsoft (OfficeDocs-Support, troubleshoot-freebusy-issues-in-exchange-hybrid.md)",
	  "explain/officedocs-support-owa-freebusy-codes.txt" },

	/* Entra ID */
	{ "aadsts.500011", "aadsts",
	  "AADSTS500011:[[:space:]]*The resource principal named",
	  "AADSTS500011: the resource principal was not found in the tenant",
	  "Entra ID has no service principal name for the resource a token was "
	  "asked for. In a hybrid, that is the on-premises host "
	  "(https://autodiscover.contoso.com, say) missing from Exchange Online's "
	  "service principal names, or a name in an invalid state.",
	  "spn.coverage spn.entries", "spn.add", NULL,
	  "Microsoft (OfficeDocs-Support, outlook-does-not-connect-with-modern-authentication.md)",
	  "explain/officedocs-support-aadsts500011.txt" },
	{ "aadsts.90002", "aadsts",
	  "AADSTS90002:[[:space:]]*Tenant" WS "'([^']*)'" WS "not found",
	  "AADSTS90002: tenant not found",
	  "Entra ID in the cloud that was asked knows no such tenant: the domain "
	  "or id is not a tenant there. It lives in another cloud, or is "
	  "misspelt.",
	  "tenant.discovery cloud.selection", "cloud.select", NULL,
	  "PROTOCOLS.md 2 and 4 (tenant discovery names the cloud; an error answer "
	  "means not a tenant in this cloud)",
	  "openid/windowsupdates-sample-issue-6-aadsts90002.json" },

	/* Hybrid Configuration Wizard */
	{ "hcw.8064", "hcw",
	  "HCW8064",
	  "HCW8064: the wizard did not configure OAuth",
	  "The Hybrid Configuration Wizard finished without its OAuth part. "
	  "Free/busy, MailTips and photos over OAuth need what that part creates: "
	  "the ACS AuthServer, the enabled PartnerApplication, the Auth "
	  "certificate in Entra ID, the service principal names, and both "
	  "IntraOrganizationConnectors.",
	  "authserver.acs partner-app.exo auth-cert.entra spn.coverage ioc.onprem ioc.cloud",
	  "authserver.acs.create partnerapp.enable authcert.upload spn.add ioc.onprem ioc.cloud",
	  NULL,
	  "the wizard's own message (it points to Microsoft KB 3089172); "
	  "PROTOCOLS.md 8 (what the OAuth configuration consists of)",
	  "explain/diecknet-hcw8064.txt" },
	{ "hcw.8126", "hcw",
	  "HCW8126",
	  "HCW8126: admin consent for the dedicated hybrid application was not granted",
	  "The wizard created the dedicated Exchange hybrid application, but no "
	  "administrator consented to its permission: Exchange Online refuses its "
	  "calls until one does.",
	  "hybrid-app.permissions hybrid.model", "hybridapp.configure", NULL,
	  "PROTOCOLS.md 12.6 (the Exchange Team blog: missing consent is HCW8126)",
	  "explain/jpmessaging-hcw8126.txt" },
	{ "hcw.8057", "hcw",
	  "HCW8057",
	  "HCW8057: Exchange Online cannot reach the on-premises Autodiscover endpoint",
	  "Exchange Online could not reach the on-premises Autodiscover endpoint "
	  "the tenant is configured with. Microsoft's causes: pre-authentication "
	  "on a perimeter device, a firewall blocking Microsoft 365's addresses, "
	  "internal DNS without the Autodiscover record, or on-premises "
	  "configuration in general.",
	  "endpoint.onprem-autodiscover autodiscover.discovery tls.certificate ioc.cloud",
	  "endpoint.publish", NULL,
	  "Microsoft KB 3087170 (OfficeDocs-Support, "
	  "hcw8034-or-hcw8057-error-when-runninghybrid-configuration-wizard.md)",
	  "explain/officedocs-support-hcw8057.txt" },
	{ "hcw.auth-cert-not-found", "hcw",
	  "couldn't find the authorization certificate with thumbprint",
	  "The Auth certificate Get-AuthConfig names was not found",
	  "The certificate Get-AuthConfig names as CurrentCertificateThumbprint "
	  "is not on the server or cannot be used: removed, or never there. "
	  "Microsoft's fix: create a new Auth certificate and make it the current "
	  "one (Set-AuthConfig -NewCertificateThumbprint, then "
	  "-PublishCertificate).",
	  "auth-config.certificate auth-cert.thumbprint", "authcert.renew", NULL,
	  "Microsoft KB 3089171 (OfficeDocs-Support, "
	  "exchange-oauth-authentication-could-not-find-the-authorization.md); "
	  "PROTOCOLS.md 11",
	  "explain/officedocs-support-auth-cert-not-found.txt" },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};
