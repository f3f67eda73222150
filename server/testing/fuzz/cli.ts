import { parseArgs } from 'node:util';

// The server's own log would bury the report; LOG_LEVEL=info brings it back.
process.env.LOG_LEVEL ??= 'silent';
const { fuzzProtocol } = await import('./fuzz.ts');

/**
 * `npm run fuzz -- --seed 42 --runs 200 --steps 60 [--minutes 30] [--path …] [--verbose]`: a long fuzz against real servers.
 * The seed (printed first) and fast-check's path replay a failure exactly as generated.
 */
const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: process.env.FUZZ_SEED },
    runs: { type: 'string', default: process.env.FUZZ_RUNS ?? '100' },
    steps: { type: 'string', default: process.env.FUZZ_STEPS ?? '60' },
    path: { type: 'string', default: process.env.FUZZ_PATH },
    minutes: { type: 'string', default: process.env.FUZZ_MINUTES },
    verbose: { type: 'boolean', default: false }
  }
});
const seed = values.seed ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
// Printed before anything runs, so even a crash of the fuzzer itself can be replayed.
console.log(`fuzz seed ${seed} (replay with --seed ${seed})`);
const result = await fuzzProtocol({
  seed,
  runs: Number(values.runs),
  maxSteps: Number(values.steps),
  path: values.path,
  timeLimitMs: values.minutes ? Number(values.minutes) * 60_000 : undefined,
  verbose: values.verbose,
  log: (line) => console.log(line)
});
if (result.failure) {
  console.error(result.failure);
  process.exit(1);
}
console.log('every invariant held');
process.exit(0);
