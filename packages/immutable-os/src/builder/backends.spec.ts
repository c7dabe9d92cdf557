import { BUILDER_BACKEND_NAMES, BUILDER_BACKENDS, planRuns, type BuilderRunSpec } from './backends';
import { IMAGE_TYPE_NAMES, artifactPath } from './image-types';

const RUN: BuilderRunSpec = { types: ['qcow2'], imageRef: 'localhost/kiosk:latest', chown: '1000:1000', progress: 'verbose', extraArgs: [] };

describe('BUILDER_BACKENDS', () => {
  it('is the enum of bootc-convert\'s builderBackend option', () => {
    const schema = require('../executors/convert/schema.json');
    expect(schema.properties.builderBackend.enum).toEqual(BUILDER_BACKEND_NAMES);
  });

  test.each([
    ['bootc-image-builder: several types a run, the image last', 'bootc-image-builder', { ...RUN, types: ['qcow2', 'raw'], rootfs: 'xfs' }, 'build --type qcow2 --type raw --rootfs xfs --chown 1000:1000 --progress verbose localhost/kiosk:latest'],
    ['bootc-image-builder: bootc-installer with its payload', 'bootc-image-builder', { ...RUN, types: ['bootc-installer'], imageRef: 'quay.io/x/installer:44', payloadRef: 'localhost/kiosk:latest' }, 'build --type bootc-installer --chown 1000:1000 --installer-payload-ref localhost/kiosk:latest --progress verbose quay.io/x/installer:44'],
    [
      'image-builder: --bootc-ref, the config as --blueprint, named outputs, warnings not fatal, the type last',
      'image-builder',
      { ...RUN, configPath: '/config.toml', rootfs: 'ext4', useLibrepo: false },
      'build --bootc-ref localhost/kiosk:latest --bootc-default-fs ext4 --blueprint /config.toml --use-librepo=false --output-dir /output --output-name disk --with-manifest --ignore-warnings --progress verbose qcow2',
    ],
    [
      'image-builder: --arch in the bootc name (amd64 is x86_64 there)',
      'image-builder',
      { ...RUN, targetArch: 'amd64' },
      'build --bootc-ref localhost/kiosk:latest --arch x86_64 --output-dir /output --output-name disk --with-manifest --ignore-warnings --progress verbose qcow2',
    ],
    [
      'image-builder: bootc-installer with its payload',
      'image-builder',
      { ...RUN, types: ['bootc-installer'], imageRef: 'quay.io/x/installer:44', payloadRef: 'localhost/kiosk:latest' },
      'build --bootc-ref quay.io/x/installer:44 --bootc-installer-payload-ref localhost/kiosk:latest --output-dir /output --output-name disk --with-manifest --ignore-warnings --progress verbose bootc-installer',
    ],
  ] as const)('%s', (_name, backend, run, argv) => {
    expect(BUILDER_BACKENDS[backend].args(run).join(' ')).toBe(argv);
  });

  test.each(IMAGE_TYPE_NAMES.filter((t) => t !== 'anaconda-iso'))('image-builder makes %s alone in its run, as disk.<ext>, which bootc-convert moves to its own name', (type) => {
    expect(planRuns('image-builder', [type, 'qcow2'])[0]).toEqual([type]);
    expect(BUILDER_BACKENDS['image-builder'].written(type)).toMatch(/^disk\.(qcow2|raw|vmdk|vhd|tar\.gz|ova|tar\.xz|iso)$/);
    expect(artifactPath(type)).toMatch(new RegExp(`^${type}/`));
  });

  test('image-builder refuses anaconda-iso, naming the way out; bootc-image-builder makes it', () => {
    expect(() => planRuns('image-builder', ['qcow2', 'anaconda-iso'])).toThrow('types: image-builder refuses anaconda-iso ("please consider switching to bootc-installer or use bootc-image-builder"): use bootc-installer, or builderBackend bootc-image-builder.');
    expect(planRuns('bootc-image-builder', ['qcow2', 'anaconda-iso'])).toEqual([['qcow2'], ['anaconda-iso']]);
  });

  test.each([
    ['bootc-image-builder', 'manifest-qcow2-raw.json', true],
    ['bootc-image-builder', 'disk.osbuild-manifest.json', false],
    ['image-builder', 'disk.osbuild-manifest.json', true],
    ['image-builder', 'manifest-qcow2.json', false],
  ] as const)('%s: %s is its manifest: %s', (backend, file, manifest) => {
    expect(BUILDER_BACKENDS[backend].isManifest(file)).toBe(manifest);
  });
});
