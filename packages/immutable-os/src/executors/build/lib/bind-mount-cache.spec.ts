import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseContainerfile } from '../../../utils/containerfile';
import { bindMountCacheIsBlind, hashFolders, keyBindMountRuns } from './bind-mount-cache';

describe('bindMountCacheIsBlind', () => {
  test.each([
    ['podman', '4.3.1', true],
    ['podman', '5.1.2', true],
    ['podman', '5.2.0', false],
    ['buildah', '1.28.2', true],
    ['buildah', '1.37.0', false],
    ['docker', '28.2.2', false],
  ] as const)('%s %s: %p', (name, version, blind) => {
    expect(bindMountCacheIsBlind({ name, command: name, version })).toBe(blind);
  });
});

describe('keyBindMountRuns', () => {
  const key = () => 'k1';
  test.each([
    [
      'a named build context mount, after cached steps',
      'FROM base\nRUN dnf -y install tmux\nRUN --mount=type=bind,from=shared,target=/shared /shared/build.sh\nRUN bootc container lint\n',
      'FROM base\nRUN dnf -y install tmux\nARG IMMUTABLE_OS_MOUNTED_FILES=k1\nRUN --mount=type=bind,from=shared,target=/shared /shared/build.sh\nRUN bootc container lint\n',
    ],
    [
      'a mount without type is a bind mount; one ARG per stage, before its first such RUN',
      'FROM scratch AS ctx\nCOPY build_files /\nFROM base\nRUN --mount=from=ctx,source=/,target=/ctx /ctx/a.sh\nRUN --mount=type=bind,from=ctx,target=/ctx /ctx/b.sh\n',
      'FROM scratch AS ctx\nCOPY build_files /\nFROM base\nARG IMMUTABLE_OS_MOUNTED_FILES=k1\nRUN --mount=from=ctx,source=/,target=/ctx /ctx/a.sh\nRUN --mount=type=bind,from=ctx,target=/ctx /ctx/b.sh\n',
    ],
    ['cache and tmpfs mounts are keyed by the engine already', 'FROM base\nRUN --mount=type=cache,dst=/var/cache dnf -y install x\nRUN --mount=type=tmpfs,dst=/tmp true\n', undefined],
    ['no mounts at all', 'FROM base\nRUN true\n', undefined],
  ])('%s', (_name, content, expected) => {
    expect(keyBindMountRuns(content, parseContainerfile(content), key)).toBe(expected ?? content);
  });

  it('computes the key only when there is a bind mount', () => {
    const lazy = jest.fn(() => 'k');
    keyBindMountRuns('FROM base\nRUN true\n', parseContainerfile('FROM base\nRUN true\n'), lazy);
    expect(lazy).not.toHaveBeenCalled();
  });
});

describe('hashFolders', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hash-folders-'));
    mkdirSync(join(dir, 'shared/sub'), { recursive: true });
    writeFileSync(join(dir, 'shared/build.sh'), 'echo v1\n');
    writeFileSync(join(dir, 'shared/sub/x'), 'x');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('changes with a file content, a new file or a rename, and is stable otherwise', () => {
    const folder = join(dir, 'shared');
    const first = hashFolders([folder]);
    expect(hashFolders([folder])).toBe(first);
    writeFileSync(join(folder, 'build.sh'), 'echo v2\n');
    const second = hashFolders([folder]);
    expect(second).not.toBe(first);
    writeFileSync(join(folder, 'sub/y'), '');
    expect(hashFolders([folder])).not.toBe(second);
  });
});
