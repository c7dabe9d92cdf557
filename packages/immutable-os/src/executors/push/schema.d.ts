export type EnginePreferenceOption = 'auto' | 'podman' | 'docker' | 'buildah';

export interface PushExecutorSchema {
  engine?: EnginePreferenceOption;
  tlsVerify?: boolean;
  retries?: number;
  usernameEnv?: string;
  passwordEnv?: string;
  signBySigstoreKey?: string;
  signBy?: string;
  extraArgs?: string[];
}
