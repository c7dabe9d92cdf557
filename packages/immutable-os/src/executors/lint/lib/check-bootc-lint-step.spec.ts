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
  ])('passes: %s', (_name, content) => {
    expect(lint(content)).toEqual([]);
  });

  test.each([
    ['no lint step', 'FROM quay.io/fedora/fedora-bootc:44\nCOPY rootfs/ /', 1, /never runs `bootc container lint`/],
    ['lint only in an earlier stage', 'FROM quay.io/fedora/fedora-bootc:44 AS base\nRUN bootc container lint\nFROM base\nRUN dnf -y install vim', 3, /never runs/],
    ['lint followed by COPY', 'FROM quay.io/fedora/fedora-bootc:44\nRUN bootc container lint\nCOPY rootfs/ /', 2, /runs at line 2, but COPY at line 3 changes the filesystem after it/],
    ['lint followed by RUN', 'FROM quay.io/fedora/fedora-bootc:44\nRUN bootc container lint\nLABEL a=b\nRUN rm -rf /x', 2, /but RUN at line 4/],
  ])('fails: %s', (_name, content, line, message) => {
    const findings = lint(content);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'missing-bootc-lint', severity: 'warning', line });
    expect(findings[0].message).toMatch(message);
  });
});
