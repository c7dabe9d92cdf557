import { parseDataSize } from './data-size';

// The cases of osbuild/images pkg/datasizes parse_test.go, plus the number forms of a config file.
describe('parseDataSize', () => {
  test.each([
    ['123', 123],
    ['123 kB', 123_000],
    ['123 KiB', 123 * 1024],
    ['123 MB', 123e6],
    ['123 MiB', 123 * 1024 ** 2],
    ['123 GB', 123e9],
    ['123 GiB', 123 * 1024 ** 3],
    ['123 TB', 123e12],
    ['123 TiB', 123 * 1024 ** 4],
    ['10GiB', 10 * 1024 ** 3],
    ['  123KiB  ', 123 * 1024],
    ['1.0', 1],
    ['1.5 GiB', 1_610_612_736],
    ['0.5 MiB', 512 * 1024],
    [0, 0],
    [5_368_709_120, 5_368_709_120],
  ])('%p is %p bytes', (value, bytes) => {
    expect(parseDataSize(value)).toBe(bytes);
  });

  test.each([['123 KB'], ['123 mb'], ['123 PiB'], ['1.5'], ['0.3 GiB'], ['-1 MiB'], ['GiB'], [''], [-1], [1.5], [true], [null], [undefined], [['1 GiB']]])(
    '%p is not a size',
    (value) => {
      expect(parseDataSize(value)).toBeUndefined();
    },
  );
});
