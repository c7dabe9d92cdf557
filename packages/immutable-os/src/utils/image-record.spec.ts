import { join } from 'node:path';
import { createTestWorkspace, imageRecord, writeImageRecord, type TestWorkspace } from '../testing/test-workspace';
import { imageOutputDir, readImageRecord } from './image-record';

describe('readImageRecord', () => {
  let ws: TestWorkspace;
  beforeEach(() => (ws = createTestWorkspace()));
  afterEach(() => ws.cleanup());

  test('imageOutputDir is dist/images/<project> under the workspace root', () => {
    expect(imageOutputDir('/ws', 'edge-node')).toBe(join('/ws', 'dist', 'images', 'edge-node'));
  });

  test('reads a record bootc-build wrote', () => {
    const record = imageRecord('edge-node', 'd'.repeat(64), { archive: 'image.oci.tar', baseImages: [{ ref: 'quay.io/x:1', imageId: 'e'.repeat(64) }] });
    writeImageRecord(ws.root, record);
    expect(readImageRecord(ws.root, 'edge-node')).toEqual(record);
  });

  test('a missing record says to build first, with the build target given', () => {
    expect(() => readImageRecord(ws.root, 'edge-node', 'os-build')).toThrow(
      'dist/images/edge-node/image.json does not exist: build the image first with nx run edge-node:os-build.',
    );
  });

  test('invalid JSON says to rebuild without the cache', () => {
    ws.write({ 'dist/images/edge-node/image.json': '{ "project": ' });
    expect(() => readImageRecord(ws.root, 'edge-node')).toThrow(
      /^dist\/images\/edge-node\/image\.json is not valid JSON \(.+\): rebuild with nx run edge-node:bootc-build --skip-nx-cache\.$/,
    );
  });

  test.each([
    ['no refs', { refs: [] }, 'refs'],
    ['an unknown engine', { engine: 'kaniko' }, 'engine'],
    ['no image ID', { imageId: '' }, 'imageId'],
  ])('a record with %s names the field', (_name, overrides, field) => {
    ws.write({ 'dist/images/edge-node/image.json': JSON.stringify({ ...imageRecord('edge-node', 'd'.repeat(64)), ...overrides }) });
    expect(() => readImageRecord(ws.root, 'edge-node')).toThrow(
      new RegExp(`^dist/images/edge-node/image\\.json is not an image record of this immutable-os version \\(${field}: .+\\): rebuild with nx run edge-node:bootc-build --skip-nx-cache\\.$`),
    );
  });
});
