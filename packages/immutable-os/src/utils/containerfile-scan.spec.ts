import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseContainerfile } from './containerfile';
import { scanImageUses } from './containerfile-scan';

const file = (...lines: string[]) => lines.join('\n') + '\n';
const DIGEST = 'sha256:' + 'c'.repeat(64);

// What `nx g immutable-os:image` writes, with its comment header.
const GENERATED = readFileSync(join(__dirname, '../generators/image/files/Containerfile.template'), 'utf8')
  .replace(/<%= name %>/g, 'kiosk')
  .replace(/<%= baseImage %>/g, 'localhost/edge-node:latest');

describe('scanImageUses reads the common forms exactly', () => {
  test.each<[string, string]>([
    ['the generated Containerfile', GENERATED],
    ['a plain FROM', file('FROM quay.io/fedora/fedora-bootc:44', 'RUN dnf -y install tmux && dnf clean all')],
    ['FROM with --platform and AS', file('FROM --platform=linux/amd64 quay.io/centos-bootc/centos-bootc:stream10 AS x')],
    ['ARG-based FROM', file('ARG BASE_IMAGE=localhost/edge-node:latest', 'FROM ${BASE_IMAGE}', 'LABEL containers.bootc=1')],
    ['nested ARG defaults', file('ARG REGISTRY=ghcr.io', 'ARG REPO=${REGISTRY}/ublue-os', 'FROM ${REPO}/base-main:${TAG:-41}')],
    ['an ARG without default', file('ARG TAG', 'FROM localhost/edge-node:${TAG}')],
    ['an ARG after the first FROM', file('FROM quay.io/fedora/fedora:44', 'ARG LATE=quay.io/late/image', 'FROM ${LATE}')],
    [
      'multi-stage with COPY --from a stage and an image',
      file('FROM localhost/base:latest AS tools', 'RUN make', 'FROM localhost/mid:latest', 'COPY --from=tools /out/ /usr/share/x/', 'COPY --from=ghcr.io/acme/tools:1 /t /t', 'COPY --from=0 /a /b'),
    ],
    ['COPY --from a stage ARG', file('ARG TOOLS=ghcr.io/acme/tools:1', 'FROM localhost/base', 'ARG TOOLS', 'COPY --from=${TOOLS} /t /t')],
    ['COPY --from through ENV', file('FROM localhost/base', 'ENV TOOLS=ghcr.io/acme/tools A=1', 'COPY --from=${TOOLS}:2 /t /t')],
    [
      'RUN --mount flags over continued lines, quotes in the command',
      file(
        'FROM scratch AS ctx',
        'FROM quay.io/fedora/fedora-bootc:44',
        'RUN --mount=type=bind,from=ghcr.io/acme/rpms:latest,source=/rpms,target=/tmp/rpms \\',
        '    --mount=type=bind,from=ctx,target=/ctx \\',
        '    --mount=type=cache,target=/var/cache/dnf \\',
        '    dnf -y install /tmp/rpms/*.rpm && echo "done" > /etc/done',
      ),
    ],
    ['line continuations inside FROM', file('FROM \\', '  --platform=linux/arm64 \\', '  quay.io/fedora/fedora-bootc:\\', '44 \\', '  AS final')],
    ['lowercase instructions', file('arg BASE=quay.io/fedora/fedora-bootc:44', 'from ${BASE} as build', 'copy --from=ghcr.io/acme/x:1 /a /b', 'from build')],
    ['tags and digests', file(`FROM quay.io/fedora/fedora-bootc@${DIGEST}`, `FROM ghcr.io/acme/edge-node:1.0@${DIGEST}`)],
    ['quotes and escapes outside the instructions read', file('FROM localhost/base', `LABEL description="a \\"quoted\\" label"`, "CMD ['/bin/sh']", 'RUN echo \'x\' > /y')],
    ['an empty file', ''],
  ])('%s', (_title, content) => {
    const scanned = scanImageUses(content);
    expect(scanned).toBeDefined();
    expect(scanned).toEqual(parseContainerfile(content).images);
  });
});

describe('scanImageUses leaves other forms to the full parser', () => {
  test.each<[string, string]>([
    ['a heredoc', file('FROM localhost/base', 'RUN <<EOF', 'FROM not/an-image', 'EOF')],
    ['an escape directive', file('# escape=`', 'FROM localhost/base')],
    ['CR line ends', 'FROM localhost/base\r\nFROM localhost/other\r\n'],
    ['a quoted ARG default', file('ARG BASE="ghcr.io/acme/edge-node:latest"', 'FROM $BASE')],
    ['a quoted FROM', file('FROM "localhost/base"')],
    ['a quoted COPY --from', file('FROM localhost/base', "COPY --from='ghcr.io/acme/tools:1' /t /t")],
    ['a comment inside a continued instruction', file('FROM \\', '# a comment inside', '  quay.io/fedora/fedora-bootc:44')],
    ['a blank line inside a continued instruction', file('RUN echo \\', '', 'FROM localhost/base')],
    ['a continuation on the last line', 'FROM localhost/base \\'],
    ['blanks after a continuation backslash', file('FROM \\  ', 'localhost/base')],
    ['ENV NAME value', file('FROM localhost/base', 'ENV TOOLS ghcr.io/acme/tools', 'COPY --from=${TOOLS} /t /t')],
    ['an empty value after =', file('ARG BASE=', 'FROM ${BASE:-localhost/base}')],
  ])('%s', (_title, content) => {
    expect(scanImageUses(content)).toBeUndefined();
  });
});

// Lines of every kind the scanner reads or must refuse, combined at random: whenever it answers,
// its answer is the full parser's.
const PIECES = [
  'FROM localhost/base:latest',
  'FROM localhost/base:latest AS build',
  'from ${BASE}',
  'FROM ${BASE:-quay.io/fedora/fedora-bootc:44} as Final',
  'FROM --platform=$BUILDPLATFORM ${REPO}/tools:${TAG}',
  'FROM build',
  'FROM scratch AS ctx',
  'FROM 0',
  'FROM',
  'ARG BASE=localhost/edge-node',
  'ARG TAG',
  'ARG REPO=ghcr.io/acme TAG=1.0',
  'ARG BASE="localhost/quoted"',
  'arg BASE=',
  'ENV TOOLS=ghcr.io/acme/tools',
  'ENV TOOLS ghcr.io/acme/legacy',
  "ENV A='x y'",
  'COPY --from=build /a /b',
  'COPY --from=${TOOLS}:2 /t /t',
  'COPY --from=ctx --chown=0:0 /a /b',
  'COPY --from="localhost/q" /a /b',
  'COPY rootfs/ /',
  'ADD --from=localhost/ignored /a /b',
  'RUN --mount=type=bind,from=ctx,target=/ctx /ctx/build.sh',
  'RUN --mount=type=bind,from=${TOOLS},target=/t --mount=type=cache,target=/c make',
  'RUN --network=none --mount=from=localhost/base true',
  'RUN echo "FROM not-an-image" \\',
  '  && echo --mount=from=nope',
  '    localhost/continued \\',
  'RUN cat <<EOF > /etc/x',
  'RUN <<EOF',
  'COPY <<-EOT /etc/motd',
  'EOF',
  'EOT',
  'LABEL containers.bootc=1 description="x y"',
  '# FROM commented/out',
  '  # indented comment',
  '',
  '   ',
  '\tFROM\tlocalhost/tabbed',
  'ONBUILD COPY --from=localhost/onbuild /a /b',
  'CMD ["/bin/sh", "-c", "echo \\"hi\\""]',
  'RUN --mount=type=secret,id=x \\',
  'FROM localhost/a:\\',
  '1.0',
  'USER 0',
  'WORKDIR /',
];

function random(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
}

describe('scanImageUses against the full parser', () => {
  it('agrees with parseContainerfile on 3,000 random files whenever it answers', () => {
    const next = random(42);
    let answered = 0;
    for (let n = 0; n < 3000; n++) {
      const lines = Array.from({ length: 1 + next(12) }, () => PIECES[next(PIECES.length)]);
      const content = lines.join('\n') + (next(4) === 0 ? '' : '\n');
      const scanned = scanImageUses(content);
      if (scanned === undefined) continue;
      answered++;
      expect({ content, images: scanned }).toEqual({ content, images: parseContainerfile(content).images });
    }
    // The comparison means something only if the scanner answers for a good share of them.
    expect(answered).toBeGreaterThan(600);
  });
});
