import { tmpdir } from 'node:os';
import { fakeId, installFakeEngines, type FakeEngines } from '../../../testing/fake-engine';
import type { EngineName } from '../../../utils/engine';
import { bootcLintArgs, lintImage } from './image-lint';

const ID = fakeId('built');
const LIST = 'localhost/edge:latest';

describe('lintImage', () => {
  let fake: FakeEngines;
  afterEach(() => fake.restore());
  const install = (engine: EngineName, rules: Parameters<FakeEngines['update']>[0]['rules'] = []) => {
    fake = installFakeEngines({ versions: { [engine]: '5.0.0' }, state: { images: [ID], tags: { [LIST]: ID }, rules } });
  };
  const engineOf = (name: EngineName) => ({ name, command: name, version: '5.0.0' });

  test.each<[string, EngineName, string[], string[], string[][]]>([
    ['podman', 'podman', [], [], [['run', '--rm', '--network=none', '--pull=never', '--entrypoint', 'bootc', ID, 'container', 'lint']]],
    ['docker, strict and a skipped lint', 'docker', bootcLintArgs('strict', ['nonempty-boot']), [], [['run', '--rm', '--network=none', '--pull=never', '--entrypoint', 'bootc', ID, 'container', 'lint', '--fatal-warnings', '--skip', 'nonempty-boot']]],
    [
      'buildah: a working container, run in it, removed',
      'buildah',
      [],
      [],
      [['from', '--pull=never', '--quiet', ID], ['run', '--network=none', 'fake-working-container', '--', 'bootc', 'container', 'lint'], ['rm', 'fake-working-container']],
    ],
    [
      'podman, two platforms: each one from the manifest list',
      'podman',
      [],
      ['linux/amd64', 'linux/arm64'],
      [
        ['run', '--rm', '--network=none', '--pull=never', '--platform', 'linux/amd64', '--entrypoint', 'bootc', LIST, 'container', 'lint'],
        ['run', '--rm', '--network=none', '--pull=never', '--platform', 'linux/arm64', '--entrypoint', 'bootc', LIST, 'container', 'lint'],
      ],
    ],
    [
      'buildah, two platforms',
      'buildah',
      [],
      ['linux/amd64', 'linux/arm64'],
      [
        ['from', '--pull=never', '--quiet', '--platform', 'linux/amd64', LIST],
        ['run', '--network=none', 'fake-working-container', '--', 'bootc', 'container', 'lint'],
        ['rm', 'fake-working-container'],
        ['from', '--pull=never', '--quiet', '--platform', 'linux/arm64', LIST],
        ['run', '--network=none', 'fake-working-container', '--', 'bootc', 'container', 'lint'],
        ['rm', 'fake-working-container'],
      ],
    ],
  ])('%s', async (_name, engine, lintArgs, platforms, expected) => {
    install(engine);
    const image = platforms.length > 1 ? LIST : ID;
    const runs = await lintImage(engineOf(engine), { image, platforms }, lintArgs, tmpdir());
    expect(fake.calls().map((c) => c.args)).toEqual(expected);
    expect(runs).toEqual(
      (platforms.length > 1 ? platforms : [undefined]).map((platform) => ({ ...(platform ? { platform } : {}), status: 'ran', format: 'v1.1.5+', results: [], failed: false })),
    );
  });

  test('an image without bootc is skipped with the reason', async () => {
    install('podman', [{ args: ['run'], exitCode: 127, stderr: 'Error: crun: executable file `bootc` not found in $PATH: No such file or directory: OCI runtime attempted to invoke a command that was not found' }]);
    expect(await lintImage(engineOf('podman'), { image: ID, platforms: [] }, [], tmpdir())).toEqual([{ status: 'skipped', reason: 'the image has no bootc on its PATH' }]);
  });

  test('buildah removes its working container when the lint fails', async () => {
    install('buildah', [{ args: ['run'], exitCode: 1, stdout: 'Failed lint: var-run: Not a symlink: var/run\nChecks passed: 11\nChecks skipped: 1', stderr: 'error: Linting: Checks failed: 1\nError: while running runtime: exit status 1' }]);
    const [run] = await lintImage(engineOf('buildah'), { image: ID, platforms: [] }, [], tmpdir());
    expect(run).toMatchObject({ status: 'ran', failed: true, results: [{ lint: 'var-run', kind: 'fatal' }] });
    expect(fake.calls().at(-1)?.args).toEqual(['rm', 'fake-working-container']);
  });

  test('output in no format bootc prints: the error shows the command, the exit code and the output', async () => {
    install('podman', [{ args: ['run'], exitCode: 125, stderr: 'Error: short-name resolution enforced' }]);
    await expect(lintImage(engineOf('podman'), { image: ID, platforms: [] }, [], tmpdir())).rejects.toThrow(
      `podman run --rm --network=none --pull=never --entrypoint bootc ${ID} container lint exited 125 with output in no format bootc prints (bootc-build reads bootc 0.1.12 to 1.16.9):\nError: short-name resolution enforced\nRun the command by hand`,
    );
  });
});
