import { assertImageTypes, DEFAULT_IMAGE_TYPE, IMAGE_TYPE_NAMES, IMAGE_TYPES, isImageType } from './image-types';

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
