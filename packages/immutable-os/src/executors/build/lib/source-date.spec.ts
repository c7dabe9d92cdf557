import { resolveSourceDate } from './source-date';

const NOW = Date.parse('2026-12-01T10:00:00.500Z');

describe('resolveSourceDate', () => {
  test.each([
    ['HEAD\'s commit time', { commitTime: 1772600767 }, {}, { epoch: 1772600767, iso: '2026-03-04T05:06:07Z', from: 'commit' }],
    ['SOURCE_DATE_EPOCH wins over the commit', { commitTime: 1772600767 }, { SOURCE_DATE_EPOCH: '0' }, { epoch: 0, iso: '1970-01-01T00:00:00Z', from: 'SOURCE_DATE_EPOCH' }],
    ['an empty SOURCE_DATE_EPOCH counts as unset', { commitTime: 1772600767 }, { SOURCE_DATE_EPOCH: '' }, { epoch: 1772600767, iso: '2026-03-04T05:06:07Z', from: 'commit' }],
    ['outside git: the clock, to the second', {}, {}, { epoch: 1796119200, iso: '2026-12-01T10:00:00Z', from: 'clock' }],
  ] as const)('%s', (_name, git, env, expected) => {
    expect(resolveSourceDate(git, env, NOW)).toEqual(expected);
  });

  test.each(['yesterday', '-1', '1.5', '2026-03-04'])('SOURCE_DATE_EPOCH=%s is refused, saying what it must be', (value) => {
    expect(() => resolveSourceDate({}, { SOURCE_DATE_EPOCH: value }, NOW)).toThrow(`SOURCE_DATE_EPOCH is "${value}", not a number of seconds since 1970-01-01 UTC`);
  });
});
