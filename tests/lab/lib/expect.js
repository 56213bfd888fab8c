#!/usr/bin/env node
// Asserts a scenario's `expect` file against a hybridcheck JSON report.
//   node expect.js EXPECT_FILE REPORT_JSON EXIT_CODE
// Prints one line per unmet expectation ("- ...") followed by the findings
// actually reported ("+ ...", severity check subject), and exits 1 when any
// expectation is unmet. The format is described in docs/lab.md.
'use strict';

const fs = require('fs');

const [expectFile, reportFile, exitArg] = process.argv.slice(2);
const SEVERITIES = ['pass', 'info', 'warn', 'fail', 'error', 'skip', 'any'];
const exitCode = Number(exitArg);
const problems = [];

let findings = null;
try {
	const r = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
	if (r.schema !== 'hybridcheck.report/1') problems.push(`- report schema is '${r.schema}', not 'hybridcheck.report/1'`);
	findings = Array.isArray(r.findings) ? r.findings : [];
} catch (e) {
	problems.push(`- no readable JSON report (${e.code || e.message})`);
}

const lines = fs.readFileSync(expectFile, 'utf8').split('\n');
lines.forEach((raw, i) => {
	const line = raw.replace(/#.*/, '').trim();
	if (!line) return;
	const w = line.split(/\s+/);
	const where = `${expectFile}:${i + 1}`;
	if (w[0] === 'exit') {
		if (Number(w[1]) !== exitCode) problems.push(`- exit ${w[1]} (got exit ${exitCode})`);
		return;
	}
	if (!findings) return;
	if (w[0] === 'nofail') {
		const bad = findings.filter((f) => f.severity === 'fail' || f.severity === 'error');
		if (bad.length) problems.push(`- nofail (got ${bad.length} fail/error findings)`);
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

if (problems.length) {
	for (const p of problems) console.log(p);
	for (const f of findings || []) console.log(`+ ${f.severity} ${f.check} ${f.subject || ''}${f.message ? `  -- ${f.message}` : ''}`);
	process.exit(1);
}
