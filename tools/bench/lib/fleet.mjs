import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// The synthetic fleet of the graph and affected benchmarks: one root base, about 10 mid-level
// flavors FROM it, the rest leaves FROM a mid flavor. Leaves come in three Containerfile styles:
// a plain FROM, an ARG-based FROM, and multi-stage (a tools stage FROM the base, COPY --from it).
// Some leaves and one mid flavor use a shared build script through a named build context.
export const SCRIPTS_DIR = 'shared/build-scripts';
export const OUTSIDE_FILE = 'docs/fleet.md';
const STYLES = ['plain', 'arg', 'multistage'];

/** The fleet's projects: name, root, parents (the workspace images it is built FROM), build contexts. */
export function fleetModel(n, { mids = 10, buildContextEvery = 40 } = {}) {
  if (n < 3) throw new Error(`A fleet needs at least 3 images (a base, a flavor, a leaf), got ${n}.`);
  const midCount = Math.min(mids, Math.max(1, Math.floor((n - 1) / 10)));
  const projects = [{ name: 'base', root: 'images/base', kind: 'base', style: 'arg', from: 'localhost/bootc-mini:latest', parents: [], buildContexts: [] }];
  const midNames = [];
  for (let m = 0; m < midCount; m++) {
    const name = `mid-${String(m).padStart(2, '0')}`;
    midNames.push(name);
    // One mid flavor runs the shared build script: all its leaves depend on it through the graph.
    const usesScripts = m === Math.min(7, midCount - 1);
    projects.push({ name, root: `images/${name}`, kind: 'mid', style: 'arg', from: 'localhost/base:latest', parents: ['base'], buildContexts: usesScripts ? [SCRIPTS_DIR] : [] });
  }
  for (let i = 0; i < n - 1 - midCount; i++) {
    const name = `leaf-${String(i).padStart(4, '0')}`;
    const mid = midNames[i % midCount];
    const style = STYLES[i % STYLES.length];
    const parents = style === 'multistage' ? [mid, 'base'] : [mid];
    const buildContexts = i % buildContextEvery === 1 ? [SCRIPTS_DIR] : [];
    projects.push({ name, root: `images/${name}`, kind: 'leaf', style, from: `localhost/${mid}:latest`, parents, buildContexts });
  }
  return { n, projects, byName: new Map(projects.map((p) => [p.name, p])) };
}

/** Writes the fleet under `root`, each project's build file named `fileName` (Containerfile or Dockerfile). */
export function writeFleet(root, model, { fileName = 'Containerfile' } = {}) {
  const write = (path, text) => {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  write(`${SCRIPTS_DIR}/setup.sh`, '#!/bin/sh\n# Shared build step of several flavors.\nset -eu\nmkdir -p "/usr/lib/fleet/$1"\necho "$1" > "/usr/lib/fleet/$1/flavor"\n');
  write(OUTSIDE_FILE, '# The fleet\n\nNotes that no image reads.\n');
  for (const project of model.projects) {
    write(`${project.root}/project.json`, projectJson(project));
    write(`${project.root}/${fileName}`, containerfile(project));
    write(`${project.root}/config.toml`, configToml(project.name));
    write(`${project.root}/README.md`, `# ${project.name}\n\nA ${project.kind} image of the benchmark fleet.\n`);
    write(`${project.root}/rootfs/etc/sysctl.d/60-${project.name}.conf`, `# ${project.name}\nvm.swappiness = 10\n`);
    write(`${project.root}/rootfs/usr/lib/tmpfiles.d/${project.name}.conf`, `d /var/lib/${project.name} 0755 root root -\n`);
  }
}

function projectJson(project) {
  const json = {
    name: project.name,
    $schema: '../../node_modules/nx/schemas/project-schema.json',
    projectType: 'application',
    tags: ['os-image', `kind:${project.kind}`],
    metadata: { 'immutable-os': { image: `localhost/${project.name}`, tags: ['latest'], formats: ['qcow2'] } },
    targets: project.buildContexts.length ? { 'bootc-build': { options: { buildContexts: { scripts: project.buildContexts[0] } } } } : {},
  };
  return JSON.stringify(json, null, 2) + '\n';
}

function containerfile(project) {
  const lines = [`# ${project.name}: a ${project.kind} image of the benchmark fleet (${project.style}).`];
  if (project.style === 'multistage') {
    lines.push('FROM localhost/base:latest AS tools', `RUN mkdir -p /out && echo ${project.name} > /out/flavor`, `FROM ${project.from}`, `COPY --from=tools /out/ /usr/share/${project.name}/`);
  } else if (project.style === 'arg') {
    lines.push(`ARG BASE_IMAGE=${project.from}`, 'FROM ${BASE_IMAGE}');
  } else {
    lines.push(`FROM ${project.from}`);
  }
  lines.push('', 'LABEL containers.bootc=1');
  if (project.buildContexts.length) lines.push(`RUN --mount=type=bind,from=scripts,target=/scripts sh /scripts/setup.sh ${project.name}`);
  lines.push('COPY rootfs/ /', 'RUN bootc container lint', '');
  return lines.join('\n');
}

export function configToml(name) {
  return `# bootc-image-builder configuration for ${name}.\n[[customizations.user]]\nname = "admin"\nkey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBenchmarkKeyxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx admin@example.com"\ngroups = ["wheel"]\n\n[[customizations.filesystem]]\nmountpoint = "/"\nminsize = "10 GiB"\n`;
}

/** Every FROM edge (source builds on target) the fleet must show in the project graph. */
export function expectedEdges(model) {
  return model.projects.flatMap((p) => p.parents.map((target) => `${p.name} -> ${target}`)).sort();
}
