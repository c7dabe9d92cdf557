import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { configToml } from './fleet.mjs';

/** The label on every image (and intermediate image) the benchmarks build, so that cleanup finds them all. */
export const BENCH_LABEL = 'io.immutable-os.bench';
export const BOOTC_BASE = 'localhost/bootc-mini:latest';

/**
 * A fleet of `count` images that really build, FROM the tests' small local bootc base: one base,
 * a few mid flavors, leaves FROM them; each with a rootfs overlay of about `files` files and 10
 * build steps. Names start with `prefix` (their images are localhost/<name>).
 */
export function realFleetModel(prefix, count, files) {
  const midCount = Math.max(2, Math.min(4, Math.floor(count / 10)));
  const base = { name: `${prefix}-base`, parent: undefined };
  const mids = Array.from({ length: midCount }, (_, i) => ({ name: `${prefix}-mid-${i}`, parent: base.name }));
  const leaves = Array.from({ length: count - 1 - midCount }, (_, i) => ({ name: `${prefix}-leaf-${String(i).padStart(2, '0')}`, parent: mids[i % midCount].name }));
  // In build order: every image after the one it is built FROM.
  const projects = [base, ...mids, ...leaves].map((p) => ({ ...p, root: `images/${p.name}` }));
  return { prefix, files, projects };
}

export function writeRealFleet(root, model) {
  const write = (path, text) => {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  for (const p of model.projects) {
    const json = {
      name: p.name,
      $schema: '../../node_modules/nx/schemas/project-schema.json',
      projectType: 'application',
      tags: ['os-image'],
      metadata: { 'immutable-os': { image: `localhost/${p.name}`, tags: ['latest'], formats: ['qcow2'] } },
      targets: {},
    };
    write(`${p.root}/project.json`, JSON.stringify(json, null, 2) + '\n');
    write(`${p.root}/Containerfile`, containerfile(p, model.prefix));
    write(`${p.root}/config.toml`, configToml(p.name));
    write(`${p.root}/rootfs/etc/sysctl.d/60-${p.name}.conf`, `# ${p.name}\nvm.swappiness = 10\n`);
    write(`${p.root}/rootfs/usr/lib/tmpfiles.d/${p.name}.conf`, `d /var/lib/${p.name} 0755 root root -\n`);
    // The rest of the overlay: small config and data files in 40 folders, like a real flavor's /usr/share.
    const perDir = Math.ceil((model.files - 2) / 40);
    for (let i = 0; i < model.files - 2; i++) {
      const dir = String(Math.floor(i / perDir)).padStart(2, '0');
      write(`${p.root}/rootfs/usr/share/${p.name}/d${dir}/f${String(i).padStart(4, '0')}.conf`, overlayFile(p.name, i));
    }
  }
}

// 10 build steps after FROM; the first is the cleanup label, so every intermediate image carries it.
function containerfile(p, prefix) {
  return [
    `# ${p.name}: a benchmark image (rootfs overlay, 10 build steps).`,
    `ARG BASE_IMAGE=${p.parent ? `localhost/${p.parent}:latest` : BOOTC_BASE}`,
    'FROM ${BASE_IMAGE}',
    `LABEL ${BENCH_LABEL}=${prefix}`,
    'LABEL containers.bootc=1',
    `ENV FLAVOR=${p.name}`,
    'COPY rootfs/etc/ /etc/',
    'COPY rootfs/usr/ /usr/',
    `RUN mkdir -p /usr/lib/fleet && echo ${p.name} > /usr/lib/fleet/flavor`,
    `RUN find /usr/share/${p.name} -type f | wc -l > /usr/lib/fleet/${p.name}.files`,
    `RUN sed -i 's/^VARIANT_ID=.*//' /usr/lib/os-release && echo VARIANT_ID=${p.name} >> /usr/lib/os-release`,
    `RUN ln -sf /usr/lib/fleet/flavor /usr/lib/fleet/current`,
    'RUN bootc container lint',
    '',
  ].join('\n');
}

function overlayFile(name, i) {
  const lines = [`# ${name} setting ${i}`];
  for (let k = 0; k < 4 + (i % 9); k++) lines.push(`key_${k} = "${name}-${i}-${(i * 7919 + k * 104729) % 1000003}"`);
  return lines.join('\n') + '\n';
}
