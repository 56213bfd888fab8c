#include "netopt.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "dnsname.h"
#include "str.h"
#include <stdio.h>

int
netopt_is_ip(const char *s)
{
	unsigned char addr[16];

	return inet_pton(AF_INET, s, addr) == 1 || inet_pton(AF_INET6, s, addr) == 1;
}

/*
 * Takes one field up to the next ':' from *p, honouring [IPv6] brackets;
 * the brackets are removed. Returns -1 if the field is too long or a
 * bracket is unclosed.
 */
static int
field(const char **p, char *out, size_t len, int last)
{
	const char *s = *p, *end;
	size_t n;

	if (*s == '[') {
		if ((end = strchr(s, ']')) == NULL)
			return -1;
		n = (size_t)(end - s - 1);
		if (n >= len)
			return -1;
		memcpy(out, s + 1, n);
		out[n] = '\0';
		s = end + 1;
		if (*s == ':')
			s++;
		else if (*s != '\0' || !last)
			return -1;
		*p = s;
		return 0;
	}
	end = last ? s + strlen(s) : strchr(s, ':');
	if (end == NULL)
		return -1;
	n = (size_t)(end - s);
	if (n >= len)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	*p = *end ? end + 1 : end;
	return 0;
}

static int
port_value(const char *s, int allow_empty, int *out)
{
	long v;
	char *end;

	if (*s == '\0' && allow_empty) {
		*out = 0;
		return 0;
	}
	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < 1 || v > 65535)
		return -1;
	*out = (int)v;
	return 0;
}

static int
host_value(const char *s, int allow_empty)
{
	if (*s == '\0')
		return allow_empty;
	return netopt_is_ip(s) || dnsname_is_valid(s);
}

int
netopt_parse_connect_to(const char *s, struct connect_to *out, struct hcerr *e)
{
	const char *p = s;
	char port[16], to_port[16];

	memset(out, 0, sizeof(*out));
	if (field(&p, out->host, sizeof(out->host), 0) ||
	    field(&p, port, sizeof(port), 0) ||
	    field(&p, out->to_host, sizeof(out->to_host), 0) ||
	    field(&p, to_port, sizeof(to_port), 1) ||
	    !host_value(out->host, 1) || port_value(port, 1, &out->port) ||
	    !host_value(out->to_host, 1) || port_value(to_port, 1, &out->to_port)) {
		hcerr_set(e, "--connect-to '%s': expected HOST:PORT:HOST2:PORT2 "
		    "(empty parts match any)", s);
		return -1;
	}
	str_lower(out->host);
	return 0;
}

int
netopt_parse_resolve(const char *s, struct resolve_entry *out, struct hcerr *e)
{
	const char *p = s;
	char port[16], addr[64];

	memset(out, 0, sizeof(*out));
	if (*p == '+')
		p++;
	if (field(&p, out->host, sizeof(out->host), 0) ||
	    field(&p, port, sizeof(port), 0) ||
	    !host_value(out->host, 0) || port_value(port, 0, &out->port) ||
	    *p == '\0')
		goto bad;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		if (n >= sizeof(addr))
			goto bad;
		memcpy(addr, p, n);
		addr[n] = '\0';
		if (addr[0] == '[' && n > 2 && addr[n - 1] == ']') {
			memmove(addr, addr + 1, n - 2);
			addr[n - 2] = '\0';
		}
		if (!netopt_is_ip(addr))
			goto bad;
		strlist_add(&out->addrs, addr);
		p += n;
		if (*p == ',' && *++p == '\0')
			goto bad;
	}
	str_lower(out->host);
	return 0;
bad:
	netopt_resolve_release(out);
	hcerr_set(e, "--resolve '%s': expected HOST:PORT:ADDR[,ADDR]…", s);
	return -1;
}

void
netopt_resolve_release(struct resolve_entry *r)
{
	if (r != NULL)
		strlist_release(&r->addrs);
}

int
netopt_parse_dns_server(const char *s, struct dns_server *out, struct hcerr *e)
{
	const char *colon;
	char port[16] = "";

	memset(out, 0, sizeof(*out));
	out->port = 53;
	if (s[0] == '[') {
		const char *end = strchr(s, ']');
		size_t n;

		if (end == NULL || (size_t)(end - s - 1) >= sizeof(out->addr))
			goto bad;
		n = (size_t)(end - s - 1);
		memcpy(out->addr, s + 1, n);
		out->addr[n] = '\0';
		if (end[1] == ':')
			snprintf(port, sizeof(port), "%.15s", end + 2);
		else if (end[1] != '\0')
			goto bad;
	} else if ((colon = strchr(s, ':')) != NULL && strchr(colon + 1, ':') == NULL) {
		size_t n = (size_t)(colon - s);

		if (n >= sizeof(out->addr) || strlen(colon + 1) >= sizeof(port))
			goto bad;
		memcpy(out->addr, s, n);
		out->addr[n] = '\0';
		snprintf(port, sizeof(port), "%s", colon + 1);
	} else {
		if (strlen(s) >= sizeof(out->addr))
			goto bad;
		snprintf(out->addr, sizeof(out->addr), "%s", s);
	}
	if (!netopt_is_ip(out->addr))
		goto bad;
	if (port[0] != '\0' && port_value(port, 0, &out->port) == -1)
		goto bad;
	return 0;
bad:
	hcerr_set(e, "--dns-server '%s': expected an IP address, optionally "
	    "with :PORT ([IPv6]:PORT)", s);
	return -1;
}
