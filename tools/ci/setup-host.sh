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
  qemu-system-x86 qemu-utils ovmf openssh-client dosfstools mtools gdisk cpio zstd e2fsprogs xfsprogs syslinux syslinux-common
  docker.io sudo qemu-user-static binfmt-support)

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

# The tests start their own dockerd; on a systemd host the docker.io package starts the system's
# too (with its iptables rules and docker0): stop and disable it.
if [ -d /run/systemd/system ]; then
  systemctl disable --now docker.service docker.socket >/dev/null 2>&1 || true
fi

# Emulated arm64 (the multi-platform e2e): binfmt_misc runs arm64 programs through qemu-user-static,
# and Debian's busybox-static:arm64 (downloaded, not installed) becomes the arm64 test base.
if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || echo "setup-host: could not mount binfmt_misc (an unprivileged container?)." >&2
fi
update-binfmts --enable qemu-aarch64 2>/dev/null || true
if ! grep -qx enabled /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null; then
  echo "setup-host: qemu-aarch64 is not registered in binfmt_misc; the multi-platform e2e will fail." >&2
fi
if ! ls "$BOOT_CACHE/debs/busybox-static_"*_arm64.deb >/dev/null 2>&1; then
  echo "setup-host: downloading busybox-static:arm64 (the emulated arm64 test base)"
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64
    apt-get update -qq
  fi
  # The arm64 package lists are needed for this one download only: the architecture goes again after.
  (cd "$BOOT_CACHE/debs" && apt-get download -qq busybox-static:arm64) || { apt-get update -qq && (cd "$BOOT_CACHE/debs" && apt-get download -qq busybox-static:arm64); }
  dpkg --remove-architecture arm64 2>/dev/null || true
fi

# Rootless podman (the rootless e2e): two ordinary users with subordinate ID ranges; the first may
# run podman as root through sudo without a password (bootc-convert copies its images into root's
# storage that way), the second may not.
# These rights make the first user root-equivalent: set this up on test machines only.
touch /etc/subuid /etc/subgid
for user in immutable-os-e2e immutable-os-e2e-nosudo; do
  id "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$user"
  for kind in uid gid; do
    grep -q "^$user:" "/etc/sub$kind" && continue
    first=$(awk -F: 'BEGIN { next_free = 100000 } $2 + $3 > next_free { next_free = $2 + $3 } END { print next_free }' /etc/subuid /etc/subgid)
    usermod "--add-sub${kind}s" "$first-$((first + 65535))" "$user"
  done
done
echo 'immutable-os-e2e ALL=(root) NOPASSWD: /usr/bin/podman' > /etc/sudoers.d/immutable-os-e2e
chmod 0440 /etc/sudoers.d/immutable-os-e2e

echo "setup-host: $(podman --version), $(buildah --version | cut -d' ' -f1-3), $(skopeo --version), kernel ${kernel#linux-image-} in $BOOT_ROOT"
