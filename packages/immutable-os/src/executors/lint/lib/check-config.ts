import { parseToml as parse, TomlError } from '../../../utils/toml';
import { createFinding, type Finding } from './rules';

/**
 * Checks a bootc-image-builder config.toml: that it parses as TOML. Validation of the parsed
 * blueprint belongs here too, returning its findings with the others.
 */
export function checkConfig(file: string, content: string): Finding[] {
  try {
    parse(content);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = error.message.split('\n')[0].replace(/^Invalid TOML document:\s*/, '');
    return [createFinding('config-syntax', file, { line: error.line, column: error.column }, `${file} is not valid TOML: ${reason}.`)];
  }
  return [];
}
