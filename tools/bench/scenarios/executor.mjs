import { accessSync, chmodSync, constants, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSeries } from '../lib/series.mjs';
import { pairedRatio } from '../lib/stats.mjs';
import { shellQuote } from '../lib/proc.mjs';
import { NX_ENV, nx, nxCommand } from '../lib/workspace.mjs';

const RECORDER = fileURLToPath(new URL('../lib/podman-recorder.cjs', import.meta.url));
const RAW_TARGET = 'bootc-build-raw';
const RAW_CACHED_TARGET = 'bootc-build-raw-cached';
const CREATED_LABEL = 'org.opencontainers.image.created';
export const EXECUTOR_VARIANTS = [
  'bootc-build executor',
  'nx:run-commands, same podman build',
  'nx:run-commands in a forked process (NX_RUN_COMMANDS_DIRECTLY=false)',
  'nx:run-commands with bootc-build\'s cache, inputs and outputs',
];

/**
 * Scenario 4: `nx run <leaf>:bootc-build --skip-nx-cache` against an nx:run-commands target that
 * runs the podman build command line the executor ran (recorded once through a podman wrapper).
 * Both pay Nx's start-up, so the ratio is the executor's own cost. Paired runs.
 */
export async function executorScenario(ctx, fleet) {
  const leaf = fleet.model.projects.at(-1).name;
  console.log(`\n== executor overhead: ${leaf}`);
  const argv = recordBuildArgv(ctx, fleet.dir, leaf);
  const rawDir = join(fleet.dir, 'tmp/raw');
  mkdirSync(rawDir, { recursive: true });
  copyFileSync(argv.fileCopy, join(rawDir, 'Containerfile'));
  const command = rawCommand(argv.args, { file: join(rawDir, 'Containerfile'), iidfile: join(rawDir, 'iid') });
  addRawTargets(fleet.dir, leaf, command);

  const variant = (name, args, env = {}) => ({ name, ...nxCommand(fleet.dir, args), cwd: fleet.dir, env: { ...NX_ENV, ...env } });
  const runs = Math.max(ctx.options.runs * 2, 10);
  const series = await runSeries({
    label: 'executor overhead',
    variants: [
      variant(EXECUTOR_VARIANTS[0], ['run', `${leaf}:bootc-build`, '--skip-nx-cache', '--exclude-task-dependencies', '--outputStyle=static']),
      variant(EXECUTOR_VARIANTS[1], ['run', `${leaf}:${RAW_TARGET}`, '--skip-nx-cache', '--outputStyle=static']),
      // Nx runs nx:run-commands inside its own process and forks a process for every other executor;
      // this variant makes run-commands pay that fork too, leaving the executor's own cost in the ratio.
      variant(EXECUTOR_VARIANTS[2], ['run', `${leaf}:${RAW_TARGET}`, '--skip-nx-cache', '--outputStyle=static'], { NX_RUN_COMMANDS_DIRECTLY: 'false' }),
      // bootc-build is cacheable: Nx hashes its inputs before and stores its outputs after it runs
      // (--skip-nx-cache only skips reading the cache). The same settings on the run-commands target.
      variant(EXECUTOR_VARIANTS[3], ['run', `${leaf}:${RAW_CACHED_TARGET}`, '--skip-nx-cache', '--outputStyle=static']),
    ],
    runs,
    quiet: ctx.quiet,
  });
  const wall = (i) => series.variants[EXECUTOR_VARIANTS[i]].wallMs;
  return {
    project: leaf,
    podmanBuild: command,
    series,
    overhead: pairedRatio(wall(0), wall(1)),
    overheadForked: pairedRatio(wall(0), wall(2)),
    forkCost: pairedRatio(wall(2), wall(1)),
    overheadCached: pairedRatio(wall(0), wall(3)),
  };
}

// Runs the executor once with a recording podman first on PATH; returns its `podman build` call.
function recordBuildArgv(ctx, dir, project) {
  const wrapperDir = join(ctx.dir, 'podman-recorder');
  rmSync(wrapperDir, { recursive: true, force: true });
  mkdirSync(wrapperDir, { recursive: true });
  copyFileSync(RECORDER, join(wrapperDir, 'podman'));
  chmodSync(join(wrapperDir, 'podman'), 0o755);
  const log = join(wrapperDir, 'calls.jsonl');
  const realPodman = onPath('podman');
  nx(dir, ['run', `${project}:bootc-build`, '--skip-nx-cache', '--exclude-task-dependencies', '--outputStyle=static'], {
    env: { PATH: `${wrapperDir}:${process.env.PATH}`, BENCH_PODMAN_LOG: log, BENCH_REAL_PODMAN: realPodman },
  });
  if (!existsSync(log)) throw new Error(`The executor ran no podman through ${wrapperDir}: is its engine podman?`);
  const calls = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const build = calls.find((c) => c.args[0] === 'build');
  if (!build) throw new Error(`The executor ran podman ${calls.map((c) => c.args[0]).join(', ')} but no build.`);
  console.log(`  the executor ran podman ${calls.map((c) => c.args.slice(0, 2).join(' ')).join('; ')}`);
  return build;
}

// The recorded build as a shell command line: the same arguments, a fixed iidfile and Containerfile
// copy, and a fresh creation-time label per run as the executor writes.
function rawCommand(args, { file, iidfile }) {
  return ['podman', ...args.map((arg, i) => {
    if (args[i - 1] === '--file') return shellQuote(file);
    if (args[i - 1] === '--iidfile') return shellQuote(iidfile);
    if (args[i - 1] === '--label' && arg.startsWith(`${CREATED_LABEL}=`)) return `"${CREATED_LABEL}=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)"`;
    return shellQuote(arg);
  })].join(' ');
}

function addRawTargets(dir, project, command) {
  const { cache, inputs, outputs } = JSON.parse(nx(dir, ['show', 'project', project, '--json']).stdout).targets['bootc-build'];
  const file = join(dir, 'images', project, 'project.json');
  const json = JSON.parse(readFileSync(file, 'utf8'));
  const options = { command, cwd: '{workspaceRoot}' };
  json.targets[RAW_TARGET] = { executor: 'nx:run-commands', options };
  json.targets[RAW_CACHED_TARGET] = { executor: 'nx:run-commands', cache, inputs, outputs, options };
  writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
}

function onPath(program) {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return join(dir, program);
    } catch {
      // Not in this folder.
    }
  }
  throw new Error(`${program} is not on PATH: run bash tools/ci/setup-host.sh.`);
}
