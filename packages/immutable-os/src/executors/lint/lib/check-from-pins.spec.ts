import { parseContainerfile } from '../../../utils/containerfile';
import { checkFromPins } from './check-from-pins';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const pins = { file: 'image-versions.yml', pins: [{ name: 'fedora', image: 'quay.io/fedora/fedora-bootc', tag: '42', digest: DIGEST }] };
const lint = (text: string, withPins = true) =>
  checkFromPins({ file: 'images/a/Containerfile', parsed: parseContainerfile(text, { BASE: 'quay.io/centos-bootc/centos-bootc:stream10' }), projectDir: '/x', isWorkspaceImage: (ref) => ref.startsWith('localhost/edge'), ...(withPins ? { pins } : {}) });

describe('from-pin-missing', () => {
  it('warns about an external base the lock file does not pin, naming it and the file', () => {
    expect(lint('ARG BASE\nFROM ${BASE}\n').map((f) => [f.rule, f.severity, f.line, f.message])).toEqual([
      ['from-pin-missing', 'warning', 2, 'FROM ${BASE} (= quay.io/centos-bootc/centos-bootc:stream10) is not pinned in image-versions.yml, which pins this workspace\'s bases.'],
    ]);
  });

  it('is quiet for a pinned base, a digest, a workspace image, a stage, scratch, an unset arg, and a workspace without a lock file', () => {
    expect(lint('FROM quay.io/fedora/fedora-bootc:42 AS a\nFROM a\nFROM scratch\nFROM localhost/edge-node\nFROM quay.io/x/y@' + DIGEST + '\nARG NONE\nFROM ${NONE}\n')).toEqual([]);
    expect(lint('FROM quay.io/x/y:1\n', false)).toEqual([]);
  });
});
