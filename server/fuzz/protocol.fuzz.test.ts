import { expect, test } from 'vitest';
import { fuzzProtocol } from '../testing/fuzz/fuzz.ts';

/** A fixed seed keeps `npm test` reproducible; `npm run fuzz` explores new seeds for longer. */
const SEED = 20261201;

test('random and mutated ws and REST traffic from every role breaks no invariant of a real server', async () => {
  const result = await fuzzProtocol({ seed: SEED, runs: 8, maxSteps: 40, timeLimitMs: 40_000 });
  expect(result.failure, `seed ${SEED}`).toBeNull();
}, 120_000);
