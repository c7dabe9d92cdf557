import { secretSpecs } from './secret-specs';

describe('secretSpecs', () => {
  test.each<[string, readonly string[] | string | undefined, string[]]>([
    ['nothing', undefined, []],
    ['an empty list', [], []],
    ['whole specs from project.json', ['id=a,src=a.txt', 'id=b,env=B'], ['id=a,src=a.txt', 'id=b,env=B']],
    ['one spec split by Nx at its comma', ['id=s', 'src=missing.txt'], ['id=s,src=missing.txt']],
    ['two specs split by Nx', ['id=a', 'src=a.txt', 'id=b', 'env=B'], ['id=a,src=a.txt', 'id=b,env=B']],
    ['type first, split by Nx', ['type=env', 'id=t', 'src=TOKEN', 'type=file', 'id=f', 'src=f.txt'], ['type=env,id=t,src=TOKEN', 'type=file,id=f,src=f.txt']],
    ['one string', 'id=s,src=s.txt', ['id=s,src=s.txt']],
    ['a part without "=" stays in its spec (parseSecret reports it)', ['id=s', 'oops'], ['id=s,oops']],
  ])('%s', (_title, input, expected) => {
    expect(secretSpecs(input)).toEqual(expected);
  });
});
