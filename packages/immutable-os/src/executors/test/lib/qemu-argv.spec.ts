import { findUefiFirmware, qemuArgv, vmArch, type VmSpec } from './qemu-argv';

const base: VmSpec = { arch: 'x86_64', accel: 'tcg', firmware: 'uefi', disk: { path: '/d/disk.qcow2', format: 'qcow2' }, memoryMiB: 2048, cpus: 2, uefi: { code: '/fw/CODE.fd', vars: '/run/vars.fd' } };

describe('qemuArgv', () => {
  test('UEFI with TCG on x86_64: no default devices, snapshot disk, serial on stdout, pflash firmware', () => {
    expect(qemuArgv(base)).toEqual({
      command: 'qemu-system-x86_64',
      args: [
        '-nodefaults', '-no-user-config', '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-no-reboot',
        '-machine', 'q35,accel=tcg', '-cpu', 'max', '-m', '2048', '-smp', '2', '-nic', 'none',
        '-drive', 'file=/d/disk.qcow2,format=qcow2,if=virtio,snapshot=on',
        '-drive', 'if=pflash,format=raw,unit=0,readonly=on,file=/fw/CODE.fd',
        '-drive', 'if=pflash,format=raw,unit=1,file=/run/vars.fd',
      ],
    });
  });

  test('SSH checks: user-mode networking with only port 22 forwarded from loopback, credentials as SMBIOS type 11 strings', () => {
    const { args } = qemuArgv({ ...base, ssh: { port: 40022, credentials: ['io.systemd.credential.binary:ssh.authorized_keys.root=c3No', 'io.systemd.credential:odd=a,b'] } });
    expect(args).not.toContain('none,');
    expect(args.slice(args.indexOf('-nic'), args.indexOf('-nic') + 4)).toEqual([
      '-nic', 'user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:40022-:22',
      // A comma inside a value is doubled, as qemu's option syntax wants.
      '-smbios', 'type=11,value=io.systemd.credential.binary:ssh.authorized_keys.root=c3No,value=io.systemd.credential:odd=a,,b',
    ]);
    expect(qemuArgv(base).args.join(' ')).not.toMatch(/smbios|hostfwd/);
  });

  test('KVM uses the host CPU', () => {
    const { args } = qemuArgv({ ...base, accel: 'kvm' });
    expect(args.slice(args.indexOf('-machine'), args.indexOf('-machine') + 4)).toEqual(['-machine', 'q35,accel=kvm', '-cpu', 'host']);
  });

  test('BIOS: SeaBIOS with its debug port in a file, a raw disk', () => {
    const { args } = qemuArgv({ ...base, firmware: 'bios', uefi: undefined, biosLog: '/run/seabios.log', disk: { path: '/d/disk.raw', format: 'raw' } });
    expect(args).toContain('file=/d/disk.raw,format=raw,if=virtio,snapshot=on');
    expect(args.join(' ')).toContain('-chardev file,id=seabios,path=/run/seabios.log -device isa-debugcon,iobase=0x402,chardev=seabios');
    expect(args.join(' ')).not.toContain('pflash');
  });

  test('aarch64: the virt machine and AAVMF; BIOS is refused', () => {
    const { command, args } = qemuArgv({ ...base, arch: 'aarch64' });
    expect(command).toBe('qemu-system-aarch64');
    expect(args).toContain('virt,accel=tcg');
    expect(() => qemuArgv({ ...base, arch: 'aarch64', firmware: 'bios' })).toThrow(/BIOS boots are x86_64 only/);
    expect(() => qemuArgv({ ...base, uefi: undefined })).toThrow(/needs the firmware code/);
  });

  test('extra arguments come last, as given', () => {
    expect(qemuArgv({ ...base, extraArgs: ['-device', 'virtio-rng-pci'] }).args.slice(-2)).toEqual(['-device', 'virtio-rng-pci']);
  });
});

test('findUefiFirmware takes the first code and variables pair that exists', () => {
  const present = new Set(['/usr/share/OVMF/OVMF_CODE.fd', '/usr/share/OVMF/OVMF_VARS.fd']);
  expect(findUefiFirmware('x86_64', (p) => present.has(p))).toEqual({ code: '/usr/share/OVMF/OVMF_CODE.fd', vars: '/usr/share/OVMF/OVMF_VARS.fd' });
  expect(findUefiFirmware('aarch64', (p) => present.has(p))).toBeUndefined();
});

test.each([
  ['amd64', 'x86_64'],
  ['x64', 'x86_64'],
  ['arm64', 'aarch64'],
  ['aarch64', 'aarch64'],
  ['s390x', undefined],
])('vmArch(%s) is %s', (arch, expected) => {
  expect(vmArch(arch)).toBe(expected);
});
