/** The CI services the generator writes a pipeline for: where the file goes and each one's defaults. */
export const CI_PROVIDERS = {
  github: {
    label: 'GitHub Actions',
    file: '.github/workflows/os-images.yml',
    defaultRegistry: 'ghcr.io',
    defaultRunner: ['ubuntu-24.04'],
    /** A variable such as $CI_REGISTRY may stand for the registry host. */
    registryVariables: false,
  },
  gitlab: {
    label: 'GitLab CI',
    file: '.gitlab-ci.yml',
    defaultRegistry: '$CI_REGISTRY',
    defaultRunner: [],
    registryVariables: true,
  },
} as const satisfies Record<string, { label: string; file: string; defaultRegistry: string; defaultRunner: readonly string[]; registryVariables: boolean }>;

export type CiProvider = keyof typeof CI_PROVIDERS;

export const CI_PROVIDER_NAMES = Object.keys(CI_PROVIDERS) as CiProvider[];

export function isCiProvider(value: unknown): value is CiProvider {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CI_PROVIDERS, value);
}
