import { IMAGE_TYPE_NAMES, IMAGE_TYPES } from '../image-types';
import { CUSTOMIZATIONS } from './schema';

describe('IMAGE_TYPES customizations', () => {
  // Each entry names a customization of the schema, or one key of a customization table (kernel.append).
  test.each(IMAGE_TYPE_NAMES)('%s lists only customizations the schema knows', (type) => {
    for (const entry of [...IMAGE_TYPES[type].applied, ...(IMAGE_TYPES[type].supported ?? [])]) {
      const [key, sub] = entry.split('.') as [keyof typeof CUSTOMIZATIONS, string | undefined];
      expect(Object.keys(CUSTOMIZATIONS)).toContain(key);
      if (sub !== undefined) expect(Object.keys((CUSTOMIZATIONS[key] as unknown as { shape: object }).shape)).toContain(sub);
    }
  });

  test('disk types size filesystems and write files; ISO types run the installer; every type makes users', () => {
    for (const type of IMAGE_TYPE_NAMES) {
      const { kind, applied } = IMAGE_TYPES[type];
      const expected = { disk: ['filesystem', 'disk', 'files', 'directories'], iso: ['installer', 'fips'], pxe: ['files', 'directories'] }[kind];
      expect(applied).toEqual(expect.arrayContaining([...expected, 'user', 'group', 'kernel.append']));
    }
  });
});
