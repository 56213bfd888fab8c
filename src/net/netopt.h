/* The network options a user writes as curl does: --connect-to, --resolve, --dns-server. */
#ifndef HC_NETOPT_H
#define HC_NETOPT_H

#include "mem.h"
#include "buf.h"

/* HOST:PORT:HOST2:PORT2; an empty host or port (0) matches any. */
struct connect_to {
	char	host[256];
	int	port;
	char	to_host[256];
	int	to_port;
};

/* HOST:PORT:ADDR[,ADDR]… (a leading '+' is accepted, as curl does). */
struct resolve_entry {
	char		host[256];
	int		port;
	struct strlist	addrs;
};

/* ADDR[:PORT]; IPv6 in brackets when a port follows. */
struct dns_server {
	char	addr[64];
	int	port;		/* 53 by default */
};

int	netopt_parse_connect_to(const char *s, struct connect_to *out,
	    struct hcerr *e);
int	netopt_parse_resolve(const char *s, struct resolve_entry *out,
	    struct hcerr *e);
void	netopt_resolve_release(struct resolve_entry *r);
int	netopt_parse_dns_server(const char *s, struct dns_server *out,
	    struct hcerr *e);

/* Whether s is a literal IPv4 or IPv6 address (no brackets). */
int	netopt_is_ip(const char *s);

#endif
