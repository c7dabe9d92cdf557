import type { Instruction } from 'dockerfile-ast';
import { instructionPosition, runScript } from './instruction-parts';
import { createFinding, type ContainerfileInput, type Finding } from './rules';
import { commandName, parseArgs, shellCommands, type SimpleCommand } from './shell-effects';
import { imageContent } from './image-content';
import { finalStageChain } from './stage-chain';

// Instructions that change the image's filesystem; metadata (LABEL, CMD, ENV, ...) may follow the lint step.
const CHANGES_FILES = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);
const BASE_FOLDERS = new Set(['/', '/root', '/tmp', '/usr', '/usr/lib', '/usr/share', '/usr/bin', '/etc', '/var', '/var/lib', '/var/tmp', '/opt', '/home', '/srv']);

/**
 * missing-bootc-lint: the image's last filesystem change should be `RUN bootc container lint`, in
 * the final stage or a stage it builds on when the later ones add only metadata.
 * bootc-lint-neutralised: that step cannot fail the build (`|| true`, `; true`, `|| :`), or skips lints.
 */
export function checkBootcLintStep(input: ContainerfileInput): Finding[] {
  const { file, parsed, target } = input;
  const chain = finalStageChain(parsed, target);
  const final = chain.at(-1);
  if (!final) return [];
  const instructions = chain.flatMap((stage) => stage.instructions);
  // The RUN's commands and those of the project scripts it runs; a command, not a mention (`# bootc container lint` runs nothing).
  const runs = new Map(imageContent(input).runs.map((run) => [run.instruction, run]));
  const commandsOf = (instruction: Instruction) => runs.get(instruction)?.commands ?? shellCommands(runScript(instruction));
  const lintIndex = instructions.findLastIndex((i) => i.getKeyword() === 'RUN' && commandsOf(i).some(isBootcLint));
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
  // A SHELL with -e (`SHELL ["/bin/bash", "-euo", "pipefail", "-c"]`) before the step stops at a failing command.
  const shell = instructions.slice(0, lintIndex).filter((i) => i.getKeyword() === 'SHELL').at(-1);
  const shellErrexit = shell !== undefined && /"-[a-z]*e[a-z]*"|"errexit"/.test(shell.getArgumentsContent() ?? '');
  const findings = neutralised(file, instructions[lintIndex], commandsOf(instructions[lintIndex]), shellErrexit);
  // WORKDIR changes files only when it makes a folder (not `WORKDIR /`, `/root`, `/usr/lib`...).
  const later = instructions
    .slice(lintIndex + 1)
    .find((i) => CHANGES_FILES.has(i.getKeyword()) && !(i.getKeyword() === 'WORKDIR' && BASE_FOLDERS.has((i.getArgumentsContent() ?? '').trim().replace(/(.)\/+$/, '$1'))));
  if (!later) return findings;
  const lint = instructionPosition(instructions[lintIndex]);
  return [
    ...findings,
    createFinding(
      'missing-bootc-lint',
      file,
      lint,
      `\`bootc container lint\` runs at line ${lint.line}, but ${later.getKeyword()} at line ${instructionPosition(later).line} changes the filesystem after it; move the lint step to the end of the final stage.`,
    ),
  ];
}

const CLOSERS = new Set(['fi', 'done', 'esac', '}', ')', 'then', 'else', 'do']);

// `|| exit 1`, `|| false`, `|| return 1`, `|| { echo failed; exit 1; }`: the failure still fails the step.
function keepsFailure(after: SimpleCommand[]): boolean {
  for (const command of after) {
    const { name, args } = commandName(command.words);
    if (name === 'false' || ((name === 'exit' || name === 'return') && args[0] !== undefined && args[0] !== '0')) return true;
    if (command.words.includes('}') || (command.next !== ';' && command.next !== '\n' && command.words[0] !== '{')) return false;
  }
  return false;
}

function neutralised(file: string, instruction: Instruction, commands: SimpleCommand[], shellErrexit: boolean): Finding[] {
  const index = commands.findIndex((c) => isBootcLint(c));
  if (index === -1) return [];
  const position = instructionPosition(instruction);
  const where = commands[index].script ? ` (in ${commands[index].script}, which the RUN runs)` : '';
  const findings: Finding[] = [];
  const command = commands[index];
  const errexit =
    shellErrexit ||
    commands
      .slice(0, index)
      .filter((c) => c.script === command.script)
      .some((c) => commandName(c.words).name === 'set' && (c.words.some((w) => /^-[a-z]*e/.test(w)) || c.words.join(' ').includes('-o errexit')));
  // What runs after it, closing keywords (`fi`, `done`, `}`) aside.
  const rest = commands.slice(index + 1).filter((c) => c.script === command.script && c.words.some((w) => !CLOSERS.has(w)));
  if (command.next === '||' && !keepsFailure(rest)) {
    findings.push(createFinding('bootc-lint-neutralised', file, position, `\`bootc container lint || ${rest[0]?.words.join(' ') ?? ''}\`${where} succeeds whatever the lint finds, so the build never fails on it.`));
  } else if ((command.next === ';' || command.next === '\n' || command.next === '&') && rest.length > 0 && !errexit) {
    findings.push(
      createFinding('bootc-lint-neutralised', file, position, `\`bootc container lint\` is followed by \`${command.next === '\n' ? '<newline>' : command.next} ${rest[0].words.join(' ')}\`${where}, whose status the RUN returns, so a failing lint does not fail the build.`),
    );
  }
  const { name, args } = commandName(command.words);
  const skipped = name === 'bootc' ? parseArgs(args.slice(2), ['--skip', '--rootfs']).values('--skip') : [];
  if (skipped.length > 0) {
    findings.push(createFinding('bootc-lint-neutralised', file, position, `\`bootc container lint\` skips ${skipped.join(', ')}; bootc does not check ${skipped.length === 1 ? 'it' : 'them'} for this image.`));
  }
  return findings;
}

function isBootcLint(command: SimpleCommand): boolean {
  const { name, args } = commandName(command.words);
  return name === 'bootc' && args[0] === 'container' && args[1] === 'lint';
}
