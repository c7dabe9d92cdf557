import type { Instruction } from 'dockerfile-ast';
import { parseContainerfile } from '../../../utils/containerfile';
import { copyArguments, instructionPosition, runMounts, runScript } from './instruction-parts';

function instruction(text: string): Instruction {
  const found = parseContainerfile(`FROM scratch\n${text}\n`).stages[0].instructions[0];
  if (!found) throw new Error(`no instruction in ${text}`);
  return found;
}

describe('runScript', () => {
  test.each([
    ['RUN --mount=type=cache,dst=/var/cache/dnf dnf install -y vim && \\\n    dnf clean all', 'dnf install -y vim &&     dnf clean all'],
    ['RUN ["/bin/bash", "-ec", "mkdir /var/x"]', 'mkdir /var/x'],
    ['RUN ["mkdir", "-p", "/var/a b"]', "mkdir -p '/var/a b'"],
    ['RUN <<EOF\nmkdir /var/x\ntouch /tmp/y\nEOF', 'mkdir /var/x\ntouch /tmp/y'],
    ['RUN <<-EOT bash\n\tmkdir /var/x\n\tEOT', '\tmkdir /var/x'],
    ['RUN python3 <<EOF\nopen("/var/x", "w")\nEOF', 'python3 <<EOF\nopen("/var/x", "w")\nEOF'],
    ['RUN cat <<EOF > /tmp/x\nbody\nEOF', 'cat <<EOF > /tmp/x\nbody\nEOF'],
  ])('%j', (text, script) => {
    expect(runScript(instruction(text))).toBe(script);
  });
});

describe('runMounts', () => {
  test.each([
    ['RUN --mount=type=cache,dst=/var/cache/dnf/ true', [{ type: 'cache', target: '/var/cache/dnf' }]],
    ['RUN --mount=type=tmpfs,target=/tmp --mount=type=secret,id=t true', [{ type: 'tmpfs', target: '/tmp' }, { type: 'secret' }]],
    ['RUN --mount=source=x,destination=/run/x true', [{ type: 'bind', target: '/run/x', source: 'x' }]],
    ['RUN --mount=type=bind,from=ctx,src=/,dst=/ctx /ctx/build.sh', [{ type: 'bind', target: '/ctx', source: '/', from: 'ctx' }]],
    ['RUN true', []],
  ])('%j', (text, mounts) => {
    expect(runMounts(instruction(text))).toEqual(mounts);
  });
});

describe('copyArguments', () => {
  test.each([
    ['COPY rootfs/ /', { sources: ['rootfs/'], destination: '/' }],
    ['COPY --chmod=644 a b /etc/x/', { sources: ['a', 'b'], destination: '/etc/x/' }],
    ['COPY --from=build /out /usr/bin/', { sources: ['/out'], destination: '/usr/bin/', from: 'build' }],
    ['ADD ["a b", "/var/c"]', { sources: ['a b'], destination: '/var/c' }],
    ['COPY <<EOF /var/lib/x.conf\na=b\nEOF', { sources: [], destination: '/var/lib/x.conf' }],
  ])('%j', (text, args) => {
    expect(copyArguments(instruction(text))).toEqual(args);
  });
});

test('instructionPosition is 1-based', () => {
  expect(instructionPosition(instruction('  RUN true'))).toEqual({ line: 2, column: 3 });
});
