import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseContainerfile } from '../../../utils/containerfile';
import { checkRunSteps } from './check-run-steps';

const BASE = 'FROM quay.io/fedora/fedora-bootc:44\n';
let projectDir: string;

beforeEach(() => {
  projectDir = mkdtempSync(join(tmpdir(), 'bootc-lint-run-'));
});
afterEach(() => {
  rmSync(projectDir, { recursive: true, force: true });
});

const lint = (content: string) =>
  checkRunSteps({ file: 'Containerfile', parsed: parseContainerfile(content.startsWith('FROM') ? content : BASE + content), projectDir, isWorkspaceImage: () => false }).map(
    (f) => `${f.rule} ${f.severity} ${f.line} ${f.message}`,
  );

describe('checkRunSteps', () => {
  test.each([
    // E: the Universal Blue template's mounts, or a clean-up in the same RUN.
    ['cache mounts on /var/cache and /var/log', 'RUN --mount=type=cache,dst=/var/cache --mount=type=cache,dst=/var/log --mount=type=tmpfs,dst=/tmp dnf -y install tmux'],
    ['dnf clean all and the logs removed', 'RUN dnf -y install tmux && dnf clean all && rm -rf /var/log/dnf*'],
    ['logs removed in a later RUN', 'RUN --mount=type=cache,dst=/var/cache/libdnf5 dnf5 -y install tmux\nRUN rm -rf /var/log/*'],
    ['apt with its lists removed and a log tmpfs', 'RUN --mount=type=tmpfs,dst=/var/log apt-get update && apt-get install -y vim && rm -rf /var/lib/apt/lists/*'],
    ['dnf clean only', 'RUN dnf clean all'],
    ['dnf into another root', 'RUN dnf -y --installroot=/sysroot install tmux'],
    // H: the old kernel removed first, rpm -U replaces.
    ['kernel replaced after removing the old one', 'RUN --mount=type=cache,dst=/var/cache --mount=type=tmpfs,dst=/var/log dnf -y remove kernel kernel-core && dnf -y install kernel-6.17.1-300.fc44'],
    ['kernel removed through a loop variable (bluefin)', 'RUN for p in kernel kernel-core; do rpm --erase --nodeps $p; done && dnf -y install /tmp/rpms/kernel-core-6.17.1-300.fc44.x86_64.rpm && dnf clean all && rm -rf /var/log/dnf5.log'],
    ['rpm -U replaces', 'RUN rpm -Uvh /tmp/kernel-core-6.17.1.rpm'],
    ['the old kernel removed after the new one', 'RUN --mount=type=cache,dst=/var/cache --mount=type=tmpfs,dst=/var/log dnf -y install kernel-cachyos-6.10.1 && dnf -y remove kernel-core-6.9.7'],
    ['a reinstall keeps the version', 'RUN --mount=type=cache,dst=/var/cache --mount=type=tmpfs,dst=/var/log dnf -y reinstall kernel-core'],
    ['dracut with -m and --include', 'RUN dracut -m "bash ostree" --include /usr/share/x /etc/x --kver "$k" -f /usr/lib/modules/$k/initramfs.img'],
    ['dracut --list-modules', 'RUN dracut --list-modules'],
    ['locked accounts', "RUN usermod -p '*' root && usermod --password '!' bin"],
    ['kernel-devel is no kernel', 'RUN --mount=type=cache,dst=/var/cache --mount=type=tmpfs,dst=/var/log dnf -y install kernel-devel kernel-headers'],
    ['dracut for the image kernel', 'RUN kver=$(ls /usr/lib/modules) && dracut --no-hostonly --kver "$kver" --reproducible -f "/usr/lib/modules/$kver/initramfs.img"'],
    ['dracut with a positional kernel version', 'RUN dracut -f /usr/lib/modules/6.17.1/initramfs.img 6.17.1'],
    // D: sysusers.d declares the user.
    ['useradd for a declared user', 'COPY rootfs/ /\nRUN useradd -r myapp'],
    ['podman in a build that only asks', 'RUN podman --version && buildah --help'],
  ])('passes: %s', (name, body) => {
    if (name.startsWith('useradd')) {
      mkdirSync(join(projectDir, 'rootfs/usr/lib/sysusers.d'), { recursive: true });
      writeFileSync(join(projectDir, 'rootfs/usr/lib/sysusers.d/myapp.conf'), 'u myapp - "My app" /var/lib/myapp\n');
    }
    expect(lint(body)).toEqual([]);
  });

  test.each([
    ['dnf install && dnf clean all (the old template)', 'RUN dnf -y install tmux && dnf clean all', 'package-manager-residue warning 2 RUN dnf leaves its logs in /var/log in the image'],
    ['dnf install, nothing cleaned', 'RUN dnf5 -y install tmux', 'package-manager-residue warning 2 RUN dnf5 leaves its logs in /var/log and caches in /var/cache in the image'],
    ['apt-get without clean-up', 'RUN apt-get update && apt-get install -y vim', 'package-manager-residue warning 2 RUN apt-get leaves its logs in /var/log and caches in /var/cache/apt and /var/lib/apt/lists'],
    ['ostree container commit', 'RUN dnf -y install x && rm -rf /var/log/* && ostree container commit', 'ostree-container-commit warning 2 `ostree container commit` is superseded'],
    ['useradd without sysusers.d', 'RUN useradd -m -s /bin/bash kiosk', 'sysusers warning 2 RUN useradd creates the user kiosk in /etc/passwd, and no sysusers.d file in the image declares it; bootc container lint warns (sysusers), and systems installed before keep their /etc without it. Its home is made in /home'],
    ['groupadd without sysusers.d', 'RUN groupadd -g 990 render2', 'sysusers warning 2 RUN groupadd creates the group render2 in /etc/group'],
    ['a second versioned kernel on a bootc base', 'RUN rpm -ivh /tmp/kernel-core-6.17.1-300.fc44.x86_64.rpm', 'kernel-multiple error 2 RUN rpm installs /tmp/kernel-core-6.17.1-300.fc44.x86_64.rpm and no step removes'],
    ['another kernel flavor beside the base\'s', 'RUN --mount=type=cache,dst=/var/cache --mount=type=tmpfs,dst=/var/log dnf -y install kernel-longterm', 'kernel-multiple error 2 RUN dnf installs kernel-longterm and no step removes the base image\'s kernel; that is a second'],
    ['a bare kernel upgrade: maybe a second one', 'RUN --mount=type=cache,dst=/var/cache --mount=type=tmpfs,dst=/var/log dnf -y upgrade kernel', 'kernel-multiple warning 2 RUN dnf installs kernel and no step removes the base image\'s kernel; if the repositories have a newer kernel'],
    ['dracut without --kver', 'RUN dracut -f', 'initramfs-kver warning 2 RUN dracut names no kernel version (--kver), so it builds for `uname -r`'],
    ['dracut with uname -r', 'RUN dracut --kver "$(uname -r)" -f /usr/lib/modules/$(uname -r)/initramfs.img', 'initramfs-kver warning 2 RUN dracut takes the kernel version from $(uname -r)'],
    // bootc-lint-comparison O, P, S.
    ['chcon', 'RUN chcon -t bin_t /usr/bin/tool', 'selinux-labels warning 2 RUN chcon sets an SELinux label by hand'],
    ['setfattr security.selinux', 'RUN setfattr -n security.selinux -v system_u:object_r:bin_t:s0 /usr/bin/tool', 'selinux-labels warning 2 RUN setfattr'],
    ['podman pull in a build', 'RUN podman pull quay.io/prometheus/node-exporter:v1.9.1', 'nested-container-storage warning 2 RUN podman pull stores container images inside the OS image\'s layer'],
    ['skopeo copy into containers-storage', 'RUN skopeo copy docker://quay.io/a/b:1 containers-storage:quay.io/a/b:1', 'nested-container-storage warning 2 RUN skopeo copy into containers-storage'],
    ['chpasswd', "RUN echo 'root:changeme' | chpasswd", 'credentials-in-image warning 2 RUN chpasswd sets a password in the image\'s /etc/shadow'],
    ['dracut writing into /boot', 'RUN dracut -f /boot/initramfs.img 6.17.1', 'initramfs-kver warning 2 RUN dracut writes /boot/initramfs.img, but bootc boots /usr/lib/modules/<kver>/initramfs.img'],
  ])('fails: %s', (_name, body, message) => {
    const findings = lint(body);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toContain(message);
  });

  test('a versioned kernel on a base it does not know is a warning', () => {
    expect(lint('FROM registry.example.com/os:1\nRUN rpm -i /tmp/kernel-core-6.17.1.rpm')).toEqual([expect.stringMatching(/^kernel-multiple warning 2 /)]);
  });
});
