import type { ProjectConfiguration } from '@nx/devkit';
import { sourceLine, type BuildSpec } from '../../../image/build-spec';
import { imageRoots } from '../../../image/variants';
import type { ParsedContainerfile } from '../../../utils/containerfile';
import { lintProject } from '../../lint/lib/lint-project';
import { countFindings, formatText } from '../../lint/lib/report';
import { createFinding, sortFindings, type Finding } from '../../lint/lib/rules';
import type { Engine } from '../../../utils/engine';
import { bootcLintArgs, lintImage, type BootcLintMode, type ImageLintRun } from './image-lint';
import type { NormalizedBuildOptions } from './normalize-options';

/** The merged report bootc-build writes next to image.json when bootcLint is on. */
export const LINT_JSON = 'lint.json';

/** bootc-lint's `--format=json` document, plus what the image's own lint did. */
export interface LintReport {
  project: string;
  findings: Finding[];
  errors: number;
  warnings: number;
  bootcContainerLint: { mode: Exclude<BootcLintMode, 'off'>; runs: Array<{ platform?: string; status: 'passed' | 'failed' | 'skipped'; format?: string; reason?: string }> };
}

/**
 * bootc-lint's findings for the project, less those on the bootc-convert config (config.toml or
 * config.json), which is no input of bootc-build: a cached build would replay stale ones.
 */
export function staticFindings(workspaceRoot: string, projectName: string, projects: Record<string, ProjectConfiguration>): Finding[] {
  const project = projects[projectName];
  const lintTarget = Object.values(project.targets ?? {}).find((t) => t.executor === 'immutable-os:lint');
  const pins = lintTarget?.options?.pins;
  return lintProject({ ...imageRoots(workspaceRoot, project), projectName, projects, ...(typeof pins === 'string' ? { pinsFile: pins } : {}) }).filter(
    (finding) => !finding.rule.startsWith('config-'),
  );
}

/** Where the image's findings point: the FROM of the stage the build produced. */
export function imageStageLine(spec: Pick<BuildSpec, 'file' | 'cpp'>, parsed: ParsedContainerfile, target: string | undefined): { file: string; line: number } {
  const stage = (target ? parsed.stages.find((s) => s.name === target) : undefined) ?? parsed.stages.at(-1);
  return sourceLine(spec, stage?.line ?? 1);
}

/** bootc's results as findings of rule bootc-container-lint: its fatal lints errors, its warnings warnings. */
export function imageLintFindings(runs: readonly ImageLintRun[], at: { file: string; line: number }): Finding[] {
  return runs.flatMap((run) =>
    run.status !== 'ran'
      ? []
      : run.results.map((result) => {
          const where = run.platform ? `[${run.platform}] ` : '';
          const stopped = result.stopped ? ' (bootc stopped at this lint: the lints after it were not checked)' : '';
          return createFinding('bootc-container-lint', at.file, { line: at.line }, `${where}${result.message}${stopped}`, {
            severity: result.kind === 'fatal' ? 'error' : 'warning',
            ...(result.lint ? { bootcLint: result.lint } : {}),
          });
        }),
  );
}

export function lintReport(project: string, findings: readonly Finding[], runs: readonly ImageLintRun[], mode: Exclude<BootcLintMode, 'off'>): LintReport {
  const sorted = sortFindings(findings);
  return {
    project,
    findings: sorted,
    ...countFindings(sorted),
    bootcContainerLint: {
      mode,
      runs: runs.map((run) => ({
        ...(run.platform ? { platform: run.platform } : {}),
        ...(run.status === 'ran' ? { status: run.failed ? ('failed' as const) : ('passed' as const), format: run.format } : { status: 'skipped' as const, reason: run.reason }),
      })),
    },
  };
}

/** The lints that failed the image (its warnings too when strict), by bootc's names; undefined when it passed. */
export function imageLintFailure(runs: readonly ImageLintRun[], mode: Exclude<BootcLintMode, 'off'>): string | undefined {
  const failed = runs.filter((run): run is Extract<ImageLintRun, { status: 'ran' }> => run.status === 'ran' && run.failed);
  if (failed.length === 0) return undefined;
  const failing = failed.flatMap((run) => run.results.filter((r) => r.kind === 'fatal' || mode === 'strict'));
  const names = [...new Set(failing.map((r) => r.lint ?? 'a lint bootc did not name'))];
  return names.length > 0 ? names.join(', ') : 'no lint named (bootc failed without printing one)';
}

/** The note for an image bootc could not lint. */
export function skippedNotes(runs: readonly ImageLintRun[]): string[] {
  return runs.flatMap((run) => (run.status === 'skipped' ? [`bootc container lint skipped${run.platform ? ` for ${run.platform}` : ''}: ${run.reason}; the report holds bootc-lint's static findings only.`] : []));
}

export interface BuiltImageLint {
  report: LintReport;
  /** The merged report as bootc-lint prints it (formatText). */
  text: string;
  notes: string[];
  /** The failing lints, named; undefined when the image passed (or was skipped). */
  failure?: string;
}

/**
 * bootcLint: `bootc container lint` in the built image (`image`: its ID, or the manifest list of a
 * multi-platform build), its findings merged with bootc-lint's static ones into one report.
 */
export async function lintBuiltImage(
  engine: Engine,
  options: Pick<NormalizedBuildOptions, 'projectName' | 'workspaceRoot' | 'spec' | 'target' | 'platforms' | 'bootcLintSkip'> & { bootcLint: Exclude<BootcLintMode, 'off'> },
  parsed: ParsedContainerfile,
  image: string,
  projects: Record<string, ProjectConfiguration>,
): Promise<BuiltImageLint> {
  const runs = await lintImage(engine, { image, platforms: options.platforms }, bootcLintArgs(options.bootcLint, options.bootcLintSkip), options.workspaceRoot);
  const findings = [
    ...staticFindings(options.workspaceRoot, options.projectName, projects),
    ...imageLintFindings(runs, imageStageLine(options.spec, parsed, options.target)),
  ];
  const report = lintReport(options.projectName, findings, runs, options.bootcLint);
  const failure = imageLintFailure(runs, options.bootcLint);
  return { report, text: formatText(options.projectName, report.findings), notes: skippedNotes(runs), ...(failure ? { failure } : {}) };
}
