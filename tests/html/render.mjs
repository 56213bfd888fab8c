// The HTML report in a real browser: every example snapshot's report is
// written with --format html, rendered by headless Chromium (Debian's
// chromium, installed by scripts/setup) to a screenshot kept in the build
// tree, and the DOM the browser built is checked against the same run's
// JSON report: every failing (fail, error) finding is in the problem list,
// every edge of the trust is drawn and listed in the table with the state
// its checks give, and the page asks for nothing outside itself. One page
// is also printed to PDF.
//
//   node render.mjs BINARY CHROMIUM OUTDIR
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const [bin, chromium, outdir] = process.argv.slice(2);
// The edges of the drawing (docs/report.md, src/report/report_trust.c).
const EDGES = ['servers-authcert', 'authcert-entra', 'servers-entra', 'entra-exo',
	'exo-authservers', 'authservers-servers', 'servers-ioc-onprem', 'ioc-onprem-cloud',
	'exo-ioc-cloud', 'ioc-cloud-onprem'];
const DEFAULT_NOW = '2026-12-01T12:00:00Z';

if (!bin || !chromium || !outdir) {
	console.error('usage: render.mjs BINARY CHROMIUM OUTDIR');
	process.exit(64);
}
if (!fs.existsSync(chromium)) {
	console.log(`FAIL no browser at '${chromium}': run scripts/setup (as root) to install Debian's chromium`);
	process.exit(1);
}

function walk(dir, out = []) {
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) walk(p, out);
		else if (p.endsWith('.expect')) out.push(p);
	}
	return out.sort();
}

// What the page source escapes, the DOM serialiser writes back the same way
// for attribute values: & < > " as entities.
function attr(s) {
	return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function edgeState(checks, findings) {
	let st = 'not-checked';
	for (const f of findings) {
		if (!checks.includes(f.check) || f.severity === 'skip') continue;
		const s = f.severity === 'fail' ? 'fail' : f.severity === 'error' ? 'error'
			: f.severity === 'warn' ? 'warn' : 'ok';
		if (st === 'not-checked' || s === 'fail' || (s === 'error' && st !== 'fail') ||
		    (s === 'warn' && st === 'ok')) st = s;
	}
	return st;
}

// A fresh, empty profile for every run: nothing carried over, nothing fetched.
function browse(url, extra) {
	const profile = fs.mkdtempSync(path.join(outdir, 'profile-'));
	const r = spawnSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu',
		'--no-first-run', '--disable-background-networking', '--disable-component-update',
		'--disable-sync', `--user-data-dir=${profile}`, '--hide-scrollbars', ...extra, url],
	{ encoding: 'utf8', timeout: 120000, maxBuffer: 64 << 20 });
	fs.rmSync(profile, { recursive: true, force: true });
	return r;
}

fs.mkdirSync(path.join(outdir, 'screenshots'), { recursive: true });
let failures = 0, pages = 0, problems = 0;
const fail = (m) => { console.log(`FAIL ${m}`); failures++; };

for (const exp of walk(path.join(repo, 'examples'))) {
	const name = path.relative(path.join(repo, 'examples'), exp).replace(/\.expect$/, '').replace(/\//g, '.');
	let now = DEFAULT_NOW, snapshot = exp.replace(/\.expect$/, '.json');
	const args = [];
	for (const line of fs.readFileSync(exp, 'utf8').split('\n')) {
		const [word, ...rest] = line.trim().split(/\s+/);
		if (word === 'now') now = rest[0];
		else if (word === 'snapshot') snapshot = path.resolve(path.dirname(exp), rest[0]);
		else if (word === 'args') args.push(...rest);
	}
	const html = path.join(outdir, `${name}.html`), json = path.join(outdir, `${name}.json`);
	const env = { ...process.env, HYBRIDCHECK_NOW: now };
	for (const [fmt, out] of [['html', html], ['json', json]]) {
		fs.rmSync(out, { force: true });
		spawnSync(bin, ['preflight', '--snapshot', snapshot, '--offline', '--format', fmt,
			'--output', out, ...args], { env });
	}
	if (!fs.existsSync(html) || !fs.existsSync(json)) { fail(`${name}: no report written`); continue; }
	const report = JSON.parse(fs.readFileSync(json, 'utf8'));
	const shot = path.join(outdir, 'screenshots', `${name}.png`);
	fs.rmSync(shot, { force: true });
	const r = browse(`file://${html}`, ['--window-size=1280,2400', `--screenshot=${shot}`, '--dump-dom']);
	const dom = r.stdout || '';
	pages++;
	if (r.status !== 0 || !dom.includes('</html>')) { fail(`${name}: the browser did not render the page (status ${r.status})`); continue; }
	const png = fs.existsSync(shot) ? fs.readFileSync(shot) : null;
	if (!png || png.length < 10000 || png.readUInt32BE(0) !== 0x89504e47) fail(`${name}: no screenshot at ${shot}`);

	// Everything the page needs is in it.
	if (/<script|<link|\bsrc=|url\((?!#)|@import|href="(?!#)/.test(dom)) fail(`${name}: the page refers to something outside itself`);

	// Every failing finding is in the problem list, as the browser parsed it.
	const list = (/<section id="problems">([\s\S]*?)<\/section>/.exec(dom) || [])[1] || '';
	for (const f of report.findings) {
		if (f.severity !== 'fail' && f.severity !== 'error') continue;
		problems++;
		const want = `data-check="${attr(f.check)}" data-severity="${f.severity}" data-subject="${attr(f.subject)}"`;
		if (!list.includes(want)) fail(`${name}: problem ${f.severity} ${f.check} '${f.subject}' not in the list`);
	}
	const shown = (list.match(/data-finding=""/g) || []).length;
	const wanted = report.findings.filter((f) => ['warn', 'fail', 'error'].includes(f.severity)).length;
	if (shown !== wanted) fail(`${name}: ${shown} problems listed, the JSON report has ${wanted}`);

	// Every edge: drawn, in the table, and in the state its checks give.
	for (const id of EDGES) {
		const g = new RegExp(`<g class="edge st-[a-z-]+" id="edge-${id}" data-edge="${id}" data-status="([a-z-]+)" data-checks="([^"]*)"`).exec(dom);
		const tr = new RegExp(`<tr class="st-[a-z-]+" data-edge="${id}" data-status="([a-z-]+)"`).exec(dom);
		if (!g) { fail(`${name}: edge ${id} is not drawn`); continue; }
		if (!tr) { fail(`${name}: edge ${id} is not in the table`); continue; }
		const want = edgeState(g[2].split(' '), report.findings);
		if (g[1] !== want || tr[1] !== want) fail(`${name}: edge ${id} is ${g[1]} (table ${tr[1]}), its checks say ${want}`);
	}
	const drawn = (dom.match(/<g class="edge /g) || []).length;
	if (drawn !== EDGES.length) fail(`${name}: ${drawn} edges drawn, expected ${EDGES.length}`);
	// The drawing's text alternatives.
	if (!/<svg class="trust"[^>]*role="img"[^>]*aria-labelledby="trust-title trust-desc"/.test(dom) ||
	    !/<title id="trust-title">/.test(dom) || !/<desc id="trust-desc">/.test(dom))
		fail(`${name}: the drawing lacks its title or description`);
	// The verdict says its word, not only its colour.
	const code = report.summary.exit_code;
	if (!dom.includes(`data-exit="${code}"><p><span class="word">`)) fail(`${name}: the verdict does not carry exit ${code}`);
}

// One page on paper: the print style gives a PDF with pages in it.
{
	const html = path.join(outdir, 'china-legacy.html'), pdf = path.join(outdir, 'china-legacy.pdf');
	fs.rmSync(pdf, { force: true });
	browse(`file://${html}`, ['--no-pdf-header-footer', `--print-to-pdf=${pdf}`]);
	const data = fs.existsSync(pdf) ? fs.readFileSync(pdf) : Buffer.alloc(0);
	const n = (data.toString('latin1').match(/\/Type\s*\/Page\b/g) || []).length;
	if (data.subarray(0, 5).toString() !== '%PDF-' || n < 1) fail('china-legacy: printing gave no PDF pages');
	else console.log(`print: china-legacy.pdf, ${n} pages`);
}

console.log(`html: ${pages} pages rendered in ${path.basename(chromium)}, ${problems} failing findings and ${pages * EDGES.length} edges checked; screenshots in ${path.join(outdir, 'screenshots')}`);
process.exit(failures === 0 ? 0 : 1);
