import { parseContainerfile } from '../../../utils/containerfile';
import { finalStageChain, parentStage } from './stage-chain';

describe('finalStageChain', () => {
  test.each([
    ['FROM quay.io/a:1\nRUN true', [0]],
    ['FROM scratch AS ctx\nCOPY x /x\nFROM quay.io/a:1\nRUN true', [1]],
    ['FROM quay.io/a:1 AS base\nFROM golang:1 AS build\nFROM base AS mid\nFROM mid', [0, 2, 3]],
    ['FROM quay.io/a:1\nFROM 0', [0, 1]],
    ['FROM quay.io/a:1 AS Base\nFROM base', [0, 1]],
    ['ARG B=quay.io/a:1\n# only comments', []],
  ])('%j', (content, indexes) => {
    expect(finalStageChain(parseContainerfile(content)).map((s) => s.index)).toEqual(indexes);
  });

  test('parentStage is undefined for an image or scratch', () => {
    const parsed = parseContainerfile('FROM scratch\nFROM quay.io/a:1');
    expect(parsed.stages.map((s) => parentStage(parsed, s))).toEqual([undefined, undefined]);
  });
});
