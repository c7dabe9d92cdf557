#!/usr/bin/env node
// The e2e target: one jest run per Nx release in nx-versions.json, each with that release installed
// in its workspaces (E2E_NX_VERSION). The newest runs every spec, each older one the compatibility
// specs. E2E_NX_VERSION=<version> runs every spec on that release alone. Arguments after `--` go to
// every jest run (e.g. a spec name or -t <test name>).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const listFile = join(here, 'nx-versions.json');
const { versions, compatibilitySpecs } = JSON.parse(readFileSync(listFile, 'utf8'));
const VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

const chosen = process.env.E2E_NX_VERSION;
if (chosen !== undefined && !VERSION.test(chosen)) {
  console.error(`E2E_NX_VERSION=${JSON.stringify(chosen)} is not an exact nx version such as ${versions[0]}; the tested ones are listed in ${listFile}.`);
  process.exit(2);
}
const runs = chosen
  ? [{ version: chosen, specs: [] }]
  : versions.map((version, i) => ({ version, specs: i === 0 ? [] : compatibilitySpecs }));

const failed = [];
for (const { version, specs } of runs) {
  const what = specs.length === 0 ? 'every spec' : `the compatibility specs (${specs.join(', ')})`;
  console.log(`\n[e2e] nx ${version}: ${what}\n`);
  const patterns = specs.map((spec) => `src/${spec.replaceAll('.', '\\.')}$`);
  const jest = join(repo, 'node_modules', 'jest', 'bin', 'jest.js');
  const result = spawnSync(process.execPath, [jest, '-c', join(here, 'jest.config.cjs'), '--runInBand', ...patterns, ...process.argv.slice(2)], {
    cwd: repo,
    stdio: 'inherit',
    env: { ...process.env, E2E_NX_VERSION: version },
  });
  if (result.status !== 0) failed.push(`nx ${version} (${result.signal ? `killed by ${result.signal}` : `exit code ${result.status}`})`);
}
if (failed.length > 0) {
  console.error(`\n[e2e] failed on ${failed.join(', ')}`);
  process.exit(1);
}
console.log(`\n[e2e] passed on nx ${runs.map((r) => r.version).join(', ')}`);
