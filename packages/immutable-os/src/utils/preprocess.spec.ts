import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestWorkspace, type TestWorkspace } from '../testing/test-workspace';
import { CPP_ARGS, isPreprocessed, preprocessContainerfile } from './preprocess';

// The real cpp (Debian's cpp package, which tools/ci/setup-host.sh installs), as buildah runs it.
const FILE = 'images/bluefin/Containerfile.in';
const SOURCE = [
  'FROM quay.io/fedora/fedora-bootc:42',
  '#if defined(NVIDIA)',
  '#include "images/bluefin/nvidia.inc"',
  '#endif',
  '# a comment: cpp calls it an invalid directive, buildah ignores that',
  'RUN echo linux/amd64',
  'LABEL flavor=FLAVOR',
  '',
].join('\n');

describe('preprocessContainerfile', () => {
  let ws: TestWorkspace;
  beforeEach(() => {
    ws = createTestWorkspace();
    ws.write({ [FILE]: SOURCE, 'images/bluefin/nvidia.inc': 'RUN dnf -y install nvidia-driver\n', 'shared/fragments/tools.inc': 'RUN dnf -y install htop\n' });
  });
  afterEach(() => ws.cleanup());
  const run = (cppFlags: string[], content = SOURCE) => preprocessContainerfile({ file: FILE, content, workspaceRoot: ws.root, contextDir: join(ws.root, 'images/bluefin'), cppFlags });
  const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('# '));

  test('without the define: the #if block is left out; -undef keeps "linux" as written; comments become warnings', () => {
    const out = run([]);
    expect(lines(out.text)).toEqual(['FROM quay.io/fedora/fedora-bootc:42', 'RUN echo linux/amd64', 'LABEL flavor=FLAVOR']);
    expect(out.includes).toEqual([]);
    expect(out.warnings).toEqual([`${FILE}:5: error: invalid preprocessing directive #a`]);
  });

  test('-DNVIDIA and an object macro: the include is read, and every line knows where it came from', () => {
    const out = run(['-DNVIDIA', '-DFLAVOR=nvidia-open']);
    expect(lines(out.text)).toEqual(['FROM quay.io/fedora/fedora-bootc:42', 'RUN dnf -y install nvidia-driver', 'RUN echo linux/amd64', 'LABEL flavor=nvidia-open']);
    expect(out.includes).toEqual(['images/bluefin/nvidia.inc']);
    const textLines = out.text.split('\n');
    const origin = (text: string) => out.origins[textLines.indexOf(text)];
    expect(origin('FROM quay.io/fedora/fedora-bootc:42')).toEqual({ file: FILE, line: 1 });
    expect(origin('RUN dnf -y install nvidia-driver')).toEqual({ file: 'images/bluefin/nvidia.inc', line: 1 });
    expect(origin('RUN echo linux/amd64')).toEqual({ file: FILE, line: 6 });
  });

  test('quote includes are found from the workspace root (where the engine runs) and then in the context', () => {
    const out = run([], '#include "shared/fragments/tools.inc"\n#include "nvidia.inc"\nFROM x\n');
    expect(out.includes).toEqual(['images/bluefin/nvidia.inc', 'shared/fragments/tools.inc']);
    expect(lines(out.text)).toEqual(['RUN dnf -y install htop', 'RUN dnf -y install nvidia-driver', 'FROM x']);
  });

  test('a missing include stops cpp: the error names the Containerfile.in, the line and the file', () => {
    // cpp -traditional counts the line after the directive (3:2 here, not 2:10): its message is shown as cpp wrote it.
    expect(() => run([], 'FROM x\n#include "gone.inc"\n')).toThrow(
      new RegExp(`^${FILE}: cpp failed \\(exit code 1\\):\n  ${FILE}:\\d+:\\d+: fatal error: gone\\.inc: No such file or directory\nFix the #include or directive it names\\.$`),
    );
  });

  describe('without cpp on PATH', () => {
    let bin: string;
    let path: string | undefined;
    beforeEach(() => {
      bin = mkdtempSync(join(tmpdir(), 'no-cpp-'));
      mkdirSync(join(bin, 'empty'));
      path = process.env.PATH;
      process.env.PATH = join(bin, 'empty');
    });
    afterEach(() => {
      process.env.PATH = path;
      rmSync(bin, { recursive: true, force: true });
    });

    test('the error says what cpp is needed for and which package provides it', () => {
      expect(() => run([])).toThrow(
        `${FILE} is a Containerfile.in, which is run through cpp (as podman and buildah do), but cpp was not found on PATH. Install the C preprocessor: Debian/Ubuntu apt-get install cpp, Fedora dnf install cpp, macOS xcode-select --install.`,
      );
    });

    test('a cpp that fails without output is an error with its message', () => {
      writeFileSync(join(bin, 'empty', 'cpp'), '#!/bin/sh\necho "cpp: broken" >&2\nexit 2\n');
      chmodSync(join(bin, 'empty', 'cpp'), 0o755);
      process.env.PATH = `${join(bin, 'empty')}:/bin:/usr/bin`;
      expect(() => run([])).toThrow(`${FILE}: cpp failed (exit code 2):\n  cpp: broken\n`);
    });
  });
});

test.each([
  ['Containerfile.in', true],
  ['images/x/Dockerfile.in', true],
  ['Containerfile', false],
  ['Containerfile.inc', false],
])('isPreprocessed(%s) = %s', (file, expected) => {
  expect(isPreprocessed(file)).toBe(expected);
});

test("CPP_ARGS are buildah's: -E -iquote <context> -traditional -undef, then the flags, then stdin", () => {
  expect(CPP_ARGS('/ws/images/a', ['-DNVIDIA'])).toEqual(['-E', '-iquote', '/ws/images/a', '-traditional', '-undef', '-DNVIDIA', '-']);
});
