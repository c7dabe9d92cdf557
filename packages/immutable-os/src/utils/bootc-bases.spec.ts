import { BOOTC_BASES, DEFAULT_BOOTC_BASE, isKnownBootcBase } from './bootc-bases';
import { assertImageReference } from './image-ref';

describe('BOOTC_BASES', () => {
  test.each(BOOTC_BASES.map((base) => [base.id, base.ref]))('%s (%s) is a valid tagged reference and a known bootc base', (_id, ref) => {
    expect(assertImageReference(ref, 'BOOTC_BASES ref').tag).toEqual(expect.any(String));
    expect(isKnownBootcBase(ref)).toBe(true);
  });

  it('has unique ids and refs, and the default is the first one', () => {
    expect(new Set(BOOTC_BASES.map((b) => b.id)).size).toBe(BOOTC_BASES.length);
    expect(new Set(BOOTC_BASES.map((b) => b.ref)).size).toBe(BOOTC_BASES.length);
    expect(DEFAULT_BOOTC_BASE).toBe('quay.io/fedora/fedora-bootc:44');
  });
});

describe('isKnownBootcBase', () => {
  test.each([
    ['quay.io/fedora/fedora-bootc:43', true],
    ['quay.io/fedora/fedora-bootc', true],
    [`quay.io/fedora/fedora-bootc@sha256:${'b'.repeat(64)}`, true],
    ['Quay.io/fedora/fedora-bootc:44', true],
    ['quay.io/fedora/fedora-silverblue:42', true],
    ['quay.io/fedora-ostree-desktops/cosmic-atomic:42', true],
    ['quay.io/centos-bootc/centos-bootc:stream10', true],
    ['quay.io/almalinuxorg/almalinux-bootc:9', true],
    ['ghcr.io/ublue-os/aurora:stable', true],
    ['registry.redhat.io/rhel9/rhel-bootc:9.6', true],
    ['registry.redhat.io/rhel10/rhel-bootc', true],
    ['quay.io/fedora/fedora-coreos:stable', true],
    // Prefixes match whole path components only.
    ['quay.io/fedora/fedora-bootc-lookalike:1', false],
    ['quay.io/centos-bootc', false],
    ['ghcr.io/ublue-os-fork/bluefin', false],
    ['registry.redhat.io/rhel9/rhel-bootc-extra', false],
    ['quay.io/fedora/fedora:44', false],
    ['registry.fedoraproject.org/fedora:44', false],
    ['localhost/edge-node', false],
    ['edge-node', false],
    ['not a reference', false],
    ['', false],
  ])('%s → %s', (ref, known) => {
    expect(isKnownBootcBase(ref)).toBe(known);
  });
});
