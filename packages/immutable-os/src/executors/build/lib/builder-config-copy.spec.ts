import { parseContainerfile } from '../../../utils/containerfile';
import { assertNoBuilderConfigCopy } from './builder-config-copy';

describe('assertNoBuilderConfigCopy', () => {
  const check = (content: string, context = '/ws/images/kiosk') => () =>
    assertNoBuilderConfigCopy(parseContainerfile(content), context, '/ws/images/kiosk', 'images/kiosk/Containerfile');

  test.each([
    ['COPY config.toml /usr/lib/bootc-image-builder/config.toml'],
    ['COPY ./config.json /etc/x.json'],
    ['ADD rootfs/ config.toml /'],
  ])('refuses %s', (line) => {
    expect(check(`FROM base\n${line}\n`)).toThrow(/images\/kiosk\/Containerfile:2: (COPY|ADD) .*config\.(toml|json) copies bootc-convert's builder config into the image.*rootfs\/usr\/lib\/bootc-image-builder/);
  });

  test.each([
    ['COPY rootfs/ /'],
    ['COPY rootfs/usr/lib/bootc-image-builder/config.toml /usr/lib/bootc-image-builder/config.toml'],
    ['COPY --from=builder /config.toml /etc/x.toml'],
    ['RUN cat config.toml'],
  ])('allows %s', (line) => {
    expect(check(`FROM base\n${line}\n`)).not.toThrow();
  });

  it('a config.toml of a context elsewhere is not the project’s', () => {
    expect(check('FROM base\nCOPY config.toml /etc/app.toml\n', '/ws/shared')).not.toThrow();
  });
});
