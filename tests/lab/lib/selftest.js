#!/usr/bin/env node
// Checks with the curl CLI (and node's DNS resolver pointed at dnsmasq) that
// every URL of a running lab answers as designed: status, headers, body shape,
// TLS failure modes, DNS answers, clock offset, generated files.
//   node selftest.js LAB_DIR        (reads LAB_DIR/lab.env and LAB_DIR/lab.json)
'use strict';

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { spawn, spawnSync } = require('child_process');
const dns = require('dns').promises;

const dir = process.argv[2];
const env = {};
for (const l of fs.readFileSync(path.join(dir, 'lab.env'), 'utf8').split('\n')) {
	const m = /^([A-Z_]+)='?(.*?)'?$/.exec(l);
	if (m) env[m[1]] = m[2];
}
const lab = JSON.parse(fs.readFileSync(path.join(dir, 'lab.json'), 'utf8'));
const EXO_APP = '00000002-0000-0ff1-ce00-000000000000';

let passed = 0;
let failed = 0;
function ok(cond, what, detail) {
	if (cond) { passed++; return true; }
	failed++;
	console.log(`FAIL ${what}${detail ? `\n     ${String(detail).split('\n').join('\n     ')}` : ''}`);
	return false;
}

// curl, through the lab's ports and CA; resolves to { code, rc, headers, body, stderr }.
let running = 0;
const waiting = [];
function curl(url, opts) {
	opts = opts || {};
		// Headers and body both on stdout (-D -): curl 7.88 crashes when -D names
	// /dev/stderr and that is a socket, as it is under node.
	const argv = ['-sS', '--max-time', '10', '-o', '-', '-D', '-', '-w', '\n%{http_code}',
		'--cacert', env.CA_FILE];
	for (const h of lab.skewHosts) argv.push('--connect-to', `${h}:443:127.0.0.1:${env.SKEW_HTTPS_PORT}`);
	argv.push('--connect-to', `:443:127.0.0.1:${env.HTTPS_PORT}`, '--connect-to', `:80:127.0.0.1:${env.HTTP_PORT}`);
	if (opts.data !== undefined) argv.push('-H', 'Content-Type: text/xml; charset=utf-8', '--data-binary', opts.data);
	if (opts.insecure) argv.push('-k');
	argv.push(url);
	return new Promise((resolve) => {
		const go = () => {
			running++;
			const p = spawn('curl', argv);
			let out = '';
			let err = '';
			p.stdout.on('data', (d) => { out += d; });
			p.stderr.on('data', (d) => { err += d; });
			p.on('close', (rc) => {
				running--;
				if (waiting.length) waiting.shift()();
				const i = out.lastIndexOf('\n');
				const code = Number(out.slice(i + 1));
				const all = out.slice(0, i);
				const j = all.indexOf('\r\n\r\n');
				const headerText = j >= 0 && all.startsWith('HTTP/') ? all.slice(0, j) : '';
				const body = j >= 0 && all.startsWith('HTTP/') ? all.slice(j + 4) : all;
				const headers = [];
				for (const l of headerText.split('\r\n').slice(1)) {
					const m = /^([^:]+):\s*(.*)$/.exec(l);
					if (m) headers.push([m[1].toLowerCase(), m[2]]);
				}
				resolve({ rc, code, body, headers, stderr: err, all: (name) => headers.filter((h) => h[0] === name).map((h) => h[1]),
					get: (name) => (headers.find((h) => h[0] === name) || [])[1] });
			});
		};
		if (running < 12) go(); else waiting.push(go);
	});
}

function b64url(buf) { return buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''); }
function x5tOf(b64) { return b64url(crypto.createHash('sha1').update(Buffer.from(b64, 'base64')).digest()); }
function thumbToX5t(hex) { return b64url(Buffer.from(hex, 'hex')); }
function json(r) { try { return JSON.parse(r.body); } catch (e) { return null; } }
// Keys of an ACS or Exchange metadata document, whatever the spelling.
function docKeys(doc) {
	return (doc.keys || []).map((k) => {
		const kv = k.keyValue || k.keyvalue || {};
		const ki = kv.keyInfo || kv.keyinfo || k.keyInfo || k.keyinfo || {};
		return { usage: k.usage, type: kv.type, value: kv.value, x5t: ki.x5t };
	});
}

const checks = [];
function check(fn) { checks.push(fn); }

// ------------------------------------------------------------ cloud side

const tenantsIn = (set) => lab.tenants.filter((t) => ({ global: ['global'], china: ['china'], usgov: ['gcchigh', 'dod'],
	gcchigh: ['gcchigh'], dod: ['dod'], globallogin: ['global', 'gcchigh', 'dod'] })[set].includes(t.cloud));

for (const [host, s] of Object.entries(lab.hostSets)) {
	const tenants = tenantsIn(s.set);
	if (s.role === 'acs' || s.role === 'login+acs') {
		for (const t of tenants) {
			for (const key of [t.domains[0], t.id, t.initial, t.domains[0].toUpperCase()]) {
				check(async () => {
					const url = `https://${host}/${key}/metadata/json/1`;
					const r = await curl(url);
					if (!ok(r.code === 200, `${url} -> 200`, `got ${r.code} ${r.stderr}`)) return;
					ok(/^application\/json; charset=utf-8$/.test(r.get('content-type')), `${url} content-type`, r.get('content-type'));
					ok(t.acsStyle !== 'escaped' || r.body.includes('\\/'), `${url} escapes slashes`);
					const d = json(r);
					if (!ok(d, `${url} is JSON`, r.body.slice(0, 200))) return;
					const principal = lab.clouds[t.cloud].acsIssuerPrincipal;
					ok(d.realm === t.id && d.issuer === `${principal}@${t.id}`, `${url} realm and issuer`, `${d.realm} ${d.issuer}`);
					// Both audiences, the initial domain's first, as in the captured document.
					ok(Array.isArray(d.allowedAudiences) && d.allowedAudiences.length === 2 &&
						d.allowedAudiences[0] === `${principal}/${host}@${t.initial}` &&
						d.allowedAudiences[1] === `${principal}/${host}@${t.id}`, `${url} both audiences`, JSON.stringify(d.allowedAudiences));
					const keys = docKeys(d);
					ok(keys.length === 2 && keys.every((k) => k.x5t === x5tOf(k.value)), `${url} keys carry correct x5t`, JSON.stringify(keys.map((k) => k.x5t)));
					ok(d.endpoints.every((e) => e.location.startsWith(`https://${host}/${t.id}/`)), `${url} endpoints`);
				});
			}
		}
		check(async () => {
			const url = `https://${host}/nosuchtenant.example/metadata/json/1`;
			const r = await curl(url);
			const want = s.cloud === 'china' ? 404 : 400;
			ok(r.code === want, `${url} -> ${want}`, `got ${r.code}`);
		});
		check(async () => {
			const url = `https://${host}/metadata/json/1`;
			const r = await curl(url);
			const d = json(r);
			ok(r.code === 200 && d && !d.realm && !d.issuer && docKeys(d).length >= 2, `${url} -> common document without realm`, r.body.slice(0, 200));
		});
	}
	if (s.role === 'login' || s.role === 'login+acs') {
		for (const t of tenants) {
			for (const v of ['/v2.0', '']) {
				check(async () => {
					const url = `https://${host}/${t.domains[0]}${v}/.well-known/openid-configuration`;
					const r = await curl(url);
					const d = json(r);
					if (!ok(r.code === 200 && d, `${url} -> 200 JSON`, `${r.code} ${r.body.slice(0, 200)}`)) return;
					const inst = lab.clouds[t.cloud].instance;
					ok(d.cloud_instance_name === inst && d.issuer.includes(t.id) && d.token_endpoint.includes(t.id) &&
						d.msgraph_host === lab.clouds[t.cloud].graph && d.tenant_region_scope, `${url} names tenant and cloud`,
					`${d.cloud_instance_name} ${d.issuer} ${d.msgraph_host}`);
				});
			}
			check(async () => {
				const url = `https://${host}/${t.id}/discovery/v2.0/keys`;
				const r = await curl(url);
				const d = json(r);
				ok(r.code === 200 && d && Array.isArray(d.keys) && d.keys.length === 3 &&
					d.keys.every((k) => k.kty === 'RSA' && k.use === 'sig' && k.kid === k.x5t && x5tOf(k.x5c[0]) === k.x5t &&
						k.n && k.e && k.issuer.includes(t.id)), `${url} -> the tenant's Entra key set`, `${r.code} ${r.body.slice(0, 200)}`);
			});
			check(async () => {
				const url = `https://${host}/${t.domains[0]}/federationmetadata/2007-06/federationmetadata.xml`;
				const r = await curl(url);
				ok(r.code === 200 && r.body.includes(`/${t.id}/`) && r.body.includes('<X509Certificate>'), `${url} -> 200 federation metadata`, r.code);
			});
		}
		check(async () => {
			const url = `https://${host}/nosuchtenant.example/v2.0/.well-known/openid-configuration`;
			const r = await curl(url);
			const d = json(r);
			ok(r.code === 400 && d && d.error === 'invalid_tenant' && d.error_codes[0] === 90002, `${url} -> 400 AADSTS90002`, `${r.code} ${r.body.slice(0, 200)}`);
		});
		const other = lab.tenants.find((t) => !tenants.includes(t));
		if (other) {
			check(async () => {
				const url = `https://${host}/${other.domains[0]}/v2.0/.well-known/openid-configuration`;
				const r = await curl(url);
				ok(r.code === 400 && r.body.includes(`Tenant '${other.domains[0]}' not found`), `${url} (other cloud's tenant) -> 400 naming it`, `${r.code} ${r.body.slice(0, 200)}`);
			});
		}
	}
	if (s.role === 'exo') {
		const c = lab.clouds[s.cloud];
		const issuer = s.cloud === 'china' ? '00000001-0002-0000-c000-000000000000@*' : '00000001-0000-0000-c000-000000000000@*';
		const bearerOk = (r) => r.all('www-authenticate').some((h) => h.startsWith('Bearer ') && h.includes(`client_id="${EXO_APP}"`) &&
			h.includes(`trusted_issuers="${issuer}"`) && h.includes(`authorization_uri="${c.authorizationUri}"`) && h.endsWith(',Basic Realm=""'));
		for (const p of ['/autodiscover/autodiscover.svc', '/EWS/Exchange.asmx', '/ews/exchange.asmx']) {
			check(async () => {
				const url = `https://${host}${p}`;
				const r = await curl(url);
				ok(r.code === 401 && bearerOk(r), `${url} -> 401 with ${s.cloud} Bearer challenge`, `${r.code} ${JSON.stringify(r.all('www-authenticate'))}`);
			});
		}
		check(async () => {
			const url = `https://${host}/autodiscover/autodiscover.svc`;
			const r = await curl(url, { data: '<soap:Envelope><soap:Body><GetUserSettingsRequestMessage/></soap:Body></soap:Envelope>' });
			ok(r.code === 401 && bearerOk(r), `${url} POST GetUserSettings without token -> 401`, r.code);
		});
		for (const t of tenantsIn(s.set)) {
			for (const d of [t.domains[0], t.routing, t.domains[0].toUpperCase()]) {
				check(async () => {
					const url = `https://${host}/autodiscover/autodiscover.svc`;
					const r = await curl(url, { data: fedRequest(host, d) });
					// Since 2025 only the queried domain; a 'legacy' tenant the full list.
					const want = t.fedinfo === 'legacy' ? t.domains : [d.toLowerCase()];
					const got = [...r.body.matchAll(/<Domain>([^<]*)<\/Domain>/g)].map((m) => m[1]);
					ok(r.code === 200 && /^text\/xml; charset=utf-8$/.test(r.get('content-type')) && r.body.includes('<ErrorCode>NoError</ErrorCode>') &&
						got.length === want.length && want.every((x) => got.includes(x)) && r.body.includes(`<ApplicationUri>${c.applicationUri}</ApplicationUri>`) &&
						r.body.includes('<TokenIssuers><TokenIssuer><Endpoint>'),
					`${url} GetFederationInformation ${d} -> NoError naming ${t.fedinfo === 'legacy' ? "the tenant's domains" : 'the queried domain'}`,
					`${r.code} ${r.get('content-type')} ${r.body.slice(0, 300)}`);
				});
			}
			// AutoDiscover v2 for the tenant's arbitration mailbox, on the host the profile names.
			if (host === c.ewsHost) {
				check(async () => {
					const url = `https://${host}/autodiscover/autodiscover.json/v1.0/Migration.8f3e7716-2011-43e4-96b1-aba62d229136@${t.initial}?Protocol=EWS&ServerLocation=true`;
					const r = await curl(url);
					const d = json(r);
					ok(r.code === 200 && d && d.Protocol === 'EWS' && d.Url === `https://${c.ewsHost}/EWS/Exchange.asmx` &&
						d.ServerLocation === 'Exchange Online', `${url} -> the tenant's EWS URL`, `${r.code} ${r.body.slice(0, 200)}`);
				});
			}
		}
		if (host === c.ewsHost) {
			check(async () => {
				const url = `https://${host}/autodiscover/autodiscover.json/v1.0/Migration.8f3e7716-2011-43e4-96b1-aba62d229136@nosuchtenant.example?Protocol=EWS`;
				const r = await curl(url);
				ok(r.code === 404 && r.body.includes('MailboxNotFound'), `${url} -> 404 (an invented answer)`, `${r.code} ${r.body.slice(0, 200)}`);
			});
		}
		check(async () => {
			const url = `https://${host}/autodiscover/autodiscover.svc`;
			const r = await curl(url, { data: fedRequest(host, 'nosuchtenant.example') });
			ok(r.code === 200 && r.body.includes('<ErrorCode>InvalidDomain</ErrorCode>'), `${url} GetFederationInformation unknown -> InvalidDomain`, r.body.slice(0, 300));
		});
	}
}

function fedRequest(host, domain) {
	return '<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:a="http://www.w3.org/2005/08/addressing" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">\n' +
		' <soap:Header>\n  <a:Action soap:mustUnderstand="1">http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/GetFederationInformation</a:Action>\n' +
		`  <a:To soap:mustUnderstand="1">https://${host}/autodiscover/autodiscover.svc</a:To>\n` +
		'  <a:ReplyTo><a:Address>http://www.w3.org/2005/08/addressing/anonymous</a:Address></a:ReplyTo>\n </soap:Header>\n' +
		' <soap:Body><GetFederationInformationRequestMessage xmlns="http://schemas.microsoft.com/exchange/2010/Autodiscover">\n' +
		`  <Request><Domain>${domain}</Domain></Request></GetFederationInformationRequestMessage></soap:Body></soap:Envelope>\n`;
}

// ------------------------------------------------------------ on-premises side

const TLS_ERRORS = {
	expired: 'certificate has expired', notyet: 'certificate is not yet valid',
	wrongname: 'no alternative certificate subject name matches', selfsigned: 'self-signed certificate',
	nointermediate: 'unable to get local issuer certificate', noeku: 'unsuitable certificate purpose',
	rsa1024: 'key too weak', reject: 'unrecognized name',
};

for (const org of lab.orgs) {
	for (const [h, spec] of Object.entries(org.hosts)) {
		const host = h === 'apex' ? org.domain : `${h}.${org.domain}`;
		const exchange = h !== 'apex' || spec.role === 'exchange';
		if (spec.cert !== 'good') {
			check(async () => {
				const url = `https://${host}/EWS/Exchange.asmx`;
				const r = await curl(url);
				ok((r.rc === 60 || r.rc === 35) && r.stderr.includes(TLS_ERRORS[spec.cert]), `${url} fails TLS: ${TLS_ERRORS[spec.cert]}`, `rc ${r.rc} ${r.stderr.trim()}`);
				if (spec.cert !== 'reject') {
					const k = await curl(url, { insecure: true });
					ok(k.code === 401, `${url} -k -> 401 behind the bad certificate`, k.code);
				}
			});
			continue;
		}
		if (!exchange) {
			check(async () => {
				const url = `https://${host}/autodiscover/autodiscover.xml`;
				const r = await curl(url);
				ok(r.code === 404, `${url} (web site) -> 404`, r.code);
			});
			continue;
		}
		const bearer = (r) => r.all('www-authenticate').find((x) => x.startsWith('Bearer ')) || '';
		for (const p of ['/EWS/Exchange.asmx', '/autodiscover/autodiscover.svc']) {
			check(async () => {
				const url = `https://${host}${p}`;
				const r = await curl(url);
				const w = r.all('www-authenticate');
				ok(r.code === 401 && w.includes('Negotiate') && w.includes('NTLM') && w.includes(`Basic realm="${host}"`), `${url} -> 401 Negotiate, NTLM, Basic`, `${r.code} ${JSON.stringify(w)}`);
				const b = bearer(r);
				// The principal the tenant's cloud's Exchange Online trusts.
				const tc = org.tenant ? lab.clouds[lab.tenants.find((t) => t.name === org.tenant).cloud] : lab.clouds.global;
				const realm = `${tc.exoTrustedIssuer || '00000001-0000-0000-c000-000000000000'}@${org.tenantId}`;
				const worldwide = `00000001-0000-0000-c000-000000000000@${org.tenantId}`;
				const diag = r.get('x-ms-diagnostics') || '';
				// Real challenges start with client_id.
				if (b) ok(b.startsWith(`Bearer client_id="${EXO_APP}", trusted_issuers="`), `${url} Bearer starts with client_id`, b);
				if (org.challenge === 'none') ok(!b, `${url} offers no Bearer`, b);
				else if (org.challenge === 'oauth') ok(b.includes(realm) && b.includes(`00000004-0000-0ff1-ce00-000000000000@${org.domain}`) && !diag, `${url} Bearer trusts the tenant`, b);
				else if (org.challenge === 'worldwide-principal') ok(b.includes(worldwide), `${url} Bearer trusts the worldwide principal`, b);
				else if (org.challenge === 'oauth-not-available') ok(b.includes(realm) && b.includes('error="invalid_token"') &&
					diag === `4000000;reason="Flighting is not enabled for domain '${host}'.";error_category="oauth_not_available"`,
				`${url} Bearer names the tenant, x-ms-diagnostics oauth_not_available`, `${b} | ${diag}`);
				else ok(b && !b.includes(realm), `${url} Bearer lacks the tenant realm (${org.challenge})`, b);
			});
		}
		check(async () => {
			const url = `https://${host}/autodiscover/autodiscover.xml`;
			const r = await curl(url);
			ok(r.code === 401 && !bearer(r), `${url} -> 401 without Bearer`, r.code);
		});
		for (const p of ['/autodiscover/metadata/json/1', '/metadata/json/1']) {
			check(async () => {
				const url = `https://${host}${p}`;
				const r = await curl(url);
				const d = json(r);
				if (!ok(r.code === 200 && d, `${url} -> 200 JSON`, `${r.code} ${r.body.slice(0, 200)}`)) return;
				const keys = docKeys(d);
				const want = org.metadataCert === 'other' ? org.authOtherThumbprint : org.authCurrentThumbprint;
				ok(keys.length === 1 && keys[0].x5t === thumbToX5t(want) && x5tOf(keys[0].value) === keys[0].x5t, `${url} exposes the ${org.metadataCert} Auth certificate`, JSON.stringify(keys[0] && keys[0].x5t));
				ok(d.issuer === `${EXO_APP}@*` && d.realm === '*' && d.endpoints[0].location === `https://${host}${p}`, `${url} issuer, realm, endpoint`);
			});
		}
		if (lab.skewHosts.includes(host)) {
			check(async () => {
				const r = await curl(`https://${host}/EWS/Exchange.asmx`);
				const off = (Date.parse(r.get('date')) - Date.now()) / 1000;
				ok(Math.abs(off + 600) < 30, `${host} Date header is 10 minutes behind`, `offset ${off} s`);
			});
		} else if (h === 'mail') {
			check(async () => {
				const r = await curl(`https://${host}/EWS/Exchange.asmx`);
				const off = (Date.parse(r.get('date')) - Date.now()) / 1000;
				ok(Math.abs(off) < 30, `${host} Date header is on time`, `offset ${off} s`);
			});
		}
	}
	// The HTTP redirect method.
	check(async () => {
		const url = `http://autodiscover.${org.domain}/autodiscover/autodiscover.xml`;
		const r = await curl(url);
		const want = org.hosts.autodiscover && org.httpRedirect !== 'none' ? `https://${org.httpRedirect === 'mail' ? 'mail' : 'autodiscover'}.${org.domain}/Autodiscover/Autodiscover.xml` : null;
		if (want) ok(r.code === 302 && r.get('location') === want, `${url} -> 302 ${want}`, `${r.code} ${r.get('location')}`);
		else ok(r.code === 0 || r.rc !== 0, `${url} -> no HTTP answer`, `${r.code} rc ${r.rc}`);
	});
}

// ------------------------------------------------------------ defaults

check(async () => {
	const r = await curl('https://unknown.example.org/');
	ok(r.rc === 35 && r.stderr.includes('unrecognized name'), 'HTTPS for a name the lab does not serve: handshake refused', `rc ${r.rc} ${r.stderr}`);
});
check(async () => {
	const r = await curl('http://unknown.example.org/autodiscover/autodiscover.xml');
	ok(r.rc === 52, 'HTTP for a name the lab does not serve: connection closed without a reply', `rc ${r.rc} ${r.stderr}`);
});

// ------------------------------------------------------------ DNS

async function resolve(port, name, type) {
	const r = new dns.Resolver({ timeout: 3000, tries: 2 });
	r.setServers([`127.0.0.1:${port}`]);
	try { return await r.resolve(name, type); } catch (e) { return e.code; }
}

// No such name (NXDOMAIN), or for the apex a name that exists with other
// records (its MX) but no address (NODATA).
const absent = (r) => r === 'ENOTFOUND' || r === 'ENODATA';

for (const host of Object.keys(lab.hostSets)) {
	check(async () => ok(JSON.stringify(await resolve(env.DNS_PORT, host, 'A')) === '["127.0.0.1"]', `DNS ${host} A`));
}
check(async () => ok(await resolve(env.DNS_PORT, 'www.example.com', 'A') === 'ENOTFOUND', 'DNS unknown name -> NXDOMAIN'));
check(async () => ok(await resolve(env.DNS_PORT, 'nosuch.fabrikam.com', 'A') === 'ENOTFOUND', 'DNS unknown name under a lab domain -> NXDOMAIN'));
for (const org of lab.orgs) {
	// The usual three (present or not) and any other label the organisation publishes.
	for (const h of new Set(['autodiscover', 'mail', 'apex', ...Object.keys(org.hosts)])) {
		const name = h === 'apex' ? org.domain : `${h}.${org.domain}`;
		const spec = org.hosts[h];
		check(async () => {
			const pub = await resolve(env.DNS_PORT, name, 'A');
			const int = await resolve(env.DNS_INTERNAL_PORT, name, 'A');
			const inPublic = spec && spec.dns !== 'internal' && spec.dns !== 'none';
			const inInternal = spec && spec.dns !== 'none';
			ok(inPublic ? JSON.stringify(pub) === '["127.0.0.1"]' : absent(pub), `DNS public ${name} ${inPublic ? 'A' : 'NXDOMAIN'}`, JSON.stringify(pub));
			ok(inInternal ? JSON.stringify(int) === '["127.0.0.1"]' : absent(int), `DNS internal ${name} ${inInternal ? 'A' : 'NXDOMAIN'}`, JSON.stringify(int));
			if (spec && spec.dns === 'cname') {
				const c = await resolve(env.DNS_PORT, name, 'CNAME');
				ok(JSON.stringify(c) === JSON.stringify([`mail.${org.domain}`]), `DNS ${name} CNAME mail`, JSON.stringify(c));
			}
		});
	}
	check(async () => {
		const srv = await resolve(env.DNS_PORT, `_autodiscover._tcp.${org.domain}`, 'SRV');
		if (org.srv) ok(Array.isArray(srv) && srv[0].name === org.srv && srv[0].port === 443, `DNS SRV _autodiscover._tcp.${org.domain}`, JSON.stringify(srv));
		else ok(srv === 'ENOTFOUND', `DNS no SRV _autodiscover._tcp.${org.domain}`, JSON.stringify(srv));
	});
}

// ------------------------------------------------------------ files

function openssl(args, input) {
	const r = spawnSync('openssl', args, { input, encoding: 'utf8' });
	return { rc: r.status, out: r.stdout, err: r.stderr };
}
for (const org of lab.orgs) {
	const d = path.join(dir, 'orgs', org.domain);
	check(async () => {
		const f = (n) => path.join(d, n);
		const fp = openssl(['x509', '-inform', 'DER', '-in', f('auth-current.cer'), '-noout', '-fingerprint', '-sha1', '-subject', '-issuer', '-enddate']);
		const thumb = fs.readFileSync(f('auth-current.thumbprint'), 'utf8').trim();
		ok(fp.rc === 0 && fp.out.replace(/:/g, '').includes(`Fingerprint=${thumb}`) && /subject=CN = Microsoft Exchange Server Auth Certificate/.test(fp.out) &&
			/issuer=CN = Microsoft Exchange Server Auth Certificate/.test(fp.out), `${org.domain} auth-current.cer, thumbprint, subject`, fp.out + fp.err);
		const end = Date.parse(/notAfter=(.*)/.exec(fp.out)[1]);
		const days = (end - Date.now()) / 86400000;
		const want = { valid: days > 1000, expired: days < 0, expiring: days > 0 && days < 60 }[org.authCert];
		ok(want, `${org.domain} Auth certificate ${org.authCert} (${Math.round(days)} days left)`);
		const pw = openssl(['pkcs12', '-in', f('auth-current.pfx'), '-passin', `file:${f('pfx.password')}`, '-nodes', '-noout']);
		ok(pw.rc === 0, `${org.domain} PFX opens with its password file`, pw.err);
		const np = openssl(['pkcs12', '-in', f('auth-current-nopassword.pfx'), '-passin', 'pass:', '-nodes', '-noout']);
		ok(np.rc === 0, `${org.domain} PFX without password opens`, np.err);
		const a = openssl(['x509', '-in', f('auth-current.pem'), '-noout', '-pubkey']).out;
		const b = openssl(['pkey', '-in', f('auth-current.key'), '-pubout']).out;
		ok(a && a === b, `${org.domain} Auth private key matches its certificate`);
		const bits = openssl(['x509', '-in', f('auth-current.pem'), '-noout', '-text']).out;
		ok(/Public-Key: \(2048 bit\)/.test(bits) && !/Subject Alternative Name/.test(bits), `${org.domain} Auth certificate RSA 2048, no SAN`);
	});
}

// A few checks at a time: spawning hundreds of curls at once starves the
// event loop and turns into spurious timeouts.
async function runAll() {
	let next = 0;
	const worker = async () => { while (next < checks.length) await checks[next++](); };
	await Promise.all(Array.from({ length: 8 }, worker));
}

runAll().then(() => {
	console.log(`selftest: ${passed} passed, ${failed} failed`);
	process.exit(failed ? 1 : 0);
});
