import { IMAGE_TYPE_NAMES, IMAGE_TYPES } from '../image-types';
import { CUSTOMIZATIONS } from './schema';

describe('IMAGE_TYPES customizations', () => {
  // Each entry names a customization of the schema, or one key of a customization table (kernel.append).
  test.each(IMAGE_TYPE_NAMES)('%s lists only customizations the schema knows', (type) => {
    for (const entry of IMAGE_TYPES[type].customizations) {
      const [key, sub] = entry.split('.') as [keyof typeof CUSTOMIZATIONS, string | undefined];
      expect(Object.keys(CUSTOMIZATIONS)).toContain(key);
      if (sub !== undefined) expect(Object.keys((CUSTOMIZATIONS[key] as unknown as { shape: object }).shape)).toContain(sub);
    }
  });

  test('disk types size filesystems and write files; ISO types run the installer', () => {
    for (const type of IMAGE_TYPE_NAMES) {
      const { iso, customizations } = IMAGE_TYPES[type];
      expect(customizations).toEqual(expect.arrayContaining(iso ? ['installer', 'iso', 'fips'] : ['filesystem', 'disk', 'files', 'directories']));
      expect(customizations).toEqual(expect.arrayContaining(['user', 'group', 'kernel.append']));
    }
  });
});
