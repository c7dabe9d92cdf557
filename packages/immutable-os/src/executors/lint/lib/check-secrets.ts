import { createFinding, type ContainerfileInput, type Finding } from './rules';

type Property = {
  getName(): string;
  getValue(): string | null;
  getNameRange(): { start: { line: number; character: number } };
};

const SECRET_NAME = /(?:^|_)(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)(?:_|$)/i;
// Names that hold where a secret is, not the secret: GITHUB_TOKEN_FILE, SECRET_NAME, VAULT_TOKEN_URL.
const REFERENCE_NAME = /_(?:FILE|PATH|DIR|URL|URI|NAME|ID)$/i;
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
 * secret-in-build-arg: ENV and ARG values that look like credentials. Messages name the
 * variable and never the value.
 */
export function checkSecrets({ file, parsed }: ContainerfileInput): Finding[] {
  const findings: Finding[] = [];
  for (const instruction of parsed.ast.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword !== 'ENV' && keyword !== 'ARG') continue;
    const properties = (instruction as typeof instruction & { getProperties(): Property[] }).getProperties();
    for (const property of properties) {
      const reason = secretReason(property.getName(), property.getValue());
      if (!reason) continue;
      const start = property.getNameRange().start;
      findings.push(
        createFinding(
          'secret-in-build-arg',
          file,
          { line: start.line + 1, column: start.character + 1 },
          `${keyword} ${property.getName()} ${reason} (value hidden); ${keyword === 'ENV' ? 'ENV values are stored in the image config' : 'build args are recorded in the image history'} for anyone who pulls it.`,
        ),
      );
    }
  }
  return findings;
}

/** Why a name/value pair looks like a credential, or undefined. */
export function secretReason(name: string, value: string | null): string | undefined {
  if (value === null || value.trim() === '' || ONLY_VARIABLE.test(value.trim())) return undefined;
  const shape = TOKEN_SHAPES.find(({ pattern }) => pattern.test(value));
  if (shape) return `holds what looks like ${shape.name}`;
  if (SECRET_NAME.test(name) && !REFERENCE_NAME.test(name)) return 'sets a literal value for what its name says is a credential';
  return undefined;
}
