#!/usr/bin/env node
// Builds the publishable plugin into dist/packages/immutable-os: a clean output folder, tsc with the
// library tsconfig, then the files the compiled code reads at run time (schemas, generator
// templates, generators.json, executors.json, package.json). Written for this repository instead of
// @nx/js:tsc, which has no release for every Nx major the plugin supports.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = join(repo, 'packages', 'immutable-os');
const out = join(repo, 'dist', 'packages', 'immutable-os');

/** Which files below src/ are copied beside the compiled code: what the running plugin reads. */
function isAsset(pathInSrc) {
  const parts = pathInSrc.split(sep);
  if (parts.includes('__snapshots__') || parts.includes('fixtures')) return false; // test data
  if (parts.includes('files')) return true; // generator templates, whatever their extension
  if (pathInSrc.endsWith('schema.d.ts')) return true; // the option types users import
  return !pathInSrc.endsWith('.ts');
}

function walk(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

rmSync(out, { recursive: true, force: true });
try {
  execFileSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(pkg, 'tsconfig.lib.json')], {
    cwd: repo,
    stdio: 'inherit',
  });
} catch (error) {
  // tsc printed its diagnostics above; a missing typescript install says so here.
  console.error(`build-plugin: tsc -p packages/immutable-os/tsconfig.lib.json ${error.status == null ? `could not run: ${error.message} (run npm ci)` : `exited with code ${error.status}`}`);
  process.exit(error.status || 1);
}

const src = join(pkg, 'src');
let copied = 0;
for (const file of walk(src)) {
  const inSrc = relative(src, file);
  if (!isAsset(inSrc)) continue;
  cpSync(file, join(out, 'src', inSrc));
  copied++;
}
for (const file of ['package.json', 'generators.json', 'executors.json', ...readdirSync(pkg).filter((f) => f.endsWith('.md'))]) {
  if (existsSync(join(pkg, file))) {
    cpSync(join(pkg, file), join(out, file));
    copied++;
  }
}
console.log(`Built ${relative(repo, out)} (${copied} files besides the compiled code).`);
