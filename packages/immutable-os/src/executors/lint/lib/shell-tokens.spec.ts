import { tokenizeShell, type ShellToken } from './shell-tokens';

const w = (value: string): ShellToken => ({ type: 'word', value });
const op = (value: string): ShellToken => ({ type: 'op', value });
const r = (value: string): ShellToken => ({ type: 'redirect', value });

describe('tokenizeShell', () => {
  test.each<[string, ShellToken[]]>([
    ['mkdir -p /var/lib/app', [w('mkdir'), w('-p'), w('/var/lib/app')]],
    ['a && b || c; d | e & f', [w('a'), op('&&'), w('b'), op('||'), w('c'), op(';'), w('d'), op('|'), w('e'), op('&'), w('f')]],
    [`echo 'a b' "c \\"d\\" $X" e\\ f`, [w('echo'), w('a b'), w('c "d" $X'), w('e f')]],
    ['echo hi>/tmp/x 2>>/tmp/err', [w('echo'), w('hi'), r('>'), w('/tmp/x'), r('>>'), w('/tmp/err')]],
    ['cmd 2>&1 &>/run/log', [w('cmd'), r('>&'), w('1'), r('&>'), w('/run/log')]],
    ['x=$(cat /etc/os-release | head -1) && echo ${x:-none}', [w('x=$(cat /etc/os-release | head -1)'), op('&&'), w('echo'), w('${x:-none}')]],
    ['echo `date > /tmp/d`', [w('echo'), w('`date > /tmp/d`')]],
    ['a \\\n  b', [w('a'), w('b')]],
    ['a # > /var/comment\nb', [w('a'), op('\n'), w('b')]],
    ['echo "" x', [w('echo'), w(''), w('x')]],
    ['( cd /x && make )', [op('('), w('cd'), w('/x'), op('&&'), w('make'), op(')')]],
  ])('%j', (script, tokens) => {
    expect(tokenizeShell(script)).toEqual(tokens);
  });

  test('skips here-document bodies, which are data', () => {
    const script = 'cat > /etc/x.conf <<EOF\necho > /var/not-a-command\nEOF\ntouch /tmp/after';
    expect(tokenizeShell(script)).toEqual([w('cat'), r('>'), w('/etc/x.conf'), r('<<'), w('EOF'), op('\n'), w('touch'), w('/tmp/after')]);
  });

  test('<<- strips leading tabs from the delimiter line; a quoted delimiter is unquoted', () => {
    const script = "cat <<-'END' >/tmp/x\n\tbody\n\tEND\nrm /tmp/x";
    expect(tokenizeShell(script)).toEqual([w('cat'), r('<<-'), w('END'), r('>'), w('/tmp/x'), op('\n'), w('rm'), w('/tmp/x')]);
  });
});
