/** The plugin's options in nx.json: the names of the inferred targets. */
export interface ImmutableOsPluginOptions {
  lintTargetName?: string;
  buildTargetName?: string;
  pushTargetName?: string;
  convertTargetName?: string;
}

export type TargetNames = Required<ImmutableOsPluginOptions>;

export const DEFAULT_TARGET_NAMES: TargetNames = {
  lintTargetName: 'bootc-lint',
  buildTargetName: 'bootc-build',
  pushTargetName: 'bootc-push',
  convertTargetName: 'bootc-convert',
};

export function normalizeTargetNames(options: ImmutableOsPluginOptions | undefined): TargetNames {
  return { ...DEFAULT_TARGET_NAMES, ...stripUndefined(options ?? {}) };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
