import { expandVariables, parseContainerfile, type ImageUse, type ImageUseKind } from './containerfile';

const DIGEST = 'sha256:' + 'c'.repeat(64);

function image(ref: string, line: number, kind: ImageUseKind = 'from', raw = ref, unresolved: string[] = []): ImageUse {
  return { ref, raw, line, kind, unresolved };
}

// Joins lines into a Containerfile; keeps the tables below readable.
const file = (...lines: string[]) => lines.join('\n') + '\n';

describe('parseContainerfile images', () => {
  test.each<[string, string, ImageUse[]]>([
    ['a plain FROM', file('FROM quay.io/fedora/fedora-bootc:44'), [image('quay.io/fedora/fedora-bootc:44', 1)]],
    [
      'FROM with --platform and AS',
      file('FROM --platform=linux/amd64 quay.io/centos-bootc/centos-bootc:stream10 AS x', 'RUN dnf -y install tmux'),
      [image('quay.io/centos-bootc/centos-bootc:stream10', 1)],
    ],
    [
      'every stage of a multi-stage build, not a FROM naming an earlier stage (any case)',
      file(
        'FROM quay.io/fedora/fedora:44 AS Builder',
        'RUN make',
        'FROM quay.io/fedora/fedora-bootc:44',
        'COPY --from=builder /out /usr/bin',
        'FROM BUILDER AS again',
        'FROM again',
      ),
      [image('quay.io/fedora/fedora:44', 1), image('quay.io/fedora/fedora-bootc:44', 3)],
    ],
    [
      'a stage named later is still an image where it is used first',
      file('FROM tools', 'FROM quay.io/fedora/fedora:44 AS tools'),
      [image('tools', 1), image('quay.io/fedora/fedora:44', 2)],
    ],
    [
      'COPY --from with a numeric stage index',
      file('FROM quay.io/fedora/fedora:44', 'FROM localhost/edge-node', 'COPY --from=0 /a /b', 'COPY --from=1 /a /b'),
      [image('quay.io/fedora/fedora:44', 1), image('localhost/edge-node', 2)],
    ],
    [
      'FROM scratch AS ctx is no image, nor is mounting it',
      file(
        'FROM scratch AS ctx',
        'COPY build_files /',
        'FROM ghcr.io/ublue-os/bluefin:stable',
        'RUN --mount=type=bind,from=ctx,source=/,target=/ctx --mount=type=cache,dst=/var/cache /ctx/build.sh',
      ),
      [image('ghcr.io/ublue-os/bluefin:stable', 3)],
    ],
    [
      'ARG BASE=ref then FROM ${BASE}',
      file('ARG BASE=quay.io/fedora/fedora-bootc:44', 'FROM ${BASE}'),
      [image('quay.io/fedora/fedora-bootc:44', 2, 'from', '${BASE}')],
    ],
    [
      'ARG BASE=ref then FROM $BASE',
      file('ARG BASE="ghcr.io/acme/edge-node:latest"', 'FROM $BASE AS base'),
      [image('ghcr.io/acme/edge-node:latest', 2, 'from', '$BASE')],
    ],
    [
      '${BASE:-default} with BASE declared without a default',
      file('ARG BASE', 'FROM ${BASE:-quay.io/centos-bootc/centos-bootc:stream9}'),
      [image('quay.io/centos-bootc/centos-bootc:stream9', 2, 'from', '${BASE:-quay.io/centos-bootc/centos-bootc:stream9}')],
    ],
    [
      '${BASE:-default} with BASE set',
      file('ARG BASE=localhost/edge-node', 'FROM ${BASE:-quay.io/centos-bootc/centos-bootc:stream9}'),
      [image('localhost/edge-node', 2, 'from', '${BASE:-quay.io/centos-bootc/centos-bootc:stream9}')],
    ],
    [
      'an ARG inside the tag',
      file('ARG MAJOR_VERSION=stream10', 'FROM quay.io/centos-bootc/centos-bootc:$MAJOR_VERSION'),
      [image('quay.io/centos-bootc/centos-bootc:stream10', 2, 'from', 'quay.io/centos-bootc/centos-bootc:$MAJOR_VERSION')],
    ],
    [
      'an ARG whose default references another ARG',
      file('ARG MAJOR=stream10', 'ARG BASE=quay.io/centos-bootc/centos-bootc:${MAJOR}', 'FROM ${BASE}'),
      [image('quay.io/centos-bootc/centos-bootc:stream10', 3, 'from', '${BASE}')],
    ],
    [
      'three levels of ARGs, the last one quoted',
      file('ARG REGISTRY=ghcr.io', 'ARG REPO=${REGISTRY}/ublue-os', 'ARG IMAGE="${REPO}/base-main:${TAG:-41}"', 'FROM ${IMAGE}'),
      [image('ghcr.io/ublue-os/base-main:41', 4, 'from', '${IMAGE}')],
    ],
    [
      'a default that nests another expansion',
      file('ARG HOST=quay.io', 'FROM ${BASE:-${HOST}/fedora/fedora-bootc:${TAG:-44}}'),
      [image('quay.io/fedora/fedora-bootc:44', 2, 'from', '${BASE:-${HOST}/fedora/fedora-bootc:${TAG:-44}}')],
    ],
    [
      'COPY --from=<image ref>',
      file('FROM localhost/base', 'COPY --from=ghcr.io/acme/tools:1.2 /usr/bin/tool /usr/bin/tool'),
      [image('localhost/base', 1), image('ghcr.io/acme/tools:1.2', 2, 'copy-from')],
    ],
    [
      'COPY --from=<stage> is no image',
      file('FROM quay.io/fedora/fedora:44 AS build', 'FROM localhost/base', 'COPY --from=build /out /'),
      [image('quay.io/fedora/fedora:44', 1), image('localhost/base', 2)],
    ],
    [
      'COPY --from=${ARG} with the ARG declared in the stage',
      file('ARG TOOLS=ghcr.io/acme/tools:1', 'FROM localhost/base', 'ARG TOOLS', 'COPY --from=${TOOLS} /t /t'),
      [image('localhost/base', 2), image('ghcr.io/acme/tools:1', 4, 'copy-from', '${TOOLS}')],
    ],
    [
      'COPY --from=${ARG} with a global ARG not declared in the stage (not visible there)',
      file('ARG TOOLS=ghcr.io/acme/tools:1', 'FROM localhost/base', 'COPY --from=${TOOLS} /t /t'),
      [image('localhost/base', 2), image('', 3, 'copy-from', '${TOOLS}', ['TOOLS'])],
    ],
    [
      'RUN --mount=type=bind,from=<image ref>',
      file(
        'FROM quay.io/fedora/fedora-bootc:44',
        'RUN --mount=type=bind,from=ghcr.io/acme/rpms:latest,source=/rpms,target=/tmp/rpms \\',
        '    --mount=type=cache,target=/var/cache/dnf \\',
        '    dnf -y install /tmp/rpms/*.rpm',
      ),
      [image('quay.io/fedora/fedora-bootc:44', 1), image('ghcr.io/acme/rpms:latest', 2, 'mount-from')],
    ],
    [
      'tags and digests',
      file(`FROM quay.io/fedora/fedora-bootc@${DIGEST}`, `FROM ghcr.io/acme/edge-node:1.0@${DIGEST}`),
      [image(`quay.io/fedora/fedora-bootc@${DIGEST}`, 1), image(`ghcr.io/acme/edge-node:1.0@${DIGEST}`, 2)],
    ],
    [
      'refs with and without localhost/',
      file('FROM localhost/edge-node:latest AS a', 'FROM edge-node AS b'),
      [image('localhost/edge-node:latest', 1), image('edge-node', 2)],
    ],
    [
      'line continuations inside FROM',
      file('FROM \\', '  --platform=linux/arm64 \\', '  quay.io/fedora/fedora-bootc:\\', '44 \\', '  AS final'),
      [image('quay.io/fedora/fedora-bootc:44', 1)],
    ],
    [
      'comments, also between continued lines',
      file('# FROM commented/out', '# syntax=docker/dockerfile:1', 'FROM \\', '# a comment inside', '  quay.io/fedora/fedora-bootc:44'),
      [image('quay.io/fedora/fedora-bootc:44', 3)],
    ],
    [
      'heredocs, whose body is not parsed as instructions',
      file(
        'FROM quay.io/fedora/fedora-bootc:44',
        'RUN <<EOF',
        'set -euo pipefail',
        'FROM not/an-image',
        'COPY --from=not/an-image-either /a /b',
        'EOF',
        'COPY <<-EOT /etc/motd',
        '  FROM neither',
        'EOT',
        'FROM localhost/after-heredoc',
      ),
      [image('quay.io/fedora/fedora-bootc:44', 1), image('localhost/after-heredoc', 10)],
    ],
    [
      'lowercase instructions',
      file('arg BASE=quay.io/fedora/fedora-bootc:44', 'from ${BASE} as build', 'copy --from=ghcr.io/acme/x:1 /a /b', 'from build'),
      [image('quay.io/fedora/fedora-bootc:44', 2, 'from', '${BASE}'), image('ghcr.io/acme/x:1', 3, 'copy-from')],
    ],
    [
      'an ARG with no default is listed in unresolved',
      file('ARG BASE', 'FROM ${BASE}'),
      [image('', 2, 'from', '${BASE}', ['BASE'])],
    ],
    [
      'an ARG with no default in the tag keeps the repository',
      file('ARG TAG', 'FROM localhost/edge-node:${TAG}'),
      [image('localhost/edge-node', 2, 'from', 'localhost/edge-node:${TAG}', ['TAG'])],
    ],
    [
      'an ARG with no default reached through another ARG',
      file('ARG TAG', 'ARG BASE=ghcr.io/acme/edge-node:${TAG}', 'FROM $BASE'),
      [image('ghcr.io/acme/edge-node', 3, 'from', '$BASE', ['TAG'])],
    ],
    [
      'an ARG declared after the first FROM is not visible to a later FROM',
      file('FROM quay.io/fedora/fedora:44', 'ARG LATE=quay.io/late/image', 'FROM ${LATE}'),
      [image('quay.io/fedora/fedora:44', 1), image('', 3, 'from', '${LATE}', ['LATE'])],
    ],
    ['an empty file', '', []],
  ])('%s', (_title, content, expected) => {
    expect(parseContainerfile(content).images).toEqual(expected);
  });
});

describe('parseContainerfile stages', () => {
  it('lists every stage with its name, line, expanded base and whether it builds on a stage', () => {
    const parsed = parseContainerfile(
      file(
        'ARG BASE=quay.io/fedora/fedora-bootc:44',
        'FROM scratch AS ctx',
        'COPY files /',
        'FROM ${BASE} AS Base',
        'RUN --mount=type=bind,from=ctx,target=/ctx /ctx/build.sh',
        'LABEL containers.bootc=1',
        'FROM base',
      ),
    );
    const stages = parsed.stages.map(({ instructions, ...stage }) => ({ ...stage, instructions: instructions.map((i) => i.getKeyword()) }));
    expect(stages).toEqual([
      { index: 0, name: 'ctx', line: 2, base: 'scratch', baseIsStage: true, instructions: ['COPY'] },
      { index: 1, name: 'Base', line: 4, base: 'quay.io/fedora/fedora-bootc:44', baseIsStage: false, instructions: ['RUN', 'LABEL'] },
      { index: 2, name: undefined, line: 7, base: 'base', baseIsStage: true, instructions: [] },
    ]);
  });

  it('records global args with their expanded defaults, and not those of stages', () => {
    const parsed = parseContainerfile(
      file('ARG MAJOR=stream10 NONE', 'ARG BASE=quay.io/centos-bootc/centos-bootc:${MAJOR}', 'FROM ${BASE}', 'ARG IN_STAGE=1'),
    );
    expect(parsed.globalArgs).toEqual(
      new Map([
        ['MAJOR', 'stream10'],
        ['NONE', undefined],
        ['BASE', 'quay.io/centos-bootc/centos-bootc:stream10'],
      ]),
    );
  });

  it('resolves COPY --from through the ENV of the stage', () => {
    const parsed = parseContainerfile(file('FROM localhost/base', 'ENV TOOLS=ghcr.io/acme/tools', 'COPY --from=${TOOLS}:2 /t /t'));
    expect(parsed.images.at(-1)).toEqual(image('ghcr.io/acme/tools:2', 3, 'copy-from', '${TOOLS}:2'));
  });
});

describe('expandVariables', () => {
  const vars = new Map<string, string | undefined>([
    ['SET', 'value'],
    ['EMPTY', ''],
    ['UNSET', undefined],
    ['VERSION', 'stream10.1-beta'],
  ]);

  test.each<[string, string, string[]]>([
    ['$SET', 'value', []],
    ['${SET}', 'value', []],
    ['pre-${SET}-post', 'pre-value-post', []],
    ['$SET.$SET', 'value.value', []],
    ['${UNSET}', '', ['UNSET']],
    ['$MISSING', '', ['MISSING']],
    ['${UNSET:-fallback}', 'fallback', []],
    ['${EMPTY:-fallback}', 'fallback', []],
    ['${EMPTY-fallback}', '', []],
    ['${UNSET-fallback}', 'fallback', []],
    ['${SET:-fallback}', 'value', []],
    ['${SET:+alt}', 'alt', []],
    ['${EMPTY:+alt}', '', []],
    ['${EMPTY+alt}', 'alt', []],
    ['${UNSET:+alt}', '', []],
    ['${UNSET:?must be set}', '', ['UNSET']],
    ['${A:-${B:-${SET}}}', 'value', []],
    ['${A:-${B}/x}', '/x', ['B']],
    ['${A:-{braces\\}}', '{braces}', []],
    ['${VERSION%%.*}', 'stream10', []],
    ['${VERSION%.*}', 'stream10', []],
    ['${VERSION%-*}', 'stream10.1', []],
    ['${VERSION#stream}', '10.1-beta', []],
    ['${VERSION##*.}', '1-beta', []],
    ['"quoted ${SET}"', 'quoted value', []],
    ["'single ${SET}'", 'single ${SET}', []],
    ['\\$SET', '$SET', []],
    ['"a\\$SET"', 'a$SET', []],
    ['"a\\b"', 'a\\b', []],
    ['$', '$', []],
    ['$1', '$1', []],
    ['${', '${', []],
    ['${SET', '${SET', []],
    ['100$', '100$', []],
  ])('%s → %s', (text, expected, unresolved) => {
    const missing: string[] = [];
    expect(expandVariables(text, vars, missing)).toBe(expected);
    expect(missing).toEqual(unresolved);
  });
});

describe('parseContainerfile with build args', () => {
  test.each([
    ['a global ARG default', 'ARG BASE_IMAGE=localhost/edge-node:latest\nFROM ${BASE_IMAGE}\n', { BASE_IMAGE: 'quay.io/fedora/fedora-bootc:44' }, ['quay.io/fedora/fedora-bootc:44']],
    ['an ARG without default', 'ARG TAG\nFROM localhost/edge-node:${TAG}\n', { TAG: 'dev' }, ['localhost/edge-node:dev']],
    ['a stage ARG used by COPY --from', 'FROM scratch\nARG TOOLS=ghcr.io/acme/tools:1\nCOPY --from=${TOOLS} /x /x\n', { TOOLS: 'localhost/tools:2' }, ['localhost/tools:2']],
    ['an arg the file does not declare', 'FROM localhost/edge-node:${TAG}\n', { TAG: 'dev' }, ['localhost/edge-node']],
  ])('%s', (_name, content, buildArgs, refs) => {
    expect(parseContainerfile(content, buildArgs).images.map((i) => i.ref)).toEqual(refs);
  });
});
