import { addProjectConfiguration, readProjectConfiguration, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { imageGenerator } from '../image/generator';
import { variantsGenerator } from './generator';

describe('variants generator', () => {
  let tree: Tree;
  const variantsOf = (name: string) => (readProjectConfiguration(tree, name).metadata?.['immutable-os'] as { variants?: unknown }).variants;

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('nx g immutable-os:image --variants writes a family: the axes, no image of its own (each variant is localhost/<variant>)', async () => {
    await imageGenerator(tree, { name: 'bluefin', variants: ['flavor=main,nvidia', 'stream=stable,latest'], skipFormat: true });
    const project = readProjectConfiguration(tree, 'bluefin');
    expect(project.metadata?.['immutable-os']).toEqual({ variants: { formats: ['qcow2'], axes: { flavor: ['main', 'nvidia'], stream: ['stable', 'latest'] } } });
    expect(tree.exists('images/bluefin/Containerfile')).toBe(true);
  });

  it('with --image, the variants share it and are tagged by their axes', async () => {
    await imageGenerator(tree, { name: 'bluefin', image: 'ghcr.io/acme/bluefin', variants: ['flavor=main,nvidia'], skipFormat: true });
    expect(variantsOf('bluefin')).toEqual({ image: 'ghcr.io/acme/bluefin', tags: ['{flavor}'], formats: ['qcow2'], axes: { flavor: ['main', 'nvidia'] } });
  });

  it('adds a value to an axis (list or object form) and nothing else', async () => {
    await imageGenerator(tree, { name: 'bluefin', variants: ['flavor=main,nvidia', 'stream=stable'], skipFormat: true });
    await variantsGenerator(tree, { project: 'bluefin', cppFlags: ['flavor=nvidia:-DNVIDIA'], skipFormat: true });
    await variantsGenerator(tree, { project: 'bluefin', axis: ['stream=beta', 'flavor=asus'], skipFormat: true });
    expect(variantsOf('bluefin')).toEqual({ formats: ['qcow2'], axes: { flavor: { main: {}, nvidia: { cppFlags: ['-DNVIDIA'] }, asus: {} }, stream: ['stable', 'beta'] } });
  });

  it("turns a plain image project into a family: its image settings and bootc target options move into the matrix", async () => {
    await imageGenerator(tree, { name: 'kiosk', image: 'ghcr.io/acme/kiosk', tags: 'latest,{sha}', skipFormat: true });
    const project = readProjectConfiguration(tree, 'kiosk');
    project.targets = { 'bootc-build': { options: { pull: 'newer' } }, other: { command: 'echo' } };
    tree.write('images/kiosk/project.json', JSON.stringify(project));
    await variantsGenerator(tree, { project: 'kiosk', axis: ['edition=base,dx'], buildArgs: ['EDITION={edition}'], skipFormat: true });
    const after = readProjectConfiguration(tree, 'kiosk');
    expect(after.targets).toEqual({ other: { command: 'echo' } });
    expect(after.metadata?.['immutable-os']).toEqual({
      variants: {
        image: 'ghcr.io/acme/kiosk',
        tags: ['{edition}', '{edition}-{sha}'],
        formats: ['qcow2'],
        options: { 'bootc-build': { pull: 'newer' } },
        axes: { edition: ['base', 'dx'] },
        buildArgs: { EDITION: '{edition}' },
      },
    });
  });

  test.each<[string, Parameters<typeof variantsGenerator>[1], string]>([
    ['an unknown project', { project: 'nope', axis: ['a=b'] }, 'project: there is no project "nope" in this workspace'],
    ['a project without a Containerfile', { project: 'lib', axis: ['a=b'] }, 'project: lib (libs/lib) has no Containerfile, so it is not an image project'],
    ['an axis that is not name=values', { project: 'bluefin', axis: ['stream'] }, 'axis: "stream" is not name=value1,value2'],
    ['a value the axis has', { project: 'bluefin', axis: ['flavor=main'] }, 'axis: bluefin already has the value "main" on axis flavor.'],
    ['a value that is not one', { project: 'bluefin', axis: ['flavor=nv idia'] }, 'images/bluefin/project.json: metadata["immutable-os"].variants.axes.flavor: "nv idia" is not an axis value'],
    ['a template that names two cells alike', { project: 'bluefin', axis: ['stream=beta,stable'], name: '{project}-{flavor}' }, 'variants.name: "{project}-{flavor}" gives "bluefin-main" to two cells'],
    ['a cpp flag for an unknown value', { project: 'bluefin', cppFlags: ['flavor=amd:-DAMD'] }, 'cppFlags: "amd" is not a value of axis flavor (main, nvidia).'],
  ])('refuses %s and changes nothing', async (_, options, message) => {
    await imageGenerator(tree, { name: 'bluefin', variants: ['flavor=main,nvidia'], skipFormat: true });
    addProjectConfiguration(tree, 'lib', { root: 'libs/lib' });
    const before = tree.read('images/bluefin/project.json', 'utf-8');
    await expect(variantsGenerator(tree, { ...options, skipFormat: true })).rejects.toThrow(message);
    expect(tree.read('images/bluefin/project.json', 'utf-8')).toBe(before);
  });
});
