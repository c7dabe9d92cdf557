import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseContainerfile } from '../../../utils/containerfile';
import { checkFilesystem } from './check-filesystem';
import { isUnder, removes } from './image-content';

const BASE = 'FROM quay.io/fedora/fedora-bootc:44\n';
let projectDir: string;

beforeEach(() => {
  projectDir = mkdtempSync(join(tmpdir(), 'bootc-lint-fs-'));
});
afterEach(() => {
  rmSync(projectDir, { recursive: true, force: true });
});

const lint = (content: string) =>
  checkFilesystem({ file: 'images/kiosk/Containerfile', parsed: parseContainerfile(content), projectDir, isWorkspaceImage: () => false }).map(
    (f) => `${f.rule} ${f.severity} ${f.line} ${f.message}`,
  );

function tree(...paths: string[]) {
  for (const path of paths) {
    mkdirSync(join(projectDir, path, '..'), { recursive: true });
    if (path.endsWith('/')) mkdirSync(join(projectDir, path), { recursive: true });
    else writeFileSync(join(projectDir, path), '');
  }
}

describe('checkFilesystem', () => {
  test.each([
    ['the generator template', 'COPY rootfs/ /\nRUN bootc container lint', ['rootfs/etc/motd', 'rootfs/usr/lib/tmpfiles.d/app.conf']],
    ['config in /etc and /usr/lib', 'COPY app.conf /etc/app/\nCOPY defaults/ /usr/lib/app/', []],
    ['dnf install then clean', 'RUN dnf -y install vim && dnf clean all && rm -rf /var/cache/dnf /var/log/dnf*', []],
    ['a cache mount on /var', 'RUN --mount=type=cache,dst=/var/cache/dnf mkdir -p /var/cache/dnf/x && dnf -y install vim', []],
    ['a cache mount with target=', 'RUN --mount=type=cache,target=/var/cache/libdnf5 touch /var/cache/libdnf5/x', []],
    ['a tmpfs on /tmp', 'RUN --mount=type=tmpfs,dst=/tmp curl -fsSLo /tmp/k.rpm https://x/k.rpm && dnf -y install /tmp/k.rpm', []],
    ['rm in the same RUN', 'RUN curl -Lo /tmp/k.rpm https://x && rpm -i /tmp/k.rpm && rm -f /tmp/k.rpm', []],
    ['a glob rm in the same RUN', 'RUN mkdir /tmp/build && echo x > /run/marker && rm -rf /tmp/* /run/marker', []],
    ['COPY to /tmp removed by a later RUN', 'COPY build.sh /tmp/build.sh\nRUN /tmp/build.sh && rm /tmp/build.sh', []],
    ['a builder stage writing /var (not in the image)', 'FROM golang:1 AS build\nRUN mkdir -p /var/build && go build -o /var/build/app\n' + BASE + 'COPY --from=build /var/build/app /usr/bin/app', []],
    ['FROM scratch AS ctx with a bind mount', 'FROM scratch AS ctx\nCOPY build_files /\n' + BASE + 'RUN --mount=type=bind,from=ctx,source=/,target=/ctx /ctx/build.sh', []],
    ['/var in a heredoc that is data', 'RUN cat > /usr/lib/tmpfiles.d/app.conf <<EOF\nd /var/lib/app 0755 root root -\nEOF', []],
    ['a relative destination under a /usr WORKDIR', 'WORKDIR /usr/share/app\nCOPY data/ ./data/', []],
    ['/variable is not /var', 'COPY x /variable/x', []],
    // bootc-lint-comparison F1: these name /usr/etc without putting content there.
    ['rm -rf /usr/etc (bootc\'s own fix for etc-usretc)', 'RUN mv /usr/etc/containers/policy.json /etc/containers/ && rm -rf /usr/etc', []],
    ['a test of /usr/etc', 'RUN test ! -e /usr/etc || exit 1', []],
    ['/usr/etc in heredoc data and in a comment', 'RUN cat > /usr/lib/notes <<EOF\nno /usr/etc here\nEOF', []],
    ['rsync --exclude=/usr/etc', 'RUN rsync -a --exclude=/usr/etc /src/ /usr/lib/app/', []],
    // F2: what is moved out of /tmp or /var is gone from there.
    ['a COPY to /tmp moved away later', 'COPY tool /tmp/tool\nRUN mv /tmp/tool /usr/bin/tool', []],
    ['mv -t away from /var', 'RUN mkdir -p /var/lib/a && mv -t /usr/lib /var/lib/a', []],
  ])('passes: %s', (_name, body, files) => {
    tree(...files);
    expect(lint(body.startsWith('FROM') ? body : BASE + body)).toEqual([]);
  });

  test.each([
    ['COPY to /usr/etc', 'COPY sshd.conf /usr/etc/ssh/sshd_config.d/', [], ['usr-etc error 2 COPY puts content in /usr/etc/ssh/sshd_config.d/sshd.conf; bootc reserves /usr/etc']],
    ['RUN writing /usr/etc', 'RUN cp /etc/x "/usr/etc/x"', [], ['usr-etc error 2 RUN cp puts content in /usr/etc/x; bootc reserves /usr/etc']],
    ['RUN writing /usr/etc, then moving part of it away', 'RUN mkdir -p /usr/etc/a && echo 1 > /usr/etc/a/b && mv /usr/etc/a/b /etc/b', [], ['usr-etc error 2 RUN mkdir puts content in /usr/etc/a;']],
    ['mv into /tmp', 'RUN mv /usr/bin/tool /tmp/tool', [], ['tmp-run-leftovers warning 2 RUN mv leaves /tmp/tool in the image']],
    ['rootfs/usr/etc copied to /', 'COPY rootfs/ /', ['rootfs/usr/etc/x.conf'], ['usr-etc error 2 COPY of rootfs/usr/etc puts content in /usr/etc;']],
    ['a folder copied to /usr with an etc/', 'COPY usr/ /usr/', ['usr/etc/x'], ['usr-etc error 2 COPY of usr/etc puts content in /usr/etc;']],
    ['mkdir /usr/etc', 'RUN mkdir /usr/etc', [], ['usr-etc error 2 RUN mkdir puts content in /usr/etc;']],
    ['COPY to /var', 'COPY app.db /var/lib/app/', [], ['var-content warning 2 COPY puts content in /var/lib/app/app.db;']],
    ['rootfs/var copied to /', 'COPY rootfs /', ['rootfs/var/lib/app/'], ['var-content warning 2 COPY of rootfs/var/lib/app puts content in /var/lib/app;']],
    ['a copied /var tree, shown by its top entries', 'COPY rootfs /', ['rootfs/var/lib/app/db', 'rootfs/var/lib/app/x/y', 'rootfs/var/spool/z'], ['var-content warning 2 COPY of rootfs/var/lib/app puts content in /var/lib/app, /var/spool/z;']],
    ['mkdir under /var', 'RUN mkdir -p /var/lib/app /var/log/app', [], ['var-content warning 2 RUN mkdir puts content in /var/lib/app, /var/log/app;']],
    ['a redirect into /var', 'RUN echo x > /var/lib/x', [], ['var-content warning 2 RUN > puts content in /var/lib/x;']],
    ['curl -o into /var', 'RUN curl -o /var/opt/tool https://x', [], ['var-content warning 2 RUN curl -o puts content in /var/opt/tool']],
    ['a relative destination under a /var WORKDIR (which makes its folder)', 'WORKDIR /var/lib/app\nCOPY data/ ./data/', [], ['var-content warning 2 WORKDIR puts content in /var/lib/app;', 'var-content warning 3 COPY puts content in /var/lib/app/data']],
    ['a tmpfs on /tmp does not cover /var', 'RUN --mount=type=tmpfs,target=/tmp touch /var/x', [], ['var-content warning 2 RUN touch puts content in /var/x']],
    ['COPY into /tmp', 'COPY setup.sh /tmp/', ['setup.sh'], ['tmp-run-leftovers warning 2 COPY leaves /tmp/setup.sh in the image']],
    ['COPY --from into /tmp', 'COPY --from=build /out/tool /tmp/', [], ['tmp-run-leftovers warning 2 COPY leaves /tmp/tool in the image']],
    ['curl -o /tmp without rm', 'RUN curl -fsSLo /tmp/k.rpm https://x && dnf -y install /tmp/k.rpm', [], ['tmp-run-leftovers warning 2 RUN curl -o leaves /tmp/k.rpm in the image']],
    ['rm before the write does not count', 'RUN rm -rf /tmp/x && wget -O /tmp/x https://x', [], ['tmp-run-leftovers warning 2 RUN wget -O leaves /tmp/x']],
    ['tee into /run', 'RUN echo 1 | tee /run/flag', [], ['tmp-run-leftovers warning 2 RUN tee leaves /run/flag']],
    ['rootfs/tmp copied to /', 'COPY rootfs/ /', ['rootfs/tmp/x'], ['tmp-run-leftovers warning 2 COPY of rootfs/tmp/x leaves /tmp/x']],
    ['writes in a stage the final stage builds on', 'FROM quay.io/fedora/fedora-bootc:44 AS base\nRUN mkdir /var/lib/x\nFROM base\nRUN true', [], ['var-content warning 2 RUN mkdir puts content in /var/lib/x']],
  ])('fails: %s', (_name, body, files, messages) => {
    tree(...files);
    const findings = lint(body.startsWith('FROM') ? body : BASE + body);
    expect(findings).toHaveLength(messages.length);
    messages.forEach((message, i) => expect(findings[i]).toContain(message));
  });
});

test.each([
  ['/tmp/*', '/tmp/a/b', true],
  ['/tmp/*.rpm', '/tmp/k.rpm', true],
  ['/tmp/*.rpm', '/tmp/k.deb', false],
  ['/var/cache/dnf', '/var/cache/dnf/x', true],
  ['/var/cache/dnf', '/var/cache', false],
  ['/tmp/a?', '/tmp/ab', true],
  ['/tmp/a.b', '/tmp/axb', false],
  ['/tmp/**/*.rpm', '/tmp/a/b/k.rpm', true],
  ['/tmp/**/*.rpm', '/tmp/k.rpm', true],
  ['/tmp/**/*.rpm', '/tmp/a/k.deb', false],
])('removes(%j, %j) is %j', (pattern, path, expected) => {
  expect(removes(pattern, path)).toBe(expected);
});

test.each([
  ['/var/lib', '/var', true],
  ['/var', '/var', true],
  ['/variable', '/var', false],
  ['/x', '/', true],
])('isUnder(%j, %j) is %j', (path, folder, expected) => {
  expect(isUnder(path, folder)).toBe(expected);
});

// The rules bootc-lint adds for bootc's own lints (bootc-lint-comparison §2 A, B, G, K; var-log) and the false positives F4-F7.
describe('checkFilesystem: bootc lints', () => {
  const run = (body: string, ...files: string[]) => {
    tree(...files);
    return lint(body.startsWith('FROM') ? body : BASE + body);
  };

  test.each([
    // B, F6: the usual fix for bootc's var-run, and /var/run paths that land in /run.
    ['ln -s /run /var/run after removing it', 'RUN rm -rf /var/run && ln -s ../run /var/run'],
    ['a package that ships /var/run, then the fix', 'RUN rm -rf /var/run && mkdir -p /var/run/x && rm -rf /var/run && ln -sf /run /var/run'],
    ['a write through the /var/run symlink, removed in /run', 'RUN mkdir -p /var/run/app && rm -rf /run/app'],
    // G: clean-up of what is inside API directories, and a removed /tmp made again.
    ['rm -rf /tmp/* /var/tmp/*', 'RUN rm -rf /tmp/* /var/tmp/*'],
    ['rm -rf /tmp && mkdir -m 1777 /tmp', 'RUN rm -rf /tmp && mkdir -m 1777 /tmp'],
    ['rm -rf /var then mkdir -p /var/tmp', 'RUN rm -rf /var && mkdir -p /var/tmp'],
    // A: UKIs under /boot/EFI are exempt, as in bootc; a mount over /boot keeps content out.
    ['a UKI in /boot/EFI/Linux', 'COPY uki.efi /boot/EFI/Linux/'],
    ['a tmpfs on /boot', 'RUN --mount=type=tmpfs,dst=/boot dnf -y install kernel && echo x > /boot/x'],
    // F3: the clean-up idioms of bootc-lint-comparison probe p25.
    ['find -exec rm, brace expansion, an EXIT trap, ${TMPDIR:-/tmp}', 'RUN mkdir /tmp/a && find /tmp -mindepth 1 -exec rm -rf {} +\nRUN mkdir -p /tmp/build /tmp/cache && rm -rf /tmp/{build,cache}\nRUN trap \'rm -rf /tmp/b2\' EXIT; mkdir /tmp/b2\nRUN mkdir -p /tmp/b3 && rm -rf ${TMPDIR:-/tmp}/b3'],
    // Review: find with -mindepth or tests removes what is inside; install -d makes the folder again.
    ['find /tmp -mindepth 1 -delete', 'RUN find /tmp -mindepth 1 -delete && find /var -mindepth 1 -maxdepth 1 -exec rm -rf {} + && find /boot -type f -delete'],
    ['rm -rf /tmp && install -d -m 1777 /tmp', 'RUN rm -rf /tmp && install -d -m 1777 /tmp'],
    // K: fedora-bootc and centos-bootc ship /opt and /usr/local as folders of the image.
    ['/opt and /usr/local on fedora-bootc', 'COPY app/ /opt/app/\nRUN curl -Lo /usr/local/bin/tool https://x', 'app/bin'],
    // Folders the base's tmpfiles.d declares.
    ['the persistent journal and alternatives', 'RUN mkdir -p /var/log/journal /var/lib/alternatives'],
    // A secret mount's /run/secrets is the engine's.
    ['a secret mount under /run/secrets', 'RUN --mount=type=secret,id=creds,target=/run/secrets/x/creds true'],
    // K: /opt made a real folder first.
    ['/opt replaced by a folder first', 'RUN rm /opt && mkdir /opt && mkdir -p /opt/app'],
    ['rootfs/opt copied (a folder replaces the symlink)', 'COPY rootfs/ /', 'rootfs/opt/app/bin'],
    // F4: ostree container commit empties /tmp, /var/tmp and /var/cache.
    ['ostree container commit', 'RUN curl -o /tmp/k.rpm https://x && rpm -i /tmp/k.rpm && mkdir -p /var/cache/foo && ostree container commit'],
    // F5: tmpfiles.d declares the folders and links.
    ['/var content that tmpfiles.d declares', 'COPY rootfs/ /\nRUN mkdir -p /var/lib/myapp && ln -s /usr/share/myapp /var/lib/myapp/data', 'rootfs/usr/lib/tmpfiles.d/myapp.conf'],
    // F11: a mount target right inside /tmp leaves nothing (its parent exists).
    ['a bind mount on /tmp/x', 'RUN --mount=type=bind,source=.,target=/tmp/ctx /tmp/ctx/build.sh'],
    ['a bind mount deeper in /tmp, under a tmpfs', 'RUN --mount=type=tmpfs,dst=/tmp --mount=type=bind,source=.,target=/tmp/a/b true'],
  ])('passes: %s', (_name, body, ...files) => {
    if (files.includes('rootfs/usr/lib/tmpfiles.d/myapp.conf')) {
      mkdirSync(join(projectDir, 'rootfs/usr/lib/tmpfiles.d'), { recursive: true });
      writeFileSync(join(projectDir, 'rootfs/usr/lib/tmpfiles.d/myapp.conf'), 'd /var/lib/myapp 0755 root root -\nL /var/lib/myapp/data - - - - /usr/share/myapp\n');
      expect(lint(BASE + body)).toEqual([]);
      return;
    }
    expect(run(body, ...files)).toEqual([]);
  });

  test.each<[string, string, string[], ...string[]]>([
    ['mkdir /var/run after removing it', 'RUN rm -rf /var/run && mkdir -p /var/run/app', ['var-run-symlink error 2 RUN mkdir makes /var/run a real directory; bootc container lint fails ("Not a symlink: var/run").']],
    ['a copied var/run folder', 'COPY rootfs/ /', ['var-run-symlink error 2 COPY of rootfs/var/run makes /var/run a real directory'], 'rootfs/var/run/app/'],
    ['rm -rf /tmp', 'RUN rm -rf /tmp', ['api-directories error 2 RUN rm removes /tmp and nothing creates it again; bootc container lint fails (api-base-directories: /tmp must be a directory).']],
    ['a symlink for /var', 'RUN rm -rf /var && ln -s /sysroot/var /var', ['api-directories error 2 RUN ln -s replaces /var with a symlink']],
    ['rm -rf /ostree', 'RUN rm -rf /ostree', ['baseimage-root error 2 RUN rm removes /ostree; bootc container lint fails (baseimage-root)']],
    ['rm -rf /boot', 'RUN rm -rf /boot', ['boot-content warning 2 RUN rm removes /boot; bootc container lint warns "Missing /boot directory"']],
    ['grub2-mkconfig -o /boot/...', 'RUN grub2-mkconfig -o /boot/grub2/grub.cfg', ['boot-content warning 2 RUN grub2-mkconfig -o puts content in /boot/grub2/grub.cfg; bootc replaces /boot']],
    ['a copied /boot file', 'COPY rootfs/ /', ['boot-content warning 2 COPY of rootfs/boot/x puts content in /boot/x'], 'rootfs/boot/x'],
    ['a log written at build time', 'RUN echo built > /var/log/build.log', ['var-log warning 2 RUN > leaves /var/log/build.log in the image; bootc container lint warns about non-empty log files (var-log)']],
    ['COPY into /opt on Universal Blue', 'FROM ghcr.io/ublue-os/bazzite:stable\nCOPY app/ /opt/app/', ['symlinked-into-var warning 2 COPY of app/bin puts content in /opt/app/bin; on bootc base images /opt is a symlink to var/opt'], 'app/bin'],
    ['cp into /usr/local by name on Universal Blue', 'FROM ghcr.io/ublue-os/base-main:44\nRUN cp -r bin /usr/local', ['symlinked-into-var warning 2 RUN cp puts content in /usr/local; on bootc base images /usr/local is a symlink to var/usrlocal']],
    ['curl into /usr/local/bin on a Fedora Atomic desktop', 'FROM quay.io/fedora-ostree-desktops/kinoite:44\nRUN curl -Lo /usr/local/bin/tool https://x', ['symlinked-into-var warning 2 RUN curl -o puts content in /usr/local/bin/tool; on bootc base images /usr/local is a symlink to var/usrlocal']],
    ['a file in /root on any bootc base', 'COPY bashrc /root/.bashrc', ['symlinked-into-var warning 2 COPY puts content in /root/.bashrc; on bootc base images /root is a symlink to var/roothome'], 'bashrc'],
    ['an empty log file touched: /var content, not a log', 'RUN touch /var/log/lastlog', ['var-content warning 2 RUN touch puts content in /var/log/lastlog;']],
    ['an empty file copied into /var/log: /var content', 'COPY rootfs/ /', ['var-content warning 2 COPY of rootfs/var/log/empty.log puts content in /var/log/empty.log;'], 'rootfs/var/log/empty.log'],
    // F7: /var/tmp is scratch space, reported as a leftover.
    ['a download left in /var/tmp', 'RUN curl -o /var/tmp/k.rpm https://x', ['tmp-run-leftovers warning 2 RUN curl -o leaves /var/tmp/k.rpm in the image; /var/tmp is scratch space']],
    // F6: a write through the /var/run symlink lands in /run.
    ['a write through /var/run', 'RUN mkdir -p /var/run/app', ['tmp-run-leftovers warning 2 RUN mkdir leaves /run/app in the image']],
    // F5: a regular file stays reported even where tmpfiles.d declares its folder.
    ['a regular file in /var', 'RUN mkdir -p /var/lib/app && echo 1 > /var/lib/app/db', ['var-content warning 2 RUN mkdir puts content in /var/lib/app;', 'var-content warning 2 RUN > puts content in /var/lib/app/db;']],
    // F11: buildah leaves the parents it makes for a deep mount target.
    ['a bind mount deep in /tmp', 'RUN --mount=type=bind,source=.,target=/tmp/rpms/kernel true', ['tmp-run-leftovers warning 2 RUN --mount targets inside /tmp/rpms, which the engine creates for the mount; buildah (before containers/buildah#6233) leaves /tmp/rpms behind']],
  ])('fails: %s', (_name, body, messages, ...files) => {
    const findings = run(body, ...files);
    expect(findings).toHaveLength(messages.length);
    messages.forEach((message, i) => expect(findings[i]).toContain(message));
  });

  test('tmpfiles.d lines a RUN writes, and declared files, are declarations too', () => {
    expect(lint(`${BASE}RUN echo 'd /var/lib/myapp 0755 root root -' > /usr/lib/tmpfiles.d/myapp.conf && mkdir -p /var/lib/myapp`)).toEqual([]);
    mkdirSync(join(projectDir, 'rootfs/var/lib/x'), { recursive: true });
    writeFileSync(join(projectDir, 'rootfs/var/lib/x/state'), 'x');
    mkdirSync(join(projectDir, 'rootfs/usr/lib/tmpfiles.d'), { recursive: true });
    writeFileSync(join(projectDir, 'rootfs/usr/lib/tmpfiles.d/x.conf'), 'd /var/lib/x\nf /var/lib/x/state\n');
    expect(lint(`${BASE}COPY rootfs/ /`)).toEqual([]);
    expect(lint(`FROM ghcr.io/ublue-os/bazzite:stable\nRUN printf 'L /var/opt/tool - - - - /usr/lib/tool\\n' > /usr/lib/tmpfiles.d/tool.conf && ln -s /usr/lib/tool /opt/tool`)).toEqual([]);
  });

  test('an empty copied var/log file is skipped, a non-empty one is reported', () => {
    mkdirSync(join(projectDir, 'rootfs/var/log'), { recursive: true });
    writeFileSync(join(projectDir, 'rootfs/var/log/a.log'), 'x');
    expect(lint(`${BASE}COPY rootfs/ /`)).toEqual([expect.stringContaining('var-log warning 2 COPY of rootfs/var/log/a.log leaves /var/log/a.log')]);
  });

  test('follows the build context and .containerignore (F12)', () => {
    tree('ctx/rootfs/var/lib/app/', 'ctx/rootfs/etc/x');
    writeFileSync(join(projectDir, 'ctx/.containerignore'), 'rootfs/var\n');
    const contextDir = join(projectDir, 'ctx');
    const ignored = require('./context-ignore').contextIgnore(contextDir);
    const check = (isIgnored?: (path: string) => boolean) =>
      checkFilesystem({ file: 'Containerfile', parsed: parseContainerfile(`${BASE}COPY rootfs/ /`), projectDir, contextDir, isWorkspaceImage: () => false, ...(isIgnored ? { isIgnored } : {}) });
    expect(check().map((f) => f.rule)).toEqual(['var-content']);
    expect(check(ignored)).toEqual([]);
  });

  test('follows the target stage, not the last one', () => {
    const parsed = parseContainerfile(`${BASE.replace('\n', ' AS os\n')}RUN true\nFROM os AS debug\nRUN mkdir -p /var/lib/debug`);
    const check = (target?: string) => checkFilesystem({ file: 'Containerfile', parsed, projectDir, isWorkspaceImage: () => false, ...(target ? { target } : {}) });
    expect(check().map((f) => f.rule)).toEqual(['var-content']);
    expect(check('os')).toEqual([]);
  });
});
