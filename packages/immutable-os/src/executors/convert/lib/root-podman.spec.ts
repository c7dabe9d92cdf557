import { fakeId, installFakeEngines, type FakeEngines } from '../../../testing/fake-engine';
import { createTestWorkspace, type TestWorkspace } from '../../../testing/test-workspace';
import { rootPodman, runRootPodman } from './root-podman';

const ROOTLESS_QUERY = 'podman info --format {{.Host.Security.Rootless}}';
const FIX = 'bootc-image-builder needs rootful podman: run the task as root, or let immutable-os use sudo (sudo: auto or always) with sudo set up for podman.';

describe('rootPodman', () => {
  let ws: TestWorkspace;
  let fake: FakeEngines;
  const stdinTTY = Object.getOwnPropertyDescriptor(process.stdin, 'isTTY');
  const setTTY = (value: boolean) => Object.defineProperty(process.stdin, 'isTTY', { value, configurable: true });

  beforeEach(() => {
    ws = createTestWorkspace();
    setTTY(false);
  });
  afterEach(() => {
    fake.restore();
    ws.cleanup();
    if (stdinTTY) Object.defineProperty(process.stdin, 'isTTY', stdinTTY);
    else delete (process.stdin as { isTTY?: boolean }).isTTY;
  });

  const install = (rootless: boolean | undefined, options: { sudo?: boolean; podman?: boolean } = {}) => {
    fake = installFakeEngines({
      versions: options.podman === false ? {} : { podman: '5.2.1' },
      sudo: options.sudo ?? true,
      state: { rules: rootless === undefined ? [] : [{ engine: 'podman', args: ['info'], stdout: String(rootless) }] },
    });
  };
  const argv = () => fake.calls().map((c) => [c.engine, ...c.args].join(' '));

  test('rootful podman (running as root): podman directly', async () => {
    install(false);
    expect(await rootPodman('auto', ws.root)).toEqual({ command: 'podman', prefix: [] });
    expect(argv()).toEqual([ROOTLESS_QUERY]);
  });

  test('rootful podman with sudo: never is fine too', async () => {
    install(false);
    expect(await rootPodman('never', ws.root)).toEqual({ command: 'podman', prefix: [] });
  });

  test('rootless podman, sudo: auto: through sudo --non-interactive, after checking sudo can run podman', async () => {
    install(true);
    expect(await rootPodman('auto', ws.root)).toEqual({ command: 'sudo', prefix: ['--non-interactive', 'podman'] });
    expect(argv()).toEqual([ROOTLESS_QUERY, 'sudo --non-interactive podman --version', 'podman --version']);
  });

  test('at a terminal sudo may ask for the password, so no --non-interactive', async () => {
    install(true);
    setTTY(true);
    expect(await rootPodman('auto', ws.root)).toEqual({ command: 'sudo', prefix: ['podman'] });
    expect(argv()).toEqual([ROOTLESS_QUERY, 'sudo podman --version', 'podman --version']);
  });

  test('sudo: always uses sudo without asking podman', async () => {
    install(false);
    expect(await rootPodman('always', ws.root)).toEqual({ command: 'sudo', prefix: ['--non-interactive', 'podman'] });
    expect(argv()).toEqual(['sudo --non-interactive podman --version', 'podman --version']);
  });

  test('rootless podman, sudo: never: an error naming the fix, and no sudo call', async () => {
    install(true);
    await expect(rootPodman('never', ws.root)).rejects.toThrow(`podman is rootless here and sudo is "never". ${FIX}`);
    expect(argv()).toEqual([ROOTLESS_QUERY]);
  });

  test('podman missing: podman is needed, docker cannot serve', async () => {
    install(undefined, { podman: false });
    await expect(rootPodman('auto', ws.root)).rejects.toThrow(
      "podman was not found on PATH: bootc-convert runs bootc-image-builder with podman (docker cannot serve: the builder reads podman's storage). Install podman (apt-get install podman / dnf install podman).",
    );
  });

  test('rootless podman and no sudo installed: the error says so and names the fix', async () => {
    install(true, { sudo: false });
    const error: Error = await rootPodman('auto', ws.root).catch((e) => e);
    expect(error.message).toMatch(/^Could not run podman through sudo \(sudo --non-interactive podman --version could not start: sudo was not found on PATH/);
    expect(error.message).toContain(FIX);
  });

  test('sudo wanting a password: the error carries sudo\'s answer and the fix', async () => {
    install(true);
    fake.update({ rules: [...fake.state().rules, { engine: 'sudo', args: ['--non-interactive'], exitCode: 1, stderr: 'sudo: a password is required' }] });
    const error: Error = await rootPodman('auto', ws.root).catch((e) => e);
    expect(error.message).toBe(
      'Could not run podman through sudo (sudo --non-interactive podman --version failed with exit code 1: sudo: a password is required). ' +
        `sudo needs a password and cannot ask for one here: run sudo -v first, or allow podman without a password in sudoers. ${FIX}`,
    );
  });

  test('podman info failing for another reason is passed on with its output', async () => {
    install(undefined);
    fake.update({ rules: [{ engine: 'podman', args: ['info'], exitCode: 125, stderr: 'Error: cannot set up namespace' }] });
    await expect(rootPodman('auto', ws.root)).rejects.toThrow(/failed with exit code 125\.\nLast lines of its output:\n {2}Error: cannot set up namespace/);
  });
});

describe('runRootPodman', () => {
  let ws: TestWorkspace;
  let fake: FakeEngines;
  const ID = fakeId('edge-node');
  beforeEach(() => {
    ws = createTestWorkspace();
    fake = installFakeEngines({ versions: { podman: '5.2.1' }, sudo: true, state: { images: [ID] } });
  });
  afterEach(() => {
    fake.restore();
    ws.cleanup();
  });

  test('directly: podman <args>', async () => {
    await runRootPodman({ command: 'podman', prefix: [] }, ['image', 'exists', ID], { cwd: ws.root, stream: false });
    expect(fake.calls()).toEqual([{ engine: 'podman', args: ['image', 'exists', ID] }]);
  });

  test('through sudo: sudo --non-interactive podman <args>, and podman gets the args as they are', async () => {
    await runRootPodman({ command: 'sudo', prefix: ['--non-interactive', 'podman'] }, ['image', 'exists', ID], { cwd: ws.root, stream: false });
    expect(fake.calls()).toEqual([
      { engine: 'sudo', args: ['--non-interactive', 'podman', 'image', 'exists', ID] },
      { engine: 'podman', args: ['image', 'exists', ID] },
    ]);
  });

  test('through sudo, podman\'s exit code comes back', async () => {
    await expect(
      runRootPodman({ command: 'sudo', prefix: ['--non-interactive', 'podman'] }, ['image', 'exists', fakeId('absent')], { cwd: ws.root, stream: false }),
    ).rejects.toMatchObject({ exitCode: 1 });
  });
});
