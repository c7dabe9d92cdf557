import { parsePins, pinFor, pinnedBases, pinnedReference } from './pins';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
// bluefin's image-versions.yml, as its Justfile and Renovate read it (a number tag, as YAML reads 42).
const BLUEFIN = `images:
  - name: silverblue-main
    image: ghcr.io/ublue-os/silverblue-main
    tag: 42
    digest: ${A}
  - name: common
    image: ghcr.io/projectbluefin/common
    tag: latest
    digest: ${B}
`;

describe('pins', () => {
  const pins = parsePins(BLUEFIN, 'image-versions.yml');

  it("reads bluefin's lock file", () => {
    expect(pins).toEqual([
      { name: 'silverblue-main', image: 'ghcr.io/ublue-os/silverblue-main', tag: '42', digest: A },
      { name: 'common', image: 'ghcr.io/projectbluefin/common', tag: 'latest', digest: B },
    ]);
  });

  it('matches references by repository and tag (latest when none is written), never one that has a digest', () => {
    expect(pinFor(pins, 'ghcr.io/ublue-os/silverblue-main:42')?.name).toBe('silverblue-main');
    expect(pinFor(pins, 'ghcr.io/ublue-os/silverblue-main:41')).toBeUndefined();
    expect(pinFor(pins, 'ghcr.io/projectbluefin/common')?.name).toBe('common');
    expect(pinFor(pins, `ghcr.io/projectbluefin/common:latest@${A}`)).toBeUndefined();
    expect(pinnedBases(pins, ['ghcr.io/ublue-os/silverblue-main:42', 'quay.io/fedora/fedora-bootc:42', 'scratch'])).toEqual({ 'ghcr.io/ublue-os/silverblue-main:42': A });
    expect(pinnedReference('ghcr.io/ublue-os/silverblue-main:42', A)).toBe(`ghcr.io/ublue-os/silverblue-main:42@${A}`);
  });

  test.each([
    ['not YAML', 'images: [', 'image-versions.yml: not valid YAML'],
    ['no images list', 'pins: []\n', 'image-versions.yml: expected a list under "images:" (entries of name, image, tag, digest)'],
    ['an entry without a digest', 'images:\n  - name: a\n    image: quay.io/a/b\n    tag: "1"\n', 'image-versions.yml: images[0].digest: expected a string, got undefined.'],
    ['a digest that is not one', `images:\n  - name: a\n    image: quay.io/a/b\n    tag: "1"\n    digest: sha256:abc\n`, 'image-versions.yml: images[0].digest: "sha256:abc" is not a digest'],
    ['an image with a tag', `images:\n  - name: a\n    image: quay.io/a/b:1\n    tag: "1"\n    digest: ${A}\n`, 'image-versions.yml: images[0].image "quay.io/a/b:1" must be a repository without a tag'],
    ['a bad tag', `images:\n  - name: a\n    image: quay.io/a/b\n    tag: -x\n    digest: ${A}\n`, 'image-versions.yml: images[0].tag'],
    ['one reference twice', `images:\n  - name: a\n    image: quay.io/a/b\n    tag: "1"\n    digest: ${A}\n  - name: b\n    image: quay.io/a/b\n    tag: "1"\n    digest: ${B}\n`, 'image-versions.yml: images[1]: "b" (quay.io/a/b:1) repeats the entry "a" (quay.io/a/b:1); keep one.'],
  ])('refuses %s, naming the file, entry and key', (_, text, message) => {
    expect(() => parsePins(text, 'image-versions.yml')).toThrow(message);
  });
});
