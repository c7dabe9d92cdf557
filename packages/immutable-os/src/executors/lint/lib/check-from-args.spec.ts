import { parseContainerfile } from '../../../utils/containerfile';
import { checkFromArgs } from './check-from-args';

const lint = (content: string, buildArgs: Record<string, string> = {}) =>
  checkFromArgs({ file: 'Containerfile', parsed: parseContainerfile(content, buildArgs), projectDir: '/nonexistent', isWorkspaceImage: () => false });

// bluefin's FROM: every part from build args its CI passes.
const BLUEFIN = 'ARG BASE_IMAGE="ghcr.io/ublue-os/silverblue-main"\nARG FEDORA_MAJOR_VERSION="42"\nARG BASE_IMAGE_SHA\nFROM ${BASE_IMAGE}:${FEDORA_MAJOR_VERSION}@${BASE_IMAGE_SHA} AS base\n';

describe('checkFromArgs (from-arg-unset)', () => {
  test.each([
    ['a literal FROM', 'FROM quay.io/fedora/fedora-bootc:44', {}],
    ['an arg with a default', 'ARG BASE=quay.io/fedora/fedora-bootc:44\nFROM ${BASE}', {}],
    ["bluefin's FROM with its args given", BLUEFIN, { BASE_IMAGE_SHA: `sha256:${'a'.repeat(64)}` }],
    ['COPY --from an unset arg (only FROM is checked)', 'ARG T\nFROM quay.io/a/b:1\nCOPY --from=${T} /x /x', {}],
  ])('passes: %s', (_name, content, args) => {
    expect(lint(content, args)).toEqual([]);
  });

  test('an arg whose default is "" and leaves no valid reference (bluefin\'s `ARG BASE_IMAGE_SHA=""`) is an arg without a value too', () => {
    const empty = BLUEFIN.replace('ARG BASE_IMAGE_SHA\n', 'ARG BASE_IMAGE_SHA=""\n');
    expect(lint(empty).map((f) => [f.rule, f.severity, f.line])).toEqual([['from-arg-unset', 'warning', 4]]);
    // An empty value that still makes a valid reference is a value.
    expect(lint('ARG SUFFIX=""\nFROM quay.io/fedora/fedora-bootc${SUFFIX}:44')).toEqual([]);
  });

  test("bluefin's FROM without BASE_IMAGE_SHA is a warning naming the arg and where to give it, not an invalid reference", () => {
    expect(lint(BLUEFIN)).toEqual([
      expect.objectContaining({
        rule: 'from-arg-unset',
        severity: 'warning',
        line: 4,
        message: "FROM ${BASE_IMAGE}:${FEDORA_MAJOR_VERSION}@${BASE_IMAGE_SHA} uses the build arg BASE_IMAGE_SHA, which has no value: give it in bootc-build's buildArgs or a default in the ARG line.",
      }),
    ]);
  });

  test('several args without a value are named together', () => {
    expect(lint('ARG IMAGE\nARG TAG\nFROM ${IMAGE}:${TAG}')[0].message).toBe(
      "FROM ${IMAGE}:${TAG} uses the build args IMAGE, TAG, which have no value: give them in bootc-build's buildArgs or a default in the ARG line.",
    );
  });
});
