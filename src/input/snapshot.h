/*
 * The configuration snapshot written by scripts/Get-HybridCheckSnapshot.ps1
 * (schema "hybridcheck.snapshot/1", docs/snapshot.md), read into plain
 * structs the checks walk. The reader accepts what Windows PowerShell 5.1
 * really writes: "\/Date(ms)\/" dates, a lone object where an array
 * belongs, enums as numbers, Exchange values as objects, property names in
 * any case, nulls and extra fields. Garbage is rejected with the JSON path
 * of the offending value and what was expected there.
 */
#ifndef HC_SNAPSHOT_H
#define HC_SNAPSHOT_H

#include <stddef.h>
#include <time.h>

#include "mem.h"
#include "buf.h"

#define SNAPSHOT_SCHEMA		"hybridcheck.snapshot/1"
#define SNAPSHOT_MAX_BYTES	(64u * 1024 * 1024)

/* Exchange's AuthServerType, in its numeric order (0 … 5). */
enum authserver_type {
	AUTHSERVER_UNKNOWN,
	AUTHSERVER_ACS,		/* MicrosoftACS */
	AUTHSERVER_FACEBOOK,
	AUTHSERVER_LINKEDIN,
	AUTHSERVER_ADFS,
	AUTHSERVER_AZUREAD,	/* EvoSTS: the dedicated hybrid app model */
};

/* Exchange's AvailabilityAccessMethod, in its numeric order (0 … 4). */
enum access_method {
	ACCESS_PERUSERFB,
	ACCESS_ORGWIDEFB,
	ACCESS_PUBLICFOLDER,
	ACCESS_INTERNALPROXY,
	ACCESS_ORGWIDEFBBASIC,
	ACCESS_UNKNOWN = -1,
};

/* A dotted build number; valid is 0 when nothing could be parsed. */
struct snap_version {
	unsigned	v[4];
	int		valid;
};

struct snap_authconfig {
	int	 present;
	char	*current_thumbprint;	/* normalised upper-case hex, or NULL */
	char	*previous_thumbprint;
	char	*next_thumbprint;
	time_t	 next_effective;	/* 0 when unknown */
	char	*service_name;
	char	*realm;
};

struct snap_authserver {
	char			*name;
	enum authserver_type	 type;		/* from Type, else from the URL */
	char			*type_text;	/* as written (name or number) */
	char			*metadata_url;	/* AuthMetadataUrl */
	char			*issuer;	/* IssuerIdentifier */
	char			*realm;
	char			*app_id;	/* ApplicationIdentifier */
	char			*token_endpoint;
	enum tristate		 enabled;
	struct strlist		 domains;	/* DomainName */
	char			*graph_base_url;	/* GraphBaseUrl (Exchange SE) */
};

struct snap_partnerapp {
	char		*name;
	char		*app_id;		/* ApplicationIdentifier */
	char		*realm;			/* NULL or "" when empty */
	char		*metadata_url;
	enum tristate	 enabled;
	enum tristate	 use_auth_server;
	char		*linked_account;	/* LinkedAccount, NULL when none */
	int		 linked_account_collected;	/* the key was written */
};

struct snap_ioc {
	char		*name;
	enum tristate	 enabled;
	char		*discovery_endpoint;
	struct strlist	 target_domains;
	char		*target_sharing;	/* TargetSharingEpr (Exchange Online's) */
};

/* Exchange Online's Get-MigrationEndpoint: where the Hybrid Agent shows too. */
struct snap_migration_endpoint {
	char		*name;
	char		*remote_server;		/* RemoteServer */
};

struct snap_address_space {
	char			*forest;	/* ForestName */
	enum access_method	 method;
	char			*method_text;
	char			*proxy_url;
	enum tristate		 use_service_account;
	char			*target_autodiscover;
};

struct snap_orgrel {
	char		*name;
	enum tristate	 enabled;
	struct strlist	 domains;		/* DomainNames */
	enum tristate	 freebusy_enabled;
	char		*freebusy_level;
	char		*target_app_uri;
	char		*target_autodiscover;
	char		*target_sharing;
};

struct snap_domain {
	char		*name;			/* DomainName, lower case */
	char		*type;			/* Authoritative, InternalRelay, … */
	enum tristate	 is_default;
};

struct snap_override {
	char		*name;
	char		*component;
	char		*section;
	struct strlist	 parameters;		/* "Enabled=true", as written */
	struct strlist	 servers;		/* empty: organisation-wide */
	char		*reason;
};

struct snap_vdir {
	char		*name;
	char		*internal_url;
	char		*external_url;
	enum tristate	 oauth;
	enum tristate	 wssecurity;
	enum tristate	 windows;
};

/* A certificate found in a server's store; public part only. */
struct snap_cert {
	char		*thumbprint;		/* normalised; from the DER when given */
	char		*subject;
	char		*issuer;
	time_t		 not_before;		/* 0 when unknown */
	time_t		 not_after;
	unsigned char	*der;			/* NULL when not collected */
	size_t		 der_len;
	char		*der_base64;		/* as written, whitespace removed */
};

struct snap_server {
	char			*name;
	char			*fqdn;
	char			*edition;
	char			*site;
	struct strlist		 roles;
	char			*admin_display_version;
	char			*file_version_text;
	struct snap_version	 version;	/* best known: file version first */
	const char		*version_source;	/* "fileVersion", … */
	int			 vdirs_collected;
	struct snap_vdir	*autodiscover;
	size_t			 nautodiscover;
	struct snap_vdir	*ews;
	size_t			 news;
	int			 certs_collected;
	struct snap_cert	*certs;
	size_t			 ncerts;
	/*
	 * The overrides this server's topology service applies (Get-
	 * ExchangeDiagnosticInfo … -Component VariantConfiguration -Argument
	 * Overrides); effective_collected is 0 where it did not answer.
	 */
	int			 effective_collected;
	struct snap_override	*effective;
	size_t			 neffective;
};

/* A domain of the RemoteRoutingAddress of remote mailboxes, and how many use it. */
struct snap_routing_domain {
	char		*domain;		/* lower case */
	long		 count;			/* -1 when not given */
};

/* An Entra key credential (Graph keyCredential). */
struct snap_keycred {
	char		*key_id;
	char		*display_name;
	char		*custom_key_id;		/* as written (base64) */
	char		*custom_thumbprint;	/* hex when customKeyIdentifier names one */
	char		*type;			/* AsymmetricX509Cert */
	char		*usage;			/* Verify */
	time_t		 start;
	time_t		 end;
	unsigned char	*der;			/* the public certificate, when Graph gave it */
	size_t		 der_len;
	char		*key_thumbprint;	/* SHA-1 of der */
};

struct snap_resource_access {
	char		*resource_app_id;
	struct strlist	 roles;			/* ids of type Role */
	struct strlist	 role_values;		/* names when the collector resolved them */
	struct strlist	 scopes;		/* ids of type Scope */
};

struct snap_role_assignment {
	char		*app_role_id;
	char		*app_role_value;	/* when resolved */
	char		*resource_app_id;
	char		*resource_name;
	time_t		 created;
};

struct snap_principal {
	char			*id;
	char			*app_id;
	char			*display_name;
	struct strlist		 spns;
	struct snap_keycred	*keys;
	size_t			 nkeys;
};

struct snap_app {
	char				*id;
	char				*app_id;
	char				*display_name;
	struct snap_keycred		*keys;
	size_t				 nkeys;
	struct snap_resource_access	*access;
	size_t				 naccess;
	struct snap_role_assignment	*assignments;
	size_t				 nassignments;
};

struct snap_error {
	char	*part;
	char	*message;
};

struct snapshot {
	char	*origin;		/* file name, for messages */
	char	*schema;
	time_t	 collected;
	char	*cloud;			/* as the collector was told, or NULL */
	char	*tenant_id;		/* lower case GUID, or NULL */
	char	*org_name;
	char	*org_guid;

	struct {
		int				 present;
		struct snap_authconfig		 authconfig;
		struct snap_authserver		*authservers;
		size_t				 nauthservers;
		struct snap_partnerapp		*partnerapps;
		size_t				 npartnerapps;
		struct snap_ioc			*iocs;
		size_t				 niocs;
		int				 iocs_collected;
		struct snap_address_space	*spaces;
		size_t				 nspaces;
		int				 spaces_collected;
		struct snap_orgrel		*orgrels;
		size_t				 norgrels;
		struct snap_domain		*domains;
		size_t				 ndomains;
		struct snap_override		*overrides;
		size_t				 noverrides;
		int				 overrides_collected;
		int				 hybrid_present;
		struct strlist			 hybrid_domains;
		struct strlist			 hybrid_features;	/* Features */
		int				 hybrid_features_collected;
		char				*service_instance;
		struct snap_server		*servers;
		size_t				 nservers;
		struct snap_routing_domain	*remote_domains;
		size_t				 nremote_domains;
		int				 remote_domains_collected;
		long				 cloud_archives;	/* -1: not collected */
	} onprem;

	struct {
		int			 present;
		struct snap_ioc		*iocs;
		size_t			 niocs;
		struct snap_orgrel	*orgrels;
		size_t			 norgrels;
		struct snap_domain	*domains;
		size_t			 ndomains;
		char			*ioc_onprem_endpoint;	/* IntraOrganizationConfiguration */
		char			*ioc_online_endpoint;
		struct strlist		 ioc_onprem_targets;
		/*
		 * Get-OrganizationConfig -RetrieveEwsOperationAccessPolicy: the
		 * EWS gate. ews_enabled_set says the key was written (null
		 * included): then TRI_UNKNOWN is Exchange's Null.
		 */
		int			 orgconfig_present;
		int			 ews_enabled_set;
		enum tristate		 ews_enabled;
		int			 ews_allowed_set;	/* ewsAllowedAppIds written */
		struct strlist		 ews_allowed_app_ids;	/* lower case */
		char			*ews_access_policy;	/* EnforceAllowList, … */
		struct strlist		 ews_allow_list;
		struct strlist		 ews_block_list;
		struct snap_migration_endpoint *migration_endpoints;
		size_t			 nmigration_endpoints;
		int			 migration_endpoints_collected;
	} exo;

	struct {
		int			 present;
		int			 sp_present;
		struct snap_principal	 sp;	/* Exchange Online's service principal */
		struct snap_app		*apps;	/* dedicated hybrid application(s) */
		size_t			 napps;
		/*
		 * appManagementPolicy (policies/defaultAppManagementPolicy, optional):
		 * the tenant's cap on certificate key credentials of applications.
		 */
		int			 key_policy_present;
		long			 key_max_days;		/* 0: no asymmetricKeyLifetime cap in force */
		char			*key_max_text;		/* maxLifetime as written */
		time_t			 key_policy_after;	/* restrictForAppsCreatedAfterDateTime; 0 unknown */
	} entra;

	struct snap_error	*errors;
	size_t			 nerrors;
};

/* Reads and parses a snapshot file of at most SNAPSHOT_MAX_BYTES. */
int	snapshot_load(const char *path, struct snapshot **out, struct hcerr *e);
/*
 * Parses a snapshot held in memory; origin names it in error messages.
 * On success *out is the caller's (snapshot_free); on error *out is NULL.
 */
int	snapshot_parse(const char *text, size_t len, const char *origin,
	    struct snapshot **out, struct hcerr *e);
void	snapshot_free(struct snapshot *s);

/* Parses "15.2.1544.25", "15.02.1544.025" or "Version 15.2 (Build 1544.25)". */
int	snapshot_parse_version(const char *s, struct snap_version *out);
/* <0, 0, >0 like strcmp; an invalid version sorts first. */
int	snapshot_version_cmp(const struct snap_version *a,
	    const struct snap_version *b);
/* "15.2.1544.25" into buf. */
void	snapshot_version_text(const struct snap_version *v, char *buf,
	    size_t len);

/*
 * Normalises a thumbprint: drops spaces, colons and invisible marks (the
 * U+200E a copy from the Windows dialog carries), upper-cases. NULL unless
 * 40 hex digits remain. Caller frees.
 */
char	*snapshot_thumbprint(const char *s);

/* The first error recorded for a part ("entra", "exchangeOnline", …), or NULL. */
const struct snap_error *snapshot_error_for(const struct snapshot *s,
	    const char *part);

#endif
