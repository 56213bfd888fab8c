#!/usr/bin/env node
// A latency injector for the benchmark: relays TCP and UDP to the lab on
// loopback and holds back everything the server sends by DELAY ms, as a
// distant server would. Requests go through at once; every answer (a TLS
// handshake flight, an HTTP response, a DNS reply) arrives DELAY ms late, in
// order. (netem would delay every packet, but the kernels the tool is built
// on do not always have sch_netem; a relay works everywhere.)
//
//   node delayproxy.js --delay MS --pid-file FILE tcp:LISTEN:TARGET ... udp:LISTEN:TARGET ...
//
// Listens on 127.0.0.1 only; prints "ready" when every listener is bound.
'use strict';

const net = require('net');
const dgram = require('dgram');
const fs = require('fs');

function die(msg) { process.stderr.write(`delayproxy: ${msg}\n`); process.exit(1); }

let delay = 0;
let pidFile = null;
const relays = [];
const a = process.argv.slice(2);
for (let i = 0; i < a.length; i++) {
	if (a[i] === '--delay') delay = Number(a[++i]);
	else if (a[i] === '--pid-file') pidFile = a[++i];
	else {
		const m = /^(tcp|udp):(\d+):(\d+)$/.exec(a[i]);
		if (!m) die(`'${a[i]}': expected tcp:LISTEN:TARGET or udp:LISTEN:TARGET`);
		relays.push({ proto: m[1], listen: Number(m[2]), target: Number(m[3]) });
	}
}
if (!(delay >= 0) || relays.length === 0) die('usage: delayproxy.js --delay MS [--pid-file F] tcp:L:T|udp:L:T ...');

// Delivers fn() DELAY ms after now, after everything queued before it.
function later(queue, fn) {
	queue.items.push({ at: Date.now() + delay, fn });
	if (!queue.timer) arm(queue);
}
function arm(queue) {
	const next = queue.items[0];
	queue.timer = setTimeout(() => {
		queue.timer = null;
		const now = Date.now();
		while (queue.items.length && queue.items[0].at <= now) queue.items.shift().fn();
		if (queue.items.length) arm(queue);
	}, Math.max(0, next.at - Date.now()));
}

function tcpRelay(r) {
	return new Promise((resolve, reject) => {
		const srv = net.createServer({ pauseOnConnect: false }, (client) => {
			const up = net.connect(r.target, '127.0.0.1');
			const q = { items: [], timer: null };
			const kill = () => { client.destroy(); up.destroy(); };
			client.setNoDelay(true);
			up.setNoDelay(true);
			client.on('data', (d) => up.write(d));
			client.on('end', () => up.end());
			up.on('data', (d) => later(q, () => client.write(d)));
			up.on('end', () => later(q, () => client.end()));
			client.on('error', kill);
			up.on('error', () => later(q, kill));
			client.on('close', () => up.destroy());
		});
		srv.on('error', reject);
		srv.listen(r.listen, '127.0.0.1', 4096, resolve);
	});
}

function udpRelay(r) {
	return new Promise((resolve, reject) => {
		const srv = dgram.createSocket('udp4');
		const q = { items: [], timer: null };
		const peers = new Map();
		srv.on('message', (msg, from) => {
			const key = `${from.address}:${from.port}`;
			let up = peers.get(key);
			if (!up) {
				up = dgram.createSocket('udp4');
				up.on('message', (ans) => later(q, () => srv.send(ans, from.port, from.address)));
				up.on('error', () => {});
				peers.set(key, up);
			}
			up.send(msg, r.target, '127.0.0.1');
		});
		srv.on('error', reject);
		srv.bind(r.listen, '127.0.0.1', resolve);
	});
}

Promise.all(relays.map((r) => (r.proto === 'tcp' ? tcpRelay(r) : udpRelay(r)))).then(() => {
	if (pidFile) fs.writeFileSync(pidFile, `${process.pid}\n`);
	process.stdout.write('ready\n');
}, (e) => die(e.message));
process.on('SIGTERM', () => process.exit(0));
