/*
 * hc-faultd: the misbehaviours nginx cannot play, for the fault lab.
 *
 *   hc-faultd --cert PEM --key PEM --pid-file FILE
 *             [--tls PORT] [--plain PORT]
 *             [--dns-silent PORT] [--dns-servfail PORT] [--dns-any PORT]
 *
 * --tls: a TLS listener whose behaviour is chosen by the first label of
 *   the SNI name (or of the Host header when there is no SNI):
 *     stall      a 200 with its headers, then silence
 *     short      Content-Length 100000, 26 bytes of body, then close
 *     bigheader  one header line of one mebibyte
 *     manyheaders 160 header lines of 8 KiB each
 *     chunked    a chunked body that never ends
 *     garbage    binary noise instead of HTTP, inside the TLS session
 *     anything else: 404
 * --plain: plain TCP that answers whatever arrives (a TLS ClientHello)
 *   with an HTTP 400 page: a web server where TLS was expected.
 * --dns-silent: a UDP port that reads every query and answers none.
 * --dns-servfail: every query answered SERVFAIL.
 * --dns-any: every A query answered 127.0.0.1, every other NODATA.
 *
 * The pid file is written once every socket is bound, so whoever starts
 * it can wait for the file. It runs until SIGTERM. Loopback only.
 */
#define _GNU_SOURCE	/* accept4, strcasestr */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#define MAXL	8

enum kind { L_TLS, L_PLAIN, L_DNS_SILENT, L_DNS_SERVFAIL, L_DNS_ANY };

struct listener {
	enum kind	 kind;
	int		 port;
	int		 fd;
};

struct conn {
	int		 fd;
	enum kind	 kind;
};

static SSL_CTX *ctx;
static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void
die(const char *what, const char *arg)
{
	fprintf(stderr, "hc-faultd: %s '%s': %s\n", what, arg, strerror(errno));
	exit(1);
}

static int
bind_loopback(int type, int port)
{
	struct sockaddr_in sa;
	int fd, one = 1;

	if ((fd = socket(AF_INET, type | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    (type == SOCK_STREAM && listen(fd, 64) == -1)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Writes all of buf; -1 once the peer is gone. */
static int
tls_write(SSL *ssl, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		int n = SSL_write(ssl, p, len > 65536 ? 65536 : (int)len);

		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Holds the connection open, silent, until the peer leaves or 120 s pass. */
static void
hold(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char junk[4096];

	for (int i = 0; i < 1200 && !stop; i++) {
		int n = poll(&pfd, 1, 100);

		if (n == 1 && (pfd.revents & (POLLHUP | POLLERR)))
			return;
		if (n == 1 && recv(fd, junk, sizeof(junk), MSG_DONTWAIT) == 0)
			return;
	}
}

/* Reads the request head (up to a blank line, 16 KiB or 5 s) into buf. */
static void
read_head(SSL *ssl, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	while (len + 1 < size) {
		int n = SSL_read(ssl, buf + len, (int)(size - 1 - len));

		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "\r\n\r\n") != NULL)
			break;
	}
}

/* The fault asked for: SNI's first label, else the Host header's. */
static void
fault_name(SSL *ssl, const char *head, char *out, size_t size)
{
	const char *sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
	const char *h = sni;
	size_t n = 0;

	if (h == NULL && (h = strcasestr(head, "\r\nhost:")) != NULL) {
		h += 7;
		while (*h == ' ')
			h++;
	}
	if (h != NULL)
		while (n + 1 < size && h[n] && h[n] != '.' && h[n] != ':' &&
		    h[n] != '\r')
			out[n] = h[n], n++;
	out[n] = '\0';
}

static void
serve_tls(int fd)
{
	static const char json_head[] = "HTTP/1.1 200 OK\r\n"
	    "Content-Type: application/json; charset=utf-8\r\n";
	char head[16384], name[64], line[256];
	SSL *ssl = NULL;

	if ((ssl = SSL_new(ctx)) == NULL)
		return;
	SSL_set_fd(ssl, fd);
	if (SSL_accept(ssl) != 1)
		goto out;
	read_head(ssl, head, sizeof(head));
	fault_name(ssl, head, name, sizeof(name));

	if (strcmp(name, "stall") == 0) {
		snprintf(line, sizeof(line), "%sContent-Length: 4096\r\n\r\n",
		    json_head);
		if (tls_write(ssl, line, strlen(line)) == 0)
			hold(fd);
	} else if (strcmp(name, "short") == 0) {
		snprintf(line, sizeof(line), "%sContent-Length: 100000\r\n\r\n"
		    "{\"keys\":[{\"usage\":\"sign", json_head);
		tls_write(ssl, line, strlen(line));
		SSL_shutdown(ssl);	/* a clean close, 99974 bytes early */
	} else if (strcmp(name, "bigheader") == 0) {
		size_t big = 1024 * 1024;
		char *filler = malloc(big);

		if (filler == NULL)
			goto out;
		memset(filler, 'a', big);
		if (tls_write(ssl, json_head, strlen(json_head)) == 0 &&
		    tls_write(ssl, "X-Filler: ", 10) == 0 &&
		    tls_write(ssl, filler, big) == 0 &&
		    tls_write(ssl, "\r\nContent-Length: 2\r\n\r\n{}", 25) == 0)
			SSL_shutdown(ssl);
		free(filler);
	} else if (strcmp(name, "manyheaders") == 0) {
		char *filler = malloc(8192 + 64);

		if (filler == NULL)
			goto out;
		if (tls_write(ssl, json_head, strlen(json_head)) == 0) {
			int i;

			for (i = 0; i < 160; i++) {
				int n = snprintf(filler, 64, "X-Filler-%d: ", i);

				memset(filler + n, 'b', 8192);
				memcpy(filler + n + 8192, "\r\n", 2);
				if (tls_write(ssl, filler, (size_t)n + 8194) == -1)
					break;
			}
			if (i == 160 && tls_write(ssl,
			    "Content-Length: 2\r\n\r\n{}", 23) == 0)
				SSL_shutdown(ssl);
		}
		free(filler);
	} else if (strcmp(name, "chunked") == 0) {
		static char chunk[65536 + 16];
		int n = snprintf(chunk, 16, "%x\r\n", 65536);

		memset(chunk + n, ' ', 65536);
		memcpy(chunk + n + 65536, "\r\n", 2);
		snprintf(line, sizeof(line), "%sTransfer-Encoding: chunked\r\n\r\n",
		    json_head);
		if (tls_write(ssl, line, strlen(line)) == 0)
			while (!stop && tls_write(ssl, chunk, (size_t)n + 65538) == 0)
				;
	} else if (strcmp(name, "garbage") == 0) {
		unsigned char noise[4096];
		unsigned x = 2463534242u;

		for (size_t i = 0; i < sizeof(noise); i++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			noise[i] = (unsigned char)x;
		}
		noise[0] = 0x00;	/* never a plausible "HTTP/" */
		if (tls_write(ssl, noise, sizeof(noise)) == 0)
			SSL_shutdown(ssl);
	} else {
		snprintf(line, sizeof(line), "HTTP/1.1 404 Not Found\r\n"
		    "Content-Length: 0\r\nConnection: close\r\n\r\n");
		if (tls_write(ssl, line, strlen(line)) == 0)
			SSL_shutdown(ssl);
	}
out:
	SSL_free(ssl);
	ERR_clear_error();
}

/* A web server that speaks HTTP where the client expects TLS. */
static void
serve_plain(int fd)
{
	static const char page[] = "HTTP/1.1 400 Bad Request\r\n"
	    "Content-Type: text/html\r\nContent-Length: 58\r\n"
	    "Connection: close\r\n\r\n"
	    "<html><body>400 plain HTTP on this port</body></html>\r\n\r\n";
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char junk[4096];

	if (poll(&pfd, 1, 5000) == 1)
		(void)recv(fd, junk, sizeof(junk), 0);
	(void)send(fd, page, sizeof(page) - 1, MSG_NOSIGNAL);
}

static void *
conn_main(void *arg)
{
	struct conn *c = arg;
	struct timeval tv = { .tv_sec = 10 };

	/* No write waits longer than 10 s: a client that stops reading ends it. */
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (c->kind == L_TLS)
		serve_tls(c->fd);
	else
		serve_plain(c->fd);
	close(c->fd);
	free(c);
	return NULL;
}

/* Answers one DNS query in place; returns the reply's length, 0 for none. */
static size_t
dns_answer(enum kind kind, unsigned char *m, size_t len, size_t size)
{
	size_t q = 12, qend;
	unsigned qtype;

	if (len < 12 || (m[2] & 0x80))
		return 0;
	/* The question: labels, then type and class. */
	while (q < len && m[q] != 0 && m[q] < 64)
		q += (size_t)m[q] + 1;
	if (q >= len || m[q] != 0 || q + 5 > len)
		return 0;
	qend = q + 5;
	qtype = (unsigned)m[q + 1] << 8 | m[q + 2];
	m[2] = (unsigned char)(0x80 | (m[2] & 0x79));	/* QR, opcode, RD kept */
	m[3] = 0x80;					/* RA, NOERROR */
	m[4] = 0, m[5] = 1;				/* one question */
	memset(m + 6, 0, 6);				/* no other records */
	if (kind == L_DNS_SERVFAIL) {
		m[3] |= 2;
		return qend;
	}
	if (qtype == 1 && qend + 16 <= size) {
		static const unsigned char a[] = {
			0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1
		};
		memcpy(m + qend, a, sizeof(a));
		m[7] = 1;
		return qend + sizeof(a);
	}
	return qend;
}

static void
dns_read(const struct listener *l)
{
	unsigned char m[1500];
	struct sockaddr_in from;
	socklen_t flen = sizeof(from);
	ssize_t n;
	size_t out;

	n = recvfrom(l->fd, m, sizeof(m), MSG_DONTWAIT, (struct sockaddr *)&from,
	    &flen);
	if (n <= 0 || l->kind == L_DNS_SILENT)
		return;
	if ((out = dns_answer(l->kind, m, (size_t)n, sizeof(m))) > 0)
		(void)sendto(l->fd, m, out, 0, (struct sockaddr *)&from, flen);
}

int
main(int argc, char **argv)
{
	struct listener ls[MAXL];
	struct pollfd pfd[MAXL];
	const char *cert = NULL, *key = NULL, *pidfile = NULL;
	struct sigaction sa;
	size_t nl = 0;
	FILE *f;

	for (int i = 1; i + 1 < argc; i += 2) {
		const char *o = argv[i], *v = argv[i + 1];
		enum kind k;

		if (strcmp(o, "--cert") == 0) {
			cert = v;
			continue;
		} else if (strcmp(o, "--key") == 0) {
			key = v;
			continue;
		} else if (strcmp(o, "--pid-file") == 0) {
			pidfile = v;
			continue;
		} else if (strcmp(o, "--tls") == 0)
			k = L_TLS;
		else if (strcmp(o, "--plain") == 0)
			k = L_PLAIN;
		else if (strcmp(o, "--dns-silent") == 0)
			k = L_DNS_SILENT;
		else if (strcmp(o, "--dns-servfail") == 0)
			k = L_DNS_SERVFAIL;
		else if (strcmp(o, "--dns-any") == 0)
			k = L_DNS_ANY;
		else {
			fprintf(stderr, "hc-faultd: unknown option '%s'\n", o);
			return 64;
		}
		if (nl == MAXL) {
			fprintf(stderr, "hc-faultd: too many listeners\n");
			return 64;
		}
		ls[nl].kind = k;
		ls[nl].port = atoi(v);
		ls[nl].fd = bind_loopback(k >= L_DNS_SILENT ? SOCK_DGRAM :
		    SOCK_STREAM, ls[nl].port);
		if (ls[nl].fd == -1)
			die("cannot bind port", v);
		pfd[nl].fd = ls[nl].fd;
		pfd[nl].events = POLLIN;
		nl++;
	}
	if (cert == NULL || key == NULL || pidfile == NULL || nl == 0) {
		fprintf(stderr, "usage: hc-faultd --cert PEM --key PEM --pid-file "
		    "FILE [--tls|--plain|--dns-silent|--dns-servfail|--dns-any "
		    "PORT]...\n");
		return 64;
	}
	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL ||
	    SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
		fprintf(stderr, "hc-faultd: cannot load '%s' and '%s'\n", cert, key);
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((f = fopen(pidfile, "w")) == NULL)
		die("cannot write", pidfile);
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);

	while (!stop) {
		if (poll(pfd, nl, 500) <= 0)
			continue;
		for (size_t i = 0; i < nl; i++) {
			struct conn *c;
			pthread_t t;
			int fd;

			if (!(pfd[i].revents & POLLIN))
				continue;
			if (ls[i].kind >= L_DNS_SILENT) {
				dns_read(&ls[i]);
				continue;
			}
			if ((fd = accept4(ls[i].fd, NULL, NULL, SOCK_CLOEXEC)) == -1)
				continue;
			if ((c = malloc(sizeof(*c))) == NULL) {
				close(fd);
				continue;
			}
			c->fd = fd;
			c->kind = ls[i].kind;
			if (pthread_create(&t, NULL, conn_main, c) != 0) {
				close(fd);
				free(c);
				continue;
			}
			pthread_detach(t);
		}
	}
	unlink(pidfile);
	return 0;
}
