import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseContainerfile } from '../../../utils/containerfile';
import { checkFilesystem, isUnder, removes } from './check-filesystem';

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
    ['COPY to /usr/etc', 'COPY sshd.conf /usr/etc/ssh/sshd_config.d/', [], ['usr-etc error 2 COPY puts content in /usr/etc/ssh/sshd_config.d; bootc reserves /usr/etc']],
    ['RUN writing /usr/etc', 'RUN cp /etc/x "/usr/etc/x"', [], ['usr-etc error 2 RUN cp puts content in /usr/etc/x; bootc reserves /usr/etc']],
    ['RUN writing /usr/etc, then moving part of it away', 'RUN mkdir -p /usr/etc/a && echo 1 > /usr/etc/a/b && mv /usr/etc/a/b /etc/b', [], ['usr-etc error 2 RUN mkdir puts content in /usr/etc/a;']],
    ['mv into /tmp', 'RUN mv /usr/bin/tool /tmp/tool', [], ['tmp-run-leftovers warning 2 RUN mv leaves /tmp/tool in the image']],
    ['rootfs/usr/etc copied to /', 'COPY rootfs/ /', ['rootfs/usr/etc/x.conf'], ['usr-etc error 2 COPY of rootfs/usr/etc puts content in /usr/etc;']],
    ['a folder copied to /usr with an etc/', 'COPY usr/ /usr/', ['usr/etc/x'], ['usr-etc error 2 COPY of usr/etc puts content in /usr/etc;']],
    ['COPY to /var', 'COPY app.db /var/lib/app/', [], ['var-content warning 2 COPY puts content in /var/lib/app;']],
    ['rootfs/var copied to /', 'COPY rootfs /', ['rootfs/var/lib/app/'], ['var-content warning 2 COPY of rootfs/var puts content in /var;']],
    ['mkdir under /var', 'RUN mkdir -p /var/lib/app /var/log/app', [], ['var-content warning 2 RUN mkdir puts content in /var/lib/app, /var/log/app;']],
    ['a redirect into /var', 'RUN echo x > /var/lib/x', [], ['var-content warning 2 RUN > puts content in /var/lib/x;']],
    ['curl -o into /var', 'RUN curl -o /var/opt/tool https://x', [], ['var-content warning 2 RUN curl -o puts content in /var/opt/tool']],
    ['a relative destination under a /var WORKDIR', 'WORKDIR /var/lib/app\nCOPY data/ ./data/', [], ['var-content warning 3 COPY puts content in /var/lib/app/data']],
    ['a tmpfs on /tmp does not cover /var', 'RUN --mount=type=tmpfs,target=/tmp touch /var/x', [], ['var-content warning 2 RUN touch puts content in /var/x']],
    ['COPY into /tmp', 'COPY setup.sh /tmp/', [], ['tmp-run-leftovers warning 2 COPY leaves /tmp in the image']],
    ['curl -o /tmp without rm', 'RUN curl -fsSLo /tmp/k.rpm https://x && dnf -y install /tmp/k.rpm', [], ['tmp-run-leftovers warning 2 RUN curl -o leaves /tmp/k.rpm in the image']],
    ['rm before the write does not count', 'RUN rm -rf /tmp/x && wget -O /tmp/x https://x', [], ['tmp-run-leftovers warning 2 RUN wget -O leaves /tmp/x']],
    ['tee into /run', 'RUN echo 1 | tee /run/flag', [], ['tmp-run-leftovers warning 2 RUN tee leaves /run/flag']],
    ['rootfs/tmp copied to /', 'COPY rootfs/ /', ['rootfs/tmp/x'], ['tmp-run-leftovers warning 2 COPY of rootfs/tmp leaves /tmp']],
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
