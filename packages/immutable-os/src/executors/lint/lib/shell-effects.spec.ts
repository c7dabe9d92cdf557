import { normalizePath, shellEffects, type ShellEffect } from './shell-effects';

const write = (path: string, via: string): ShellEffect => ({ kind: 'write', path, via });
const remove = (path: string, via: string): ShellEffect => ({ kind: 'remove', path, via });
const dir = (path: string): ShellEffect => ({ kind: 'write', path, via: 'mkdir', type: 'dir' });

describe('shellEffects', () => {
  test.each<[string, ShellEffect[]]>([
    ['mkdir -p -m 0755 /var/lib/app /var/log/app', [dir('/var/lib/app'), dir('/var/log/app')]],
    ['touch -d yesterday /tmp/stamp', [{ ...write('/tmp/stamp', 'touch'), empty: true }]],
    ['echo x > /var/x.conf && echo y >> /run/y', [write('/var/x.conf', '>'), write('/run/y', '>>')]],
    ['echo x | tee -a /tmp/a /tmp/b >/dev/null', [write('/dev/null', '>'), write('/tmp/a', 'tee'), write('/tmp/b', 'tee')]],
    ['cp -a /usr/share/x /var/lib/x', [write('/var/lib/x', 'cp')]],
    ['cp -f a b /var/lib/', [write('/var/lib', 'cp')]],
    ['mv -t /var/opt a b', [write('/var/opt', 'mv')]],
    ['install -m 0644 -o root -D x.conf /run/x.conf', [write('/run/x.conf', 'install')]],
    ['install -d -m 0750 /var/lib/a /var/lib/b', [{ ...write('/var/lib/a', 'install'), type: 'dir' }, { ...write('/var/lib/b', 'install'), type: 'dir' }]],
    ['ln -sf /usr/lib/x /var/lib/x', [{ kind: 'write', path: '/var/lib/x', via: 'ln -s', type: 'symlink', linkTarget: '/usr/lib/x' }]],
    ['ln /usr/lib/x /var/lib/x', [write('/var/lib/x', 'ln')]],
    ['curl -fsSLo /tmp/k.rpm https://x/k.rpm', [write('/tmp/k.rpm', 'curl -o')]],
    ['curl --output=/tmp/a -H "Accept: x" --output-dir /tmp/d -O https://x/y', [write('/tmp/a', 'curl -o'), write('/tmp/d', 'curl -o')]],
    ['wget -qO /tmp/w.tgz https://x && wget -P /var/cache/dl https://y', [write('/tmp/w.tgz', 'wget -O'), write('/var/cache/dl', 'wget -O')]],
    ['tar -xzf /tmp/a.tgz -C /var/lib/a', [write('/var/lib/a', 'tar -C')]],
    ['tar xzf a.tgz --directory=/opt/a', [write('/opt/a', 'tar -C')]],
    ['tar -czf out.tgz -C /var/lib/a .', []],
    ['unzip -o x.zip -d /tmp/x', [write('/tmp/x', 'unzip -d')]],
    ['git clone --depth 1 https://x/r.git /var/src/r', [write('/var/src/r', 'git clone')]],
    ['git clone https://x/r.git', []],
    ['go build -o /tmp/bin ./cmd', [write('/tmp/bin', 'go -o')]],
    ['rm -rf /tmp/* /var/cache/dnf', [remove('/tmp/*', 'rm'), remove('/var/cache/dnf', 'rm')]],
    ['find /tmp -mindepth 1 -delete', [remove('/tmp/*', 'find -delete')]],
    ['find /tmp -delete', [remove('/tmp', 'find -delete')]],
    ['find /tmp -type f -delete', [remove('/tmp/*', 'find -delete')]],
    ['install -d -m 1777 /tmp', [{ kind: 'write', path: '/tmp', via: 'install', type: 'dir' }]],
    ['touch /var/log/lastlog', [{ kind: 'write', path: '/var/log/lastlog', via: 'touch', empty: true }]],
    ["bash -ec 'mkdir /var/x && rm -r /var/x'", [dir('/var/x'), remove('/var/x', 'rm')]],
    ['FOO=1 sudo mkdir /run/a', [dir('/run/a')]],
    ['if [ -d /var/x ]; then mkdir /var/y; fi', [dir('/var/y')]],
    ['/usr/bin/mkdir /var/z', [dir('/var/z')]],
    ['cat > /etc/x <<EOF\nmkdir /var/in-heredoc\nEOF', [write('/etc/x', '>')]],
    ['mkdir relative/dir && cp a b', []],
    ['dnf install -y vim && dnf clean all', [remove('/var/cache/libdnf5/*', 'dnf clean'), remove('/var/cache/dnf/*', 'dnf clean'), remove('/var/cache/yum/*', 'dnf clean')]],
    ['apt-get update && apt-get install -y x', []],
    // bootc-lint-comparison F3: clean-up idioms.
    ['find /tmp -mindepth 1 -exec rm -rf {} +', [remove('/tmp/*', 'find -exec rm')]],
    ["find /var/tmp -name '*.rpm' -delete", [remove('/var/tmp/**/*.rpm', 'find -delete')]],
    ["find /tmp -name '*.rpm' -o -name '*.deb' -delete", []],
    ['rm -rf /tmp/{build,cache} /var/{log,cache}/x', [remove('/tmp/build', 'rm'), remove('/tmp/cache', 'rm'), remove('/var/log/x', 'rm'), remove('/var/cache/x', 'rm')]],
    ['echo ${A} {x} ${B:-/a}', []],
    ["trap 'rm -rf /tmp/b2' EXIT; mkdir /tmp/b2", [dir('/tmp/b2'), remove('/tmp/b2', 'rm')]],
    ['rm -rf ${TMPDIR:-/tmp}/b3', [remove('/tmp/b3', 'rm')]],
    ['ostree container commit', [remove('/run/*', 'ostree container commit'), remove('/tmp/*', 'ostree container commit'), remove('/var/tmp/*', 'ostree container commit'), remove('/var/cache/*', 'ostree container commit')]],
    // F12's catch-all `-o` does not take ls -o for an output.
    ['ls -o /var/lib/x', []],
    ['set -o pipefail && mount -o /var/x /dev/sda /mnt', []],
    ['cmd 2>&1', []],
  ])('%j', (script, effects) => {
    expect(shellEffects(script)).toEqual(effects);
  });
});

test.each([
  ['/var//lib/./x/', '/var/lib/x'],
  ['/', '/'],
  ['/tmp/../run', '/run'],
])('normalizePath(%j) is %j', (input, output) => {
  expect(normalizePath(input)).toBe(output);
});
