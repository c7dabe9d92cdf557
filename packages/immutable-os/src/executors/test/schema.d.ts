/** Options of the immutable-os:test executor (the inferred bootc-test target); see schema.json. */
export interface TestExecutorSchema {
  /** Which converted disk to boot. Default: qcow2 when there is one, else raw. */
  type?: 'qcow2' | 'raw';
  /** Default: uefi. */
  firmware?: 'uefi' | 'bios';
  /** Default: auto (KVM when it works, else TCG). */
  accel?: 'auto' | 'kvm' | 'tcg';
  /** Guest memory in MiB. Default: 2048. */
  memory?: number;
  /** Default: 2. */
  cpus?: number;
  /** Seconds. Default: 600. */
  timeout?: number;
  /** Regular expressions the console must show. */
  expect?: string[];
  /** Regular expressions that fail the test. */
  fail?: string[];
  /** bootc-convert's artifacts.json, workspace-relative. */
  artifacts?: string;
  /** Default: dist/tests/{projectName}. */
  outputPath?: string;
  extraArgs?: string[];
  /** Commands run in the guest over SSH once the console passed, each an exit-code check. */
  ssh?: {
    commands: Array<string | { name?: string; run: string }>;
    /** Seconds per command. Default: 120. */
    timeout?: number;
  };
}
