import { parseContainerfile } from '../../../utils/containerfile';
import { indexImageProjects } from '../../../utils/image-project';
import { findWorkspaceBaseUses, substituteBases } from './workspace-bases';

const EDGE_ID = 'a'.repeat(64);
const PUBLISHED_ID = 'b'.repeat(64);
const imageFor = (project: string) => (project === 'edge-node' ? EDGE_ID : PUBLISHED_ID);

// edge-node builds localhost/edge-node (the default); published-node builds ghcr.io/acme/edge-node.
const index = indexImageProjects([
  ['edge-node', { metadata: {} }],
  ['published-node', { metadata: { 'immutable-os': { image: 'ghcr.io/acme/edge-node' } } }],
]);

function rewrite(content: string) {
  const uses = findWorkspaceBaseUses(content, parseContainerfile(content), index);
  return { uses: uses.map((u) => ({ ...u, text: content.slice(u.start, u.end) })), content: substituteBases(content, uses, (use) => imageFor(use.project)) };
}

describe('findWorkspaceBaseUses + substituteBases', () => {
  test('replaces every reference to a workspace image, as written, and nothing else', () => {
    const { uses, content } = rewrite(`ARG BASE_IMAGE=localhost/edge-node:latest
FROM \${BASE_IMAGE} AS base
RUN echo base

FROM ghcr.io/acme/edge-node:1 AS x
RUN echo x

FROM --platform=linux/amd64 localhost/edge-node
COPY --from=localhost/edge-node:latest /usr/bin/tool /usr/bin/tool
RUN --mount=type=bind,from=edge-node,target=/x \\
    cp /x/etc/motd /etc/motd
COPY --from=quay.io/fedora/fedora-bootc:42 /etc/os-release /tmp/os-release

FROM \\
  localhost/edge-node:latest \\
  AS continued
RUN --mount=type=cache,target=/var/cache \\
    --mount=type=bind,from=ghcr.io/acme/edge-node:1,target=/src \\
    ls /src

FROM quay.io/fedora/fedora-bootc:42
COPY --from=base /etc/motd /etc/motd
`);
    expect(uses.map(({ project, ref, kind, text }) => `${kind} ${project} ${ref} [${text}]`)).toMatchInlineSnapshot(`
[
  "from edge-node localhost/edge-node:latest [\${BASE_IMAGE}]",
  "from published-node ghcr.io/acme/edge-node:1 [ghcr.io/acme/edge-node:1]",
  "from edge-node localhost/edge-node [localhost/edge-node]",
  "copy-from edge-node localhost/edge-node:latest [localhost/edge-node:latest]",
  "mount-from edge-node edge-node [edge-node]",
  "from edge-node localhost/edge-node:latest [localhost/edge-node:latest]",
  "mount-from published-node ghcr.io/acme/edge-node:1 [ghcr.io/acme/edge-node:1]",
]
`);
    expect(content).toMatchInlineSnapshot(`
"ARG BASE_IMAGE=localhost/edge-node:latest
FROM aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa AS base
RUN echo base

FROM bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb AS x
RUN echo x

FROM --platform=linux/amd64 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
COPY --from=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa /usr/bin/tool /usr/bin/tool
RUN --mount=type=bind,from=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,target=/x \\
    cp /x/etc/motd /etc/motd
COPY --from=quay.io/fedora/fedora-bootc:42 /etc/os-release /tmp/os-release

FROM \\
  aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa \\
  AS continued
RUN --mount=type=cache,target=/var/cache \\
    --mount=type=bind,from=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb,target=/src \\
    ls /src

FROM quay.io/fedora/fedora-bootc:42
COPY --from=base /etc/motd /etc/motd
"
`);
  });

  test('an external base only: no uses, the text stays as it is', () => {
    const text = 'FROM quay.io/fedora/fedora-bootc:42\nCOPY --from=docker.io/library/busybox /bin/busybox /usr/bin/\n';
    const { uses, content } = rewrite(text);
    expect(uses).toEqual([]);
    expect(content).toBe(text);
  });

  test('two mounts of the same workspace image in one RUN are both replaced', () => {
    const { uses, content } = rewrite(
      'FROM quay.io/fedora/fedora-bootc:42\nRUN --mount=type=bind,from=edge-node,target=/a --mount=type=bind,from=edge-node,target=/b ls /a /b\n',
    );
    expect(uses.map((u) => u.text)).toEqual(['edge-node', 'edge-node']);
    expect(content).toBe(
      `FROM quay.io/fedora/fedora-bootc:42\nRUN --mount=type=bind,from=${EDGE_ID},target=/a --mount=type=bind,from=${EDGE_ID},target=/b ls /a /b\n`,
    );
  });

  test('an arg used by two FROMs is replaced in both, its default kept', () => {
    const { content } = rewrite('ARG BASE=localhost/edge-node\nFROM $BASE AS one\nFROM ${BASE}\n');
    expect(content).toBe(`ARG BASE=localhost/edge-node\nFROM ${EDGE_ID} AS one\nFROM ${EDGE_ID}\n`);
  });

  test('CRLF line endings keep their offsets', () => {
    const { content } = rewrite('FROM localhost/edge-node:latest\r\nRUN --mount=type=bind,from=edge-node,target=/x \\\r\n  true\r\n');
    expect(content).toBe(`FROM ${EDGE_ID}\r\nRUN --mount=type=bind,from=${EDGE_ID},target=/x \\\r\n  true\r\n`);
  });
});
