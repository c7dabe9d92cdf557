import type { Stage } from '../../../utils/containerfile';
import { isKnownBootcBase } from '../../../utils/bootc-bases';
import { LOCAL_TRANSPORT, parseImageReference } from '../../../utils/image-ref';
import { instructionPosition } from './instruction-parts';
import { createFinding, type ContainerfileInput, type Finding } from './rules';
import { finalStageChain } from './stage-chain';

// Application-container images with no kernel, bootc or /sysroot: an image on them cannot boot (docker.io/library/* and the distributions' plain images).
const PLAIN_IMAGES = /^(?:docker\.io\/library\/.+|registry\.fedoraproject\.org\/fedora(?:-minimal)?|quay\.io\/fedora\/fedora(?:-minimal)?|quay\.io\/centos\/centos|registry\.access\.redhat\.com\/ubi\d+(?:\/ubi(?:-minimal|-micro|-init)?)?|registry\.access\.redhat\.com\/ubi\d+-(?:minimal|micro|init)|quay\.io\/almalinuxorg\/(?:\d+-)?(?:almalinux|minimal|micro|init)|docker\.io\/almalinux)$/;

/**
 * bootc-label: the final image should come from a bootc base: a known bootc base image (or one
 * under a prefix of the bootcBases option), a workspace image project, or a stage that sets
 * `LABEL containers.bootc=1` itself. A warning, since bootc-build labels every image and a base it
 * does not know may well be bootc (a mirror, a scratch-built OS); an error for the plain images of
 * Docker Hub and the distributions, which carry no kernel or bootc, so bootc-convert fails on them.
 */
export function checkBootcLabel({ file, parsed, isWorkspaceImage, target, bootcBases = [] }: ContainerfileInput): Finding[] {
  const chain = finalStageChain(parsed, target);
  const final = chain.at(-1);
  if (!final || chain.some(hasBootcLabel)) return [];
  const root = chain[0];
  if (!root.baseIsStage && (isKnownBootcBase(root.base) || isWorkspaceImage(root.base) || bootcBases.some((prefix) => root.base.startsWith(prefix)))) return [];
  // An archive or store named by transport (a composed image, `FROM oci-archive:./out.ociarchive`) cannot be read statically.
  if (!root.baseIsStage && LOCAL_TRANSPORT.test(root.base)) return [];
  // A base named by args without a value cannot be checked: from-arg-unset says so, and where to give them.
  if (parsed.images.some((image) => image.kind === 'from' && image.line === root.line && image.unresolved.length > 0)) return [];

  const from = parsed.ast.getFROMs()[final.index];
  const position = from ? instructionPosition(from) : { line: final.line };
  const written = parsed.ast.getFROMs()[root.index]?.getArguments()[0]?.getValue() ?? root.base;
  let reason: string;
  if (root.base.toLowerCase() === 'scratch') reason = 'builds FROM scratch';
  else if (root.base === '' || root.baseIsStage) reason = `builds on "${written}", a build arg without a default, so its base cannot be checked`;
  else reason = `builds on ${root.base}, which is neither a known bootc base image nor a workspace image project`;
  const plain = !root.baseIsStage && isPlainImage(root.base);
  return [
    createFinding(
      'bootc-label',
      file,
      position,
      plain
        ? `The final stage builds on ${root.base}, an application-container image with no kernel, bootc or /sysroot; bootc-convert and bootc install fail on it. Build on a bootc base image instead.`
        : `The final stage ${reason}, and no stage sets LABEL containers.bootc=1; if it is a bootc base (a mirror, your own), list its prefix in bootc-lint's bootcBases option.`,
      plain ? { severity: 'error' } : {},
    ),
  ];
}

// By registry and path: a name without a registry is Docker Hub's (library/ for one component); localhost/ is a local image.
function isPlainImage(ref: string): boolean {
  const parsed = parseImageReference(ref);
  if ('error' in parsed) return false;
  const domain = parsed.domain?.toLowerCase();
  if (domain === 'localhost') return false;
  return PLAIN_IMAGES.test(domain ? `${domain}/${parsed.path}` : `docker.io/${parsed.path.includes('/') ? parsed.path : `library/${parsed.path}`}`);
}

function hasBootcLabel(stage: Stage): boolean {
  return stage.instructions.some((instruction) => {
    if (instruction.getKeyword() !== 'LABEL') return false;
    const label = instruction as typeof instruction & { getProperties(): Array<{ getName(): string; getValue(): string | null }> };
    return label.getProperties().some((p) => p.getName() === 'containers.bootc' && p.getValue() === '1');
  });
}
