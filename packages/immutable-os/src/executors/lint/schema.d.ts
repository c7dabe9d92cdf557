/** Options of the immutable-os:lint executor (the inferred bootc-lint target); see schema.json. */
export interface LintExecutorSchema {
  /** How to print the findings. Default: text. */
  format?: 'text' | 'json';
  /** Fail on warnings as well as errors. Default: false. */
  strict?: boolean;
  /** Rule ids to skip. Default: []. */
  ignore?: Array<
    | 'containerfile-missing'
    | 'containerfile-syntax'
    | 'bootc-label'
    | 'usr-etc'
    | 'var-content'
    | 'var-log'
    | 'package-manager-residue'
    | 'tmp-run-leftovers'
    | 'var-run-symlink'
    | 'api-directories'
    | 'baseimage-root'
    | 'boot-content'
    | 'kargs-syntax'
    | 'kernel-multiple'
    | 'initramfs-kver'
    | 'composefs-disabled'
    | 'utf8-names'
    | 'sysusers'
    | 'buildah-injected'
    | 'symlinked-into-var'
    | 'ostree-container-commit'
    | 'selinux-labels'
    | 'nested-container-storage'
    | 'credentials-in-image'
    | 'missing-bootc-lint'
    | 'bootc-lint-neutralised'
    | 'from-arg-unset'
    | 'from-unpinned'
    | 'from-pin-missing'
    | 'secret-in-build-arg'
    | 'config-syntax'
    | 'config-invalid'
    | 'config-ignored'
    | 'bootc-container-lint'
  >;
  /** The workspace's lock file of pinned bases (set by the plugin where the file exists). */
  pins?: string;
  /** Image reference prefixes of bootc bases beyond the known ones (a mirror, another bootc family). Default: []. */
  bootcBases?: string[];
}
