import { githubOutputs } from './plan';
import { planWaves, type GraphProject } from './waves';

// base <- flavor-a <- arm (through a family's declaring project with no targets), base <- flavor-b; other stands alone.
const graph = new Map<string, GraphProject>(
  (
    [
      ['base', []],
      ['flavor-a', ['base']],
      ['flavor-b', ['base', 'shared-scripts']],
      ['family', ['flavor-a']],
      ['arm', ['family']],
      ['other', []],
      ['shared-scripts', []],
    ] as const
  ).map(([name, dependencies]) => [name, { name, dependencies: [...dependencies], runner: name === 'arm' ? ['ubuntu-24.04-arm'] : [], platforms: name === 'arm' ? ['linux/arm64'] : [] }]),
);
const names = (waves: ReturnType<typeof planWaves>) => waves.map((w) => w.map((e) => e.project));

test('a change to the base: every image in FROM order, flavors of one base together', () => {
  expect(names(planWaves(['arm', 'base', 'flavor-a', 'flavor-b'], graph))).toEqual([['base'], ['flavor-a', 'flavor-b'], ['arm']]);
});

test('a flavor alone: one wave; its unaffected base is not waited for (its image comes from the cache and registry)', () => {
  expect(names(planWaves(['flavor-b'], graph))).toEqual([['flavor-b']]);
  expect(names(planWaves(['arm', 'flavor-a'], graph))).toEqual([['flavor-a'], ['arm']]);
  expect(names(planWaves(['arm', 'other'], graph))).toEqual([['arm', 'other']]);
});

test('nothing affected: no wave', () => {
  expect(planWaves([], graph)).toEqual([]);
});

test('each entry carries its runner labels and platforms', () => {
  expect(planWaves(['arm'], graph)).toEqual([[{ project: 'arm', runner: ['ubuntu-24.04-arm'], platforms: ['linux/arm64'] }]]);
});

test('a cycle is named', () => {
  const cyclic = new Map<string, GraphProject>([
    ['a', { name: 'a', dependencies: ['b'], runner: [], platforms: [] }],
    ['b', { name: 'b', dependencies: ['a'], runner: [], platforms: [] }],
  ]);
  expect(() => planWaves(['a', 'b'], cyclic)).toThrow(/are built FROM each other in a cycle/);
});

test('githubOutputs: one matrix include list per wave job, empty ones too; more waves than jobs is an error naming the fix', () => {
  const plan = { affected: ['base', 'flavor-a'], waves: planWaves(['base', 'flavor-a'], graph), depth: 3 };
  expect(githubOutputs(plan, 3).split('\n')).toEqual([
    'any=true',
    'affected=["base","flavor-a"]',
    'waves=[["base"],["flavor-a"]]',
    'wave0=[{"project":"base","runner":[],"platforms":[]}]',
    'wave1=[{"project":"flavor-a","runner":[],"platforms":[]}]',
    'wave2=[]',
    '',
  ]);
  expect(() => githubOutputs(plan, 1)).toThrow(/need 2 waves, but the pipeline has 1 wave jobs.*--fanOut --waves=2 --force/);
});
