import { existsSync } from 'node:fs';

export type Firmware = 'uefi' | 'bios';
export type Accel = 'kvm' | 'tcg';
/** The architectures bootc-test boots, by the names qemu's binaries use. */
export type VmArch = 'x86_64' | 'aarch64';

/** UEFI firmware as Debian (ovmf, qemu-efi-aarch64) and Fedora (edk2-ovmf, edk2-aarch64) install it: code, and the variables template each run copies. */
export const UEFI_FIRMWARE: Record<VmArch, ReadonlyArray<{ code: string; vars: string }>> = {
  x86_64: [
    { code: '/usr/share/OVMF/OVMF_CODE_4M.fd', vars: '/usr/share/OVMF/OVMF_VARS_4M.fd' },
    { code: '/usr/share/OVMF/OVMF_CODE.fd', vars: '/usr/share/OVMF/OVMF_VARS.fd' },
    { code: '/usr/share/edk2/ovmf/OVMF_CODE.fd', vars: '/usr/share/edk2/ovmf/OVMF_VARS.fd' },
    { code: '/usr/share/edk2/x64/OVMF_CODE.4m.fd', vars: '/usr/share/edk2/x64/OVMF_VARS.4m.fd' },
  ],
  aarch64: [
    { code: '/usr/share/AAVMF/AAVMF_CODE.fd', vars: '/usr/share/AAVMF/AAVMF_VARS.fd' },
    { code: '/usr/share/edk2/aarch64/QEMU_EFI-pflash.raw', vars: '/usr/share/edk2/aarch64/vars-template-pflash.raw' },
  ],
};

/** The first UEFI firmware of the architecture that exists here, or undefined. */
export function findUefiFirmware(arch: VmArch, exists: (path: string) => boolean = existsSync): { code: string; vars: string } | undefined {
  return UEFI_FIRMWARE[arch].find((f) => exists(f.code) && exists(f.vars));
}

/** The architecture qemu boots for a bootc-image-builder --target-arch (or the host's, from Node's process.arch). */
export function vmArch(arch: string): VmArch | undefined {
  if (['x86_64', 'amd64', 'x64'].includes(arch)) return 'x86_64';
  if (['aarch64', 'arm64'].includes(arch)) return 'aarch64';
  return undefined;
}

export interface VmSpec {
  arch: VmArch;
  accel: Accel;
  firmware: Firmware;
  disk: { path: string; format: 'qcow2' | 'raw' };
  memoryMiB: number;
  cpus: number;
  /** UEFI: the firmware code and this run's own copy of the variables file. */
  uefi?: { code: string; vars: string };
  /** BIOS: where SeaBIOS's debug port (0x402) writes, to see "No bootable device". */
  biosLog?: string;
  extraArgs?: readonly string[];
  /** SSH checks: user-mode networking with the guest's port 22 forwarded to this loopback port, and systemd credentials as SMBIOS type 11 strings. */
  ssh?: { port: number; credentials: readonly string[] };
}

/**
 * qemu's arguments for one boot test: no default devices (OVMF would try an empty DVD drive first),
 * the disk on virtio in snapshot mode (the artifact is never written), the serial console on
 * stdout, no network unless SSH checks need it (user-mode networking, only the guest's port 22
 * forwarded, from loopback; the key as systemd credentials in SMBIOS type 11), no reboot (a panic's reboot becomes an exit), UEFI from pflash or SeaBIOS
 * with its debug port. `-cpu host` needs KVM; TCG gets `max`.
 */
export function qemuArgv(spec: VmSpec): { command: string; args: string[] } {
  const machine = spec.arch === 'x86_64' ? `q35,accel=${spec.accel}` : `virt,accel=${spec.accel}`;
  const args = [
    '-nodefaults',
    '-no-user-config',
    '-display', 'none',
    '-monitor', 'none',
    '-serial', 'stdio',
    '-no-reboot',
    '-machine', machine,
    '-cpu', spec.accel === 'kvm' ? 'host' : 'max',
    '-m', String(spec.memoryMiB),
    '-smp', String(spec.cpus),
    ...(spec.ssh
      ? [
          '-nic', `user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:${spec.ssh.port}-:22`,
          '-smbios', ['type=11', ...spec.ssh.credentials.map((c) => `value=${qemuOptionValue(c)}`)].join(','),
        ]
      : ['-nic', 'none']),
    '-drive', `file=${spec.disk.path},format=${spec.disk.format},if=virtio,snapshot=on`,
  ];
  if (spec.firmware === 'uefi') {
    if (!spec.uefi) throw new Error('A UEFI boot needs the firmware code and a copy of its variables file.');
    args.push('-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${spec.uefi.code}`, '-drive', `if=pflash,format=raw,unit=1,file=${spec.uefi.vars}`);
  } else {
    if (spec.arch !== 'x86_64') throw new Error(`BIOS boots are x86_64 only; ${spec.arch} boots with UEFI.`);
    if (spec.biosLog) args.push('-chardev', `file,id=seabios,path=${spec.biosLog}`, '-device', 'isa-debugcon,iobase=0x402,chardev=seabios');
  }
  return { command: `qemu-system-${spec.arch}`, args: [...args, ...(spec.extraArgs ?? [])] };
}

// qemu's option syntax: a comma inside a value is written twice.
function qemuOptionValue(value: string): string {
  return value.replace(/,/g, ',,');
}
