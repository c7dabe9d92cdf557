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
    | 'tmp-run-leftovers'
    | 'missing-bootc-lint'
    | 'from-arg-unset'
    | 'from-unpinned'
    | 'from-pin-missing'
    | 'secret-in-build-arg'
    | 'config-syntax'
    | 'config-invalid'
    | 'config-ignored'
  >;
  /** The workspace's lock file of pinned bases (set by the plugin where the file exists). */
  pins?: string;
}
