import { parseContainerfile } from '../../../utils/containerfile';
import { checkSyntax } from './check-syntax';

const FILE = 'images/kiosk/Containerfile';
const lint = (content: string) =>
  checkSyntax({ file: FILE, parsed: parseContainerfile(content), projectDir: '/nonexistent', isWorkspaceImage: () => false }).map(
    (f) => `${f.line}:${f.column ?? '-'} ${f.message}`,
  );

describe('checkSyntax (containerfile-syntax)', () => {
  test.each([
    ['ARG BASE_IMAGE=quay.io/fedora/fedora-bootc:44\nFROM ${BASE_IMAGE}\nLABEL containers.bootc=1\nCOPY rootfs/ /\nRUN bootc container lint\n'],
    ['# syntax=docker/dockerfile:1\nFROM scratch AS ctx\nCOPY build /\nFROM quay.io/a/b:1 as final\nONBUILD RUN true\nHEALTHCHECK CMD true\nSTOPSIGNAL SIGTERM\nmaintainer me\n'],
    ['ARG TAG\nFROM quay.io/a/b:${TAG}\n'],
    // Transports buildah and podman accept in FROM (centos-bootc builds FROM its composed archive).
    ['FROM oci-archive:./out.ociarchive\nFROM oci:./layout AS b\nFROM containers-storage:localhost/x\n'],
  ])('passes %j', (content) => {
    expect(lint(content)).toEqual([]);
  });

  test.each([
    ['', ['1:- images/kiosk/Containerfile has no FROM instruction, so it builds nothing.']],
    ['# only a comment\nARG X=1\n', ['1:- images/kiosk/Containerfile has no FROM instruction, so it builds nothing.']],
    ['FROM quay.io/a/b:1\nFOOBAR x\n  COPYY a /b\n', ['2:1 "FOOBAR" is not a Containerfile instruction.', '3:3 "COPYY" is not a Containerfile instruction.']],
    ['RUN true\nFROM quay.io/a/b:1\n', ['1:1 RUN comes before the first FROM; only ARG may.']],
    ['FROM quay.io/a/b:1 base\n', ['1:1 FROM must be `FROM <image> [AS <name>]`; got `FROM quay.io/a/b:1 base`.']],
    [
      'ARG BASE=Quay.io/UPPER/Case\nFROM ${BASE}\n',
      [expect.stringMatching(/^2:- FROM "\$\{BASE\}" \(= "Quay.io\/UPPER\/Case"\) is not a valid image reference: the repository "UPPER\/Case" is not valid/)],
    ],
  ])('fails %j', (content, messages) => {
    expect(lint(content)).toEqual(messages);
  });
});
