import { parseContainerfile } from '../../../utils/containerfile';
import { checkBootcLintStep } from './check-bootc-lint-step';

const lint = (content: string) =>
  checkBootcLintStep({ file: 'Containerfile', parsed: parseContainerfile(content), projectDir: '/nonexistent', isWorkspaceImage: () => false });

describe('checkBootcLintStep (missing-bootc-lint)', () => {
  test.each([
    ['last instruction', 'FROM quay.io/fedora/fedora-bootc:44\nCOPY rootfs/ /\nRUN bootc container lint'],
    ['with flags, in a && chain', 'FROM quay.io/fedora/fedora-bootc:44\nRUN dnf -y install vim && dnf clean all && bootc container lint --fatal-warnings'],
    ['followed only by metadata', 'FROM quay.io/fedora/fedora-bootc:44\nRUN bootc container lint\nLABEL org.opencontainers.image.title=kiosk\nCMD ["/sbin/init"]'],
    ['exec form', 'FROM quay.io/fedora/fedora-bootc:44\nRUN ["bootc", "container", "lint"]'],
    ['multi-stage, lint in the final stage', 'FROM golang:1 AS build\nRUN go build\nFROM quay.io/fedora/fedora-bootc:44\nCOPY --from=build /out /usr/bin/\nRUN bootc container lint'],
    // bootc-lint-comparison F9: the final stage adds only metadata to a stage that ran the lint.
    ['lint in the parent stage, metadata only after', 'FROM quay.io/fedora/fedora-bootc:44 AS os\nRUN bootc container lint\nFROM os\nLABEL org.opencontainers.image.version=1'],
    ['with set -e, a later command does not hide the status', 'FROM quay.io/fedora/fedora-bootc:44\nRUN set -eu; bootc container lint; echo done'],
    ['set -o errexit', 'FROM quay.io/fedora/fedora-bootc:44\nRUN set -o errexit; bootc container lint; echo done'],
    ['a SHELL with -e', 'FROM quay.io/fedora/fedora-bootc:44\nSHELL ["/bin/bash", "-euo", "pipefail", "-c"]\nRUN bootc container lint; echo done'],
    ['|| exit 1 keeps the failure', 'FROM quay.io/fedora/fedora-bootc:44\nRUN bootc container lint || exit 1'],
    ['|| { echo; exit 1; } keeps the failure', 'FROM quay.io/fedora/fedora-bootc:44\nRUN bootc container lint || { echo "lint failed"; exit 1; }'],
    ['inside an if', 'FROM quay.io/fedora/fedora-bootc:44\nRUN <<EOF\nif command -v bootc; then\n  bootc container lint\nfi\nEOF'],
    ['WORKDIR / after the lint step', 'FROM quay.io/fedora/fedora-bootc:44\nRUN bootc container lint\nWORKDIR /'],
  ])('passes: %s', (_name, content) => {
    expect(lint(content)).toEqual([]);
  });

  test.each([
    ['no lint step', 'FROM quay.io/fedora/fedora-bootc:44\nCOPY rootfs/ /', 1, /never runs `bootc container lint`/],
    ['lint only in an earlier stage that the final stage changes', 'FROM quay.io/fedora/fedora-bootc:44 AS base\nRUN bootc container lint\nFROM base\nRUN dnf -y install vim', 2, /runs at line 2, but RUN at line 4/],
    ['lint only in a stage the final stage does not build on', 'FROM quay.io/fedora/fedora-bootc:44 AS a\nRUN bootc container lint\nFROM quay.io/fedora/fedora-bootc:44\nRUN true', 3, /never runs/],
    ['the lint step only in a comment', 'FROM quay.io/fedora/fedora-bootc:44\nRUN <<EOF\n# bootc container lint\ndnf -y install vim\nEOF', 1, /never runs/],
    ['lint followed by COPY', 'FROM quay.io/fedora/fedora-bootc:44\nRUN bootc container lint\nCOPY rootfs/ /', 2, /runs at line 2, but COPY at line 3 changes the filesystem after it/],
    ['lint followed by RUN', 'FROM quay.io/fedora/fedora-bootc:44\nRUN bootc container lint\nLABEL a=b\nRUN rm -rf /x', 2, /but RUN at line 4/],
  ])('fails: %s', (_name, content, line, message) => {
    const findings = lint(content);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'missing-bootc-lint', severity: 'warning', line });
    expect(findings[0].message).toMatch(message);
  });
});

describe('checkBootcLintStep (bootc-lint-neutralised)', () => {
  test.each([
    ['|| true', 'RUN bootc container lint || true', /`bootc container lint \|\| true` succeeds whatever the lint finds/],
    ['|| :', 'RUN dnf -y install vim && bootc container lint || :', /succeeds whatever/],
    ['; true', 'RUN bootc container lint; true', /followed by `; true`, whose status the RUN returns/],
    ['a later line of a heredoc', 'RUN <<EOF\nbootc container lint\necho done\nEOF', /followed by `<newline> echo done`/],
    ['--skip', 'RUN bootc container lint --skip var-log --skip=sysusers', /skips var-log, sysusers/],
  ])('%s', (_name, run, message) => {
    const findings = lint(`FROM quay.io/fedora/fedora-bootc:44\n${run}`);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'bootc-lint-neutralised', severity: 'warning', line: 2 });
    expect(findings[0].message).toMatch(message);
  });

  test('a target stage is the final stage', () => {
    const parsed = parseContainerfile('FROM quay.io/fedora/fedora-bootc:44 AS os\nRUN bootc container lint\nFROM os AS debug\nRUN dnf -y install gdb');
    expect(checkBootcLintStep({ file: 'Containerfile', parsed, projectDir: '/nonexistent', isWorkspaceImage: () => false, target: 'os' })).toEqual([]);
  });
});
