// The golden safety net: what the tool concludes (the JSON report) and what
// it writes (the --ps1 script), for every example snapshot and every lab
// scenario, compared byte for byte with tests/golden/ after normalising
// what legitimately varies between runs (run metadata, the lab's directory,
// ports and timings, and values derived from certificates the lab generates
// at test time). Any other difference fails.
//
//   node golden.mjs examples BINARY WORKDIR
//   node golden.mjs lab RESULTS_DIR LAB_DIR [SCENARIO...]
//
// HC_GOLDEN_UPDATE=1 rewrites the golden files instead of comparing; a
// deliberate change of behaviour goes in a commit of its own that says why.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const update = process.env.HC_GOLDEN_UPDATE === '1';
// Examples whose .expect names no date are judged at this instant, so the
// golden output does not move with the calendar.
const DEFAULT_NOW = '2026-12-01T12:00:00Z';

function walk(dir, pred, out = []) {
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) walk(p, pred, out);
		else if (pred(p)) out.push(p);
	}
	return out.sort();
}

// Every certificate the lab generated, by the names the tool may print it
// under: thumbprints, x5t, base64 DER, SHA-256. Each maps to a placeholder
// naming the file, so a golden file still says which certificate it was.
function labCertificates(labDir) {
	const map = new Map();
	const files = walk(labDir, (p) => /\.(cer|pem|crt)$/.test(p) &&
	    !p.includes(`${path.sep}results${path.sep}`));
	for (const file of files) {
		const raw = fs.readFileSync(file);
		const ders = [];
		const text = raw.toString('latin1');
		const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
		let m;
		while ((m = re.exec(text)) !== null)
			ders.push(Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
		if (ders.length === 0 && raw[0] === 0x30) ders.push(raw);
		const rel = path.relative(labDir, file).replace(/\.(cer|pem|crt)$/, '');
		ders.forEach((der, i) => {
			const name = `<cert:${rel}${ders.length > 1 ? `#${i}` : ''}>`;
			const sha1 = crypto.createHash('sha1').update(der).digest();
			const sha256 = crypto.createHash('sha256').update(der).digest();
			const vals = [
				sha1.toString('hex').toUpperCase(), sha1.toString('hex'),
				sha1.toString('base64url'), sha1.toString('base64'),
				sha256.toString('hex').toUpperCase(), sha256.toString('hex'),
				der.toString('base64'),
			];
			try {
				const x = new crypto.X509Certificate(der);
				vals.push(x.serialNumber, x.serialNumber.toLowerCase());
			} catch { /* not a certificate after all */ }
			for (const v of vals)
				if (v.length >= 16 && !map.has(v)) map.set(v, name);
		});
	}
	// Longest first, so a base64 DER is replaced before any value inside it.
	return [...map.entries()].sort((a, b) => b[0].length - a[0].length);
}

function escapeRe(s) {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function normaliseText(s, ctx) {
	if (ctx.root) s = s.split(ctx.root).join(ctx.rootName);
	// The lab lives under the checkout; the scenarios' own files are named
	// by their path in it, which depends on where the checkout is.
	if (ctx.repo) s = s.split(ctx.repo).join('@REPO@');
	for (const [v, name] of ctx.certs ?? []) s = s.split(v).join(name);
	if (ctx.lab) {
		// Loopback ports are chosen at lab start; timings and the instants
		// certificates were made follow the wall clock.
		s = s.replace(/127\.0\.0\.1(:|#| port )\d+/g, '127.0.0.1$1<port>');
		s = s.replace(/(:443:127\.0\.0\.1:)\d+/g, '$1<port>');
		s = s.replace(/\b\d+(\.\d+)? ?(ms|milliseconds)\b/g, '<ms> ms');
		s = s.replace(/\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)/g, '<time>');
		s = s.replace(/\b\d{4}-\d\d-\d\d\b/g, '<date>');
		s = s.replace(/\b\d+ days?\b/g, '<n> days');
		s = s.replace(/(Trace|Correlation) ID: [0-9a-f-]{36}/g, '$1 ID: <id>');
		s = s.replace(/\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT/g, '<http-date>');
		// Clock offsets measured against this machine jitter by a second.
		s = s.replace(/([+-]?)(\d+)( s\b| seconds?\b)/g, (m, sign, n, unit) => {
			const v = Number(n);
			return v < 5 ? `~0${unit}` : `${sign}${Math.round(v / 10) * 10}${unit}`;
		});
		// Keys the lab's ACS signs with, as x5t, when not from a file above.
		s = s.replace(/\b[A-Za-z0-9_-]{27}\b(?= \(until)/g, '<x5t>');
	}
	return s;
}

function normaliseJson(text, ctx) {
	const doc = JSON.parse(text);
	const strip = (d) => {
		if (d && typeof d === 'object' && !Array.isArray(d)) delete d.run;
	};
	if (Array.isArray(doc)) doc.forEach(strip); else strip(doc);
	return normaliseText(JSON.stringify(doc, null, 1), ctx) + '\n';
}

function normaliseScript(text, ctx) {
	return normaliseText(text.replace(/(generated by hybridcheck )\S+/, '$1<version>'), ctx);
}

let failures = 0;
let compared = 0;

function check(goldenPath, actual) {
	compared++;
	if (update) {
		fs.mkdirSync(path.dirname(goldenPath), { recursive: true });
		if (actual === null) fs.rmSync(goldenPath, { force: true });
		else fs.writeFileSync(goldenPath, actual);
		return;
	}
	const want = fs.existsSync(goldenPath) ? fs.readFileSync(goldenPath, 'utf8') : null;
	if (want === actual) return;
	failures++;
	const rel = path.relative(repo, goldenPath);
	if (want === null) { console.log(`FAIL ${rel}: no golden file (HC_GOLDEN_UPDATE=1 writes it)`); return; }
	if (actual === null) { console.log(`FAIL ${rel}: the run wrote no such output`); return; }
	const a = want.split('\n'), b = actual.split('\n');
	let i = 0;
	while (i < a.length && a[i] === b[i]) i++;
	console.log(`FAIL ${rel}: differs from line ${i + 1}`);
	console.log(`    golden: ${a[i] ?? '<end>'}`);
	console.log(`    now:    ${b[i] ?? '<end>'}`);
}

function readIf(p) {
	return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : null;
}

function runExamples(bin, work) {
	const dir = path.join(repo, 'examples');
	fs.mkdirSync(work, { recursive: true });
	for (const exp of walk(dir, (p) => p.endsWith('.expect'))) {
		const name = path.relative(dir, exp).replace(/\.expect$/, '');
		let now = DEFAULT_NOW, snapshot = exp.replace(/\.expect$/, '.json');
		const args = [];
		for (const line of fs.readFileSync(exp, 'utf8').split('\n')) {
			const [word, ...rest] = line.trim().split(/\s+/);
			if (word === 'now') now = rest[0];
			else if (word === 'snapshot') snapshot = path.resolve(path.dirname(exp), rest[0]);
			else if (word === 'args') args.push(...rest);
		}
		const flat = name.replace(/\//g, '.');
		const report = path.join(work, `${flat}.json`), script = path.join(work, `${flat}.ps1`);
		fs.rmSync(report, { force: true });
		fs.rmSync(script, { force: true });
		const r = spawnSync(bin, ['preflight', '--snapshot', snapshot, '--offline',
		    '--format', 'json', '--output', report, '--ps1', script, ...args],
		    { env: { ...process.env, HYBRIDCHECK_NOW: now }, encoding: 'utf8' });
		const ctx = { root: repo, rootName: '@REPO@', lab: false };
		const rep = readIf(report);
		check(path.join(here, 'examples', `${flat}.json`),
		    rep === null ? null : normaliseJson(rep, ctx).replace(/\n$/, `\n"exit ${r.status}"\n`));
		const ps = readIf(script);
		check(path.join(here, 'examples', `${flat}.ps1`), ps === null ? null : normaliseScript(ps, ctx));
	}
}

function runLab(results, labDir, names) {
	const ctx = { root: labDir, rootName: '@LAB@', repo, lab: true, certs: labCertificates(labDir) };
	if (names.length === 0)
		names = fs.readdirSync(path.join(repo, 'tests/lab/scenarios')).filter((n) =>
		    fs.existsSync(path.join(repo, 'tests/lab/scenarios', n, 'expect'))).sort();
	for (const name of names) {
		const rep = readIf(path.join(results, `${name}.json`));
		check(path.join(here, 'lab', `${name}.json`), rep === null ? null : normaliseJson(rep, ctx));
		const ps = readIf(path.join(results, `${name}.ps1`));
		check(path.join(here, 'lab', `${name}.ps1`), ps === null ? null : normaliseScript(ps, ctx));
	}
}

const [mode, a, b, ...rest] = process.argv.slice(2);
if (mode === 'examples' && a && b) runExamples(path.resolve(a), path.resolve(b));
else if (mode === 'lab' && a && b) runLab(path.resolve(a), path.resolve(b), rest);
else {
	console.error('usage: golden.mjs examples BINARY WORKDIR | lab RESULTS_DIR LAB_DIR [SCENARIO...]');
	process.exit(64);
}
if (update) console.log(`golden: ${compared} files written`);
else console.log(`golden: ${compared} outputs compared, ${failures} differ`);
process.exit(failures === 0 ? 0 : 1);
