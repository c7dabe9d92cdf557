import type * as SmolToml from 'smol-toml' with { 'resolution-mode': 'import' };

// smol-toml's types describe its ESM build only; the package also ships a CommonJS build for require().
const smolToml = require('smol-toml') as typeof SmolToml;

export const parseToml = smolToml.parse;
export const TomlError = smolToml.TomlError;
export type TomlError = SmolToml.TomlError;
