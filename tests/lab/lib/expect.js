#!/usr/bin/env node
// Asserts a scenario's `expect` file against a hybridcheck JSON report and,
// when given, the remediation script written with --ps1.
//   node expect.js EXPECT_FILE REPORT_JSON EXIT_CODE [SCRIPT]
// Prints one line per unmet expectation ("- ...") followed by the findings
// actually reported ("+ ...", severity check subject), and exits 1 when any
// expectation is unmet. The format is described in docs/lab.md.
'use strict';

const fs = require('fs');

const [expectFile, reportFile, exitArg, scriptFile] = process.argv.slice(2);
const SEVERITIES = ['pass', 'info', 'warn', 'fail', 'error', 'skip', 'any'];
const exitCode = Number(exitArg);
const problems = [];

let findings = null;
let report = null;
try {
	const r = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
	report = r;
	if (r.schema !== 'hybridcheck.report/1') problems.push(`- report schema is '${r.schema}', not 'hybridcheck.report/1'`);
	findings = Array.isArray(r.findings) ? r.findings : [];
} catch (e) {
	problems.push(`- no readable JSON report (${e.code || e.message})`);
}

// The remedy steps of the script: "# ---- <id>: ..." (verification steps
// are "# ---- verify: ..."), and which of them could not be filled in.
let steps = null;
let scriptText = '';
if (scriptFile) {
	try {
		scriptText = fs.readFileSync(scriptFile, 'utf8');
		steps = new Map();
		let cur = null;
		for (const l of scriptText.split('\n')) {
			const m = /^\s*# ---- ([a-z0-9][a-z0-9.-]*):/.exec(l);
			if (m) {
				cur = m[1] === 'verify' ? null : m[1];
				if (cur) steps.set(cur, { unfilled: false });
			} else if (cur && /NOT FILLED IN/.test(l)) steps.get(cur).unfilled = true;
		}
		if (/STEP DROPPED/.test(scriptText)) problems.push('- the script has a dropped step (STEP DROPPED)');
	} catch (e) {
		problems.push(`- no readable remediation script (${e.code || e.message})`);
	}
}
// Placeholders in `script` lines, as in args files.
function fill(t) {
	return t.replace(/@LABFILE:([^@]+)@/g, (m, rel) => fs.readFileSync(`${process.env.LAB_DIR}/${rel}`, 'utf8').trim())
		.replace(/@LAB@/g, process.env.LAB_DIR || '');
}
const wantRemedy = new Set();
const mayUnfill = new Set();
let remedyLines = 0;

const lines = fs.readFileSync(expectFile, 'utf8').split('\n');
lines.forEach((raw, i) => {
	const line = raw.replace(/(^|\s)#.*/, '').trim();
	if (!line) return;
	const w = line.split(/\s+/);
	const where = `${expectFile}:${i + 1}`;
	if (['remedy', '!remedy', 'noremedy', 'unfilled', 'script', '!script'].includes(w[0])) {
		remedyLines++;
		if (!steps) return;
		if (w[0] === 'remedy') {
			wantRemedy.add(w[1]);
			if (!steps.has(w[1])) problems.push(`- ${line} (no such step in the script)`);
		} else if (w[0] === '!remedy') {
			if (steps.has(w[1])) problems.push(`- ${line} (the script has that step)`);
		} else if (w[0] === 'noremedy') {
			if (steps.size) problems.push(`- noremedy (the script has steps: ${[...steps.keys()].join(' ')})`);
			if (!/This script only verifies/.test(scriptText)) problems.push('- noremedy (the script does not say it only verifies)');
		} else if (w[0] === 'unfilled') {
			mayUnfill.add(w[1]);
		} else {
			const text = fill(line.slice(w[0].length).trim());
			if (scriptText.includes(text) === (w[0] === '!script'))
				problems.push(`- ${line} (${w[0] === 'script' ? 'not in' : 'in'} the script)`);
		}
		return;
	}
	if (w[0] === 'exit') {
		if (Number(w[1]) !== exitCode) problems.push(`- exit ${w[1]} (got exit ${exitCode})`);
		return;
	}
	if (!findings) return;
	// verify runs: "diff KIND CHECK [SUBJECT]" (KIND fixed, regressed, new, …),
	// "nodiff" (nothing changed since the baseline).
	if (w[0] === 'diff' || w[0] === 'nodiff') {
		const changes = (report && report.baseline && report.baseline.changes) || null;
		if (!changes) { problems.push(`- ${line} (the report has no baseline comparison)`); return; }
		if (w[0] === 'nodiff') {
			if (changes.length) problems.push(`- nodiff (got ${changes.map((c) => `${c.kind} ${c.check} ${c.subject}`).join('; ')})`);
			return;
		}
		const sub = w.slice(3).join(' ').toLowerCase();
		if (!changes.some((c) => c.kind === w[1] && c.check === w[2] && String(c.subject || '').toLowerCase().includes(sub)))
			problems.push(`- ${line} (not in the comparison: ${changes.map((c) => `${c.kind} ${c.check} ${c.subject}`).join('; ') || 'none'})`);
		return;
	}
	if (w[0] === 'nofail') {
		const bad = findings.filter((f) => f.severity === 'fail' || f.severity === 'error');
		if (bad.length) problems.push(`- nofail (got ${bad.length} fail/error findings)`);
		return;
	}
	// A healthy organisation: not even a warning.
	if (w[0] === 'nowarn') {
		const bad = findings.filter((f) => ['warn', 'fail', 'error'].includes(f.severity));
		if (bad.length) problems.push(`- nowarn (got ${bad.map((f) => `${f.severity} ${f.check} ${f.subject || ''}`).join('; ')})`);
		return;
	}
	const negate = w[0].startsWith('!');
	const sev = negate ? w[0].slice(1) : w[0];
	if (!SEVERITIES.includes(sev) || !w[1]) {
		problems.push(`- ${where}: cannot read '${line}'`);
		return;
	}
	const subject = w.slice(2).join(' ').toLowerCase();
	const hit = findings.some((f) => (sev === 'any' || f.severity === sev) && f.check === w[1] &&
		String(f.subject || '').toLowerCase().includes(subject));
	if (hit === negate) problems.push(`- ${line}${negate ? ' (such a finding was reported)' : ' (not reported)'}`);
});

// Nothing for healthy parts: every step must be one the expect file names,
// and a step that could not be filled in must be expected to be so.
if (steps) {
	if (!remedyLines) problems.push(`- ${expectFile}: no remedy expectations (remedy ID or noremedy)`);
	for (const [id, st] of steps) {
		if (!wantRemedy.has(id)) problems.push(`- unexpected step ${id} in the script`);
		if (st.unfilled && !mayUnfill.has(id)) problems.push(`- step ${id} is NOT FILLED IN`);
	}
}

if (problems.length) {
	for (const p of problems) console.log(p);
	for (const f of findings || []) console.log(`+ ${f.severity} ${f.check} ${f.subject || ''}${f.message ? `  -- ${f.message}` : ''}${f.remedy ? `  [${f.remedy}]` : ''}`);
	if (steps) console.log(`+ steps: ${[...steps.keys()].join(' ') || '(none)'}`);
	process.exit(1);
}
