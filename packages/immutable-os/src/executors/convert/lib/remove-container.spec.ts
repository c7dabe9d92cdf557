import { installFakeEngines, type FakeEngines, type FakeRule } from '../../../testing/fake-engine';
import { createTestWorkspace, type TestWorkspace } from '../../../testing/test-workspace';
import { removeContainer } from './remove-container';

const NAME = 'immutable-os-convert-edge-node-4242-0';
const RM = ['rm', '--force', '--time', '0', '--ignore', NAME];
const EXISTS = ['container', 'exists', NAME];
const DIRECT = { command: 'podman', prefix: [] };

describe('removeContainer', () => {
  let ws: TestWorkspace;
  let fake: FakeEngines;
  beforeEach(() => (ws = createTestWorkspace()));
  afterEach(() => {
    fake.restore();
    ws.cleanup();
  });

  // `container exists` answers 0 (still there) `present` times, then 1 (gone).
  const install = (present: number | 'always', extra: FakeRule[] = []) => {
    const rules: FakeRule[] = [...extra, { engine: 'podman', args: ['container', 'exists'], exitCode: 0, ...(present === 'always' ? {} : { times: present }) }];
    if (present !== 'always') rules.push({ engine: 'podman', args: ['container', 'exists'], exitCode: 1 });
    fake = installFakeEngines({ versions: { podman: '5.2.1' }, sudo: true, state: { rules } });
  };
  const podmanCalls = () => fake.calls().filter((c) => c.engine === 'podman').map((c) => c.args);

  test('removed at the first attempt: rm with no stop timeout, then a check that it is gone', async () => {
    install(0);
    await removeContainer(DIRECT, NAME, ws.root, 0);
    expect(podmanCalls()).toEqual([RM, EXISTS]);
  });

  test('a removal that did not happen (podman rm stopped while starting) is tried again until the container is gone', async () => {
    install(2, [{ engine: 'podman', args: ['rm'], times: 1, exitCode: 143 }]);
    await removeContainer(DIRECT, NAME, ws.root, 0);
    expect(podmanCalls()).toEqual([RM, EXISTS, RM, EXISTS, RM, EXISTS]);
  });

  test('a check that fails otherwise (exit 125) does not count as gone', async () => {
    install(0, [{ engine: 'podman', args: ['container', 'exists'], times: 1, exitCode: 125, stderr: 'Error: database is locked' }]);
    await removeContainer(DIRECT, NAME, ws.root, 0);
    expect(podmanCalls()).toEqual([RM, EXISTS, RM, EXISTS]);
  });

  test('still there after 5 attempts: an error naming the container and the command that removes it', async () => {
    install('always');
    await expect(removeContainer({ command: 'sudo', prefix: ['--non-interactive', 'podman'] }, NAME, ws.root, 0)).rejects.toThrow(
      `The builder container ${NAME} could not be removed after 5 attempts; remove it with sudo --non-interactive podman rm --force ${NAME}.`,
    );
    expect(podmanCalls()).toEqual(Array(5).fill([RM, EXISTS]).flat());
    expect(fake.calls().filter((c) => c.engine === 'sudo')).toHaveLength(10);
  });
});
