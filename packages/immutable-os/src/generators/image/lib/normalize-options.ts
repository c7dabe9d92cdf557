import { getProjects, joinPathFragments, normalizePath, type ProjectConfiguration, type Tree } from '@nx/devkit';
import { DEFAULT_BOOTC_BASE } from '../../../utils/bootc-bases';
import { assertImageReference, repositoryKey } from '../../../utils/image-ref';
import { CONTAINERFILE_NAMES } from '../../../image/build-spec';
import { imageMetadata, imageRepository } from '../../../utils/image-project';
import { assertImageTypes, DEFAULT_IMAGE_TYPE, type ImageType } from '../../../builder/image-types';
import { assertTagTemplate } from '../../../utils/tag-template';
import type { ImageGeneratorSchema } from '../schema';

export interface NormalizedImageOptions {
  name: string;
  projectRoot: string;
  /** The full reference the Containerfile builds FROM by default. */
  baseImage: string;
  /** The workspace image project it builds on, for a derived flavor. */
  fromProject?: string;
  image: string;
  formats: ImageType[];
  tags: string[];
}

const NAME = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/** Validates every option against the workspace before anything is written. */
export function normalizeOptions(tree: Tree, options: ImageGeneratorSchema): NormalizedImageOptions {
  const name = options.name?.trim() ?? '';
  if (!NAME.test(name)) {
    throw new Error(
      `Invalid image name "${name}": use lowercase letters and digits with single ".", "_" or "-" between them (e.g. "edge-node"); the name becomes the project name and the image repository.`,
    );
  }
  const projects = getProjects(tree);
  const existing = projects.get(name);
  if (existing) {
    throw new Error(`A project named "${name}" already exists (in ${existing.root}). Choose another name.`);
  }
  const projectRoot = normalizeDirectory(options.directory ?? `images/${name}`);
  if (tree.exists(projectRoot)) {
    throw new Error(`The directory "${projectRoot}" already exists. Choose another name or pass --directory.`);
  }

  const base = options.base?.trim() || undefined;
  const from = options.from?.trim() || undefined;
  if (base && from) {
    throw new Error(
      `--base and --from are mutually exclusive: --from ${from} builds on that workspace image, --base ${base} on an external one. Pass only one.`,
    );
  }
  if (base) assertImageReference(base, '--base');

  const image = options.image?.trim() || `localhost/${name}`;
  assertImageReference(image, '--image', { allowTag: false });
  const key = repositoryKey(image);
  for (const [other, project] of projects) {
    if (isImageProject(tree, project) && repositoryKey(imageRepository(other, project)) === key) {
      throw new Error(`--image ${image} is already the repository of image project "${other}". Each image project needs its own repository.`);
    }
  }

  const formats = assertImageTypes(splitList(options.formats, DEFAULT_IMAGE_TYPE), '--formats');
  const tags = splitList(options.tags, 'latest');
  for (const tag of tags) assertTagTemplate(tag, '--tags');

  return { name, projectRoot, baseImage: from ? fromImage(tree, projects, from) : (base ?? DEFAULT_BOOTC_BASE), fromProject: from, image, formats, tags };
}

function fromImage(tree: Tree, projects: Map<string, ProjectConfiguration>, from: string): string {
  const project = projects.get(from);
  const images = [...projects].filter(([, p]) => isImageProject(tree, p)).map(([n]) => n);
  if (!project) {
    throw new Error(
      `--from ${from}: there is no project named "${from}" in this workspace. ${images.length ? `Image projects: ${images.join(', ')}.` : 'Create the base first with nx g immutable-os:image.'}`,
    );
  }
  if (!isImageProject(tree, project)) {
    throw new Error(
      `--from ${from}: project "${from}" is not an image project (no ${CONTAINERFILE_NAMES.join(', ')} in ${project.root}). --from takes a project made by nx g immutable-os:image${images.length ? `: ${images.join(', ')}` : ''}.`,
    );
  }
  const tag = imageMetadata(project).tags?.find((t) => !t.includes('{')) ?? 'latest';
  return `${imageRepository(from, project)}:${tag}`;
}

function isImageProject(tree: Tree, project: ProjectConfiguration): boolean {
  return CONTAINERFILE_NAMES.some((name) => tree.exists(joinPathFragments(project.root, name)));
}

function normalizeDirectory(directory: string): string {
  const normalized = normalizePath(directory.trim()).replace(/^\.\//, '').replace(/\/+$/, '');
  if (normalized === '' || normalized === '.' || normalized.startsWith('/') || normalized.split('/').includes('..')) {
    throw new Error(`--directory "${directory}" must be a folder inside the workspace, relative to its root (e.g. images/edge-node).`);
  }
  return normalized;
}

function splitList(value: string | undefined, fallback: string): string[] {
  const items = (value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  return items.length > 0 ? [...new Set(items)] : [fallback];
}
