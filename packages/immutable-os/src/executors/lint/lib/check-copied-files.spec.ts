import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseContainerfile } from '../../../utils/containerfile';
import { checkCopiedFiles } from './check-copied-files';

const BASE = 'FROM quay.io/fedora/fedora-bootc:44\n';
let projectDir: string;

beforeEach(() => {
  projectDir = mkdtempSync(join(tmpdir(), 'bootc-lint-copied-'));
});
afterEach(() => {
  rmSync(projectDir, { recursive: true, force: true });
});

function file(path: string, content: string | Buffer = '') {
  mkdirSync(join(projectDir, path, '..'), { recursive: true });
  writeFileSync(join(projectDir, path), content);
}

const lint = (body: string) =>
  checkCopiedFiles({ file: 'Containerfile', parsed: parseContainerfile(BASE + body), projectDir, isWorkspaceImage: () => false }).map(
    (f) => `${f.rule} ${f.severity} ${f.line} ${f.message}`,
  );

describe('checkCopiedFiles: kargs-syntax (bootc-kargs)', () => {
  test.each([
    ['kargs only', 'kargs = ["console=ttyS0", "mitigations=auto"]\n'],
    ['kargs and Rust architecture names', 'kargs = ["nosmt"]\nmatch-architectures = ["x86_64", "aarch64"]\n'],
  ])('passes: %s', (_name, toml) => {
    file('rootfs/usr/lib/bootc/kargs.d/10-console.toml', toml);
    expect(lint('COPY rootfs/ /')).toEqual([]);
  });

  test.each([
    ['not TOML', 'kargs = ["a"', 'error', /does not parse as TOML .*bootc container lint fails \(bootc-kargs\)/],
    ['no kargs', 'match-architectures = ["x86_64"]\n', 'error', /has no kargs list; bootc fails \(bootc-kargs: missing field `kargs`\)/],
    ['kargs as a string', 'kargs = "console=ttyS0"\n', 'error', /kargs must be a list of strings/],
    ['an unknown key', 'kargs = ["a"]\ndelete = ["b"]\n', 'error', /unknown key delete; bootc accepts only kargs and match-architectures/],
    ['a Debian architecture name', 'kargs = ["a"]\nmatch-architectures = ["amd64"]\n', 'warning', /"amd64", which never matches: .*"x86_64" here/],
  ])('fails: %s', (_name, toml, severity, message) => {
    file('rootfs/usr/lib/bootc/kargs.d/10-x.toml', toml);
    const findings = lint('COPY rootfs/ /');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(new RegExp(`^kargs-syntax ${severity} 2 /usr/lib/bootc/kargs.d/10-x.toml \\(from rootfs/usr/lib/bootc/kargs.d/10-x.toml\\): `));
    expect(findings[0]).toMatch(message);
  });

  test('a file not ending in .toml is ignored by bootc: a warning', () => {
    file('kargs.conf', 'kargs = ["a"]\n');
    expect(lint('COPY kargs.conf /usr/lib/bootc/kargs.d/')).toEqual([expect.stringMatching(/^kargs-syntax warning 2 .*bootc reads only files ending in .toml/)]);
  });

  test('a COPY here-document is read too', () => {
    expect(lint('COPY <<EOF /usr/lib/bootc/kargs.d/20.toml\nkargs = "x"\nEOF')).toEqual([expect.stringMatching(/^kargs-syntax error 2 .*kargs must be a list of strings/)]);
  });
});

describe('checkCopiedFiles: composefs-disabled (baseimage-composefs)', () => {
  test.each([
    ['enabled = yes', '[composefs]\nenabled = yes\n'],
    ['signed', '[composefs]\nenabled = signed\n'],
    ['a transient root', '[root]\ntransient = true\n[composefs]\nenabled = no\n'],
  ])('passes: %s', (_name, conf) => {
    file('rootfs/usr/lib/ostree/prepare-root.conf', conf);
    expect(lint('COPY rootfs/ /')).toEqual([]);
  });

  test.each([
    ['enabled = no', '[composefs]\nenabled = no\n', 'warning', /sets \[composefs\] enabled = no; bootc container lint warns/],
    ['no key', '[sysroot]\nreadonly = true\n', 'warning', /does not set \[composefs\] enabled/],
    ['a value ostree refuses', '[composefs]\nenabled = on\n', 'warning', /enabled = on, which ostree does not accept .*takes it as disabled/],
    ['a transient root that is no boolean', '[root]\ntransient = yes\n', 'error', /transient = yes, which is no boolean .*bootc container lint fails reading it/],
  ])('fails: %s', (_name, conf, severity, message) => {
    file('rootfs/usr/lib/ostree/prepare-root.conf', conf);
    const findings = lint('COPY rootfs/ /');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(new RegExp(`^composefs-disabled ${severity} 2 `));
    expect(findings[0]).toMatch(message);
  });

  test('/etc/ostree/prepare-root.conf wins over /usr/lib', () => {
    file('rootfs/usr/lib/ostree/prepare-root.conf', '[composefs]\nenabled = no\n');
    file('rootfs/etc/ostree/prepare-root.conf', '[composefs]\nenabled = yes\n');
    expect(lint('COPY rootfs/ /')).toEqual([]);
  });
});

describe('checkCopiedFiles: buildah-injected, kernel-multiple, utf8-names', () => {
  test('an empty /etc/resolv.conf, not a full one', () => {
    file('rootfs/etc/resolv.conf');
    file('rootfs/etc/hostname', 'kiosk\n');
    expect(lint('COPY rootfs/ /')).toEqual([expect.stringMatching(/^buildah-injected warning 2 The COPY of rootfs\/etc\/resolv.conf ships \/etc\/resolv.conf as an empty file/)]);
  });

  test('two copied kernels', () => {
    file('rootfs/usr/lib/modules/6.1.0/vmlinuz', 'k');
    file('rootfs/usr/lib/modules/6.2.0/vmlinuz', 'k');
    expect(lint('COPY rootfs/ /')).toEqual([expect.stringMatching(/^kernel-multiple error 2 The image gets 2 kernels .*bootc container lint fails \(kernel: "Multiple kernels found"\)/)]);
  });

  test('a name and a symlink target that are not UTF-8', () => {
    mkdirSync(join(projectDir, 'rootfs/usr/share'), { recursive: true });
    const share = Buffer.from(join(projectDir, 'rootfs/usr/share/'));
    writeFileSync(Buffer.concat([share, Buffer.from([0x61, 0xff, 0x62])]), '');
    symlinkSync(Buffer.from([0x78, 0xfe]) as unknown as string, join(projectDir, 'rootfs/usr/share/link'));
    const findings = lint('COPY rootfs/ /');
    expect(findings).toEqual([
      expect.stringMatching(/^utf8-names error 2 The copied rootfs\/usr\/share\/a\uFFFDb has a name that is not UTF-8; bootc container lint fails \(utf8\)/),
      expect.stringMatching(/^utf8-names error 2 The copied rootfs\/usr\/share\/link has a symlink target that is not UTF-8/),
    ]);
  });
});

describe('checkCopiedFiles: credentials-in-image', () => {
  test('a private key shipped is an error, without its text', () => {
    const key = `-----BEGIN OPENSSH ${'PRIVATE'} KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH ${'PRIVATE'} KEY-----\n`;
    file('rootfs/etc/ssh/ssh_host_ed25519_key', key);
    const findings = lint('COPY rootfs/ /');
    expect(findings).toEqual([expect.stringMatching(/^credentials-in-image error 2 The COPY of rootfs\/etc\/ssh\/ssh_host_ed25519_key ships .*looks like a private key \(not shown\)/)]);
    expect(findings.join('\n')).not.toContain('b3BlbnNzaC1rZXktdjEAAAAA');
  });

  test('authorized_keys shipped is a warning', () => {
    file('rootfs/root/.ssh/authorized_keys', 'ssh-ed25519 AAAAC3Nza admin\n');
    expect(lint('COPY rootfs/ /')).toEqual([expect.stringMatching(/^credentials-in-image warning 2 .*\/root\/.ssh\/authorized_keys: the same SSH key for every machine/)]);
  });

  test('public keys, ordinary files and a script that greps for a key header are not', () => {
    file('rootfs/etc/pki/rpm-gpg/RPM-GPG-KEY-x', '-----BEGIN PGP PUBLIC KEY BLOCK-----\nabc\n');
    file('rootfs/usr/libexec/check-keys.sh', `grep -q "-----BEGIN OPENSSH ${'PRIVATE'} KEY" "$1"\n`);
    file('rootfs/etc/motd', 'hello\n');
    expect(lint('COPY rootfs/ /')).toEqual([]);
  });
});
