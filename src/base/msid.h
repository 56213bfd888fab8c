/*
 * Microsoft's fixed identifiers and thresholds, the same in every cloud
 * (PROTOCOLS.md section 1), defined once. Per-cloud values and dates are
 * data in endpoints/, never here.
 */
#ifndef HC_MSID_H
#define HC_MSID_H

/* Exchange Online's first-party application and service principal. */
#define MSID_EXO_APP		"00000002-0000-0ff1-ce00-000000000000"
/*
 * The ACS principal tokens are issued as, worldwide; a cloud's profile
 * lists its own (acs_principals: 21Vianet's Exchange Online trusts
 * 00000001-0002-…, seen in a real challenge). Used where no profile says.
 */
#define MSID_ACS_PRINCIPAL	"00000001-0000-0000-c000-000000000000"
/* Microsoft Graph's application. */
#define MSID_GRAPH_APP		"00000003-0000-0000-c000-000000000000"
/* Exchange's application permission full_access_as_app (EWS). */
#define MSID_FULL_ACCESS_AS_APP	"dc890d15-9560-4a4c-9b7f-a736ec74ec40"

/*
 * The Auth certificate life cycle as Microsoft's MonitorExchangeAuthCertificate
 * enforces it (CSS-Exchange Admin/MonitorExchangeAuthCertificate,
 * DataCollection/Get-ExchangeAuthCertificateStatus.ps1 and
 * ConfigurationAction/New-ExchangeAuthCertificate.ps1; PROTOCOLS §12.10):
 * a current certificate valid for this many days or fewer, with no next one
 * valid for more than MSID_AUTHCERT_NEXT_MIN_DAYS, needs a new next one...
 */
#define MSID_AUTHCERT_WARN_DAYS	60
#define MSID_AUTHCERT_NEXT_MIN_DAYS	120
/* ...staged this many days ahead, fewer only when the current one ends sooner. */
#define MSID_AUTHCERT_STAGE_DAYS	30
/* The AuthAdmin servicelet publishes a staged certificate within this many
 * hours of its effective date (the script's own wording). */
#define MSID_AUTHCERT_PUBLISH_HOURS	12

#endif
