import { parseContainerfile } from '../../../utils/containerfile';
import { checkFromPinned } from './check-from-pinned';

const lint = (content: string) =>
  checkFromPinned({ file: 'Containerfile', parsed: parseContainerfile(content), projectDir: '/nonexistent', isWorkspaceImage: () => false });

describe('checkFromPinned (from-unpinned)', () => {
  test.each([
    ['a tag', 'FROM quay.io/fedora/fedora-bootc:44'],
    ['a digest', `FROM quay.io/fedora/fedora-bootc@sha256:${'a'.repeat(64)}`],
    ['an ARG-expanded tag', 'ARG BASE_IMAGE=quay.io/fedora/fedora-bootc:44\nFROM ${BASE_IMAGE}'],
    ['an arg without a default (cannot be known)', 'ARG BASE\nFROM ${BASE}'],
    ['a tag from an arg without a default', 'ARG TAG\nFROM quay.io/fedora/fedora-bootc:${TAG}'],
    ['stages and scratch', 'FROM scratch AS ctx\nFROM quay.io/a/b:1 AS base\nFROM base\nFROM 1'],
    ['a local image the build made (never pulled)', 'FROM localhost/bootc'],
    ['an archive named by transport', 'FROM oci-archive:./out.ociarchive'],
    ['COPY --from an untagged image (only FROM is checked)', 'FROM quay.io/a/b:1\nCOPY --from=quay.io/c/d /x /x'],
  ])('passes: %s', (_name, content) => {
    expect(lint(content)).toEqual([]);
  });

  test.each([
    ['no tag', 'FROM quay.io/fedora/fedora-bootc', 1, 'FROM quay.io/fedora/fedora-bootc has no tag or digest'],
    ['an ARG that expands to no tag', 'ARG BASE=ghcr.io/ublue-os/bluefin\nFROM ${BASE} AS os', 2, 'FROM ${BASE} (= ghcr.io/ublue-os/bluefin) has no tag or digest'],
    ['a builder stage', 'FROM golang AS build\nFROM quay.io/a/b:1', 1, 'FROM golang has no tag or digest'],
  ])('fails: %s', (_name, content, line, message) => {
    const findings = lint(content);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'from-unpinned', severity: 'warning', line, column: 1 });
    expect(findings[0].message).toContain(message);
  });
});
