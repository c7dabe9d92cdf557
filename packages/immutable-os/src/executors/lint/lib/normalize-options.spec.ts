import schema from '../schema.json';
import type { LintExecutorSchema } from '../schema';
import { FORMATS, normalizeOptions } from './normalize-options';

describe('normalizeOptions', () => {
  test('applies the schema defaults', () => {
    const normalized = normalizeOptions({});
    expect(normalized).toEqual({ format: 'text', strict: false, ignore: new Set(), bootcBases: [] });
    expect(normalizeOptions(undefined)).toEqual(normalized);
    expect(schema.properties.format.default).toBe(normalized.format);
    expect(schema.properties.strict.default).toBe(normalized.strict);
    expect(schema.properties.ignore.default).toEqual([...normalized.ignore]);
    expect(schema.properties.bootcBases.default).toEqual(normalized.bootcBases);
  });

  test('the schema format enum is FORMATS', () => {
    expect(schema.properties.format.enum).toEqual([...FORMATS]);
  });

  test('keeps valid values', () => {
    expect(normalizeOptions({ format: 'json', strict: true, ignore: ['var-content', 'from-unpinned'], bootcBases: ['ghcr.io/secureblue/'] })).toEqual({
      format: 'json',
      strict: true,
      ignore: new Set(['var-content', 'from-unpinned']),
      bootcBases: ['ghcr.io/secureblue/'],
    });
  });

  test.each([
    [{ format: 'xml' }, /option "format" must be one of text, json; got "xml"/],
    [{ strict: 'yes' }, /option "strict" must be true or false; got "yes"/],
    [{ ignore: 'usr-etc' }, /option "ignore" must be a list of rule ids \(containerfile-missing, .*\); got "usr-etc"/],
    [{ ignore: ['usr-etc', 'no-such-rule'] }, /option "ignore" has "no-such-rule", which is not a rule id; valid rule ids are containerfile-missing, containerfile-syntax, bootc-label/],
    [{ ignore: ['a', 'b'] }, /has "a", "b", which are not rule ids/],
    [{ ignore: [42] }, /has 42 \(number\), which is not a rule id/],
    [{ bootcBases: 'ghcr.io/secureblue/' }, /option "bootcBases" must be a list of image reference prefixes \(e.g. .*\); got "ghcr.io\/secureblue\/"/],
    [{ bootcBases: [''] }, /option "bootcBases" must be a list/],
  ])('rejects %j naming the option and the allowed values', (options, message) => {
    expect(() => normalizeOptions(options as unknown as LintExecutorSchema)).toThrow(message);
  });
});
