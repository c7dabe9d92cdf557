import { writtenTexts } from './image-content';

describe('writtenTexts', () => {
  test('echo, printf and here-documents that write a whole file from literal text', () => {
    const script = [
      "echo 'd /var/lib/myapp 0755 root root -' > /usr/lib/tmpfiles.d/myapp.conf && mkdir -p /var/lib/myapp",
      `printf 'u app - "App" /var/lib/app\\n' >> "/usr/lib/sysusers.d/app.conf"`,
      'cat > /usr/lib/bootc/kargs.d/10.toml <<EOF',
      'kargs = ["a"]',
      'EOF',
      "cat <<'X' >> /etc/x.conf",
      'hello',
      'X',
      'tee /etc/z.conf <<-END',
      'z = 1',
      'END',
    ].join('\n');
    expect(writtenTexts(script)).toEqual([
      { path: '/usr/lib/tmpfiles.d/myapp.conf', text: 'd /var/lib/myapp 0755 root root -\n' },
      { path: '/usr/lib/sysusers.d/app.conf', text: 'u app - "App" /var/lib/app\n' },
      { path: '/usr/lib/bootc/kargs.d/10.toml', text: 'kargs = ["a"]\n' },
      { path: '/etc/x.conf', text: 'hello\n' },
      { path: '/etc/z.conf', text: 'z = 1\n' },
    ]);
  });

  test('appends add up; variables and relative paths are not taken', () => {
    expect(writtenTexts("echo 'a' > /etc/a && echo 'b' >> /etc/a; echo \"$X\" > /etc/b; echo 'c' > rel/c; echo 'd' > $OUT")).toEqual([
      { path: '/etc/a', text: 'a\nb\n' },
    ]);
  });
});
