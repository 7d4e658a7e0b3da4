import { describe, it } from 'vitest';
import { expectScaleOutHeld, scaleOutOnCluster, useCluster } from './scale-out.ts';

/**
 * The full scale-out run: `pnpm test:scale` (vitest.scale.config.ts, not part of `pnpm test`).
 * SCALE_OUT_CONFERENCES sets the count (default 500, issue 12), SCALE_OUT_SEED the seed. The
 * instances are server processes, so they and the simulator share both cores.
 */
const conferences = Number(process.env['SCALE_OUT_CONFERENCES'] ?? 500);
const seed = Number(process.env['SCALE_OUT_SEED'] ?? 1);

describe('scale-out: three instances, random spreading, a 3-master Redis Cluster', () => {
  const cluster = useCluster();

  it(`${conferences} concurrent calls dropped: expected ends, effects once, keys expire`, async () => {
    expectScaleOutHeld(await scaleOutOnCluster(cluster(), { conferences, seed, processes: true }));
  }, 1_800_000);
});
