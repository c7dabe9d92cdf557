import { ConsoleWatch, DEFAULT_EXPECT, DEFAULT_FAIL } from './console-watch';

describe('ConsoleWatch', () => {
  test('passes once every expected pattern matched a line, in any order, across chunk borders', () => {
    const watch = new ConsoleWatch(['marker: kiosk', 'system is up'], DEFAULT_FAIL);
    expect(watch.feed('[  1.0] booting\nsystem is', 100).status).toBe('running');
    expect(watch.feed(' up\n', 200).status).toBe('running');
    expect(watch.feed('\x1b[0;32mmarker: kiosk\x1b[0m\r\n', 300)).toEqual({ status: 'passed' });
    expect(watch.checks.filter((c) => c.kind === 'expect').map((c) => [c.line, c.atMs])).toEqual([
      ['marker: kiosk', 300],
      ['system is up', 200],
    ]);
  });

  test('fails at once on a failure pattern, naming the line', () => {
    const watch = new ConsoleWatch(['system is up'], DEFAULT_FAIL);
    const state = watch.feed('[ 2.1] Kernel panic - not syncing: No working init found.\n', 50);
    expect(state).toMatchObject({ status: 'failed', reason: expect.stringContaining('"[ 2.1] Kernel panic - not syncing: No working init found." (fail pattern /Kernel panic/)') });
    expect(watch.feed('system is up\n', 60).status).toBe('failed');
  });

  test('a login prompt without a newline counts', () => {
    expect(new ConsoleWatch(DEFAULT_EXPECT, DEFAULT_FAIL).feed('\nFedora Linux 44\nkiosk login: ', 10)).toEqual({ status: 'passed' });
    expect(new ConsoleWatch(DEFAULT_EXPECT, DEFAULT_FAIL).feed('[  OK  ] Reached target multi-user.target - Multi-User System.\n', 10)).toEqual({ status: 'passed' });
  });

  test('the default failure patterns: emergency mode, failed units, the firmware finding nothing', () => {
    for (const line of ['You are in emergency mode. After logging in', '[FAILED] Failed to start sshd.service - OpenSSH server daemon.', 'UEFI Interactive Shell v2.2', '[seabios] No bootable device.']) {
      expect(new ConsoleWatch(['never'], DEFAULT_FAIL).feed(`${line}\n`, 1).status).toBe('failed');
    }
  });

  test('end names the patterns never seen, and keeps the last lines', () => {
    const watch = new ConsoleWatch(['a', 'zzz'], [], 2);
    watch.feed('a\nb\nc\nd', 5);
    expect(watch.end('timed out after 60 s')).toEqual({ status: 'failed', reason: 'timed out after 60 s before the console showed /zzz/' });
    expect(watch.tail()).toEqual(['c', 'd']);
  });
});
