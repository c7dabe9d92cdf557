import { scanJson } from './json-scan';

describe('scanJson', () => {
  test('records members at their key and array items at their value', () => {
    const { lines, errorAt } = scanJson('{\n  "customizations": {\n    "user": [\n      {"name": "a"},\n      {\n        "name": "b \\" \\u00e9"\n      }\n    ],\n    "fips": true\n  }\n}\n');
    expect(errorAt).toBeUndefined();
    expect(Object.fromEntries(lines)).toEqual({
      customizations: 2,
      'customizations.user': 3,
      'customizations.user[0]': 4,
      'customizations.user[0].name': 4,
      'customizations.user[1]': 5,
      'customizations.user[1].name': 6,
      'customizations.fips': 9,
    });
  });

  test.each([
    ['[[customizations.user]]', 2],
    ['{"a": 1,}', 8],
    ['{"a" 1}', 5],
    ['{"a": tru}', 6],
    ['{"a": "x}', 9],
    ['{"a": 1} x', 9],
    ['{"a": "\\q"}', 8],
    ["{'a': 1}", 1],
    ['', 0],
    ['{', 1],
  ])('finds the first error of %p at offset %i, as JSON.parse refuses it', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(scanJson(text).errorAt).toBe(offset);
  });

  test.each(['{}', '[]', '"x"', '-1.5e3', 'null', ' {"a": [1, {"b": false}]} '])('accepts %p like JSON.parse', (text) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(scanJson(text).errorAt).toBeUndefined();
  });
});
