import { ENGINE_NAMES } from './engine';
import { ENGINE_COMMANDS, normalizeImageId } from './engine-commands';

const ID = 'c'.repeat(64);

describe('ENGINE_COMMANDS', () => {
  test('has every engine', () => {
    expect(Object.keys(ENGINE_COMMANDS)).toEqual(ENGINE_NAMES);
  });

  test.each([
    ['podman', 'imageExists', [ID], ['image', 'exists', ID]],
    ['docker', 'imageExists', [ID], ['image', 'inspect', '--format', '{{.Id}}', ID]],
    ['buildah', 'imageExists', [ID], ['inspect', '--type', 'image', '--format', '{{.FromImageID}}', ID]],
    ['podman', 'imageId', ['r/x:1'], ['image', 'inspect', '--format', '{{.Id}}', 'r/x:1']],
    ['docker', 'imageId', ['r/x:1'], ['image', 'inspect', '--format', '{{.Id}}', 'r/x:1']],
    ['buildah', 'imageId', ['r/x:1'], ['inspect', '--type', 'image', '--format', '{{.FromImageID}}', 'r/x:1']],
    ['podman', 'save', [ID, '/d/image.oci.tar'], ['save', '--format', 'oci-archive', '--output', '/d/image.oci.tar', ID]],
    ['docker', 'save', [ID, '/d/image.oci.tar'], ['save', '--output', '/d/image.oci.tar', ID]],
    ['buildah', 'save', [ID, '/d/image.oci.tar'], ['push', '--quiet', ID, 'oci-archive:/d/image.oci.tar']],
    ['podman', 'load', ['/d/a b.tar'], ['load', '--input', '/d/a b.tar']],
    ['docker', 'load', ['/d/a.tar'], ['load', '--input', '/d/a.tar']],
    ['buildah', 'load', ['/d/a.tar'], ['pull', '--quiet', 'oci-archive:/d/a.tar']],
    ['podman', 'tag', [ID, 'r/x:1'], ['tag', ID, 'r/x:1']],
    ['docker', 'tag', [ID, 'r/x:1'], ['tag', ID, 'r/x:1']],
    ['buildah', 'tag', [ID, 'r/x:1'], ['tag', ID, 'r/x:1']],
  ] as const)('%s %s', (engine, command, args, expected) => {
    const build = ENGINE_COMMANDS[engine][command] as (...a: string[]) => string[];
    expect(build(...args)).toEqual(expected);
  });
});

test.each([
  ['podman', ['image', 'inspect', '--format', '{{.Id}} {{join .RepoTags " "}}', ID, 'b'.repeat(64)], 125],
  ['docker', ['image', 'inspect', '--format', '{{.Id}}{{range .RepoTags}} {{.}}{{end}}', ID, 'b'.repeat(64)], 1],
  // buildah inspects one image at a time: every image, with --all (an untagged base of other images is hidden without it)
  ['buildah', ['images', '--all', '--no-trunc', '--format', '{{.ID}} {{.Name}}:{{.Tag}}'], undefined],
] as const)('%s inspectImages: one call for all the recorded IDs', (engine, argv, missingExit) => {
  expect(ENGINE_COMMANDS[engine].inspectImages.argv([ID, 'b'.repeat(64)])).toEqual(argv);
  expect(ENGINE_COMMANDS[engine].inspectImages.missingExit).toBe(missingExit);
});

test.each([
  [`sha256:${ID}`, ID],
  [`${ID}\n`, ID],
  [`  sha256:${ID}  `, ID],
  [ID, ID],
])('normalizeImageId(%j)', (raw, id) => {
  expect(normalizeImageId(raw)).toBe(id);
});
