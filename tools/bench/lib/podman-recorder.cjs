#!/usr/bin/env node
// Stands in front of the real podman (BENCH_REAL_PODMAN) for one untimed run: appends each
// invocation's argv to BENCH_PODMAN_LOG (JSON lines), keeps a copy of a build's --file, then runs
// the real podman with the same arguments. CommonJS: it is copied to a file named `podman`.
const { spawnSync } = require('node:child_process');
const { appendFileSync, copyFileSync } = require('node:fs');

const args = process.argv.slice(2);
const log = process.env.BENCH_PODMAN_LOG;
const entry = { args };
const file = args[0] === 'build' ? args[args.indexOf('--file') + 1] : undefined;
if (file) {
  entry.fileCopy = `${log}.${Date.now()}.Containerfile`;
  copyFileSync(file, entry.fileCopy);
}
appendFileSync(log, JSON.stringify(entry) + '\n');
const result = spawnSync(process.env.BENCH_REAL_PODMAN, args, { stdio: 'inherit' });
process.exit(result.status ?? 1);
