/* The functions behind the rows of the check table (checks.c). */
#ifndef HC_CHECK_FNS_H
#define HC_CHECK_FNS_H

#include "context.h"
#include "findings.h"

/* check_cloud.c */
void	check_cloud_selection(const struct context *, struct findings *);

/* check_auth_cert.c */
void	check_cert_thumbprint(const struct context *, struct findings *);
void	check_cert_validity(const struct context *, struct findings *);
void	check_cert_key(const struct context *, struct findings *);
void	check_cert_next(const struct context *, struct findings *);

/* check_spn.c */
void	check_spn_coverage(const struct context *, struct findings *);
void	check_spn_entries(const struct context *, struct findings *);
/* check_token.c */
void	check_token_decode(const struct context *, struct findings *);
void	check_token_signature(const struct context *, struct findings *);
void	check_token_lifetime(const struct context *, struct findings *);
void	check_token_audience(const struct context *, struct findings *);
void	check_token_issuer(const struct context *, struct findings *);
void	check_token_keypair(const struct context *, struct findings *);

/* check_authserver.c, check_partner_app.c, check_auth_config.c, check_auth_cert.c */
void	check_authserver_acs(const struct context *, struct findings *);
void	check_authserver_evosts(const struct context *, struct findings *);
void	check_partner_app_exo(const struct context *, struct findings *);
void	check_auth_config(const struct context *, struct findings *);
void	check_auth_cert_entra(const struct context *, struct findings *);

/* check_hybrid.c, check_hybrid_app.c, check_servers.c */
void	check_hybrid_model(const struct context *, struct findings *);
void	check_hybrid_app_override(const struct context *, struct findings *);
void	check_servers_build(const struct context *, struct findings *);
void	check_hybrid_app_permissions(const struct context *, struct findings *);
void	check_graph_route_config(const struct context *, struct findings *);
void	check_graph_route_builds(const struct context *, struct findings *);

/* check_ioc.c, check_availability.c, check_vdir.c, check_org_relationship.c */
void	check_ioc_onprem(const struct context *, struct findings *);
void	check_ioc_cloud(const struct context *, struct findings *);
void	check_exo_ews_gate(const struct context *, struct findings *);
void	check_model_exchange_se(const struct context *, struct findings *);
void	check_hybrid_config_service_instance(const struct context *, struct findings *);
void	check_hybrid_config_exo_ioc(const struct context *, struct findings *);
void	check_availability_address_space(const struct context *, struct findings *);
void	check_vdir_oauth(const struct context *, struct findings *);
void	check_org_relationship_dauth(const struct context *, struct findings *);

/* check_tenant.c, check_federation.c */
void	check_tenant_discovery(const struct context *, struct findings *);
void	check_federation_domains(const struct context *, struct findings *);
/* check_acs.c */
void	check_acs_metadata(const struct context *, struct findings *);
void	check_acs_keys(const struct context *, struct findings *);
/* check_endpoint.c, check_oauth.c */
void	check_endpoint_cloud_discovery(const struct context *, struct findings *);
void	check_endpoint_onprem_autodiscover(const struct context *, struct findings *);
void	check_endpoint_ews(const struct context *, struct findings *);
void	check_oauth_challenge(const struct context *, struct findings *);
void	check_oauth_issuer(const struct context *, struct findings *);
/* check_onprem.c */
void	check_onprem_metadata(const struct context *, struct findings *);
/* check_tls.c */
void	check_tls_certificate(const struct context *, struct findings *);
/* check_autodiscover.c */
void	check_autodiscover_discovery(const struct context *, struct findings *);
/* check_clock.c */
void	check_clock_skew(const struct context *, struct findings *);
/* check_dns.c */
void	check_dns_split_view(const struct context *, struct findings *);

#endif
