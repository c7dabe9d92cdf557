import { repositoryKey } from './image-ref';

/** Public bootc base images: the generator's choices and the repositories lint knows to carry the bootc label. */
export const BOOTC_BASES = [
  { id: 'fedora-bootc', ref: 'quay.io/fedora/fedora-bootc:44', label: 'Fedora bootc 44' },
  { id: 'centos-bootc-stream10', ref: 'quay.io/centos-bootc/centos-bootc:stream10', label: 'CentOS Stream 10 bootc' },
  { id: 'centos-bootc-stream9', ref: 'quay.io/centos-bootc/centos-bootc:stream9', label: 'CentOS Stream 9 bootc' },
  { id: 'almalinux-bootc', ref: 'quay.io/almalinuxorg/almalinux-bootc:10', label: 'AlmaLinux 10 bootc' },
  { id: 'ublue-base-main', ref: 'ghcr.io/ublue-os/base-main:latest', label: 'Universal Blue base (Fedora, no desktop)' },
  { id: 'ublue-silverblue-main', ref: 'ghcr.io/ublue-os/silverblue-main:latest', label: 'Universal Blue Silverblue (GNOME)' },
  { id: 'ublue-kinoite-main', ref: 'ghcr.io/ublue-os/kinoite-main:latest', label: 'Universal Blue Kinoite (KDE)' },
  { id: 'ublue-ucore', ref: 'ghcr.io/ublue-os/ucore:stable', label: 'Universal Blue uCore (server)' },
  { id: 'bluefin', ref: 'ghcr.io/ublue-os/bluefin:stable', label: 'Bluefin' },
  { id: 'bazzite', ref: 'ghcr.io/ublue-os/bazzite:stable', label: 'Bazzite' },
] as const;

export const DEFAULT_BOOTC_BASE = BOOTC_BASES[0].ref;

// Repositories known to publish bootc images, beyond the table above.
const KNOWN_BOOTC_REPOSITORY_PREFIXES = [
  'quay.io/fedora/fedora-bootc',
  'quay.io/fedora/fedora-silverblue',
  'quay.io/fedora/fedora-kinoite',
  // Fedora CoreOS: its final stage sets LABEL containers.bootc=1 (coreos/fedora-coreos-config Containerfile); ucore builds on it.
  'quay.io/fedora/fedora-coreos',
  'quay.io/fedora-ostree-desktops/',
  'quay.io/centos-bootc/',
  'quay.io/almalinuxorg/',
  'ghcr.io/ublue-os/',
  'registry.redhat.io/rhel9/rhel-bootc',
  'registry.redhat.io/rhel10/rhel-bootc',
];

/** True when `ref` names a repository known to publish bootc images (and so carry `containers.bootc=1`). */
export function isKnownBootcBase(ref: string): boolean {
  const key = repositoryKey(ref);
  if (!key) return false;
  return (
    BOOTC_BASES.some((base) => repositoryKey(base.ref) === key) ||
    KNOWN_BOOTC_REPOSITORY_PREFIXES.some((prefix) => key === prefix || key.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`))
  );
}
