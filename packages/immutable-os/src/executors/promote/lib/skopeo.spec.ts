import { copyArgv, inspectArgv } from './skopeo';

const D = `sha256:${'a'.repeat(64)}`;

test('inspectArgv: the raw manifest (its digest is the sha256 of these bytes), no tag listing', () => {
  expect(inspectArgv(`reg.example/acme/kiosk@${D}`, { tlsVerify: true })).toEqual(['inspect', '--raw', '--no-tags', '--tls-verify=true', `docker://reg.example/acme/kiosk@${D}`]);
  expect(inspectArgv('127.0.0.1:5000/kiosk:stable', { tlsVerify: false, authfile: '/t/auth.json' })).toEqual(['inspect', '--raw', '--no-tags', '--tls-verify=false', '--authfile', '/t/auth.json', 'docker://127.0.0.1:5000/kiosk:stable']);
});

test('copyArgv: by digest to the channel tag, every platform, digests kept, signed when asked', () => {
  expect(copyArgv('reg.example/acme/kiosk', D, 'stable', { tlsVerify: true, cwd: '/w' })).toEqual([
    'copy', '--all', '--preserve-digests', '--src-tls-verify=true', '--dest-tls-verify=true', '--retry-times=3', `docker://reg.example/acme/kiosk@${D}`, 'docker://reg.example/acme/kiosk:stable',
  ]);
  const signed = copyArgv('reg.example/acme/kiosk', D, 'gts', { tlsVerify: false, authfile: '/t/a.json', signBySigstoreKey: '/k/cosign.key', cwd: '/w' });
  expect(signed.join(' ')).toContain('--src-tls-verify=false --dest-tls-verify=false --retry-times=3 --authfile /t/a.json --sign-by-sigstore-private-key /k/cosign.key docker://');
  expect(copyArgv('r/k', D, 'stable', { tlsVerify: true, signBy: 'release@acme.example', cwd: '/w' })).toContain('--sign-by');
});
