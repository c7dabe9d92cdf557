import { fakeId, installFakeEngines, type FakeEngines } from '../../../testing/fake-engine';
import { imageRecord } from '../../../testing/test-workspace';
import { parseContainerfile } from '../../../utils/containerfile';
import type { Engine, EngineName } from '../../../utils/engine';
import { externalBaseIds } from './external-bases';

const FEDORA = 'quay.io/fedora/fedora-bootc:42';
const FEDORA_ID = fakeId('fedora');
const EDGE_ID = fakeId('edge-node');
const CONTAINERFILE = `FROM ${FEDORA} AS build
FROM localhost/edge-node:latest
COPY --from=docker.io/library/busybox /bin/busybox /usr/bin/
COPY --from=build /x /x
FROM registry.example/not-pulled:1
`;

describe('externalBaseIds', () => {
  let fake: FakeEngines;
  afterEach(() => fake.restore());

  test.each<EngineName>(['podman', 'docker', 'buildah'])('%s: workspace bases from their records, external ones from the engine', async (name) => {
    fake = installFakeEngines({ versions: { [name]: '99.0.0' }, state: { images: [FEDORA_ID], tags: { [FEDORA]: FEDORA_ID } } });
    const engine: Engine = { name, command: name, version: '99.0.0' };
    const records = new Map([['edge-node', imageRecord('edge-node', `sha256:${EDGE_ID}`)]]);

    expect(await externalBaseIds(engine, parseContainerfile(CONTAINERFILE), records, fake.dir)).toEqual([
      { ref: FEDORA, imageId: FEDORA_ID },
      { ref: 'localhost/edge-node:latest', project: 'edge-node', imageId: EDGE_ID },
      { ref: 'registry.example/not-pulled:1' },
    ]);
    // Only FROM images are asked about, and workspace ones not at all.
    expect(fake.calls().map((c) => c.args.at(-1))).toEqual([FEDORA, 'registry.example/not-pulled:1']);
  });
});
