export type EnginePreferenceOption = 'auto' | 'podman' | 'docker' | 'buildah';
export type PullPolicy = 'missing' | 'always' | 'never' | 'newer';
export type BootcLintOption = boolean | 'strict';

export interface BuildExecutorSchema {
  engine?: EnginePreferenceOption;
  containerfile?: string;
  context?: string;
  image?: string;
  tags?: string[];
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
  platform?: string[];
  target?: string;
  cppFlags?: string[];
  pinnedBases?: Record<string, string>;
  pull?: PullPolicy;
  tlsVerify?: boolean;
  noCache?: boolean;
  secrets?: string[];
  cacheFrom?: string[];
  cacheTo?: string[];
  buildContexts?: Record<string, string>;
  archive?: boolean;
  extraArgs?: string[];
  bootcLint?: BootcLintOption;
  bootcLintSkip?: string[];
}
