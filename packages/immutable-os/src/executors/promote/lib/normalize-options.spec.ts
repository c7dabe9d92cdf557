import type { ExecutorContext } from '@nx/devkit';
import { digestOption, normalizeReleaseOptions } from './normalize-options';

const context = { root: '/ws', projectName: 'kiosk', cwd: '/ws', isVerbose: false, projectsConfigurations: { version: 2, projects: { kiosk: { root: 'images/kiosk' } } } } as unknown as ExecutorContext;

test('defaults: the log under releases/, TLS verified, an existing login', () => {
  expect(normalizeReleaseOptions({ channel: 'stable' }, context, 'bootc-promote', {})).toEqual({
    projectName: 'kiosk', workspaceRoot: '/ws', channel: 'stable', releaseLog: { path: '/ws/releases/kiosk.jsonl', shown: 'releases/kiosk.jsonl' }, tlsVerify: true,
  });
});

test('credentials come from the variables named, and are never shown', () => {
  const options = normalizeReleaseOptions({ channel: 'gts', usernameEnv: 'REG_USER', passwordEnv: 'REG_PASS' }, context, 'bootc-promote', { REG_USER: 'bot', REG_PASS: 's3cret-token' });
  expect(options.credentials).toEqual({ username: 'bot', password: 's3cret-token' });
  expect(() => normalizeReleaseOptions({ channel: 'gts', usernameEnv: 'REG_USER', passwordEnv: 'ghp_abcdefabcdef' }, context, 'bootc-rollback', { REG_USER: 'bot' })).toThrow(/passwordEnv: the environment variable it names is not set or empty\. Export it before running bootc-rollback.*The value is not shown/);
});

test.each([
  [{}, /bootc-promote needs the channel tag to move: --channel=stable/],
  [{ channel: 'stable release' }, /channel: "stable release" is not a valid tag/],
  [{ channel: 'sha256' }, /looks like a digest; the channel is the tag to move/],
  [{ channel: 'stable', releaseLog: '{nope}/x.jsonl' }, /releaseLog: .*unknown token \{nope\}/],
  [{ channel: 'stable', signBy: 'k', signBySigstoreKey: '/dev/null' }, /alternatives: sign with sigstore or with GPG, not both/],
])('%j is refused before anything runs', (options, message) => {
  expect(() => normalizeReleaseOptions(options, context, 'bootc-promote', {})).toThrow(message);
});

test('digestOption: a full sha256 digest or nothing', () => {
  expect(digestOption(undefined, 'digest')).toBeUndefined();
  expect(digestOption(`sha256:${'0'.repeat(64)}`, 'digest')).toBe(`sha256:${'0'.repeat(64)}`);
  expect(() => digestOption('sha256:abc', 'digest')).toThrow(/digest: "sha256:abc" is not a manifest digest/);
});
