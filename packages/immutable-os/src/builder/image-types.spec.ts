import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactPath, assertImageTypes, builderOutputPath, DEFAULT_IMAGE_TYPE, IMAGE_TYPE_NAMES, IMAGE_TYPES, isImageType, planBuilderRuns, type ImageType } from './image-types';

describe('IMAGE_TYPES', () => {
  // bootc-image-builder's own table (image-builder internal/bibimg/imagetypes.go, imagetypes.yaml,
  // pkg/image/bootc_disk.go): type, where it is written when it is the run's first type, its kind.
  test.each([
    ['qcow2', 'qcow2/disk.qcow2', 'disk'],
    ['raw', 'image/disk.raw', 'disk'],
    ['ami', 'image/disk.raw', 'disk'],
    ['vmdk', 'vmdk/disk.vmdk', 'disk'],
    ['vhd', 'vpc/disk.vhd', 'disk'],
    ['gce', 'gce/image.tar.gz', 'disk'],
    ['ova', 'archive/image.ova', 'disk'],
    ['pxe-tar-xz', 'xz/pxe.tar.xz', 'pxe'],
    ['bootc-installer', 'bootiso/install.iso', 'iso'],
    ['anaconda-iso', 'bootiso/install.iso', 'iso'],
    ['iso', 'bootiso/install.iso', 'iso'],
  ] as const)('%s alone is written to %s (%s)', (type, path, kind) => {
    expect(isImageType(type)).toBe(true);
    expect(builderOutputPath(type, type)).toBe(path);
    expect(IMAGE_TYPES[type].kind).toBe(kind);
  });

  it('covers exactly the types of the builder contract, anaconda-iso and iso marked legacy', () => {
    expect(IMAGE_TYPE_NAMES).toEqual(['qcow2', 'raw', 'ami', 'vmdk', 'vhd', 'gce', 'ova', 'pxe-tar-xz', 'bootc-installer', 'anaconda-iso', 'iso']);
    expect(IMAGE_TYPE_NAMES.filter((t) => IMAGE_TYPES[t].legacy)).toEqual(['anaconda-iso', 'iso']);
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

describe('builderOutputPath: disks are named after the run\'s first type', () => {
  // bootc_imagetype.go:214 (basename = the first type's file name up to its first dot) and bootc_disk.go:122-147.
  test.each<[ImageType, ImageType, string]>([
    ['qcow2', 'gce', 'qcow2/image.qcow2'],
    ['raw', 'ova', 'image/image.raw'],
    ['vhd', 'gce', 'vpc/image.vhd'],
    ['gce', 'qcow2', 'gce/image.tar.gz'],
    ['ova', 'qcow2', 'archive/disk.ova'],
    ['ova', 'ova', 'archive/image.ova'],
    ['vmdk', 'raw', 'vmdk/disk.vmdk'],
  ])('%s in a run led by %s → %s', (type, first, path) => {
    expect(builderOutputPath(type, first)).toBe(path);
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

  const VALID = 'valid types are qcow2, raw, ami, vmdk, vhd, gce, ova, pxe-tar-xz, bootc-installer, anaconda-iso, iso.';

  test.each([
    [['qcow3'], `formats: "qcow3" is not a bootc-image-builder type; ${VALID}`],
    [['qcow2', 'vdi', 'wsl'], `formats: "vdi", "wsl" are not bootc-image-builder types; ${VALID}`],
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
    ['ova', 'ova/disk.ova'],
    ['pxe-tar-xz', 'pxe-tar-xz/pxe.tar.xz'],
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
    ['every disk type but ami', ['qcow2', 'raw', 'vmdk', 'vhd', 'gce', 'ova'], [['qcow2', 'raw', 'vmdk', 'vhd', 'gce', 'ova']]],
    ['a disk.* type leads the run, so disks are named disk.<ext>', ['gce', 'qcow2'], [['qcow2', 'gce']]],
    ['ova first: qcow2 leads', ['ova', 'vhd', 'qcow2'], [['vhd', 'ova', 'qcow2']]],
    ['gce and ova alone keep their order', ['ova', 'gce'], [['ova', 'gce']]],
    ['an ISO and a disk cannot be mixed', ['qcow2', 'iso'], [['qcow2'], ['iso']]],
    ['the ISO first keeps its place', ['iso', 'qcow2'], [['iso'], ['qcow2']]],
    ['raw and ami write the same file', ['raw', 'ami'], [['raw'], ['ami']]],
    ['ami gets a run of its own, later disks still join the first', ['raw', 'qcow2', 'ami', 'vmdk'], [['raw', 'qcow2', 'vmdk'], ['ami']]],
    ['pxe-tar-xz runs alone', ['qcow2', 'pxe-tar-xz', 'raw'], [['qcow2', 'raw'], ['pxe-tar-xz']]],
    ['each ISO runs alone (the builder makes only the first one\'s)', ['iso', 'anaconda-iso', 'bootc-installer'], [['iso'], ['anaconda-iso'], ['bootc-installer']]],
    ['disks and ISOs together', ['qcow2', 'iso', 'raw', 'ami', 'bootc-installer'], [['qcow2', 'raw'], ['iso'], ['ami'], ['bootc-installer']]],
    ['duplicates collapse', ['qcow2', 'qcow2', 'iso', 'qcow2', 'iso'], [['qcow2'], ['iso']]],
    ['nothing asked, nothing run', [], []],
  ])('%s: %j → %j', (_name, types, runs) => {
    expect(planBuilderRuns(types)).toEqual(runs);
  });

  // The builder's naming, read from its source independently of IMAGE_TYPES: the first --type's
  // file name up to the first dot names every raw/qcow2/vmdk/vhd/ova; gce, pxe and ISOs are fixed.
  const FIRST_TYPE_FILE: Record<ImageType, string> = {
    qcow2: 'disk.qcow2', raw: 'disk.raw', ami: 'disk.raw', vmdk: 'disk.vmdk', vhd: 'disk.vhd', gce: 'image.tar.gz', ova: 'image.ova',
    'pxe-tar-xz': 'pxe.tar.xz', 'bootc-installer': 'install.iso', 'anaconda-iso': 'install.iso', iso: 'install.iso',
  };
  const written = (type: ImageType, first: ImageType): string => {
    const base = FIRST_TYPE_FILE[first].split('.')[0];
    const named: Partial<Record<ImageType, string>> = { qcow2: `qcow2/${base}.qcow2`, raw: `image/${base}.raw`, ami: `image/${base}.raw`, vmdk: `vmdk/${base}.vmdk`, vhd: `vpc/${base}.vhd`, ova: `archive/${base}.ova` };
    return named[type] ?? { gce: 'gce/image.tar.gz', 'pxe-tar-xz': 'xz/pxe.tar.xz' }[type as string] ?? 'bootiso/install.iso';
  };
  const ISO = new Set<ImageType>(['bootc-installer', 'anaconda-iso', 'iso']);

  test.each(IMAGE_TYPE_NAMES.flatMap((a) => IMAGE_TYPE_NAMES.map((b) => [a, b] as const)))('%s + %s: every output lands at our name, runs are ones the builder accepts', (a, b) => {
    const runs = planBuilderRuns([a, b]);
    expect(runs.flat().sort()).toEqual([...new Set([a, b])].sort());
    const landed: string[] = [];
    for (const run of runs) {
      // The builder refuses ISO and disk types together; ISO, pxe-tar-xz and two types sharing a file need runs of their own.
      expect(new Set(run.map((t) => ISO.has(t))).size).toBe(1);
      if (run.some((t) => ISO.has(t) || t === 'pxe-tar-xz')) expect(run).toHaveLength(1);
      const files = run.map((t) => written(t, run[0]));
      expect(new Set(files).size).toBe(run.length);
      for (const type of run) {
        expect(builderOutputPath(type, run[0])).toBe(written(type, run[0]));
        // Whenever the run has a disk.* type, its disks are disk.<ext>: the names do not follow the order users wrote.
        if (run.some((t) => FIRST_TYPE_FILE[t].startsWith('disk.')) && ['qcow2', 'raw', 'ami', 'vmdk', 'vhd', 'ova'].includes(type)) {
          expect(written(type, run[0])).toMatch(/\/disk\.[a-z0-9]+$/);
        }
        landed.push(artifactPath(type));
      }
    }
    expect(landed.sort()).toEqual([...new Set([a, b])].map(artifactPath).sort());
  });
});
