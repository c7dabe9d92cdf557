import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactPath, assertImageTypes, DEFAULT_IMAGE_TYPE, IMAGE_TYPE_NAMES, IMAGE_TYPES, isImageType, planBuilderRuns, type ImageType } from './image-types';

describe('IMAGE_TYPES', () => {
  // bootc-image-builder's own table: type → export folder, ISO or disk (bib/internal/imagetypes/imagetypes.go).
  test.each([
    ['qcow2', 'qcow2/disk.qcow2', false],
    ['raw', 'image/disk.raw', false],
    ['ami', 'image/disk.raw', false],
    ['vmdk', 'vmdk/disk.vmdk', false],
    ['vhd', 'vpc/disk.vhd', false],
    ['gce', 'gce/image.tar.gz', false],
    ['anaconda-iso', 'bootiso/install.iso', true],
    ['iso', 'bootiso/install.iso', true],
    ['bootc-installer', 'bootiso/install.iso', true],
  ])('%s is written to %s (iso: %s)', (type, builderPath, iso) => {
    expect(isImageType(type)).toBe(true);
    expect(IMAGE_TYPES[type as keyof typeof IMAGE_TYPES]).toMatchObject({ builderPath, iso });
  });

  it('covers exactly the types of the builder contract', () => {
    expect(IMAGE_TYPE_NAMES).toEqual(['qcow2', 'raw', 'ami', 'vmdk', 'vhd', 'gce', 'anaconda-iso', 'iso', 'bootc-installer']);
  });

  it('is the enum of bootc-convert\'s types option, value for value and in order', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '../executors/convert/schema.json'), 'utf8'));
    expect(schema.properties.types.items.enum).toEqual(IMAGE_TYPE_NAMES);
  });

  it('lists every type once, and the default among them', () => {
    expect(IMAGE_TYPE_NAMES).toEqual(Object.keys(IMAGE_TYPES));
    expect(new Set(IMAGE_TYPE_NAMES).size).toBe(IMAGE_TYPE_NAMES.length);
    expect(IMAGE_TYPE_NAMES).toContain(DEFAULT_IMAGE_TYPE);
    for (const type of IMAGE_TYPE_NAMES) expect(IMAGE_TYPES[type].description).not.toBe('');
  });
});

describe('isImageType', () => {
  test.each(['QCOW2', 'qcow', '', 'constructor', 'toString', '__proto__', 'hasOwnProperty'])('%p is not a type', (value) => {
    expect(isImageType(value)).toBe(false);
  });
});

describe('assertImageTypes', () => {
  it('returns valid types as given', () => {
    expect(assertImageTypes(['qcow2', 'ami'], 'formats')).toEqual(['qcow2', 'ami']);
    expect(assertImageTypes([], 'formats')).toEqual([]);
  });

  const VALID = 'valid types are qcow2, raw, ami, vmdk, vhd, gce, anaconda-iso, iso, bootc-installer.';

  test.each([
    [['qcow3'], `formats: "qcow3" is not a bootc-image-builder type; ${VALID}`],
    [['qcow2', 'vdi', 'ova'], `formats: "vdi", "ova" are not bootc-image-builder types; ${VALID}`],
  ])('names the option, the invalid values and the valid types for %p', (values, message) => {
    expect(() => assertImageTypes(values, 'formats')).toThrow(message);
  });
});

describe('artifactPath', () => {
  // dist/disks/<project>/<type>/<file>: the type's own folder, the builder's file name.
  test.each<[ImageType, string]>([
    ['qcow2', 'qcow2/disk.qcow2'],
    ['raw', 'raw/disk.raw'],
    ['ami', 'ami/disk.raw'],
    ['vmdk', 'vmdk/disk.vmdk'],
    ['vhd', 'vhd/disk.vhd'],
    ['gce', 'gce/image.tar.gz'],
    ['iso', 'iso/install.iso'],
    ['anaconda-iso', 'anaconda-iso/install.iso'],
    ['bootc-installer', 'bootc-installer/install.iso'],
  ])('%s → %s', (type, path) => {
    expect(artifactPath(type)).toBe(path);
  });

  it('gives every type a path of its own', () => {
    const paths = IMAGE_TYPE_NAMES.map(artifactPath);
    expect(new Set(paths).size).toBe(paths.length);
  });
});

describe('planBuilderRuns', () => {
  test.each<[string, ImageType[], ImageType[][]]>([
    ['one disk type', ['qcow2'], [['qcow2']]],
    ['disk types with distinct paths share a run', ['qcow2', 'raw', 'vmdk'], [['qcow2', 'raw', 'vmdk']]],
    ['every disk type but ami', ['qcow2', 'raw', 'vmdk', 'vhd', 'gce'], [['qcow2', 'raw', 'vmdk', 'vhd', 'gce']]],
    ['an ISO and a disk cannot be mixed', ['qcow2', 'iso'], [['qcow2'], ['iso']]],
    ['the ISO first keeps its place', ['iso', 'qcow2'], [['iso'], ['qcow2']]],
    ['raw and ami write the same file', ['raw', 'ami'], [['raw'], ['ami']]],
    ['ami gets a run of its own, later disks still join the first', ['raw', 'qcow2', 'ami', 'vmdk'], [['raw', 'qcow2', 'vmdk'], ['ami']]],
    ['the three ISOs write the same file', ['iso', 'anaconda-iso', 'bootc-installer'], [['iso'], ['anaconda-iso'], ['bootc-installer']]],
    ['disks and ISOs together', ['qcow2', 'iso', 'raw', 'ami', 'bootc-installer'], [['qcow2', 'raw'], ['iso'], ['ami'], ['bootc-installer']]],
    ['duplicates collapse', ['qcow2', 'qcow2', 'iso', 'qcow2', 'iso'], [['qcow2'], ['iso']]],
    ['nothing asked, nothing run', [], []],
  ])('%s: %j → %j', (_name, types, runs) => {
    expect(planBuilderRuns(types)).toEqual(runs);
  });

  test.each(IMAGE_TYPE_NAMES.flatMap((a) => IMAGE_TYPE_NAMES.map((b) => [a, b] as const)))('%s + %s: each run holds one kind and distinct builder paths', (a, b) => {
    const runs = planBuilderRuns([a, b]);
    expect(runs.flat()).toEqual(a === b ? [a] : [a, b]);
    for (const run of runs) {
      expect(new Set(run.map((t) => IMAGE_TYPES[t].iso)).size).toBe(1);
      expect(new Set(run.map((t) => IMAGE_TYPES[t].builderPath)).size).toBe(run.length);
    }
  });
});
