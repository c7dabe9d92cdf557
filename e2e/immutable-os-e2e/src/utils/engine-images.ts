import { tmpdir } from 'node:os';
import { childEnv } from './child-env';
import { run, runOk } from './run';

export type EngineName = 'podman' | 'docker' | 'buildah';

/** The image store one engine builds into, read with that engine's own commands. */
export interface EngineImages {
  name: EngineName;
  /** The engine's version, as bootc-build records it (docker: the client's). */
  version(): string;
  id(ref: string): string;
  exists(idOrRef: string): boolean;
  labels(ref: string): Record<string, string>;
  /** The image's layer digests (diff IDs), base layers first. */
  layers(ref: string): string[];
  /** What `command` prints in a throwaway container of the image (no network). */
  runIn(ref: string, command: readonly string[]): string;
  /**
   * Removes images by ID, children before parents: a pass removes what it can (an image with child
   * images cannot go yet) until nothing more goes. Returns the IDs still present.
   */
  remove(ids: Iterable<string>): string[];
}

interface Inspected {
  id: string;
  labels: Record<string, string>;
  layers: string[];
}

// Each engine's whole inspect output (buildah's --format has no json function).
const INSPECT: Record<EngineName, { argv: (ref: string) => string[]; read: (json: string) => Inspected }> = {
  podman: { argv: (ref) => ['image', 'inspect', ref], read: (json) => fromDockerShape(JSON.parse(json)[0]) },
  docker: { argv: (ref) => ['image', 'inspect', ref], read: (json) => fromDockerShape(JSON.parse(json)[0]) },
  buildah: {
    argv: (ref) => ['inspect', '--type', 'image', ref],
    read: (json) => {
      const image = JSON.parse(json);
      return { id: image.FromImageID, labels: image.OCIv1.config?.Labels ?? {}, layers: image.OCIv1.rootfs.diff_ids };
    },
  },
};

function fromDockerShape(image: { Id: string; Config?: { Labels?: Record<string, string> }; Labels?: Record<string, string>; RootFS: { Layers: string[] } }): Inspected {
  return { id: image.Id.replace(/^sha256:/, ''), labels: image.Config?.Labels ?? image.Labels ?? {}, layers: image.RootFS.Layers };
}

/**
 * `env` reaches the engine (docker: DOCKER_HOST and PATH of the tests' own daemon). buildah as root
 * keeps its images in root podman's storage, so its containers are run with podman (buildah runs
 * only its own working containers).
 */
export function engineImages(name: EngineName, env: Record<string, string> = {}): EngineImages {
  const options = { cwd: tmpdir(), env: childEnv(env), timeoutMs: 5 * 60 * 1000 };
  const out = (args: readonly string[], program: string = name) => runOk(program, args, options).stdout.trim();
  const inspect = (ref: string) => INSPECT[name].read(out(INSPECT[name].argv(ref)));
  const exists = (idOrRef: string) => run(name, INSPECT[name].argv(idOrRef), options).status === 0;
  return {
    name,
    version: () => /(\d+\.\d+\.\d+)/.exec(out(['--version']))?.[1] ?? 'unknown',
    id: (ref) => inspect(ref).id,
    exists,
    labels: (ref) => inspect(ref).labels,
    layers: (ref) => inspect(ref).layers,
    runIn: (ref, command) => out(['run', '--rm', '--network=none', ...(name === 'docker' ? ['--pull=never'] : []), ref, ...command], name === 'buildah' ? 'podman' : name),
    remove: (ids) => {
      let left = [...new Set(ids)].filter(exists);
      for (let pass = 0; pass < 5 && left.length > 0; pass++) {
        for (const id of left) run(name === 'buildah' ? 'podman' : name, ['rmi', '--force', id], options);
        left = left.filter(exists);
      }
      return left;
    },
  };
}
