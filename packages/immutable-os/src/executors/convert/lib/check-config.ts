import { BUILDER_BACKENDS } from '../../../builder/backends';
import { formatConfigProblem, parseBuilderConfig, validateBuilderConfig } from '../../../builder/config/validate';
import { workspaceRelative } from '../../../utils/workspace-path';
import type { NormalizedConvertOptions } from './normalize-options';

/** Validates the builder config as bootc-image-builder would, for the chosen types; throws listing every error. */
export function checkBuilderConfig(options: NormalizedConvertOptions, content: string | undefined): void {
  if (!options.config || content === undefined) return;
  const file = workspaceRelative(options.config.path, options.workspaceRoot);
  const parsed = parseBuilderConfig(file, content);
  const result = parsed.config ? validateBuilderConfig(parsed.config, { types: options.types, rootfs: options.rootfs }) : { errors: [], warnings: [] };
  const errors = [...parsed.errors, ...result.errors];
  if (parsed.config?.legacyBlueprint && !BUILDER_BACKENDS[options.builderBackend].legacyJsonWrapper) {
    errors.unshift({ file, keyPath: 'blueprint', line: 1, message: `blueprint: ${options.builderBackend} reads no "blueprint" wrapper (only bootc-image-builder does): move its contents to the top level of the file`, kind: 'invalid' });
  }
  for (const warning of result.warnings) console.warn(`warning: ${formatConfigProblem(warning)}`);
  if (errors.length > 0) {
    throw new Error(`${file} is not a valid bootc-image-builder config:\n${errors.map((e) => `  ${formatConfigProblem(e)}`).join('\n')}`);
  }
}
