import { parseContainerfile } from '../../../utils/containerfile';
import { repositoryKey } from '../../../utils/image-ref';
import { checkBootcLabel } from './check-bootc-label';

const FILE = 'images/kiosk/Containerfile';
// The workspace has an image project whose image is localhost/edge-base.
const lint = (content: string) =>
  checkBootcLabel({
    file: FILE,
    parsed: parseContainerfile(content),
    projectDir: '/nonexistent',
    isWorkspaceImage: (ref) => repositoryKey(ref) === 'edge-base',
  });

describe('checkBootcLabel (bootc-label)', () => {
  test.each([
    ['known bootc base via a build arg', 'ARG BASE_IMAGE=quay.io/fedora/fedora-bootc:44\nFROM ${BASE_IMAGE}\nRUN true'],
    ['known bootc repository prefix', 'FROM ghcr.io/ublue-os/bluefin:stable'],
    ['a workspace image project', 'FROM localhost/edge-base:latest'],
    ['a workspace image project by short name', 'FROM edge-base'],
    ['LABEL containers.bootc=1 on an arbitrary base', 'FROM docker.io/library/fedora:42\nLABEL containers.bootc=1'],
    ['quoted label among several pairs', 'FROM fedora:42\nLABEL a=b "containers.bootc"="1" c=d'],
    ['old LABEL key value form', 'FROM fedora:42\nLABEL containers.bootc 1'],
    ['label set in the stage the final stage builds on', 'FROM fedora:42 AS base\nLABEL containers.bootc=1\nFROM base\nRUN true'],
    ['multi-stage whose final stage chains to a bootc base', 'FROM quay.io/centos-bootc/centos-bootc:stream10 AS os\nFROM golang:1.24 AS build\nFROM os\nCOPY --from=build /out /usr/bin/'],
    ['FROM scratch AS ctx before the bootc stage', 'FROM scratch AS ctx\nCOPY build_files /\nFROM quay.io/fedora/fedora-bootc:44\nRUN --mount=type=bind,from=ctx,source=/,target=/ctx /ctx/build.sh'],
    ['no stages at all (containerfile-syntax reports it)', 'ARG X=1'],
    // The base cannot be checked until the args have values: from-arg-unset (a warning) says where to give them.
    ['an arg without a default', 'ARG BASE\nFROM ${BASE}'],
    ['a base only partly resolved', 'ARG REGISTRY\nFROM ${REGISTRY}/ublue-os/aurora:stable'],
  ])('passes: %s', (_name, content) => {
    expect(lint(content)).toEqual([]);
  });

  test.each([
    ['a non-bootc base', 'FROM docker.io/library/fedora:42\nRUN true', 1, /builds on docker.io\/library\/fedora:42, which is neither a known bootc base image nor a workspace image project/],
    ['a label in a builder stage only', 'FROM fedora:42 AS build\nLABEL containers.bootc=1\nFROM fedora:42\nRUN true', 3, /builds on fedora:42/],
    ['a wrong label value', 'FROM fedora:42\nLABEL containers.bootc=true', 1, /no stage sets LABEL containers.bootc=1/],
    ['scratch', 'FROM scratch\nCOPY rootfs/ /', 1, /builds FROM scratch/],
    ['final stage chained to a non-bootc stage', 'FROM quay.io/fedora/fedora-bootc:44 AS os\nFROM alpine:3 AS tools\nFROM tools', 3, /builds on alpine:3/],
  ])('fails: %s', (_name, content, line, message) => {
    const findings = lint(content);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'bootc-label', severity: 'error', file: FILE, line, column: 1 });
    expect(findings[0].message).toMatch(message);
  });
});
