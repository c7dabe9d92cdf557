import { BOOTC_LABEL, imageLabels } from './labels';

const from = {
  projectName: 'edge-node',
  created: '2025-01-02T03:04:05.000Z',
  revision: '0123456789abcdef0123456789abcdef01234567',
  source: 'https://github.com/acme/os.git',
  version: '1.2.3',
};

describe('imageLabels', () => {
  test('adds the OCI annotations and containers.bootc=1', () => {
    expect(imageLabels(from, {})).toEqual({
      'org.opencontainers.image.title': 'edge-node',
      'org.opencontainers.image.created': '2025-01-02T03:04:05.000Z',
      'org.opencontainers.image.revision': '0123456789abcdef0123456789abcdef01234567',
      'org.opencontainers.image.source': 'https://github.com/acme/os.git',
      'org.opencontainers.image.version': '1.2.3',
      'containers.bootc': '1',
    });
  });

  test('leaves out what is unknown (outside git, no version)', () => {
    expect(imageLabels({ projectName: 'edge-node', created: from.created }, {})).toEqual({
      'org.opencontainers.image.title': 'edge-node',
      'org.opencontainers.image.created': from.created,
      'containers.bootc': '1',
    });
  });

  test('user labels are added and override the automatic ones, but containers.bootc stays 1', () => {
    const labels = imageLabels(from, { 'org.opencontainers.image.title': 'Edge Node', team: 'platform', [BOOTC_LABEL]: '0' });
    expect(labels['org.opencontainers.image.title']).toBe('Edge Node');
    expect(labels.team).toBe('platform');
    expect(labels[BOOTC_LABEL]).toBe('1');
  });
});
