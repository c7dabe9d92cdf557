#!/usr/bin/env bash
# Prepares a Debian 12 host (run as root) for immutable-os's tests and demo: the container
# engine and tools the e2e drives, a registry to push to, GNU time (npm run bench), cpp (Containerfile.in), and a busybox to make a small
# local base image from (the tests run offline, so they cannot pull quay.io bases), and qemu with
# OVMF (UEFI) and SeaBIOS for bootc-test.
# For disks that really boot: the tools the builder stand-in
# makes GPT disks with (sgdisk, mkfs.ext4/xfs/vfat, mtools, syslinux, qemu-img), and a Debian
# kernel, systemd-boot and dropbear (the test base's sshd, for bootc-test's SSH checks), downloaded
# (not installed) and unpacked under $BOOT_ROOT for tools/fixtures/make-base-image.mjs and
# tools/fixtures/bib-standin to copy from.
#
# The containers.conf settings below are for sandboxed hosts like the CI machine, whose
# hybrid cgroups make crun fail: podman runs containers with runc and explicit ulimits.
# They are host configuration, not something the plugin needs or sets.
set -euo pipefail

packages=(podman buildah skopeo runc docker-registry busybox-static apache2-utils uidmap fuse-overlayfs git ca-certificates time cpp
  qemu-system-x86 qemu-utils ovmf openssh-client dosfstools mtools gdisk cpio zstd e2fsprogs xfsprogs syslinux syslinux-common)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-host: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The kernel, systemd-boot and dropbear are only unpacked (dpkg-deb -x), never installed on this
# host. dropbear's libc, libcrypt, zlib and libgmp are the host's own.
# linux-image-cloud-amd64 names the current cloud kernel, which has virtio and is a third of the
# size of the generic one.
BOOT_CACHE=/var/cache/immutable-os
BOOT_ROOT=$BOOT_CACHE/root
kernel=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-/ { print $2; exit }')
if [ -z "$kernel" ]; then
  apt-get update -qq
  kernel=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-/ { print $2; exit }')
fi
unpacked=("$kernel" systemd-boot-efi dropbear-bin libtomcrypt1 libtommath1)
for p in "${unpacked[@]}"; do
  if ! ls "$BOOT_CACHE/debs/${p}_"*.deb >/dev/null 2>&1; then
    echo "setup-host: downloading $p (unpacked into $BOOT_ROOT, not installed)"
    mkdir -p "$BOOT_CACHE/debs"
    (cd "$BOOT_CACHE/debs" && apt-get download -qq "$p" 2>/dev/null)
    rm -rf "$BOOT_ROOT"
  fi
done
if [ ! -d "$BOOT_ROOT" ]; then
  mkdir -p "$BOOT_ROOT.tmp"
  for p in "${unpacked[@]}"; do
    for deb in "$BOOT_CACHE/debs/${p}_"*.deb; do dpkg-deb -x "$deb" "$BOOT_ROOT.tmp"; done
  done
  mv "$BOOT_ROOT.tmp" "$BOOT_ROOT"
fi

conf=/etc/containers/containers.conf
marker='# immutable-os setup-host'
if ! grep -qF "$marker" "$conf" 2>/dev/null; then
  if [ -s "$conf" ] && grep -qvE '^\s*(#|$)' "$conf"; then
    echo "setup-host: $conf already has settings; add these by hand if podman fails to start containers:" >&2
    echo '  [containers] default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]   [engine] runtime = "runc"' >&2
  else
    mkdir -p /etc/containers
    cat > "$conf" <<CONF
$marker: crun fails on this host's hybrid cgroups.
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

[engine]
runtime = "runc"
CONF
  fi
fi

echo "setup-host: $(podman --version), $(buildah --version | cut -d' ' -f1-3), $(skopeo --version), kernel ${kernel#linux-image-} in $BOOT_ROOT"
