/** The names of the inferred targets. */
export interface TargetNames {
  lintTargetName: string;
  buildTargetName: string;
  pushTargetName: string;
  convertTargetName: string;
  testTargetName: string;
  promoteTargetName: string;
  rollbackTargetName: string;
}

/** The plugin's options in nx.json. */
export interface ImmutableOsPluginOptions extends Partial<TargetNames> {
  /**
   * After every run with bootc-build tasks, check that each recorded image is in its engine's
   * storage, bring back missing ones from their archive or registry, and fail the run naming the
   * rest (default true).
   */
  checkImages?: boolean;
  /** The lock file of pinned base digests, workspace-relative (default image-versions.yml; see image/pins.ts). */
  pins?: string;
}

export const DEFAULT_TARGET_NAMES: TargetNames = {
  lintTargetName: 'bootc-lint',
  buildTargetName: 'bootc-build',
  pushTargetName: 'bootc-push',
  convertTargetName: 'bootc-convert',
  testTargetName: 'bootc-test',
  promoteTargetName: 'bootc-promote',
  rollbackTargetName: 'bootc-rollback',
};

export function normalizeTargetNames(options: ImmutableOsPluginOptions | undefined): TargetNames {
  const names = options ?? {};
  return {
    lintTargetName: names.lintTargetName ?? DEFAULT_TARGET_NAMES.lintTargetName,
    buildTargetName: names.buildTargetName ?? DEFAULT_TARGET_NAMES.buildTargetName,
    pushTargetName: names.pushTargetName ?? DEFAULT_TARGET_NAMES.pushTargetName,
    convertTargetName: names.convertTargetName ?? DEFAULT_TARGET_NAMES.convertTargetName,
    testTargetName: names.testTargetName ?? DEFAULT_TARGET_NAMES.testTargetName,
    promoteTargetName: names.promoteTargetName ?? DEFAULT_TARGET_NAMES.promoteTargetName,
    rollbackTargetName: names.rollbackTargetName ?? DEFAULT_TARGET_NAMES.rollbackTargetName,
  };
}
