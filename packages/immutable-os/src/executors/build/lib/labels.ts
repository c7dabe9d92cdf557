export const BOOTC_LABEL = 'containers.bootc';

export interface LabelSource {
  projectName: string;
  created: string;
  revision?: string;
  source?: string;
  version?: string;
}

/** The labels every image gets (bootc and OCI annotations), then the user's; containers.bootc=1 always stays. */
export function imageLabels(from: LabelSource, userLabels: Record<string, string>): Record<string, string> {
  const auto: Record<string, string | undefined> = {
    'org.opencontainers.image.title': from.projectName,
    'org.opencontainers.image.created': from.created,
    'org.opencontainers.image.revision': from.revision,
    'org.opencontainers.image.source': from.source,
    'org.opencontainers.image.version': from.version,
  };
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...auto, ...userLabels })) if (value !== undefined) labels[key] = value;
  labels[BOOTC_LABEL] = '1';
  return labels;
}
