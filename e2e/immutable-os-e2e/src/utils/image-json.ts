/** What bootc-build records in dist/images/<project>/image.json (the fields the e2e reads). */
export interface ImageJson {
  project: string;
  image: string;
  refs: string[];
  imageId: string;
  engine: string;
  engineVersion: string;
  platforms: string[];
  containerfile: string;
  containerfileSha256: string;
  baseImages: Array<{ ref: string; imageId?: string; project?: string }>;
  labels: Record<string, string>;
  created: string;
  archive?: string;
}

/** After a change to `changed` alone: it has a new image, built on `base`'s unchanged one; every other image is the one before. */
export function expectOnlyRebuilt(before: Record<string, ImageJson>, after: Record<string, ImageJson>, changed: string, base: string): void {
  for (const project of Object.keys(before)) {
    if (project === changed) expect(after[project].imageId).not.toBe(before[project].imageId);
    else expect(after[project].imageId).toBe(before[project].imageId);
  }
  expect(after[changed].baseImages[0].imageId).toBe(before[base].imageId);
}
