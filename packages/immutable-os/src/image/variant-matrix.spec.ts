import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandVariants } from './variant-matrix';

const expand = (matrix: unknown, project = 'bluefin') => expandVariants({ project, projectJson: 'images/bluefin/project.json', matrix });

// A bluefin-like family: edition × flavor × stream, streams as tags of one repository per edition and flavor.
const BLUEFIN = {
  name: '{edition}-{flavor}-{stream}',
  image: 'ghcr.io/acme/{edition}-{flavor}',
  tags: ['{stream}'],
  buildArgs: { FEDORA_MAJOR_VERSION: '42', IMAGE_NAME: '{edition}' },
  axes: {
    edition: { bluefin: { target: 'base' }, 'bluefin-dx': { target: 'dx' } },
    flavor: { main: {}, 'nvidia-open': { cppFlags: ['-DNVIDIA'], buildArgs: { AKMODS_FLAVOR: 'coreos-stable' } } },
    stream: { stable: { buildArgs: { FEDORA_MAJOR_VERSION: '41' } }, latest: {} },
  },
};

describe('expandVariants', () => {
  it('runner: CI runner labels per axis value (an ARM runner for the aarch64 cells), tokens filled; a bad label names the key', () => {
    const cells = expand({ axes: { arch: { x86_64: {}, aarch64: { platforms: ['linux/arm64'], runner: ['ubuntu-24.04-arm', '{project}-pool'] } } } });
    expect(cells.map((c) => [c.name, c.runner])).toEqual([
      ['bluefin-x86_64', undefined],
      ['bluefin-aarch64', ['ubuntu-24.04-arm', 'bluefin-pool']],
    ]);
    expect(() => expand({ axes: { arch: { aarch64: { runner: ['arm runner'] } } } })).toThrow('images/bluefin/project.json: metadata["immutable-os"].variants.axes.arch.aarch64.runner: "arm runner" is not a runner label');
  });

  it('makes one cell per combination, in axis order, with the settings of every layer merged', () => {
    const cells = expand(BLUEFIN);
    expect(cells.map((c) => c.name)).toEqual([
      'bluefin-main-stable',
      'bluefin-main-latest',
      'bluefin-nvidia-open-stable',
      'bluefin-nvidia-open-latest',
      'bluefin-dx-main-stable',
      'bluefin-dx-main-latest',
      'bluefin-dx-nvidia-open-stable',
      'bluefin-dx-nvidia-open-latest',
    ]);
    expect(cells[6]).toEqual({
      name: 'bluefin-dx-nvidia-open-stable',
      values: { edition: 'bluefin-dx', flavor: 'nvidia-open', stream: 'stable' },
      // The family's args, then each axis value's in axis order (stream's 41 over the family's 42); tokens filled.
      buildArgs: { FEDORA_MAJOR_VERSION: '41', IMAGE_NAME: 'bluefin-dx', AKMODS_FLAVOR: 'coreos-stable' },
      cppFlags: ['-DNVIDIA'],
      target: 'dx',
      image: 'ghcr.io/acme/bluefin-dx-nvidia-open',
      tags: ['stable'],
      options: {},
    });
  });

  it('takes a list as values without settings, and names cells {project}-<each axis> by default at localhost/<cell>', () => {
    const cells = expand({ axes: { flavor: ['main', 'nvidia'], stream: ['stable'] } }, 'kiosk');
    expect(cells.map((c) => [c.name, c.image, c.tags])).toEqual([
      ['kiosk-main-stable', 'localhost/kiosk-main-stable', undefined],
      ['kiosk-nvidia-stable', 'localhost/kiosk-nvidia-stable', undefined],
    ]);
  });

  it('leaves out what exclude names (all of its pairs must match), and include adds a cell or adds settings to one', () => {
    const cells = expand({
      axes: { flavor: ['main', 'nvidia'], stream: ['stable', 'beta'] },
      exclude: [{ flavor: 'nvidia', stream: 'beta' }],
      include: [
        { flavor: 'main', stream: 'stable', buildArgs: { EXTRA: '1' }, formats: ['anaconda-iso'] },
        { flavor: 'asus', stream: 'stable', cppFlags: ['-DASUS'] },
      ],
    });
    expect(cells.map((c) => c.name)).toEqual(['bluefin-main-stable', 'bluefin-main-beta', 'bluefin-nvidia-stable', 'bluefin-asus-stable']);
    expect(cells[0]).toMatchObject({ buildArgs: { EXTRA: '1' }, formats: ['anaconda-iso'] });
    expect(cells[3]).toMatchObject({ values: { flavor: 'asus', stream: 'stable' }, cppFlags: ['-DASUS'] });
  });

  it('merges other target options per target, the later layer winning per key', () => {
    const [cell] = expand({
      options: { 'bootc-build': { pull: 'newer', archive: true } },
      axes: { flavor: { main: { options: { 'bootc-build': { pull: 'always' }, 'bootc-convert': { rootfs: 'xfs' } } } } },
    });
    expect(cell.options).toEqual({ 'bootc-build': { pull: 'always', archive: true }, 'bootc-convert': { rootfs: 'xfs' } });
  });

  it("expands the README's example as the README says", () => {
    const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
    const example = /```json\n(\{ "name": "desktop",[\s\S]*?)\n```/.exec(readme)?.[1];
    const matrix = JSON.parse(example ?? 'null').metadata['immutable-os'].variants;
    const cells = expandVariants({ project: 'desktop', projectJson: 'images/desktop/project.json', matrix });
    expect(cells.map((c) => c.name)).toEqual([
      'desktop-base-main-stable',
      'desktop-base-main-latest',
      'desktop-base-nvidia-stable',
      'desktop-base-nvidia-latest',
      'desktop-dx-main-stable',
      'desktop-dx-main-latest',
      'desktop-dx-nvidia-stable',
      'desktop-base-main-beta',
    ]);
    expect(readme).toContain('This makes eight projects (`desktop-base-main-stable`, ..., `desktop-dx-nvidia-stable`,\n`desktop-base-main-beta`)');
    expect(cells.find((c) => c.name === 'desktop-dx-nvidia-stable')).toMatchObject({ target: 'dx', cppFlags: ['-DNVIDIA'], buildArgs: { FEDORA: '43', AKMODS: 'nvidia', EDITION: 'dx' }, image: 'ghcr.io/acme/desktop-dx-nvidia', tags: ['stable', 'stable-{date}'] });
    expect(cells.at(-1)?.buildArgs.FEDORA).toBe('45');
  });

  // Every refusal names the project.json, the key and the value.
  test.each<[string, unknown, string]>([
    ['not an object', 'flavor', 'images/bluefin/project.json: metadata["immutable-os"].variants: expected an object, received string.'],
    ['no axes key', {}, 'images/bluefin/project.json: metadata["immutable-os"].variants.axes: expected an object, received undefined.'],
    ['an unknown key', { axes: { a: ['x'] }, matrix: 1 }, 'variants: Unrecognized key: "matrix" (allowed: buildArgs, cppFlags, target, image, tags, formats, platforms, runner, options, name, axes, include, exclude).'],
    ['an axis that is neither list nor object', { axes: { flavor: 'main' } }, 'variants.axes.flavor: expected a list of values or an object of value: settings, got "main".'],
    ['an unknown setting of a value', { axes: { flavor: { main: { arg: 1 } } } }, 'variants.axes.flavor.main: Unrecognized key: "arg" (allowed: buildArgs, cppFlags'],
    ['a build arg that is not a string', { axes: { flavor: { main: { buildArgs: { A: 1 } } } } }, 'variants.axes.flavor.main.buildArgs.A: expected string, received number.'],
    ['no axes', { axes: {} }, 'variants.axes: no axes; give at least one'],
    ['an axis without values', { axes: { flavor: [] } }, 'variants.axes.flavor: the axis has no values'],
    ['a bad axis name', { axes: { Flavor: ['x'] } }, 'variants.axes.Flavor: "Flavor" is not an axis name'],
    ['a reserved axis name', { axes: { target: ['x'] } }, 'variants.axes.target: "target" is reserved'],
    ['a bad axis value', { axes: { flavor: ['main', 'nv idia'] } }, 'variants.axes.flavor: "nv idia" is not an axis value'],
    ['a value twice', { axes: { flavor: ['main', 'main'] } }, 'variants.axes.flavor: "main" is listed twice'],
    ['an exclude naming an unknown axis', { axes: { flavor: ['main'] }, exclude: [{ stream: 'beta' }] }, 'variants.exclude[0].stream: "stream" is not an axis of this matrix (flavor)'],
    ['an exclude naming an unknown value', { axes: { flavor: ['main', 'nvidia'] }, exclude: [{ flavor: 'nvida' }] }, 'variants.exclude[0].flavor: "nvida" is not a value of axis flavor (main, nvidia)'],
    ['an empty exclude', { axes: { flavor: ['main'] }, exclude: [{}] }, 'variants.exclude[0]: an empty exclude would remove every cell'],
    ['everything excluded', { axes: { flavor: ['main'] }, exclude: [{ flavor: 'main' }] }, 'variants.exclude: every cell is excluded'],
    ['an include missing an axis', { axes: { flavor: ['main'], stream: ['stable'] }, include: [{ flavor: 'asus' }] }, 'variants.include[0]: an include names one cell, so it gives every axis a value; missing: stream'],
    ['an include with an unknown key', { axes: { flavor: ['main'] }, include: [{ flavor: 'asus', edition: 'dx' }] }, 'variants.include[0].edition: "edition" is neither an axis of this matrix (flavor) nor a setting'],
    ['an include with a bad setting', { axes: { flavor: ['main'] }, include: [{ flavor: 'asus', cppFlags: '-DASUS' }] }, 'variants.include[0].cppFlags: expected array, received string.'],
    ['a template with an unknown token', { name: '{project}-{flavour}', axes: { flavor: ['main'] } }, 'variants.name: "{project}-{flavour}" uses {flavour}, which is not {project} or an axis (flavor)'],
    ['two cells with one name', { name: '{project}-{flavor}', axes: { flavor: ['main'], stream: ['stable', 'beta'] } }, 'variants.name: "{project}-{flavor}" gives "bluefin-main" to two cells, {"flavor":"main","stream":"stable"} and {"flavor":"main","stream":"beta"}'],
    ['a name that is not an image name', { name: 'Bluefin-{flavor}', axes: { flavor: ['main'] } }, 'variants.name: "Bluefin-{flavor}" gives "Bluefin-main" for {"flavor":"main"}, which is not a valid project and image name'],
    ['a name ending in a separator', { axes: { flavor: ['main-'] } }, 'gives "bluefin-main-" for {"flavor":"main-"}, which is not a valid project and image name'],
    ['two cells with one image and tag', { image: 'ghcr.io/acme/bluefin', axes: { flavor: ['main', 'nvidia'] } }, 'variants.tags: bluefin-main and bluefin-nvidia would both be tagged ghcr.io/acme/bluefin:latest; give each variant its own image or a tag naming its axes (e.g. "{flavor}")'],
    ['an image with a tag', { image: 'ghcr.io/acme/{flavor}:1', axes: { flavor: ['main'] } }, 'variants.image "ghcr.io/acme/main:1" must be a repository without a tag'],
    ['a bad build arg name', { axes: { flavor: { main: { buildArgs: { 'BAD-NAME': 'x' } } } } }, 'variants.axes.flavor.main.buildArgs: "BAD-NAME" is not a build arg name'],
    ['a bad cpp flag', { axes: { flavor: { nvidia: { cppFlags: ['NVIDIA'] } } } }, 'variants.axes.flavor.nvidia.cppFlags: "NVIDIA" is not a cpp define'],
    ['a bad target', { target: 'a b', axes: { flavor: ['main'] } }, 'variants.target: "a b" is not a stage name'],
    ['a bad tag', { tags: ['{flavor}-{commit}'], axes: { flavor: ['main'] } }, 'variants.tags: the tag "main-{commit}" uses the unknown token {commit}'],
    ['a bad format', { axes: { flavor: { main: { formats: ['qcow3'] } } } }, 'variants.axes.flavor.main.formats: "qcow3" is not a disk format'],
  ])('refuses %s', (_, matrix, message) => {
    expect(() => expand(matrix)).toThrow(message);
  });
});
