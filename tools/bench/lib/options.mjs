// The command line of `npm run bench`: which scenarios, how many runs, which fleet sizes.
export const SCENARIOS = ['graph', 'families', 'noop', 'executor', 'convert', 'boot', 'affected', 'arch'];

const USAGE = `Usage: npm run bench -- [--quick] [--only graph,families,noop,executor,convert,boot,affected,arch] [--runs N]
       [--sizes 100,1000,5000] [--family-files 250] [--images 50] [--files 2000] [--dir tmp/bench] [--max-load 0.5] [--load-wait 240]
       [--tarball <packed immutable-os .tgz>]   (measure that build of the plugin instead of building this tree)`;

const DEFAULTS = { runs: 5, sizes: [100, 1000, 5000], familyFiles: 250, images: 50, files: 2000, affectedSize: 1000, maxLoad: 0.5, loadWaitSeconds: 240 };
// --quick: fewer runs and smaller fleets, to check the harness, not to publish.
const QUICK = { runs: 3, sizes: [100, 1000], familyFiles: 50, images: 10, files: 500, affectedSize: 1000 };

export function parseOptions(argv) {
  const options = { ...DEFAULTS, only: SCENARIOS, dir: 'tmp/bench', quick: false };
  const value = (i, flag) => {
    if (i + 1 >= argv.length || argv[i + 1].startsWith('--')) throw new Error(`${flag} needs a value.\n${USAGE}`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--quick') Object.assign(options, QUICK, { quick: true });
    else if (flag === '--help' || flag === '-h') return { help: USAGE };
    else if (flag === '--only') options.only = list(value(i++, flag), flag, SCENARIOS);
    else if (flag === '--runs') options.runs = positiveInt(value(i++, flag), flag);
    else if (flag === '--sizes') options.sizes = value(i++, flag).split(',').map((s) => positiveInt(s, flag));
    else if (flag === '--images') options.images = positiveInt(value(i++, flag), flag);
    else if (flag === '--family-files') options.familyFiles = positiveInt(value(i++, flag), flag);
    else if (flag === '--files') options.files = positiveInt(value(i++, flag), flag);
    else if (flag === '--dir') options.dir = value(i++, flag);
    else if (flag === '--max-load') options.maxLoad = Number(value(i++, flag));
    else if (flag === '--load-wait') options.loadWaitSeconds = positiveInt(value(i++, flag), flag);
    else if (flag === '--tarball') options.tarball = value(i++, flag);
    else throw new Error(`Unknown option ${flag}.\n${USAGE}`);
  }
  if (options.images < 4) throw new Error(`--images ${options.images}: the realistic fleet needs at least 4 images (a base, 2 flavors, a leaf).`);
  if (!(options.maxLoad > 0)) throw new Error(`--max-load must be a positive number (the 1-minute load average to wait for).`);
  return options;
}

function positiveInt(text, flag) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: expected a positive integer, got "${text}".\n${USAGE}`);
  return n;
}

function list(text, flag, allowed) {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = items.filter((s) => !allowed.includes(s));
  if (unknown.length || items.length === 0) throw new Error(`${flag}: unknown scenario "${unknown.join(', ')}"; choose from ${allowed.join(', ')}.`);
  return items;
}
