import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

/** What a schema.json and its schema.d.ts must agree on: property names, which are required, and enum values. */
interface Contract {
  /** Property name → its allowed values as JSON text (of the items, for an array), or undefined when any value goes. */
  properties: Map<string, string[] | undefined>;
  required: string[];
}

interface JsonSchemaProperty {
  enum?: unknown[];
  items?: { enum?: unknown[] };
}

interface JsonSchema {
  properties?: Record<string, JsonSchemaProperty>;
  required?: string[];
}

const SRC = join(__dirname, '..');

function jsonContract(schema: JsonSchema): Contract {
  const properties = new Map<string, string[] | undefined>();
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const values = property.enum ?? property.items?.enum;
    properties.set(name, values?.map((v) => JSON.stringify(v)).sort());
  }
  return { properties, required: [...(schema.required ?? [])].sort() };
}

/** Reads the schema interface of each .d.ts file with the type checker, so imported and aliased types resolve. */
function dtsContracts(paths: string[]): Map<string, Contract> {
  const program = ts.createProgram(paths, {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
  });
  const checker = program.getTypeChecker();
  return new Map(paths.map((path) => [path, dtsContract(program, checker, path)]));
}

function dtsContract(program: ts.Program, checker: ts.TypeChecker, path: string): Contract {
  const source = program.getSourceFile(path);
  if (!source) throw new Error(`${path}: the TypeScript program did not load it`);
  const declaration = schemaDeclaration(source, path);
  const properties = new Map<string, string[] | undefined>();
  const required: string[] = [];
  for (const symbol of checker.getPropertiesOfType(checker.getTypeAtLocation(declaration.name))) {
    const name = symbol.getName();
    if (!(symbol.flags & ts.SymbolFlags.Optional)) required.push(name);
    properties.set(name, literalValues(checker, checker.getTypeOfSymbolAtLocation(symbol, declaration)));
  }
  return { properties, required: required.sort() };
}

// The exported interface or type the file declares; with several, the one whose name ends in Schema.
function schemaDeclaration(source: ts.SourceFile, path: string): ts.InterfaceDeclaration | ts.TypeAliasDeclaration {
  const declarations = source.statements.filter(
    (s): s is ts.InterfaceDeclaration | ts.TypeAliasDeclaration =>
      (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) &&
      !!s.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword),
  );
  const candidates = declarations.length > 1 ? declarations.filter((d) => d.name.text.endsWith('Schema')) : declarations;
  if (candidates.length !== 1) {
    throw new Error(
      `${path}: expected one exported interface for the schema (or one named *Schema), found ${
        declarations.map((d) => d.name.text).join(', ') || 'none'
      }`,
    );
  }
  return candidates[0];
}

// The values of a union of literals (or an array of one), as JSON text; undefined for any other type.
function literalValues(checker: ts.TypeChecker, type: ts.Type): string[] | undefined {
  let element = checker.getNonNullableType(type);
  if (checker.isArrayType(element)) element = checker.getTypeArguments(element as ts.TypeReference)[0];
  const members = element.isUnion() ? element.types : [element];
  const isBoolean = (m: ts.Type) => (m.flags & ts.TypeFlags.BooleanLiteral) !== 0;
  // A plain boolean is any value, as in a schema.json "type": "boolean"; boolean | 'strict' is an enum.
  if (members.every(isBoolean)) return undefined;
  if (!members.every((m) => m.isStringLiteral() || m.isNumberLiteral() || isBoolean(m))) return undefined;
  return members.map((m) => (isBoolean(m) ? checker.typeToString(m) : JSON.stringify((m as ts.LiteralType).value))).sort();
}

/** Every way the two contracts differ, one sentence each; empty when they agree. */
function compareContracts(json: Contract, dts: Contract): string[] {
  const problems: string[] = [];
  for (const name of new Set([...json.properties.keys(), ...dts.properties.keys()])) {
    if (!dts.properties.has(name)) problems.push(`"${name}" is in schema.json but not in schema.d.ts`);
    else if (!json.properties.has(name)) problems.push(`"${name}" is in schema.d.ts but not in schema.json`);
    else {
      const [fromJson, fromDts] = [json.properties.get(name), dts.properties.get(name)];
      const [inJson, inDts] = [fromJson?.join(', ') ?? 'any value', fromDts?.join(', ') ?? 'any value'];
      if (inJson !== inDts) problems.push(`"${name}" allows ${inJson} in schema.json but ${inDts} in schema.d.ts`);
    }
  }
  for (const name of json.required.filter((n) => !dts.required.includes(n))) {
    problems.push(`"${name}" is required in schema.json but optional in schema.d.ts`);
  }
  for (const name of dts.required.filter((n) => !json.required.includes(n))) {
    problems.push(`"${name}" is required in schema.d.ts but not in schema.json`);
  }
  return problems;
}

// Every generator and executor folder with both files; a folder with one of them is still being written.
function schemaPairs(): Array<[folder: string, json: string, dts: string]> {
  const pairs: Array<[string, string, string]> = [];
  for (const kind of ['generators', 'executors']) {
    const root = join(SRC, kind);
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      const [json, dts] = ['schema.json', 'schema.d.ts'].map((f) => join(root, entry.name, f));
      if (entry.isDirectory() && existsSync(json) && existsSync(dts)) pairs.push([`${kind}/${entry.name}`, json, dts]);
    }
  }
  return pairs;
}

describe('schema.json and schema.d.ts agree', () => {
  const pairs = schemaPairs();
  let contracts: Map<string, Contract>;

  beforeAll(() => {
    contracts = dtsContracts(pairs.map(([, , dts]) => dts));
  });

  if (pairs.length === 0) {
    test.todo('no generator or executor has both schema.json and schema.d.ts yet');
  } else {
    test.each(pairs)('%s', (_folder, json, dts) => {
      const schema = JSON.parse(readFileSync(json, 'utf8')) as JsonSchema;
      expect(compareContracts(jsonContract(schema), contracts.get(dts) as Contract)).toEqual([]);
    });
  }
});

describe('the schema comparison', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'immutable-os-schemas-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const schema: JsonSchema = {
    properties: {
      name: {},
      format: { enum: ['text', 'json'] },
      ignore: { items: { enum: ['rule-a', 'rule-b'] } },
      level: { enum: [1, 2] },
      strict: {},
    },
    required: ['name'],
  };

  function compareWith(dtsText: string, files: Record<string, string> = {}): string[] {
    const path = join(dir, `case-${Math.random().toString(36).slice(2)}.d.ts`);
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    writeFileSync(path, dtsText);
    return compareContracts(jsonContract(schema), dtsContracts([path]).get(path) as Contract);
  }

  const matching = (body: string) => `export interface TestSchema {\n${body}\n}\n`;
  const FORMAT = `format?: 'text' | 'json';`;
  const IGNORE = `ignore?: Array<'rule-a' | 'rule-b'>;`;
  const LEVEL = 'level?: 1 | 2;';

  it('accepts a matching pair, also with imported, aliased and array types', () => {
    expect(compareWith(matching(`name: string;\n${FORMAT}\n${IGNORE}\n${LEVEL}\nstrict?: boolean;`))).toEqual([]);
    expect(
      compareWith(
        [
          `import type { Rule } from './rules';`,
          `type Format = 'json' | 'text';`,
          'export interface TestSchema { name: string; format?: Format; ignore?: Rule[]; level?: 2 | 1; strict?: boolean }',
        ].join('\n'),
        { 'rules.ts': `export type Rule = 'rule-b' | 'rule-a';\n` },
      ),
    ).toEqual([]);
  });

  const ALL = `name: string;\n${FORMAT}\n${IGNORE}\n${LEVEL}\nstrict?: boolean;`;

  test.each([
    ['a key missing in schema.d.ts', matching(ALL.replace('strict?: boolean;', '')), ['"strict" is in schema.json but not in schema.d.ts']],
    ['a key missing in schema.json', matching(`${ALL}\nextra?: string;`), ['"extra" is in schema.d.ts but not in schema.json']],
    [
      'an enum value missing in schema.d.ts',
      matching(ALL.replace(FORMAT, `format?: 'text';`)),
      ['"format" allows "json", "text" in schema.json but "text" in schema.d.ts'],
    ],
    [
      'an enum value missing in schema.json',
      matching(ALL.replace(FORMAT, `format?: 'text' | 'json' | 'sarif';`)),
      ['"format" allows "json", "text" in schema.json but "json", "sarif", "text" in schema.d.ts'],
    ],
    [
      'an array enum value missing in schema.d.ts',
      matching(ALL.replace(IGNORE, `ignore?: Array<'rule-a'>;`)),
      ['"ignore" allows "rule-a", "rule-b" in schema.json but "rule-a" in schema.d.ts'],
    ],
    [
      'a numeric enum value that differs',
      matching(ALL.replace(LEVEL, 'level?: 1 | 3;')),
      ['"level" allows 1, 2 in schema.json but 1, 3 in schema.d.ts'],
    ],
    [
      'an enum in schema.json that schema.d.ts widens to string',
      matching(ALL.replace(FORMAT, 'format?: string;')),
      ['"format" allows "json", "text" in schema.json but any value in schema.d.ts'],
    ],
    [
      'an enum in schema.d.ts that schema.json does not have',
      matching(ALL.replace('strict?: boolean;', `strict?: 'yes' | 'no';`)),
      ['"strict" allows any value in schema.json but "no", "yes" in schema.d.ts'],
    ],
    [
      'a required key that schema.d.ts makes optional',
      matching(ALL.replace('name: string;', 'name?: string;')),
      ['"name" is required in schema.json but optional in schema.d.ts'],
    ],
    [
      'an optional key that schema.d.ts requires',
      matching(ALL.replace('strict?: boolean;', 'strict: boolean;')),
      ['"strict" is required in schema.d.ts but not in schema.json'],
    ],
  ])('reports %s', (_case, dtsText, problems) => {
    expect(compareWith(dtsText)).toEqual(problems);
  });

  it('names the file when it cannot tell which interface is the schema', () => {
    expect(() => compareWith('export interface A { name: string }\nexport interface B { name: string }\n')).toThrow(
      /case-.*\.d\.ts: expected one exported interface for the schema \(or one named \*Schema\), found A, B/,
    );
  });
});
