import type { Instruction } from 'dockerfile-ast';
import { createFinding, type ContainerfileInput, type Finding, type Severity } from './rules';
import { finalStageChain } from './stage-chain';

type Property = {
  getName(): string;
  getValue(): string | null;
  getNameRange(): { start: { line: number; character: number } };
};

const SECRET_NAME = /(?:^|_)(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)(?:_|$)/i;
// Names that hold where a secret is, or a setting about secrets, not the secret: GITHUB_TOKEN_FILE,
// SECRET_NAME, VAULT_TOKEN_URL, PASSWORD_MIN_LEN, TOKEN_TTL, API_KEY_HEADER, CREDENTIALS_REQUIRED.
const REFERENCE_NAME =
  /_(?:FILE|PATH|DIR|URL|URI|NAME|ID|LEN|LENGTH|MIN|MAX|TTL|TIMEOUT|HEADER|REQUIRED|ENABLED|DISABLED|EXPIRY|EXPIRES|AGE|SIZE|COUNT|POLICY|TYPE|MODE|FORMAT|HASH|ALGORITHM|ALGO|PROMPT|LIFETIME|RETRIES)$/i;
// Values no credential has: a number, a boolean, a duration.
const SETTING_VALUE = /^(?:\d+(?:\.\d+)?[smhdw]?|true|false|yes|no|on|off|none|null|enabled|disabled|required|optional)$/i;
const ONLY_VARIABLE = /^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*(?::?[-+=?])?\})$/;

/** Well-known credential shapes, flagged whatever the variable is called. */
export const TOKEN_SHAPES: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  { name: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/ },
  { name: 'a GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}/ },
  { name: 'an AWS access key id', pattern: /\bAKIA[0-9A-Z]{16}\b/ },
  { name: 'a Slack token', pattern: /\bxox[baprs]-[A-Za-z0-9-]{10,}/ },
  { name: 'a private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY/ },
];

/**
 * secret-in-build-arg: ENV and ARG values of the image's stages (the final stage chain, and the
 * header ARGs it declares again) that look like credentials: an error for a known token shape,
 * a warning for a literal value under a credential's name. Messages name the variable, never the value.
 */
export function checkSecrets({ file, parsed, target }: ContainerfileInput): Finding[] {
  const findings: Finding[] = [];
  // By position: a stage's ARGs are not among its instructions (the parser resolves them).
  const froms = parsed.ast.getFROMs().map((from) => from.getRange().start.line);
  const chain = new Set(finalStageChain(parsed, target).map((stage) => stage.index));
  const stageOf = (instruction: Instruction) => froms.findLastIndex((line) => line <= instruction.getRange().start.line);
  const all = parsed.ast.getInstructions();
  const header = all.filter((i) => i.getKeyword() === 'ARG' && stageOf(i) === -1);
  const inChain = all.filter((i) => chain.has(stageOf(i)));
  const redeclared = new Set(inChain.filter((i) => i.getKeyword() === 'ARG').flatMap((i) => properties(i).map((p) => p.getName())));
  for (const instruction of [...header, ...inChain]) {
    const keyword = instruction.getKeyword();
    if (keyword !== 'ENV' && keyword !== 'ARG') continue;
    const isHeader = header.includes(instruction);
    for (const property of properties(instruction)) {
      if (isHeader && !redeclared.has(property.getName())) continue;
      const reason = secretReason(property.getName(), property.getValue());
      if (!reason) continue;
      const start = property.getNameRange().start;
      findings.push(
        createFinding(
          'secret-in-build-arg',
          file,
          { line: start.line + 1, column: start.character + 1 },
          `${keyword} ${property.getName()} ${reason.text} (value hidden); ${keyword === 'ENV' ? 'ENV values are stored in the image config' : 'build args are recorded in the image history'} for anyone who pulls it.`,
          { severity: reason.severity },
        ),
      );
    }
  }
  return findings;
}

function properties(instruction: Instruction): Property[] {
  return (instruction as typeof instruction & { getProperties(): Property[] }).getProperties();
}

/** Why a name/value pair looks like a credential, and how sure that is: a known token shape is one, a name alone may be. */
export function secretReason(name: string, value: string | null): { text: string; severity: Severity } | undefined {
  if (value === null || value.trim() === '' || ONLY_VARIABLE.test(value.trim())) return undefined;
  const shape = TOKEN_SHAPES.find(({ pattern }) => pattern.test(value));
  if (shape) return { text: `holds what looks like ${shape.name}`, severity: 'error' };
  if (SECRET_NAME.test(name) && !REFERENCE_NAME.test(name) && !SETTING_VALUE.test(value.trim())) {
    return { text: 'sets a literal value for what its name says is a credential', severity: 'warning' };
  }
  return undefined;
}
