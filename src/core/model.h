/*
 * The hybrid model of 2026 (PROTOCOLS section 12): the milestones read from
 * the cloud profile, and the class of each Exchange server, from the
 * organisation's own data. Pure: reads the context.
 *
 *   none             no rich coexistence (HybridConfiguration Features, or
 *                    no connector and no relationship to the cloud)
 *   dauth            free/busy through an OrganizationRelationship only
 *                    (the federation trust), no enabled IntraOrganizationConnector
 *   legacy           OAuth through the shared Exchange Online principal
 *   dedicated-ews    OAuth through the dedicated hybrid application, over EWS
 *   dedicated-graph  the same over Microsoft Graph (Exchange SE 15.2.2562.41+)
 *
 * The Hybrid Agent is a mark beside the class: Exchange Online reaches
 * on-premises through <guid>.resource.mailboxmigration.his.msappproxy.net.
 */
#ifndef HC_MODEL_H
#define HC_MODEL_H

#include <stddef.h>
#include <time.h>

#include "context.h"
#include "snapshot.h"

#define HYBRID_OVERRIDE_NAME		"EnableExchangeHybrid3PAppFeature"
#define HYBRID_OVERRIDE_SECTION		"ExchangeOnpremAsThirdPartyAppId"
#define MODEL_GRAPH_OVERRIDE_NAME	"EnableRouteThroughMSGraphFeature"
#define MODEL_GRAPH_OVERRIDE_SECTION	"RouteThroughMSGraph"
#define MODEL_AGENT_SUFFIX		".resource.mailboxmigration.his.msappproxy.net"

enum model_ms { MODEL_T0, MODEL_T1, MODEL_T2 };

struct model_milestone {
	const char	*label;		/* "T0" */
	int		 known;		/* 0: the profile says "unknown" */
	time_t		 at;		/* 00:00 UTC of the day */
	char		 day[16];	/* "2027-04-01" or "unknown" */
	const char	*certainty;	/* of the profile's field, or "unknown" */
	const char	*source;
	const char	*cloud;		/* the profile the date is from */
	int		 assumed;	/* no cloud chosen: the worldwide profile's */
};

/* Fills m for the chosen cloud (else the worldwide profile, marked). */
void	model_milestone(const struct context *ctx, enum model_ms which,
	    struct model_milestone *m);
/* Whether the milestone is known and the run's clock has reached it. */
int	model_reached(const struct context *ctx, enum model_ms which);

enum model_class {
	MODEL_UNKNOWN,
	MODEL_NONE,
	MODEL_DAUTH,
	MODEL_LEGACY,
	MODEL_DEDICATED_EWS,
	MODEL_DEDICATED_GRAPH,
};

const char	*model_class_name(enum model_class c);

struct model_server {
	const struct snap_server *server;
	enum model_class	 cls;
	char			 why[200];
};

struct model {
	enum model_class	 cls;		/* the organisation's; see mixed */
	int			 mixed;		/* servers differ */
	int			 rich;		/* 1 yes, 0 none, -1 not known */
	struct strlist		 features;	/* the rich coexistence ones seen */
	int			 oauth_ioc;	/* an enabled on-premises IOC */
	int			 dauth_orgrel;	/* an enabled relationship with free/busy */
	int			 evosts;	/* a usable EvoSTS AuthServer */
	int			 shared_id_app;	/* an EvoSTS AuthServer names 00000002-… */
	int			 override_3p;	/* EnableExchangeHybrid3PAppFeature true */
	int			 override_graph;	/* RouteThroughMSGraph true */
	int			 hybrid_agent;
	char			*agent_guid;	/* the first agent GUID seen */
	struct strlist		 agent_guids;	/* every distinct one */
	struct strlist		 agent_urls;	/* where the agent was seen */
	char			 why[400];	/* the organisation's reasons */
	struct model_server	*servers;	/* Exchange 2013+ non-Edge servers */
	size_t			 nservers;
};

/* Classifies the snapshot's organisation; release m afterwards. */
void	model_classify(const struct context *ctx, struct model *m);
void	model_release(struct model *m);

/* Whether url's host is a Hybrid Agent's; the GUID into guid (37 bytes). */
int	model_agent_url(const char *url, char *guid, size_t len);

/* Whether a build can use the dedicated hybrid application; want, line set when not. */
int	model_build_supports_app(const struct snap_version *v, char *want,
	    size_t len, const char **line);
/* Whether a build can take the Graph route (Exchange SE 15.2.2562.41+). */
int	model_build_supports_graph(const struct snap_version *v);
/* Exchange 2016 or 2019 (not SE): no Graph route, rich coexistence ends at T2. */
int	model_build_is_2016_2019(const struct snap_version *v);

/* The value after "Enabled=" in an override's parameters, or NULL. */
const char *model_override_enabled(const struct snap_override *o);
/* Microsoft's ^\s*Enabled\s*=\s*(true|false)\s*$ over the parameters: 1 true, 0 false, -1 neither. */
int	model_override_state(const struct snap_override *o);

#endif
