import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createTestWorkspace, type TestWorkspace } from '../testing/test-workspace';
import { replaceDirAtomically } from './atomic-dir';

// Every file below `dir` with its bytes, so "unchanged" is checked byte for byte.
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path).toString('base64');
    }
  };
  walk(dir);
  return files;
}

describe('replaceDirAtomically', () => {
  let ws: TestWorkspace;
  let target: string;
  beforeEach(() => {
    ws = createTestWorkspace();
    target = join(ws.root, 'dist', 'images', 'edge-node');
  });
  afterEach(() => ws.cleanup());

  const leftovers = () => readdirSync(join(ws.root, 'dist', 'images')).filter((name) => name !== 'edge-node');

  test('creates the folder (and its parents) when it did not exist', async () => {
    const result = await replaceDirAtomically(target, async (staging) => {
      writeFileSync(join(staging, 'image.json'), '{}\n');
      return 42;
    });
    expect(result).toBe(42);
    expect(snapshot(target)).toEqual({ 'image.json': Buffer.from('{}\n').toString('base64') });
    expect(leftovers()).toEqual([]);
  });

  test('replaces the old folder: old files that the new fill does not write are gone', async () => {
    ws.write({ 'dist/images/edge-node/image.json': 'old', 'dist/images/edge-node/image.oci.tar': 'old archive' });
    await replaceDirAtomically(target, async (staging) => writeFileSync(join(staging, 'image.json'), 'new'));
    expect(readdirSync(target)).toEqual(['image.json']);
    expect(readFileSync(join(target, 'image.json'), 'utf8')).toBe('new');
    expect(leftovers()).toEqual([]);
  });

  test('the staging folder is a sibling of the target, so the final rename stays on one file system', async () => {
    let staging = '';
    await replaceDirAtomically(target, async (dir) => {
      staging = dir;
      expect(statSync(dir).isDirectory()).toBe(true);
    });
    expect(relative(join(ws.root, 'dist', 'images'), staging)).toMatch(/^\.edge-node\.tmp-\w+$/);
    expect(existsSync(staging)).toBe(false);
  });

  test('a throwing fill leaves the old folder byte-identical and no .tmp- folder behind', async () => {
    ws.write({
      'dist/images/edge-node/image.json': '{"imageId":"old"}\n',
      'dist/images/edge-node/image.oci.tar': '\u0000\u0001binary\u00ff',
      'dist/images/edge-node/nested/push.json': '{}',
    });
    const before = snapshot(target);
    const error = new Error('podman save failed');
    await expect(
      replaceDirAtomically(target, async (staging) => {
        writeFileSync(join(staging, 'image.json'), 'half written');
        throw error;
      }),
    ).rejects.toBe(error);
    expect(snapshot(target)).toEqual(before);
    expect(leftovers()).toEqual([]);
  });

  test('a failure with no previous folder leaves nothing', async () => {
    await expect(replaceDirAtomically(target, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(target)).toBe(false);
    expect(leftovers()).toEqual([]);
  });
});

describe('replaceDirAtomically after a run that was killed outright', () => {
  let parent: string;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'atomic-leftovers-'));
  });
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  it('drops a leftover staging folder', async () => {
    mkdirSync(join(parent, '.out.tmp-abc123'));
    writeFileSync(join(parent, '.out.tmp-abc123', 'half'), 'x');
    await replaceDirAtomically(join(parent, 'out'), async (staging) => writeFileSync(join(staging, 'new'), 'y'));
    expect(readdirSync(parent)).toEqual(['out']);
  });

  it('puts back the previous output left under .old between the two renames, even when the new run fails', async () => {
    mkdirSync(join(parent, '.out.tmp-abc123.old'));
    writeFileSync(join(parent, '.out.tmp-abc123.old', 'previous'), 'p');
    await expect(
      replaceDirAtomically(join(parent, 'out'), async () => {
        throw new Error('builder failed');
      }),
    ).rejects.toThrow('builder failed');
    expect(readdirSync(parent)).toEqual(['out']);
    expect(readFileSync(join(parent, 'out', 'previous'), 'utf8')).toBe('p');
  });
});

describe('replaceDirAtomically on Ctrl-C', () => {
  let parent: string;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'atomic-signal-'));
  });
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  it('removes the half-filled folder as soon as the signal arrives, leaving the old output', async () => {
    mkdirSync(join(parent, 'out'));
    writeFileSync(join(parent, 'out', 'previous'), 'p');
    // Another handler (as bootc-convert's) keeps the process alive, as in the executor.
    const other = () => undefined;
    process.on('SIGINT', other);
    try {
      let release: () => void = () => undefined;
      const filling = replaceDirAtomically(join(parent, 'out'), async (staging) => {
        writeFileSync(join(staging, 'half'), 'x');
        await new Promise<void>((resolve) => (release = resolve));
        throw new Error('interrupted');
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      process.emit('SIGINT', 'SIGINT');
      expect(readdirSync(parent)).toEqual(['out']);
      release();
      await expect(filling).rejects.toThrow('interrupted');
      expect(readdirSync(parent)).toEqual(['out']);
      expect(readFileSync(join(parent, 'out', 'previous'), 'utf8')).toBe('p');
      expect(process.listenerCount('SIGINT')).toBe(1);
    } finally {
      process.off('SIGINT', other);
    }
  });
});
