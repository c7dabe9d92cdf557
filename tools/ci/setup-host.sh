#!/usr/bin/env bash
# Prepares a Debian 12 host (run as root) for immutable-os's tests and demo: the container
# engine and tools the e2e drives, a registry to push to, GNU time (npm run bench), cpp (Containerfile.in), and a busybox to make a small
# local base image from (the tests run offline, so they cannot pull quay.io bases), and qemu with
# OVMF (UEFI) and SeaBIOS for bootc-test.
#
# The containers.conf settings below are for sandboxed hosts like the CI machine, whose
# hybrid cgroups make crun fail: podman runs containers with runc and explicit ulimits.
# They are host configuration, not something the plugin needs or sets.
set -euo pipefail

packages=(podman buildah skopeo runc docker-registry busybox-static apache2-utils uidmap fuse-overlayfs git ca-certificates time cpp
  qemu-system-x86 qemu-utils ovmf)

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

echo "setup-host: $(podman --version), $(buildah --version | cut -d' ' -f1-3), $(skopeo --version)"
