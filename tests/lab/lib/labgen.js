#!/usr/bin/env node
// Generates everything the lab serves: a private PKI (openssl CLI), the
// documents of Microsoft's clouds and of the on-premises organisations, the
// nginx configurations (with @PORT@ placeholders that scripts/lab fills in) and
// the dnsmasq records. Reads the scenario manifests; writes only under --dir.
//
//   node labgen.js --dir DIR --scenarios SCENARIO_ROOT [name ...]
//
// No dependencies beyond node's standard library and the openssl CLI.
'use strict';

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { spawn } = require('child_process');
const os = require('os');

// ---------------------------------------------------------------- constants

const EXO_APP = '00000002-0000-0ff1-ce00-000000000000';
const ACS_PRINCIPAL = '00000001-0000-0000-c000-000000000000';
const ACS_PRINCIPAL_21V = '00000001-0002-0000-c000-000000000000';
const ONPREM_ISSUER = '00000004-0000-0ff1-ce00-000000000000';
// The arbitration mailbox every tenant has; Microsoft's scripts ask
// AutoDiscover v2 for it at the tenant's initial domain (CSS-Exchange).
const ARBITRATION_MAILBOX = 'Migration.8f3e7716-2011-43e4-96b1-aba62d229136';
const AUTH_CERT_CN = 'Microsoft Exchange Server Auth Certificate';

// Per cloud: the real host names and the values documented in PROTOCOLS.md,
// shaped after the captures in tests/data/real (SOURCES.md). Where no
// capture exists the value says "invented" next to it.
//   acsIssuerPrincipal  the ACS document's issuer principal. Worldwide: the
//                       capture (thnetii, acs/). 21Vianet: INVENTED — no 21V
//                       ACS document has been seen; 00000001-0002-… is what
//                       21V Exchange Online trusts (the captured challenge), so
//                       a healthy 21V lab tenant names it.
//   exoTrustedIssuer    Exchange Online's challenge: 21Vianet as captured
//                       (explain/qa-1629044); worldwide as PROTOCOLS §5.
//   ewsHost             the host AutoDiscover v2 answers with (the profile's
//                       ews_url host; worldwide as captured, autodv2/).
const CLOUDS = {
	global: {
		acsHost: 'accounts.accesscontrol.windows.net',
		acsPath: 'acs',
		loginHosts: ['login.microsoftonline.com', 'login.windows.net'],
		stsIssuerHost: 'sts.windows.net',
		exoHosts: ['autodiscover-s.outlook.com', 'outlook.office365.com', 'outlook.office.com'],
		initialSuffix: 'onmicrosoft.com',
		routingSuffix: 'mail.onmicrosoft.com',
		graph: 'graph.microsoft.com',
		aadGraph: 'graph.windows.net',
		instance: 'microsoftonline.com',
		regionScope: 'NA',
		acsIssuerPrincipal: ACS_PRINCIPAL,
		authorizationUri: 'https://login.microsoftonline.com/common/oauth2/authorize',
		applicationUri: 'outlook.com',
		ewsHost: 'outlook.office365.com',
		fedEndpoint: 'https://login.microsoftonline.com/extSTS.srf',
	},
	china: {
		acsHost: 'accounts.accesscontrol.chinacloudapi.cn',
		acsPath: 'acs',
		loginHosts: ['login.chinacloudapi.cn', 'login.partner.microsoftonline.cn'],
		stsIssuerHost: 'sts.chinacloudapi.cn',
		exoHosts: ['autodiscover-s.partner.outlook.cn', 'partner.outlook.cn'],
		initialSuffix: 'partner.onmschina.cn',
		// The form seen in customers' data first; <t>.mail.partner.onmschina.cn is a
		// pattern only (HealthChecker), a scenario may still choose it (routing).
		routingSuffix: 'partner.mail.onmschina.cn',
		graph: 'microsoftgraph.chinacloudapi.cn',
		aadGraph: 'graph.chinacloudapi.cn',
		instance: 'partner.microsoftonline.cn',
		regionScope: 'AS', // invented: no 21Vianet OpenID document seen (AS is worldwide Asia's)
		acsIssuerPrincipal: ACS_PRINCIPAL_21V, // invented: see above
		exoTrustedIssuer: ACS_PRINCIPAL_21V,
		ewsHost: 'partner.outlook.cn',
		authorizationUri: 'https://login.chinacloudapi.cn/common/oauth2/authorize',
		applicationUri: 'partner.outlook.cn',
		fedEndpoint: 'https://login.partner.microsoftonline.cn/extSTS.srf',
	},
	gcchigh: {
		acsHost: 'login.microsoftonline.us',
		loginHosts: ['login.microsoftonline.us'],
		stsIssuerHost: 'login.microsoftonline.us',
		exoHosts: ['autodiscover-s.office365.us', 'outlook.office365.us'],
		initialSuffix: 'onmicrosoft.us',
		routingSuffix: 'mail.onmicrosoft.us',
		graph: 'graph.microsoft.us',
		aadGraph: 'graph.microsoftazure.us',
		instance: 'microsoftonline.us',
		// A GCC High customer's lines (openid/azure-docs-issue-56915-gcchigh-fragment.txt);
		// a tenant may say USG instead (region_scope, Microsoft's Azure Government sample).
		regionScope: 'USGov',
		regionSubScope: 'DODCON',
		acsIssuerPrincipal: ACS_PRINCIPAL,
		authorizationUri: 'https://login.microsoftonline.us/common/oauth2/authorize',
		applicationUri: 'office365.us', // invented: no US Government answer seen
		ewsHost: 'outlook.office365.us',
		fedEndpoint: 'https://login.microsoftonline.us/extSTS.srf',
	},
	dod: {
		acsHost: 'login.microsoftonline.us',
		loginHosts: ['login.microsoftonline.us'],
		stsIssuerHost: 'login.microsoftonline.us',
		exoHosts: ['autodiscover-s-dod.office365.us', 'outlook-dod.office365.us', 'webmail.apps.mil'],
		initialSuffix: 'onmicrosoft.us',
		routingSuffix: 'mail.onmicrosoft.us',
		graph: 'dod-graph.microsoft.us',
		aadGraph: 'graph.microsoftazure.us',
		instance: 'microsoftonline.us',
		regionScope: 'USGov',
		regionSubScope: 'DOD', // reported (PROTOCOLS §12.3), no capture
		acsIssuerPrincipal: ACS_PRINCIPAL,
		authorizationUri: 'https://login.microsoftonline.us/common/oauth2/authorize',
		applicationUri: 'office365.us', // invented: no US Government answer seen
		ewsHost: 'outlook-dod.office365.us',
		fedEndpoint: 'https://login.microsoftonline.us/extSTS.srf',
	},
};

// Which tenants each Microsoft host knows. login.microsoftonline.com also
// answers tenant discovery for US Government tenants (with .us values), which
// is how tools tell those clouds apart from the worldwide one.
const HOST_SETS = {
	'accounts.accesscontrol.windows.net': { set: 'global', role: 'acs', cloud: 'global' },
	'accounts.accesscontrol.chinacloudapi.cn': { set: 'china', role: 'acs', cloud: 'china' },
	'login.microsoftonline.com': { set: 'globallogin', role: 'login', cloud: 'global' },
	'login.windows.net': { set: 'global', role: 'login', cloud: 'global' },
	'login.chinacloudapi.cn': { set: 'china', role: 'login', cloud: 'china' },
	'login.partner.microsoftonline.cn': { set: 'china', role: 'login', cloud: 'china' },
	'login.microsoftonline.us': { set: 'usgov', role: 'login+acs', cloud: 'gcchigh' },
	'autodiscover-s.outlook.com': { set: 'global', role: 'exo', cloud: 'global' },
	'outlook.office365.com': { set: 'global', role: 'exo', cloud: 'global' },
	'outlook.office.com': { set: 'global', role: 'exo', cloud: 'global' },
	'autodiscover-s.partner.outlook.cn': { set: 'china', role: 'exo', cloud: 'china' },
	'partner.outlook.cn': { set: 'china', role: 'exo', cloud: 'china' },
	'autodiscover-s.office365.us': { set: 'gcchigh', role: 'exo', cloud: 'gcchigh' },
	'outlook.office365.us': { set: 'gcchigh', role: 'exo', cloud: 'gcchigh' },
	'autodiscover-s-dod.office365.us': { set: 'dod', role: 'exo', cloud: 'dod' },
	'outlook-dod.office365.us': { set: 'dod', role: 'exo', cloud: 'dod' },
	'webmail.apps.mil': { set: 'dod', role: 'exo', cloud: 'dod' },
};
const SETS = {
	global: ['global'], china: ['china'], usgov: ['gcchigh', 'dod'],
	gcchigh: ['gcchigh'], dod: ['dod'], globallogin: ['global', 'gcchigh', 'dod'],
};

// TLS certificate kinds a host may present (manifest "cert").
const CERT_KINDS = ['good', 'expired', 'notyet', 'wrongname', 'selfsigned', 'noeku',
	'rsa1024', 'nointermediate', 'reject'];

// ---------------------------------------------------------------- helpers

function die(msg) { process.stderr.write(`labgen: ${msg}\n`); process.exit(1); }

function args() {
	const a = process.argv.slice(2);
	const o = { dir: null, scenarios: null, names: [] };
	for (let i = 0; i < a.length; i++) {
		if (a[i] === '--dir') o.dir = a[++i];
		else if (a[i] === '--scenarios') o.scenarios = a[++i];
		else o.names.push(a[i]);
	}
	if (!o.dir || !o.scenarios) die('usage: labgen.js --dir DIR --scenarios ROOT [name ...]');
	return o;
}

function mkdirp(d) { fs.mkdirSync(d, { recursive: true }); }
function write(f, s) { mkdirp(path.dirname(f)); fs.writeFileSync(f, s); }

// A stable GUID from a name, so expected results never depend on a run.
function guid(name) {
	const h = crypto.createHash('sha1').update('hybridcheck-lab:' + name).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function derOf(pemText) {
	const m = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pemText);
	if (!m) throw new Error('no certificate in PEM');
	return Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
}
function sha1(buf) { return crypto.createHash('sha1').update(buf).digest(); }
function b64url(buf) { return buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''); }
function reEscape(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }
function xmlEscape(s) { return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'); }

const NPROC = Math.max(4, 2 * os.cpus().length);
let running = 0;
const queue = [];
// Runs a command with bounded parallelism; rejects with its stderr on failure.
function run(cmd, argv, env) {
	return new Promise((resolve, reject) => {
		const go = () => {
			running++;
			const p = spawn(cmd, argv, { env: Object.assign({}, process.env, env || {}), stdio: ['ignore', 'ignore', 'pipe'] });
			let err = '';
			p.stderr.on('data', (d) => { err += d; });
			p.on('error', (e) => { err += `cannot run ${cmd}: ${e.message}`; });
			p.on('close', (code) => {
				running--;
				if (queue.length) queue.shift()();
				if (code === 0) resolve(); else reject(new Error(`${cmd} ${argv.join(' ')}: ${err.trim()}`));
			});
		};
		if (running < NPROC) go(); else queue.push(go);
	});
}

function faketimeLib() {
	for (const d of ['/usr/lib/x86_64-linux-gnu/faketime', '/usr/lib/aarch64-linux-gnu/faketime',
		'/usr/lib/faketime', '/usr/local/lib/faketime']) {
		const f = path.join(d, 'libfaketime.so.1');
		if (fs.existsSync(f)) return f;
	}
	return null;
}

// ---------------------------------------------------------------- scenarios

function loadScenarios(root, names) {
	let dirs = fs.readdirSync(root).filter((n) => fs.existsSync(path.join(root, n, 'manifest.json'))).sort();
	if (names.length && !(names.length === 1 && names[0] === 'all')) {
		for (const n of names) if (!dirs.includes(n)) die(`no scenario '${n}' under '${root}'`);
		dirs = names;
	}
	const out = [];
	for (const n of dirs) {
		const f = path.join(root, n, 'manifest.json');
		let m;
		try { m = JSON.parse(fs.readFileSync(f, 'utf8')); } catch (e) { die(`cannot read '${f}': ${e.message}`); }
		m.scenario = n;
		out.push(m);
	}
	return out;
}

// Normalises a manifest's tenant and org, filling defaults.
function buildModel(manifests) {
	const tenants = new Map();
	const orgs = [];
	for (const m of manifests) {
		const t = m.tenant;
		if (t) {
			const cloud = CLOUDS[t.cloud] ? t.cloud : die(`${m.scenario}: unknown cloud '${t.cloud}'`);
			const c = CLOUDS[cloud];
			if (!tenants.has(t.name)) {
				const routingSuffix = t.routing || c.routingSuffix;
				const initial = `${t.name}.${c.initialSuffix}`;
				const routing = `${t.name}.${routingSuffix}`;
				const domains = [...(t.domains || []), routing, initial];
				if (t.fedinfo && t.fedinfo !== 'legacy') die(`${m.scenario}: unknown fedinfo '${t.fedinfo}'`);
				tenants.set(t.name, {
					name: t.name, cloud, id: t.id || guid('tenant:' + t.name), initial, routing,
					domains, acsStyle: t.acs_style || 'acs', scenario: m.scenario,
					// GetFederationInformation: the queried domain alone (since
					// 2025), or 'legacy', the full list of before.
					fedinfo: t.fedinfo || 'queried',
					regionScope: t.region_scope || c.regionScope,
				});
			}
		}
		const o = m.org;
		if (o) {
			const hosts = {};
			const defaults = { autodiscover: { cert: 'good', dns: 'a' }, mail: { cert: 'good', dns: 'a' },
				apex: { role: 'website', cert: 'good', dns: 'a' } };
			// The usual three, and any other label the organisation publishes.
			const names = ['autodiscover', 'mail', 'apex', ...Object.keys(o.hosts || {})
				.filter((h) => !['autodiscover', 'mail', 'apex'].includes(h))];
			for (const h of names) {
				const given = (o.hosts || {})[h];
				if (given === null || given === 'none') continue;
				if (!/^[a-z0-9-]+$/.test(h)) die(`${m.scenario}: host label '${h}' is not one DNS label`);
				hosts[h] = Object.assign({}, defaults[h] || { cert: 'good', dns: 'a' }, given || {});
				if (!CERT_KINDS.includes(hosts[h].cert)) die(`${m.scenario}: unknown cert kind '${hosts[h].cert}'`);
			}
			orgs.push({
				scenario: m.scenario, domain: o.domain, tenant: t ? t.name : null, hosts,
				httpRedirect: o.http_redirect === undefined ? 'autodiscover' : o.http_redirect,
				srv: o.srv || null, challenge: o.challenge || 'oauth', metadataCert: o.metadata_cert || 'current',
				authCert: o.auth_cert || 'valid', skew: o.skew || null,
				internalOnly: o.internal_only || [],
				// The Hybrid Agent's GUID: its name is published, never served.
				hybridAgent: o.hybrid_agent || null,
			});
		}
	}
	return { tenants: [...tenants.values()], orgs };
}

function fqdn(org, h) { return h === 'apex' ? org.domain : `${h}.${org.domain}`; }

// ---------------------------------------------------------------- PKI

// The PKI is reused while its inputs (this generator and the scenarios) are
// unchanged and it is less than PKI_MAX_AGE old: the dates that matter
// (expired, not yet valid, expiring within 60 days) stay true for much longer.
const PKI_MAX_AGE_MS = 12 * 3600 * 1000;

async function makePki(dir, model) {
	const pki = path.join(dir, 'pki');
	const stampFile = path.join(pki, 'stamp.json');
	const inputs = crypto.createHash('sha1').update(fs.readFileSync(__filename))
		.update(JSON.stringify({ t: model.tenants, o: model.orgs })).digest('hex');
	let cached = false;
	try {
		const st = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
		cached = st.inputs === inputs && Date.now() - st.made < PKI_MAX_AGE_MS && process.env.LAB_FRESH_PKI !== '1';
	} catch (e) { cached = false; }
	if (!cached) {
		fs.rmSync(stampFile, { force: true });
		for (const d of ['orgs', 'pki/certs', 'pki/acs', 'pki/auth', 'pki/root.pem', 'pki/int.pem']) fs.rmSync(path.join(dir, d), { recursive: true, force: true });
	}
	const keys = path.join(pki, 'keys');
	const work = path.join(pki, 'work');
	mkdirp(keys); mkdirp(work);
	const cnf = path.join(pki, 'openssl.cnf');
	// Our own OpenSSL configuration for the CLI and for nginx: no dependence on
	// /etc/ssl/openssl.cnf, and a server-side security level that still lets
	// nginx load the deliberately weak RSA-1024 certificate.
	write(cnf, [
		'openssl_conf = lab_init', '',
		'[req]', 'distinguished_name = dn', 'prompt = no', '[dn]', '',
		'[lab_init]', 'ssl_conf = lab_ssl', '[lab_ssl]', 'system_default = lab_sys',
		'[lab_sys]', 'CipherString = DEFAULT:@SECLEVEL=0', '',
	].join('\n'));
	const env = { OPENSSL_CONF: cnf };

	// Keys are harmless to reuse between starts (they are not what is tested),
	// and generating them is the slow part: keep them once made.
	const keyNames = { root: 2048, int: 2048, leaf: 2048, acs1: 2048, acs2: 2048, entra: 2048, authA: 2048, authB: 2048, weak: 1024 };
	await Promise.all(Object.entries(keyNames).map(async ([k, bits]) => {
		const f = path.join(keys, `${k}.key`);
		if (!fs.existsSync(f) || !fs.existsSync(path.join(keys, `${k}.pub`))) {
			await run('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${bits}`, '-out', f + '.tmp'], env);
			fs.renameSync(f + '.tmp', f);
			await run('openssl', ['pkey', '-in', f, '-pubout', '-out', path.join(keys, `${k}.pub`)], env);
		}
	}));
	const K = (k) => path.join(keys, `${k}.key`);
	const P = (k) => path.join(keys, `${k}.pub`);
	const ft = faketimeLib();
	if (!ft) die('libfaketime not found (install the faketime package: scripts/setup)');

	let extN = 0;
	// One certificate: subject, SANs, issuer ('self' or 'int'/'root'), key,
	// validity shift (FAKETIME offset), days, extension profile.
	async function cert(out, o) {
		if (cached) return;
		const ext = path.join(work, `ext${++extN}.cnf`);
		const lines = ['[v3]'];
		if (o.profile === 'ca') {
			lines.push('basicConstraints = critical,CA:TRUE' + (o.pathlen !== undefined ? `,pathlen:${o.pathlen}` : ''),
				'keyUsage = critical,keyCertSign,cRLSign', 'subjectKeyIdentifier = hash');
			if (o.issuer !== 'self') lines.push('authorityKeyIdentifier = keyid');
		} else if (o.profile === 'auth') {
			// Exchange's Auth certificate: self-signed, no SAN.
			lines.push('basicConstraints = CA:FALSE', 'keyUsage = critical,digitalSignature,keyEncipherment',
				'subjectKeyIdentifier = hash');
		} else if (o.profile === 'exchange-selfsigned') {
			lines.push('basicConstraints = CA:FALSE', 'keyUsage = critical,digitalSignature,keyEncipherment',
				'extendedKeyUsage = serverAuth', 'subjectKeyIdentifier = hash');
			lines.push('subjectAltName = ' + o.sans.map((s) => `DNS:${s}`).join(','));
		} else {
			lines.push('basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature,keyEncipherment',
				`extendedKeyUsage = ${o.eku || 'serverAuth,clientAuth'}`, 'subjectKeyIdentifier = hash',
				'authorityKeyIdentifier = keyid');
			if (o.sans) lines.push('subjectAltName = ' + o.sans.map((s) => `DNS:${s}`).join(','));
		}
		write(ext, lines.join('\n') + '\n');
		const argv = ['x509', '-new', '-subj', o.subj, '-days', String(o.days), '-sha256',
			'-extfile', ext, '-extensions', 'v3', '-out', out];
		if (o.issuer === 'self') argv.push('-key', K(o.key));
		else argv.push('-force_pubkey', P(o.key), '-CA', path.join(pki, `${o.issuer}.pem`), '-CAkey', K(o.issuer));
		const e = Object.assign({}, env);
		if (o.shift) { e.LD_PRELOAD = ft; e.FAKETIME = o.shift; e.FAKETIME_DONT_FAKE_MONOTONIC = '1'; }
		await run('openssl', argv, e);
	}

	await cert(path.join(pki, 'root.pem'), { subj: '/C=US/O=Hybridcheck Lab Trust Services/CN=Hybridcheck Lab Public Root CA',
		issuer: 'self', key: 'root', days: 3650, profile: 'ca', shift: '-30d' });
	await cert(path.join(pki, 'int.pem'), { subj: '/C=US/O=Hybridcheck Lab Trust Services/CN=Hybridcheck Lab TLS RSA CA 2026',
		issuer: 'root', key: 'int', days: 1825, profile: 'ca', pathlen: 0, shift: '-20d' });
	const intPem = cached ? '' : fs.readFileSync(path.join(pki, 'int.pem'), 'utf8');

	const jobs = [];
	const certs = path.join(pki, 'certs');
	mkdirp(certs);
	// TLS certificate of one host (or a group of names) of a given kind.
	// Returns { cert, key } paths for nginx, or null when the handshake is rejected.
	const tlsMade = new Map();
	function tls(id, names, kind) {
		const dedupe = kind + ' ' + [...names].sort().join(',');
		if (tlsMade.has(dedupe)) return tlsMade.get(dedupe);
		const made = tls1(id, names, kind);
		tlsMade.set(dedupe, made);
		return made;
	}
	function tls1(id, names, kind) {
		const base = path.join(certs, id);
		const leaf = base + '.leaf.pem';
		const chain = base + '.pem';
		const cn = names[0];
		const o = { subj: `/C=US/O=Lab Organisation/CN=${cn}`, issuer: 'int', key: 'leaf', days: 397, sans: names };
		let withInt = true;
		switch (kind) {
		case 'reject': return null;
		case 'good': break;
		case 'expired': o.shift = '-400d'; o.days = 370; break;
		case 'notyet': o.shift = '+30d'; break;
		case 'wrongname': {
			// The web hosting company's certificate: names the apex and www only.
			const d = names[0].replace(/^[^.]+\./, '');
			o.sans = [d, `www.${d}`]; o.subj = `/C=US/O=Lab Organisation/CN=${d}`; break;
		}
		case 'selfsigned': {
			// Exchange's default certificate: self-signed, the server's single-label name.
			const d = names[0].replace(/^[^.]+\./, '');
			Object.assign(o, { subj: '/CN=EXCH01', issuer: 'self', sans: ['EXCH01', `EXCH01.corp.${d}`],
				profile: 'exchange-selfsigned', days: 1826, shift: '-100d' });
			withInt = false; break;
		}
		case 'noeku': o.eku = 'clientAuth'; break;
		case 'rsa1024': o.key = 'weak'; break;
		case 'nointermediate': withInt = false; break;
		default: die(`unknown cert kind ${kind}`);
		}
		jobs.push(cert(leaf, o).then(() => {
			if (cached) return;
			const l = fs.readFileSync(leaf, 'utf8');
			fs.writeFileSync(chain, withInt ? l + intPem : l);
		}));
		return { cert: chain, key: K(o.key) };
	}

	// ACS signing certificates: per cloud, a current and a next key (rotation).
	// Their private keys stay in LAB_DIR/pki/keys (never committed): the
	// token tests sign ACS tokens with them (lab.json names each one).
	const acs = {};
	const acsKeyFiles = {};
	for (const cloud of Object.keys(CLOUDS)) {
		acs[cloud] = [];
		acsKeyFiles[cloud] = [];
		for (const [i, k] of [['1', 'acs1'], ['2', 'acs2']]) {
			const f = path.join(pki, 'acs', `${cloud}-signing${i}.pem`);
			mkdirp(path.dirname(f));
			acs[cloud].push(f);
			acsKeyFiles[cloud].push(K(k));
			jobs.push(cert(f, { subj: `/CN=${CLOUDS[cloud].acsHost}`, issuer: 'self', key: k, days: 730,
				profile: 'auth', shift: i === '1' ? '-200d' : '-5d' }));
		}
		// One Entra ID signing key of the cloud's own, beside the ACS ones in
		// its key set, so a token test can tell which document verified it.
		const f = path.join(pki, 'acs', `${cloud}-entra.pem`);
		acs[cloud + ':entra'] = [f];
		acsKeyFiles[cloud + ':entra'] = [K('entra')];
		jobs.push(cert(f, { subj: `/CN=${CLOUDS[cloud].loginHosts[0]}`, issuer: 'self', key: 'entra', days: 730,
			profile: 'auth', shift: '-30d' }));
	}

	// Exchange Auth certificates per organisation.
	const auth = {};
	let otherAuth = null;
	mkdirp(path.join(pki, 'auth'));
	for (const org of model.orgs) {
		const dd = path.join(dir, 'orgs', org.domain);
		const d = dd;
		mkdirp(d);
		if (!cached) fs.writeFileSync(path.join(d, 'pfx.password'), 'Lab-Pfx-Passw0rd\n');
		const mk = (name, key, shift, days, pfx, where) => {
			const d = where || dd;
			const pem = path.join(d, `${name}.pem`);
			const job = cert(pem, { subj: `/CN=${AUTH_CERT_CN}`, issuer: 'self', key, days, profile: 'auth', shift })
				.then(async () => {
					if (cached) return;
					const der = derOf(fs.readFileSync(pem, 'utf8'));
					fs.writeFileSync(path.join(d, `${name}.cer`), der);
					fs.writeFileSync(path.join(d, `${name}.thumbprint`), sha1(der).toString('hex').toUpperCase() + '\n');
					fs.copyFileSync(K(key), path.join(d, `${name}.key`));
					if (!pfx) return;
					await run('openssl', ['pkcs12', '-export', '-in', pem, '-inkey', K(key), '-name', AUTH_CERT_CN,
						'-passout', `file:${path.join(d, 'pfx.password')}`, '-out', path.join(d, `${name}.pfx`)], env);
					await run('openssl', ['pkcs12', '-export', '-in', pem, '-inkey', K(key), '-name', AUTH_CERT_CN,
						'-passout', 'pass:', '-out', path.join(d, `${name}-nopassword.pfx`)], env);
				});
			jobs.push(job);
			return { pem, job };
		};
		// 'current' is what Get-AuthConfig names; 'other' is a second Auth
		// certificate (a renewal or another server's) for mismatch scenarios.
		// 'other' is the same certificate in every organisation (it only has to
		// differ from 'current'): made once, copied.
		const a = { current: null, other: path.join(dd, 'auth-other.pem') };
		if (org.authCert === 'expired') a.current = mk('auth-current', 'authA', '-1836d', 1826, true).pem;
		else if (org.authCert === 'expiring') a.current = mk('auth-current', 'authA', '-1800d', 1826, true).pem;
		else a.current = mk('auth-current', 'authA', '-90d', 1826, true).pem;
		if (!otherAuth) otherAuth = mk('auth-other', 'authB', '-30d', 1826, false, path.join(pki, 'auth'));
		jobs.push(otherAuth.job.then(() => {
			if (cached) return;
			for (const ext of ['pem', 'cer', 'thumbprint', 'key']) {
				fs.copyFileSync(path.join(pki, 'auth', `auth-other.${ext}`), path.join(dd, `auth-other.${ext}`));
			}
		}));
		auth[org.domain] = a;
	}

	// TLS certificates: one per cloud (all its host names, as Microsoft's
	// multi-name certificates), one per on-premises host.
	const tlsFor = {};
	const cloudNames = {};
	for (const [h, s] of Object.entries(HOST_SETS)) (cloudNames[s.cloud] = cloudNames[s.cloud] || []).push(h);
	for (const [cloud, names] of Object.entries(cloudNames)) {
		const c = tls(`cloud-${cloud}`, names, 'good');
		for (const n of names) tlsFor[n] = c;
	}
	for (const org of model.orgs) {
		for (const [h, spec] of Object.entries(org.hosts)) {
			const name = fqdn(org, h);
			let names = [name];
			// A healthy Exchange certificate names both Exchange hosts (and the
			// apex when Exchange serves it); a website certificate names apex and www.
			if (spec.cert === 'good' && h !== 'apex') names = [`mail.${org.domain}`, `autodiscover.${org.domain}`];
			if (spec.cert === 'good' && h === 'apex') names = spec.role === 'exchange'
				? [org.domain, `mail.${org.domain}`, `autodiscover.${org.domain}`] : [org.domain, `www.${org.domain}`];
			if (h !== 'apex' && org.hosts.apex && org.hosts.apex.role === 'exchange' && spec.cert === 'good') names.push(org.domain);
			names = [name, ...names.filter((n) => n !== name)];
			tlsFor[name] = tls(`${name}`, names, spec.cert);
		}
	}
	await Promise.all(jobs);
	fs.rmSync(work, { recursive: true, force: true });
	if (!cached) write(stampFile, JSON.stringify({ inputs, made: Date.now() }) + '\n');
	return { pki, acs, acsKeyFiles, auth, tlsFor, cnf };
}

// ---------------------------------------------------------------- documents

function certInfo(pemFile) {
	const der = derOf(fs.readFileSync(pemFile, 'utf8'));
	return { b64: der.toString('base64'), x5t: b64url(sha1(der)), thumb: sha1(der).toString('hex').toUpperCase() };
}

// ACS metadata in one of the spellings seen in Microsoft's documents.
function acsMetadata(cloud, tenant, keys, host) {
	const c = CLOUDS[cloud];
	const style = tenant ? tenant.acsStyle : 'acs';
	const id = tenant ? tenant.id : null;
	const base = `https://${host}/${id || ''}`.replace(/\/$/, '');
	const keyObj = (k) => {
		switch (style) {
		case 'exchange': // keyinfo a sibling of keyvalue, lower-case names
			return { usage: 'signing', keyinfo: { x5t: k.x5t }, keyvalue: { type: 'x509Certificate', value: k.b64 } };
		case 'lower':
			return { usage: 'Signing', keyvalue: { type: 'x509certificate', value: k.b64, keyinfo: { x5t: k.x5t } } };
		default:
			return { usage: 'signing', keyValue: { type: 'x509Certificate', value: k.b64, keyInfo: { x5t: k.x5t } } };
		}
	};
	const doc = { keys: keys.map(keyObj) };
	doc.endpoints = [
		{ location: `${base}/tokens/OAuth/2`, protocol: 'OAuth2', usage: 'issuance' },
		{ location: `${base}/tokens/delegation/1`, protocol: 'DelegationIssuance1.0', usage: 'issuance' },
		{ location: `${base}/mgmt/delegation/1`, protocol: 'DelegationManagement1.0', usage: 'management' },
	];
	doc.version = '1.0';
	if (id) {
		doc.realm = id;
		doc.name = 'sts';
		// Both audiences, the initial domain's first, as the captured document has them.
		doc.allowedAudiences = [`${c.acsIssuerPrincipal}/${host}@${tenant.initial}`,
			`${c.acsIssuerPrincipal}/${host}@${id}`];
		doc.issuer = `${c.acsIssuerPrincipal}@${id}`;
	} else {
		doc.name = 'sts';
		doc.allowedAudiences = [`${c.acsIssuerPrincipal}/${host}@*`];
	}
	let s = JSON.stringify(doc);
	if (style === 'escaped') s = s.replace(/\//g, '\\/');
	return s;
}

function oidc(cloud, tenant, host, v2) {
	const c = CLOUDS[cloud];
	const tid = tenant.id;
	// US Government tenants found through the worldwide host point at .us.
	const lh = HOST_SETS[host].cloud === cloud ? host : c.loginHosts[0];
	const b = `https://${lh}/${tid}`;
	const doc = {
		token_endpoint: v2 ? `${b}/oauth2/v2.0/token` : `${b}/oauth2/token`,
		token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
		jwks_uri: v2 ? `${b}/discovery/v2.0/keys` : `https://${lh}/common/discovery/keys`,
		response_modes_supported: ['query', 'fragment', 'form_post'],
		subject_types_supported: ['pairwise'],
		id_token_signing_alg_values_supported: ['RS256'],
		response_types_supported: ['code', 'id_token', 'code id_token', v2 ? 'id_token token' : 'token id_token', ...(v2 ? [] : ['token'])],
		scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
		issuer: v2 ? `${b}/v2.0` : `https://${c.stsIssuerHost}/${tid}/`,
		request_uri_parameter_supported: false,
		userinfo_endpoint: `https://${c.graph}/oidc/userinfo`,
		authorization_endpoint: v2 ? `${b}/oauth2/v2.0/authorize` : `${b}/oauth2/authorize`,
		device_authorization_endpoint: v2 ? `${b}/oauth2/v2.0/devicecode` : `${b}/oauth2/devicecode`,
		http_logout_supported: true,
		frontchannel_logout_supported: true,
		end_session_endpoint: v2 ? `${b}/oauth2/v2.0/logout` : `${b}/oauth2/logout`,
		claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name',
			'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver',
			'at_hash', 'c_hash', 'email'],
		kerberos_endpoint: `${b}/kerberos`,
		tenant_region_scope: tenant.regionScope,
	};
	if (c.regionSubScope) doc.tenant_region_sub_scope = c.regionSubScope;
	Object.assign(doc, {
		cloud_instance_name: c.instance,
		cloud_graph_host_name: c.aadGraph,
		msgraph_host: c.graph,
		rbac_url: cloud === 'global' ? 'https://pas.windows.net' : cloud === 'china' ? 'https://pas.chinacloudapi.cn' : 'https://pasff.usgovcloudapi.net',
	});
	return JSON.stringify(doc);
}

// Entra ID's key set for a tenant, in the captured shape
// (certs/panva-wellknown-entra-common-jwks.json): kty, use, kid = x5t, n, e,
// x5c, issuer. The keys are the lab's cloud signing keys (the real set also
// holds accounts.accesscontrol.windows.net certificates).
function entraKeys(cloud, tenant, host, signing) {
	const lh = HOST_SETS[host].cloud === cloud ? host : CLOUDS[cloud].loginHosts[0];
	return JSON.stringify({ keys: signing.map((k) => {
		const jwk = crypto.createPublicKey(fs.readFileSync(k.cert, 'utf8')).export({ format: 'jwk' });
		return { kty: 'RSA', use: 'sig', kid: k.x5t, x5t: k.x5t, n: jwk.n, e: jwk.e, x5c: [k.b64],
			issuer: `https://${lh}/${tenant.id}/v2.0` };
	}) });
}

function federationMetadata(cloud, tenant, host, signing) {
	const tid = tenant.id;
	const id = '_' + guid('fedmd:' + tenant.name + host);
	return '\ufeff<?xml version="1.0" encoding="utf-8"?>' +
		`<EntityDescriptor ID="${id}" entityID="https://${CLOUDS[cloud].stsIssuerHost}/${tid}/" xmlns="urn:oasis:names:tc:SAML:2.0:metadata">` +
		'<RoleDescriptor xsi:type="fed:SecurityTokenServiceType" protocolSupportEnumeration="http://docs.oasis-open.org/wsfed/federation/200706" ' +
		'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:fed="http://docs.oasis-open.org/wsfed/federation/200706">' +
		signing.map((k) => `<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${k.b64}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>`).join('') +
		`<fed:SecurityTokenServiceEndpoint><wsa:EndpointReference xmlns:wsa="http://www.w3.org/2005/08/addressing"><wsa:Address>https://${host}/${tid}/wsfed</wsa:Address></wsa:EndpointReference></fed:SecurityTokenServiceEndpoint>` +
		'</RoleDescriptor></EntityDescriptor>';
}

// The error body, with nginx variables for the per-request parts.
function aadsts90002(key, host) {
	const now = '$time_iso8601';
	const trace = '$lab_trace_id';
	const corr = '$lab_correlation_id';
	return JSON.stringify({
		error: 'invalid_tenant',
		error_description: `AADSTS90002: Tenant '${key}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant. Trace ID: ${trace} Correlation ID: ${corr} Timestamp: ${now}`,
		error_codes: [90002], timestamp: now, trace_id: trace, correlation_id: corr,
		error_uri: `https://${host}/error?code=90002`,
	});
}

function soapEnvelope(inner, action) {
	return '<?xml version="1.0" encoding="utf-8"?>' +
		'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:a="http://www.w3.org/2005/08/addressing">' +
		`<s:Header><a:Action s:mustUnderstand="1">http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/${action}</a:Action>` +
		'<h:ServerVersionInfo xmlns:h="http://schemas.microsoft.com/exchange/2010/Autodiscover" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">' +
		'<h:MajorVersion>15</h:MajorVersion><h:MinorVersion>20</h:MinorVersion><h:MajorBuildNumber>8293</h:MajorBuildNumber>' +
		'<h:MinorBuildNumber>19</h:MinorBuildNumber><h:Version>Exchange2015</h:Version></h:ServerVersionInfo></s:Header>' +
		`<s:Body>${inner}</s:Body></s:Envelope>`;
}

// Since mid-2025 the answer names the queried domain alone (PROTOCOLS §12.1;
// no capture of the new answer exists: its shape is Microsoft's sample,
// fedinfo/, with one domain). 'legacy' tenants keep the full list of before.
function fedInfo(cloud, tenant, queried) {
	const c = CLOUDS[cloud];
	const list = tenant.fedinfo === 'legacy' ? tenant.domains : [queried];
	const domains = list.map((d) => `<Domain>${xmlEscape(d)}</Domain>`).join('');
	return soapEnvelope('<GetFederationInformationResponseMessage xmlns="http://schemas.microsoft.com/exchange/2010/Autodiscover">' +
		'<Response xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><ErrorCode>NoError</ErrorCode><ErrorMessage/>' +
		`<ApplicationUri>${c.applicationUri}</ApplicationUri><Domains>${domains}</Domains>` +
		`<TokenIssuers><TokenIssuer><Endpoint>${c.fedEndpoint}</Endpoint><Uri>urn:federation:MicrosoftOnline</Uri></TokenIssuer></TokenIssuers>` +
		'</Response></GetFederationInformationResponseMessage>', 'GetFederationInformationResponse');
}

// AutoDiscover v2's answer: the captured shape (autodv2/qa-1598474-exo-ews.json),
// with ServerLocation as Microsoft's script reads it when asked with
// ServerLocation=true (CSS-Exchange; no capture of that member).
function autodv2(cloud) {
	return JSON.stringify({ Protocol: 'EWS', Url: `https://${CLOUDS[cloud].ewsHost}/EWS/Exchange.asmx`,
		ServerLocation: 'Exchange Online' });
}

function fedInfoUnknown() {
	return soapEnvelope('<GetFederationInformationResponseMessage xmlns="http://schemas.microsoft.com/exchange/2010/Autodiscover">' +
		'<Response xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><ErrorCode>InvalidDomain</ErrorCode>' +
		'<ErrorMessage>The domain is not a valid domain.</ErrorMessage><ApplicationUri i:nil="true"/><Domains/><TokenIssuers i:nil="true"/>' +
		'</Response></GetFederationInformationResponseMessage>', 'GetFederationInformationResponse');
}

function onpremMetadata(host, certPem, pathPrefix) {
	const k = certInfo(certPem);
	// Exchange's own document: keyinfo is a sibling of keyvalue.
	return JSON.stringify({
		id: '_' + guid('onprem-md:' + host + k.thumb), version: '1.0', name: 'Exchange', realm: '*',
		serviceName: EXO_APP, issuer: `${EXO_APP}@*`, allowedAudiences: [`${EXO_APP}@*`],
		keys: [{ usage: 'signing', keyinfo: { x5t: k.x5t }, keyvalue: { type: 'x509Certificate', value: k.b64 } }],
		endpoints: [{ location: `https://${host}${pathPrefix}/metadata/json/1`, protocol: 'OAuth2', usage: 'metadata' }],
	});
}

// ---------------------------------------------------------------- nginx

function q(s) { return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`; }

function nginxMain(dir, name) {
	return [
		'# generated by tests/lab/lib/labgen.js; @..._PORT@ filled in by scripts/lab',
		'load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;',
		'worker_processes 1;',
		// nginx empties the environment of its processes; libfaketime re-reads
		// FAKETIME every few seconds, so the clock offset must survive.
		'env FAKETIME;', 'env LD_PRELOAD;', 'env FAKETIME_DONT_FAKE_MONOTONIC;',
		`pid ${dir}/run/${name}.pid;`,
		`error_log ${dir}/logs/${name}-error.log warn;`,
		`events { worker_connections ${process.env.LAB_BENCH_ORGS ? 8192 : 256}; }`,
		'http {',
		`  client_body_temp_path ${dir}/tmp/${name}/body;`,
		`  proxy_temp_path ${dir}/tmp/${name}/proxy;`,
		`  fastcgi_temp_path ${dir}/tmp/${name}/fastcgi;`,
		`  uwsgi_temp_path ${dir}/tmp/${name}/uwsgi;`,
		`  scgi_temp_path ${dir}/tmp/${name}/scgi;`,
		`  access_log ${dir}/logs/${name}-access.log;`,
		'  server_tokens off;',
		'  default_type application/octet-stream;',
		'  types { text/html html; application/json json; text/xml xml; }',
		'  charset utf-8;',
		'  charset_types application/json text/xml;',
		'  absolute_redirect off;',
		'  ssl_protocols TLSv1.2 TLSv1.3;',
		'  ssl_session_cache off;',
		'  keepalive_timeout 5s;',
		// The SOAP body must be in memory for $request_body.
		'  client_body_buffer_size 64k;',
		'  client_max_body_size 64k;',
		'  client_body_in_single_buffer on;',
		'  map_hash_bucket_size 128;',
		'  server_names_hash_bucket_size 128;',
		'  server_names_hash_max_size 4096;',
		'  variables_hash_bucket_size 128;',
		// Per-request GUIDs for error bodies, cut from nginx's random request id.
		'  map $request_id $lab_trace_id {',
		'    "~^(.{8})(.{4})(.{4})(.{4})(.{12})$" "$1-$2-$3-$4-$5";',
		'  }',
		'  map $request_id $lab_correlation_id {',
		'    "~^(.{12})(.{4})(.{4})(.{4})(.{8})$" "$5-$3-$2-$4-$1";',
		'  }',
		'  map $request_body $lab_fed_domain {',
		'    "~*(?s)GetFederationInformation.*?<(?:[A-Za-z0-9_]+:)?Domain>\\s*([^<\\s]+)\\s*</" $1;',
		'    default "";',
		'  }',
	];
}

function challengeHeaders(bearer, realmHost) {
	const l = [];
	if (bearer) l.push(`add_header WWW-Authenticate ${q(bearer)} always;`);
	l.push("add_header WWW-Authenticate 'Negotiate' always;", "add_header WWW-Authenticate 'NTLM' always;");
	if (realmHost) l.push(`add_header WWW-Authenticate ${q(`Basic realm="${realmHost}"`)} always;`);
	return l;
}

function unauthorized(extra) {
	return [...extra, "add_header X-FEServer 'EXCH01' always;", "add_header X-Powered-By 'ASP.NET' always;",
		'default_type text/html;', "return 401 '401 - Unauthorized: Access is denied due to invalid credentials.\\n';"];
}

function indent(lines, n) { return lines.map((l) => ' '.repeat(n) + l); }

function tlsServer(port, name, tls, body) {
	const l = [`  server {`, `    listen 127.0.0.1:@${port}@ ssl;`, `    server_name ${name};`];
	if (!tls) l.push('    ssl_reject_handshake on;');
	else l.push(`    ssl_certificate ${tls.cert};`, `    ssl_certificate_key ${tls.key};`);
	l.push(...indent(body, 4), '  }');
	return l;
}

function cloudServer(dir, host, pkiOut) {
	const s = HOST_SETS[host];
	const root = path.join(dir, 'www', host);
	const b = [`root ${root};`];
	const tvar = `$lab_tenant_${s.set}`;
	if (s.role === 'acs' || s.role === 'login+acs') {
		b.push('location ~* "^/(?<lab_key>[^/]+)/metadata/json/1/?$" {', '  default_type application/json;',
			`  try_files /t/${tvar}/acs.json @acs_unknown;`, '}',
			'location ~* "^/metadata/json/1/?$" {', '  default_type application/json;', '  try_files /acs-common.json =404;', '}');
		if (s.cloud === 'china') {
			// Choice, documented in docs/lab.md: 21Vianet's ACS answers an
			// unknown tenant with an HTML 404 page, the others with JSON 400.
			b.push('location @acs_unknown {', '  default_type text/html;',
				"  return 404 '<!DOCTYPE html><html><head><title>404 - Not Found</title></head><body><h1>404 - Not Found</h1></body></html>\\n';", '}');
		} else {
			b.push('location @acs_unknown {', '  default_type application/json;',
				'  return 400 \'{"error":"invalid_request","error_description":"ACS90002: Tenant \\\'$lab_key\\\' not found."}\';', '}');
		}
	}
	if (s.role === 'login' || s.role === 'login+acs') {
		b.push('location ~* "^/(?<lab_key>[^/]+)/v2\\.0/\\.well-known/openid-configuration$" {', '  default_type application/json;',
			`  try_files /t/${tvar}/oidc-v2.json @oidc_unknown;`, '}',
			'location ~* "^/(?<lab_key>[^/]+)/\\.well-known/openid-configuration$" {', '  default_type application/json;',
			`  try_files /t/${tvar}/oidc-v1.json @oidc_unknown;`, '}',
			'location ~* "^/(?<lab_key>[^/]+)/federationmetadata/2007-06/federationmetadata\\.xml$" {', '  default_type text/xml;',
			`  try_files /t/${tvar}/federationmetadata.xml @oidc_unknown;`, '}',
			'location ~* "^/(?<lab_key>[^/]+)/discovery/v2\\.0/keys$" {', '  default_type application/json;',
			`  try_files /t/${tvar}/keys.json @oidc_unknown;`, '}',
			'location @oidc_unknown {', '  default_type application/json;',
			`  return 400 ${q(aadsts90002('$lab_key', host))};`, '}');
	}
	if (s.role === 'exo') {
		const c = CLOUDS[s.cloud];
		const bearer = `Bearer client_id="${EXO_APP}", trusted_issuers="${c.exoTrustedIssuer || ACS_PRINCIPAL}@*", ` +
			`token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri="${c.authorizationUri}",Basic Realm=""`;
		b.push('location ~* "^/autodiscover/autodiscover\\.svc(/wssecurity)?$" {',
			'  # anonymous GetFederationInformation is answered; everything else is challenged',
			'  echo_read_request_body;', `  echo_exec /__lab/fed/$lab_fed_${s.set};`, '}',
			'location = /__lab/fed/challenge {', '  internal;', ...indent(unauthorizedExo(bearer), 2), '}',
			'location ~ "^/__lab/fed/(?<lab_fed_key>[A-Za-z0-9._-]+)$" {', '  internal;',
			'  default_type text/xml;', '  echo_location /__lab/doc/$lab_fed_key.xml;', '}',
			'location /__lab/doc/ {', '  internal;', '  alias ' + path.join(root, 'fed') + '/;', '}',
			'location ~* "^/ews/exchange\\.asmx$" {', ...indent(unauthorizedExo(bearer), 2), '}',
			// AutoDiscover v2 for a tenant's arbitration mailbox. An address
			// of no tenant gets 404 with a short JSON error: INVENTED, the
			// real answer for an unknown mailbox is not documented.
			'location ~* "^/autodiscover/autodiscover\\.json/v1\\.0/(?<lab_adv2_addr>[^/?]+)$" {',
			'  default_type application/json;',
			`  try_files /adv2/$lab_adv2_${s.set}.json @adv2_unknown;`, '}',
			'location @adv2_unknown {', '  default_type application/json;',
			'  return 404 \'{"ErrorCode":"MailboxNotFound","ErrorMessage":"The mailbox was not found."}\';', '}',
			'location / {', '  default_type text/html;', "  return 404 '<html><body>404 - Not Found</body></html>\\n';", '}');
	}
	return tlsServer('HTTPS_PORT', host, pkiOut.tlsFor[host], b);
}

function unauthorizedExo(bearer) {
	return [`add_header WWW-Authenticate ${q(bearer)} always;`, "add_header X-FEServer 'LAB1PR01CA0001' always;",
		'default_type text/html;', "return 401 '';"];
}

// The on-premises Bearer challenge, parameters in the order of the captured
// ones (client_id first: wwwauth/officedocs-exchange-hma-activesync-401.txt).
// The ACS entry names the principal the tenant's cloud's Exchange Online
// trusts: worldwide as captured; 21Vianet's 00000001-0002-… is INVENTED for
// on-premises (no working 21V on-premises challenge has been seen; it is what
// Exchange's rule requires, PROTOCOLS §12.2).
function onpremChallenge(org, tenant) {
	const tid = tenant ? tenant.id : guid('no-tenant:' + org.domain);
	const c = tenant ? CLOUDS[tenant.cloud] : CLOUDS.global;
	const principal = c.exoTrustedIssuer || ACS_PRINCIPAL;
	const head = `Bearer client_id="${EXO_APP}", trusted_issuers=`;
	const tail = ', token_types="app_asserted_user_v1 service_asserted_app_v1", ' +
		'authorization_uri="https://login.windows.net/common/oauth2/authorize"';
	switch (org.challenge) {
	case 'oauth':
		return `${head}"${principal}@${tid},${ONPREM_ISSUER}@${org.domain}"${tail}`;
	case 'worldwide-principal': // the AuthServer issues as the worldwide ACS principal (the 21V capture)
		return `${head}"${ACS_PRINCIPAL}@${tid},${ONPREM_ISSUER}@${org.domain}"${tail}`;
	case 'oauth-not-available': // the capture of PROTOCOLS §12.5 (wwwauth/qa-1792037-test-hmaeas-401.txt)
		return `${head}"${principal}@${tid}", token_types="app_asserted_user_v1 service_asserted_app_v1", error="invalid_token"`;
	case 'stale-realm': // an AuthServer left over from another (old) tenant
		return `${head}"${principal}@${guid('stale:' + org.domain)},${ONPREM_ISSUER}@${org.domain}"${tail}`;
	case 'no-realm': // no AuthServer for the tenant at all
		return `${head}"${ONPREM_ISSUER}@${org.domain}"${tail}`;
	case 'none':
		return null;
	default: die(`${org.scenario}: unknown challenge '${org.challenge}'`);
	}
	return null;
}

// x-ms-diagnostics beside the challenge: the capture's header, with this
// host in the reason. The real server answered an empty Bearer token; the lab
// answers a request without one the same way (a choice).
function onpremDiagnostics(org, host) {
	if (org.challenge !== 'oauth-not-available') return [];
	const v = `4000000;reason="Flighting is not enabled for domain '${host}'.";error_category="oauth_not_available"`;
	return [`add_header x-ms-diagnostics ${q(v)} always;`];
}

function onpremServer(dir, org, tenant, h, pkiOut) {
	const host = fqdn(org, h);
	const spec = org.hosts[h];
	const root = path.join(dir, 'www', host);
	const b = [`root ${root};`, "add_header X-FEServer 'EXCH01' always;"];
	if (h === 'apex' && spec.role !== 'exchange') {
		// An ordinary web site on the apex: no Exchange behind it.
		b.push('location = / {', '  default_type text/html;', `  return 200 '<html><body><h1>${org.domain}</h1></body></html>\\n';`, '}',
			'location / {', '  default_type text/html;', "  return 404 '<html><body><h1>404 Not Found</h1></body></html>\\n';", '}');
		return tlsServer(org.skew ? 'SKEW_HTTPS_PORT' : 'HTTPS_PORT', host, pkiOut.tlsFor[host], b);
	}
	const bearer = onpremChallenge(org, tenant);
	const full = [...onpremDiagnostics(org, host), ...challengeHeaders(bearer, host)];
	b.push('location ~* "^/autodiscover/autodiscover\\.xml$" {', ...indent(unauthorized(challengeHeaders(null, host)), 2), '}',
		'location ~* "^/autodiscover/autodiscover\\.svc(/.*)?$" {', ...indent(unauthorized(full), 2), '}',
		'location ~* "^/ews/exchange\\.asmx$" {', ...indent(unauthorized(full), 2), '}',
		'location ~* "^/autodiscover/metadata/json/1/?$" {', '  default_type application/json;', '  try_files /autodiscover-metadata.json =404;', '}',
		'location ~* "^/metadata/json/1/?$" {', '  default_type application/json;', '  try_files /metadata.json =404;', '}',
		'location = / {', '  return 302 /owa/;', '}',
		'location ~* "^/owa(/.*)?$" {', '  default_type text/html;',
		"  return 200 '<!DOCTYPE html><html><head><title>Outlook</title></head><body>Outlook on the web</body></html>\\n';", '}',
		'location / {', '  default_type text/html;', "  return 404 '<html><body><h1>404 - File or directory not found.</h1></body></html>\\n';", '}');
	return tlsServer(org.skew ? 'SKEW_HTTPS_PORT' : 'HTTPS_PORT', host, pkiOut.tlsFor[host], b);
}

function httpServer(org) {
	const host = `autodiscover.${org.domain}`;
	const target = org.httpRedirect === 'autodiscover' ? host : org.httpRedirect === 'mail' ? `mail.${org.domain}` : null;
	if (!target || !org.hosts.autodiscover) return [];
	return ['  server {', '    listen 127.0.0.1:@HTTP_PORT@;', `    server_name ${host};`,
		'    location ~* "^/autodiscover/autodiscover\\.xml$" {',
		`      return 302 https://${target}/Autodiscover/Autodiscover.xml;`, '    }',
		'    location / {', '      default_type text/html;', "      return 403 '<html><body>403 - Forbidden: Access is denied.</body></html>\\n';", '    }',
		'  }'];
}

function mapBlocks(model) {
	const l = [];
	for (const [set, clouds] of Object.entries(SETS)) {
		const ts = model.tenants.filter((t) => clouds.includes(t.cloud));
		l.push(`  map $lab_key $lab_tenant_${set} {`, '    default "";');
		// Bench tenants are many: exact (hashed) keys, as the tool sends them in lower case.
		const key = (t, k) => (t.exact ? `    ${k} ${t.id};` : `    "~*^${reEscape(k)}$" ${t.id};`);
		for (const t of ts) for (const k of [t.id, ...t.domains]) l.push(key(t, k));
		l.push('  }');
		// GetFederationInformation: one answer per domain (the queried one).
		l.push(`  map $lab_fed_domain $lab_fed_${set} {`, '    "" challenge;', '    default unknown;');
		for (const t of ts) for (const k of t.domains) l.push(t.exact ? `    ${k} ${k.toLowerCase()};` : `    "~*^${reEscape(k)}$" ${k.toLowerCase()};`);
		l.push('  }');
		l.push(`  map $lab_adv2_addr $lab_adv2_${set} {`, '    default "";');
		for (const t of ts) l.push(`    "~*^${reEscape(ARBITRATION_MAILBOX + '@' + t.initial)}$" ${t.id};`);
		l.push('  }');
	}
	return l;
}

// ---------------------------------------------------------------- DNS

function dnsRecords(model) {
	const pub = [];
	const internal = [];
	for (const h of Object.keys(HOST_SETS)) pub.push(`host-record=${h},127.0.0.1`);
	for (const org of model.orgs) {
		for (const [h, spec] of Object.entries(org.hosts)) {
			const name = fqdn(org, h);
			const lines = spec.dns === 'cname' && h === 'autodiscover'
				? [`cname=${name},mail.${org.domain}`] : [`host-record=${name},127.0.0.1`];
			if (spec.dns === 'internal') internal.push(...lines);
			else if (spec.dns !== 'none') { pub.push(...lines); internal.push(...lines); }
		}
		if (org.hosts.mail) pub.push(`mx-host=${org.domain},mail.${org.domain},10`);
		if (org.hybridAgent) {
			if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(org.hybridAgent)) die(`${org.scenario}: hybrid_agent is not a GUID`);
			pub.push(`host-record=${org.hybridAgent}.resource.mailboxmigration.his.msappproxy.net,127.0.0.1`);
		}
		if (org.srv) {
			const r = `srv-host=_autodiscover._tcp.${org.domain},${org.srv},443,0,0`;
			pub.push(r); internal.push(r);
		}
	}
	return { pub, internal };
}

// ---------------------------------------------------------------- snapshots

// Fills a snapshot template: @NAME@ placeholders for what the lab made at
// start. An unknown placeholder is an error, so a typo cannot pass as data.
function snapshotFrom(text, org, tenant, dir, tpl) {
	const od = path.join(dir, 'orgs', org.domain);
	const cert = (name) => {
		const der = fs.readFileSync(path.join(od, `${name}.cer`));
		const pem = fs.readFileSync(path.join(od, `${name}.pem`), 'utf8');
		const x = new crypto.X509Certificate(pem);
		return { b64: der.toString('base64'), thumb: sha1(der).toString('hex').toUpperCase(),
			nb: new Date(x.validFrom).toISOString().replace(/\.\d+Z$/, 'Z'),
			na: new Date(x.validTo).toISOString().replace(/\.\d+Z$/, 'Z'),
			sha1raw: sha1(der).toString('base64') };
	};
	const cur = cert('auth-current');
	const other = cert('auth-other');
	const v = {
		DOMAIN: org.domain,
		TENANT_ID: tenant ? tenant.id : guid('no-tenant:' + org.domain),
		OTHER_TENANT_ID: guid('stale:' + org.domain),
		ORG_GUID: guid('org:' + org.domain),
		APP_ID: guid('app:' + org.domain),
		ROUTING_DOMAIN: tenant ? tenant.routing : `unknown.${org.domain}`,
		INITIAL_DOMAIN: tenant ? tenant.initial : `unknown.${org.domain}`,
		AUTH_CURRENT_DER: cur.b64, AUTH_CURRENT_THUMBPRINT: cur.thumb,
		AUTH_CURRENT_NOT_BEFORE: cur.nb, AUTH_CURRENT_NOT_AFTER: cur.na, AUTH_CURRENT_KEYID: cur.sha1raw,
		AUTH_OTHER_DER: other.b64, AUTH_OTHER_THUMBPRINT: other.thumb,
		AUTH_OTHER_NOT_BEFORE: other.nb, AUTH_OTHER_NOT_AFTER: other.na, AUTH_OTHER_KEYID: other.sha1raw,
	};
	const filled = text.replace(/@([A-Z_]+)@/g, (m, k) => {
		if (!(k in v)) die(`${tpl}: unknown placeholder ${m}`);
		return v[k];
	});
	try { JSON.parse(filled); } catch (e) { die(`${tpl}: not JSON once filled in: ${e.message}`); }
	return filled;
}

// ---------------------------------------------------------------- bench

// LAB_BENCH_ORGS=N adds N healthy worldwide organisations b00001.bench.example
// ... for scripts/bench: one tenant each, but cheap to serve: one nginx server
// block for all of them (the certificate picked by SNI from a file per host
// name, one per organisation, its apex and wildcard), exact-key maps, and
// their DNS records in the dnsmasq file. Never part of the normal lab.
const BENCH_RE = 'b[0-9]+\\.bench\\.example';

function benchModel(model, n) {
	const orgs = [];
	for (let i = 1; i <= n; i++) {
		const name = `b${String(i).padStart(5, '0')}`;
		const domain = `${name}.bench.example`;
		const c = CLOUDS.global;
		const initial = `${name}.${c.initialSuffix}`;
		const routing = `${name}.${c.routingSuffix}`;
		const t = { name, cloud: 'global', id: guid('bench:' + name), initial, routing,
			domains: [domain, routing, initial], acsStyle: 'acs', scenario: 'bench', exact: true };
		model.tenants.push(t);
		orgs.push({ domain, tenant: t });
	}
	return orgs;
}

async function benchPki(dir, orgs) {
	const pki = path.join(dir, 'pki');
	const out = path.join(pki, 'bench');
	const stamp = path.join(out, 'stamp.json');
	const rootStamp = fs.readFileSync(path.join(pki, 'stamp.json'), 'utf8');
	let st = null;
	try { st = JSON.parse(fs.readFileSync(stamp, 'utf8')); } catch (e) { st = null; }
	if (st && st.n === orgs.length && st.root === rootStamp) return out;
	fs.rmSync(out, { recursive: true, force: true });
	mkdirp(out);
	const env = { OPENSSL_CONF: path.join(pki, 'openssl.cnf') };
	const intPem = fs.readFileSync(path.join(pki, 'int.pem'), 'utf8');
	await Promise.all(orgs.map(async (o) => {
		const ext = path.join(out, `${o.domain}.ext`);
		write(ext, ['[v3]', 'basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature,keyEncipherment',
			'extendedKeyUsage = serverAuth,clientAuth', 'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid',
			`subjectAltName = DNS:${o.domain},DNS:*.${o.domain}`, ''].join('\n'));
		const leaf = path.join(out, `${o.domain}.leaf.pem`);
		await run('openssl', ['x509', '-new', '-subj', `/C=US/O=Lab Organisation/CN=*.${o.domain}`, '-days', '397', '-sha256',
			'-extfile', ext, '-extensions', 'v3', '-force_pubkey', path.join(pki, 'keys', 'leaf.pub'),
			'-CA', path.join(pki, 'int.pem'), '-CAkey', path.join(pki, 'keys', 'int.key'), '-out', leaf], env);
		const chain = fs.readFileSync(leaf, 'utf8') + intPem;
		for (const h of [o.domain, `autodiscover.${o.domain}`, `mail.${o.domain}`]) fs.writeFileSync(path.join(out, `${h}.pem`), chain);
		fs.rmSync(ext); fs.rmSync(leaf);
	}));
	// nginx's worker (not root) loads these per handshake: the lab's test key, readable.
	fs.copyFileSync(path.join(pki, 'keys', 'leaf.key'), path.join(out, 'leaf.key'));
	fs.chmodSync(path.join(out, 'leaf.key'), 0o644);
	write(stamp, JSON.stringify({ n: orgs.length, root: rootStamp }) + '\n');
	return out;
}

function benchServers(dir, orgs, certDir, authPem) {
	const root = path.join(dir, 'www', 'bench');
	for (const o of orgs) {
		write(path.join(root, o.domain, 'autodiscover-metadata.json'), onpremMetadata(`autodiscover.${o.domain}`, authPem, '/autodiscover'));
		write(path.join(root, o.domain, 'metadata.json'), onpremMetadata(`autodiscover.${o.domain}`, authPem, ''));
	}
	const l = ['  map $lab_bench_dom $lab_bench_tid {', '    default "";'];
	for (const o of orgs) l.push(`    ${o.domain} ${o.tenant.id};`);
	l.push('  }');
	const bearer = `Bearer trusted_issuers="${ACS_PRINCIPAL}@$lab_bench_tid,${ONPREM_ISSUER}@$lab_bench_dom", client_id="${EXO_APP}", ` +
		'token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri="https://login.windows.net/common/oauth2/authorize"';
	const full = [`add_header WWW-Authenticate '${bearer}' always;`, "add_header WWW-Authenticate 'Negotiate' always;",
		"add_header WWW-Authenticate 'NTLM' always;", 'add_header WWW-Authenticate \'Basic realm="$host"\' always;'];
	l.push('  server {', '    listen 127.0.0.1:@HTTPS_PORT@ ssl;',
		`    server_name "~^(?<lab_bench_host>autodiscover\\.|mail\\.)?(?<lab_bench_dom>${BENCH_RE})$";`,
		`    ssl_certificate ${certDir}/$ssl_server_name.pem;`,
		`    ssl_certificate_key ${certDir}/leaf.key;`,
		`    root ${root};`, "    add_header X-FEServer 'EXCH01' always;",
		// The apex is an ordinary web site, as in the healthy scenarios.
		'    if ($lab_bench_host = "") { return 404; }',
		'    location ~* "^/autodiscover/autodiscover\\.xml$" {', ...indent(unauthorized(challengeHeaders(null, '$host')), 6), '    }',
		'    location ~* "^/autodiscover/autodiscover\\.svc(/.*)?$" {', ...indent(unauthorized(full), 6), '    }',
		'    location ~* "^/ews/exchange\\.asmx$" {', ...indent(unauthorized(full), 6), '    }',
		'    location ~* "^/autodiscover/metadata/json/1/?$" {', '      default_type application/json;',
		'      try_files /$lab_bench_dom/autodiscover-metadata.json =404;', '    }',
		'    location ~* "^/metadata/json/1/?$" {', '      default_type application/json;', '      try_files /$lab_bench_dom/metadata.json =404;', '    }',
		'    location / {', '      default_type text/html;', "      return 404 '<html><body><h1>404 - File or directory not found.</h1></body></html>\\n';", '    }',
		'  }',
		'  server {', '    listen 127.0.0.1:@HTTP_PORT@;', `    server_name "~^autodiscover\\.${BENCH_RE}$";`,
		'    location ~* "^/autodiscover/autodiscover\\.xml$" {', '      return 302 https://$host/Autodiscover/Autodiscover.xml;', '    }',
		'    location / {', '      return 403;', '    }', '  }');
	return l;
}

// ---------------------------------------------------------------- main

async function main() {
	const o = args();
	const dir = path.resolve(o.dir);
	const manifests = loadScenarios(o.scenarios, o.names);
	const model = buildModel(manifests);
	const benchN = Number(process.env.LAB_BENCH_ORGS || 0);
	const benchOrgs = benchN > 0 ? benchModel(model, benchN) : [];
	for (const d of ['www', 'nginx', 'dns', 'logs', 'run', 'tmp/nginx', 'tmp/nginx-skew']) mkdirp(path.join(dir, d));
	for (const d of ['www']) fs.rmSync(path.join(dir, d), { recursive: true, force: true });
	const t0 = Date.now();
	const pkiOut = await makePki(dir, model);
	const benchCerts = benchOrgs.length ? await benchPki(dir, benchOrgs) : null;
	const t1 = Date.now();
	const tenantByName = new Map(model.tenants.map((t) => [t.name, t]));

	// Cloud documents.
	const acsKeys = {};
	const entraSigning = {};
	for (const cloud of Object.keys(CLOUDS)) {
		acsKeys[cloud] = pkiOut.acs[cloud].map((f, i) =>
			Object.assign(certInfo(f), { cert: f, key: pkiOut.acsKeyFiles[cloud][i] }));
		entraSigning[cloud] = pkiOut.acs[cloud + ':entra'].map((f, i) =>
			Object.assign(certInfo(f), { cert: f, key: pkiOut.acsKeyFiles[cloud + ':entra'][i] }));
	}
	for (const [host, s] of Object.entries(HOST_SETS)) {
		const root = path.join(dir, 'www', host);
		const tenants = model.tenants.filter((t) => SETS[s.set].includes(t.cloud));
		if (s.role === 'acs' || s.role === 'login+acs') {
			write(path.join(root, 'acs-common.json'), acsMetadata(s.cloud, null, acsKeys[s.cloud], host));
			for (const t of tenants) write(path.join(root, 't', t.id, 'acs.json'), acsMetadata(t.cloud, t, acsKeys[t.cloud], host));
		}
		if (s.role === 'login' || s.role === 'login+acs') {
			for (const t of tenants) {
				write(path.join(root, 't', t.id, 'oidc-v2.json'), oidc(t.cloud, t, host, true));
				write(path.join(root, 't', t.id, 'oidc-v1.json'), oidc(t.cloud, t, host, false));
				write(path.join(root, 't', t.id, 'federationmetadata.xml'), federationMetadata(t.cloud, t, host, acsKeys[t.cloud]));
				write(path.join(root, 't', t.id, 'keys.json'), entraKeys(t.cloud, t, host,
					[...entraSigning[t.cloud], ...acsKeys[t.cloud]]));
			}
		}
		if (s.role === 'exo') {
			for (const t of tenants) {
				for (const d of t.domains) write(path.join(root, 'fed', `${d.toLowerCase()}.xml`), fedInfo(t.cloud, t, d));
				write(path.join(root, 'adv2', `${t.id}.json`), autodv2(t.cloud));
			}
			write(path.join(root, 'fed', 'unknown.xml'), fedInfoUnknown());
		}
	}

	// On-premises documents.
	for (const org of model.orgs) {
		const a = pkiOut.auth[org.domain];
		const mdCert = org.metadataCert === 'other' ? a.other : a.current;
		for (const h of Object.keys(org.hosts)) {
			const host = fqdn(org, h);
			const root = path.join(dir, 'www', host);
			write(path.join(root, 'autodiscover-metadata.json'), onpremMetadata(host, mdCert, '/autodiscover'));
			write(path.join(root, 'metadata.json'), onpremMetadata(host, mdCert, ''));
		}
	}

	// Snapshots: a scenario's snapshot.template.json filled in with this lab
	// instance's tenant id and Auth certificates (made at start, so no
	// snapshot with certificate bytes can be committed).
	for (const org of model.orgs) {
		const tpl = path.join(o.scenarios, org.scenario, 'snapshot.template.json');
		if (!fs.existsSync(tpl)) continue;
		const tenant = org.tenant ? tenantByName.get(org.tenant) : null;
		const out = path.join(dir, 'orgs', org.domain, 'snapshot.json');
		write(out, snapshotFrom(fs.readFileSync(tpl, 'utf8'), org, tenant, dir, tpl));
	}

	// nginx: the main instance, and a second one whose clock is off for the
	// organisations that have "skew".
	const main = nginxMain(dir, 'nginx');
	const skew = nginxMain(dir, 'nginx-skew');
	const maps = mapBlocks(model);
	main.push(...maps);
	// HTTP/2 on the HTTPS ports (for every name on them, nginx 1.22): the
	// tool asks for it toward the cloud's hosts only.
	main.push('  server {', '    listen 127.0.0.1:@HTTPS_PORT@ ssl http2 default_server;', '    ssl_reject_handshake on;', '  }');
	main.push('  server {', '    listen 127.0.0.1:@HTTP_PORT@ default_server;', '    return 444;', '  }');
	skew.push('  server {', '    listen 127.0.0.1:@SKEW_HTTPS_PORT@ ssl http2 default_server;', '    ssl_reject_handshake on;', '  }');
	for (const host of Object.keys(HOST_SETS)) main.push(...cloudServer(dir, host, pkiOut));
	const skewHosts = [];
	let skewOffset = null;
	for (const org of model.orgs) {
		const tenant = org.tenant ? tenantByName.get(org.tenant) : null;
		const target = org.skew ? skew : main;
		for (const h of Object.keys(org.hosts)) {
			target.push(...onpremServer(dir, org, tenant, h, pkiOut));
			if (org.skew) skewHosts.push(fqdn(org, h));
		}
		if (org.skew) {
			if (skewOffset && skewOffset !== org.skew) die(`${org.scenario}: only one clock offset is supported (have ${skewOffset})`);
			skewOffset = org.skew;
		}
		main.push(...httpServer(org));
	}
	if (benchOrgs.length) main.push(...benchServers(dir, benchOrgs, benchCerts, path.join(dir, 'pki', 'auth', 'auth-other.pem')));
	main.push('}');
	skew.push('}');
	write(path.join(dir, 'nginx', 'nginx.conf.in'), main.join('\n') + '\n');
	if (skewHosts.length) write(path.join(dir, 'nginx', 'nginx-skew.conf.in'), skew.join('\n') + '\n');
	else fs.rmSync(path.join(dir, 'nginx', 'nginx-skew.conf.in'), { force: true });

	const dns = dnsRecords(model);
	for (const o of benchOrgs) {
		for (const h of [o.domain, `autodiscover.${o.domain}`, `mail.${o.domain}`]) dns.pub.push(`host-record=${h},127.0.0.1`);
		dns.pub.push(`mx-host=${o.domain},mail.${o.domain},10`);
	}
	if (benchOrgs.length) write(path.join(dir, 'bench-domains.txt'), benchOrgs.map((o) => o.domain).join('\n') + '\n');
	write(path.join(dir, 'dns', 'public.conf'), dns.pub.join('\n') + '\n');
	write(path.join(dir, 'dns', 'internal.conf'), dns.internal.join('\n') + '\n');

	// What tests need to know about this lab instance.
	const info = {
		clouds: CLOUDS, hostSets: HOST_SETS, skewHosts, skewOffset,
		tenants: model.tenants,
		orgs: model.orgs.map((org) => Object.assign({}, org, {
			authCurrentThumbprint: fs.readFileSync(path.join(dir, 'orgs', org.domain, 'auth-current.thumbprint'), 'utf8').trim(),
			authOtherThumbprint: fs.readFileSync(path.join(dir, 'orgs', org.domain, 'auth-other.thumbprint'), 'utf8').trim(),
			tenantId: org.tenant ? tenantByName.get(org.tenant).id : null,
		})),
		acsKeys, entraKeys: entraSigning, openssl_conf: pkiOut.cnf, faketime: faketimeLib(),
		timing_ms: { pki: t1 - t0, documents: Date.now() - t1 },
	};
	write(path.join(dir, 'lab.json'), JSON.stringify(info, null, 1) + '\n');
	write(path.join(dir, 'gen.env'), `SKEW_HOSTS='${skewHosts.join(' ')}'\nSKEW_OFFSET='${skewOffset || ''}'\nFAKETIME_LIB='${faketimeLib()}'\n`);
}

main().catch((e) => die(e.stack || String(e)));
