import { readFileSync } from 'node:fs';

export function loadAverage() {
  const [one, five] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
  return { one, five };
}

/**
 * Waits until the 1-minute load average is below `maxLoad` (other work shares this machine),
 * polling every 5 s for at most `timeoutSeconds`; returns the load it started at.
 */
export async function waitForQuiet({ maxLoad, timeoutSeconds, label }) {
  const started = Date.now();
  let load = loadAverage();
  let said = false;
  while (load.one >= maxLoad && Date.now() - started < timeoutSeconds * 1000) {
    if (!said) console.log(`  [${label}] waiting for the 1-min load (${load.one}) to fall below ${maxLoad} (up to ${timeoutSeconds} s)`);
    said = true;
    await new Promise((r) => setTimeout(r, 5000));
    load = loadAverage();
  }
  const waited = Math.round((Date.now() - started) / 1000);
  if (load.one >= maxLoad) console.log(`  [${label}] load still ${load.one} after ${waited} s: measuring anyway (recorded)`);
  return { load1: load.one, quiet: load.one < maxLoad, waitedSeconds: waited };
}
