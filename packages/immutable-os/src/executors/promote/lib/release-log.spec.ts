import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendReleaseLog, readReleaseLog, rollbackTarget, type ReleaseLogEntry } from './release-log';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const move = (action: ReleaseLogEntry['action'], from: string | null, to: string, extra: Partial<ReleaseLogEntry> = {}): ReleaseLogEntry => ({
  action, project: 'kiosk', repository: 'registry.example/acme/kiosk', channel: 'stable', from, to, imageId: 'f00d', bootTest: 'passed', by: 'ci', at: '2026-12-01T00:00:00.000Z', commit: null, job: null, ...extra,
});

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'release-log-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a missing log is empty; appended moves read back in order, one JSON line each', () => {
  const file = join(dir, 'releases/kiosk.jsonl');
  expect(readReleaseLog(file, 'releases/kiosk.jsonl')).toEqual([]);
  appendReleaseLog(file, [], move('promote', null, D('a')));
  appendReleaseLog(file, readReleaseLog(file, 'x'), move('promote', D('a'), D('b')));
  expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(3);
  expect(readReleaseLog(file, 'x').map((e) => [e.from, e.to])).toEqual([[null, D('a')], [D('a'), D('b')]]);
});

test.each([
  ['{"action": "promote"', /releases\/kiosk\.jsonl:2 is not JSON .*Restore the line from version control; nothing was moved/],
  ['{"action": "retag", "project": "kiosk"}', /releases\/kiosk\.jsonl:2 is not a move of a channel tag \(action: /],
])('a broken line (%s) fails with the file and line', (line, message) => {
  const file = join(dir, 'kiosk.jsonl');
  writeFileSync(file, `${JSON.stringify(move('promote', null, D('a')))}\n${line}\n`);
  expect(() => readReleaseLog(file, 'releases/kiosk.jsonl')).toThrow(message);
});

describe('rollbackTarget', () => {
  const log = [move('promote', null, D('a')), move('promote', D('a'), D('b')), move('promote', D('b'), D('c'))];

  test('goes to what the tag named before its latest promotion to the current digest', () => {
    expect(rollbackTarget(log, 'registry.example/acme/kiosk', 'stable', D('c'))).toMatchObject({ to: D('b') });
  });

  test('a second rollback goes one promotion further back, not back and forth', () => {
    const after = [...log, move('rollback', D('c'), D('b'))];
    expect(rollbackTarget(after, 'registry.example/acme/kiosk', 'stable', D('b'))).toMatchObject({ to: D('a') });
    expect(rollbackTarget([...after, move('rollback', D('b'), D('a'))], 'registry.example/acme/kiosk', 'stable', D('a'))).toEqual({
      error: expect.stringMatching(/did not exist before sha256:a+ was promoted .*nothing to roll back to/),
    });
  });

  test('other channels and repositories are not mixed in; a tag moved by something else is named', () => {
    const mixed = [move('promote', D('e'), D('c'), { channel: 'gts' }), move('promote', D('f'), D('c'), { repository: 'other/kiosk' })];
    expect(rollbackTarget(mixed, 'registry.example/acme/kiosk', 'stable', D('c'))).toEqual({ error: expect.stringMatching(/has no promotion of registry\.example\/acme\/kiosk:stable to sha256:c+, which it names now: the tag was moved by something else/) });
  });
});
