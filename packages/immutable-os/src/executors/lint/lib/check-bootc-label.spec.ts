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
    bootcBases: ['registry.example.com/mirror/', 'ghcr.io/secureblue/'],
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
    // bootc-lint-comparison F8: mirrors and other bootc families, through bootcBases.
    ['a mirrored bootc base listed in bootcBases', 'FROM registry.example.com/mirror/fedora-bootc:44'],
    ['a composed image named by transport (centos-bootc)', 'FROM oci-archive:./out.ociarchive\nLABEL a=b'],
    ['another bootc family listed in bootcBases', 'FROM ghcr.io/secureblue/silverblue-main-hardened:latest'],
  ])('passes: %s', (_name, content) => {
    expect(lint(content)).toEqual([]);
  });

  test.each([
    ['a plain application image', 'FROM docker.io/library/fedora:42\nRUN true', 1, 'error', /builds on docker.io\/library\/fedora:42, an application-container image with no kernel, bootc or \/sysroot/],
    ['a plain image by short name, label in a builder stage only', 'FROM fedora:42 AS build\nLABEL containers.bootc=1\nFROM fedora:42\nRUN true', 3, 'error', /builds on fedora:42, an application-container image/],
    ['a wrong label value on a plain image', 'FROM fedora:42\nLABEL containers.bootc=true', 1, 'error', /bootc-convert and bootc install fail on it/],
    ['final stage chained to a plain image', 'FROM quay.io/fedora/fedora-bootc:44 AS os\nFROM alpine:3 AS tools\nFROM tools', 3, 'error', /builds on alpine:3/],
    ['UBI', 'FROM registry.access.redhat.com/ubi9/ubi:9.5', 1, 'error', /application-container image/],
    // F8: a base it does not know may be bootc: a warning that says how to declare it.
    ['scratch', 'FROM scratch\nCOPY rootfs/ /', 1, 'warning', /builds FROM scratch/],
    ['a local image the build made before (bootc\'s own CI)', 'FROM localhost/bootc\nRUN true', 1, 'warning', /builds on localhost\/bootc, which is neither/],
    ['a mirror not listed', 'FROM registry.example.com/other/fedora-bootc:44', 1, 'warning', /neither a known bootc base image nor a workspace image project.*bootcBases/],
  ])('fails: %s', (_name, content, line, severity, message) => {
    const findings = lint(content);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'bootc-label', severity, file: FILE, line, column: 1 });
    expect(findings[0].message).toMatch(message);
  });
});
