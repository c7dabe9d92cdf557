/**
 * Sizes in a bootc-image-builder config: an integer number of bytes, or a string with a number and
 * one of these units (osbuild/images pkg/datasizes: "10 GiB", "10GiB", "1.5 GB", "512").
 */
export const SIZE_UNITS = {
  kB: 1e3,
  KiB: 1024,
  MB: 1e6,
  MiB: 1024 ** 2,
  GB: 1e9,
  GiB: 1024 ** 3,
  TB: 1e12,
  TiB: 1024 ** 4,
} as const;

const SIZE_STRING = new RegExp(`^(\\d+(?:\\.\\d+)?)\\s*(${Object.keys(SIZE_UNITS).join('|')})?$`);

export const SIZE_HELP = `a number of bytes or a string with a unit (${Object.keys(SIZE_UNITS).join(', ')}), e.g. "10 GiB"`;

/** The size in bytes, or undefined when the value is not a size the builder accepts. */
export function parseDataSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = SIZE_STRING.exec(value.trim());
  if (!match) return undefined;
  const bytes = Number(match[1]) * (match[2] ? SIZE_UNITS[match[2] as keyof typeof SIZE_UNITS] : 1);
  // Fractions are fine with a unit as long as they come to whole bytes ("1.5 GiB"), never for bare bytes.
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}
