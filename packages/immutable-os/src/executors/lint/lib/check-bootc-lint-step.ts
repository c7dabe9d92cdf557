import { instructionPosition, runScript } from './instruction-parts';
import { createFinding, type ContainerfileInput, type Finding } from './rules';

const BOOTC_LINT = /\bbootc\s+container\s+lint\b/;
// Instructions that change the image's filesystem; metadata (LABEL, CMD, ENV, ...) may follow the lint step.
const CHANGES_FILES = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

/** missing-bootc-lint: the final stage should end by running `bootc container lint` on its filesystem. */
export function checkBootcLintStep({ file, parsed }: ContainerfileInput): Finding[] {
  const final = parsed.stages.at(-1);
  if (!final) return [];
  const instructions = final.instructions;
  const lintIndex = instructions.findLastIndex((i) => i.getKeyword() === 'RUN' && BOOTC_LINT.test(runScript(i)));
  if (lintIndex === -1) {
    const from = parsed.ast.getFROMs()[final.index];
    return [
      createFinding(
        'missing-bootc-lint',
        file,
        from ? instructionPosition(from) : { line: final.line },
        'The final stage never runs `bootc container lint`, so problems bootc would reject at install or upgrade are not caught at build time.',
      ),
    ];
  }
  const later = instructions.slice(lintIndex + 1).find((i) => CHANGES_FILES.has(i.getKeyword()));
  if (!later) return [];
  const lint = instructionPosition(instructions[lintIndex]);
  return [
    createFinding(
      'missing-bootc-lint',
      file,
      lint,
      `\`bootc container lint\` runs at line ${lint.line}, but ${later.getKeyword()} at line ${instructionPosition(later).line} changes the filesystem after it; move the lint step to the end of the final stage.`,
    ),
  ];
}
