import { describe, it } from 'vitest';
import { expectScaleOutHeld, scaleOutOnCluster, useCluster } from '../scale/scale-out.ts';

/**
 * Issue 12 item 5 at a size the e2e project runs in seconds: 20 concurrent calls dropped, on
 * three instances behind a proxy spreading at random, over a 3-master Redis Cluster. The full
 * 500 is `pnpm test:scale` (test/scale/scale-out.test.ts).
 */
describe('scenario 12: scale-out on a Redis Cluster', () => {
  const cluster = useCluster();

  it('20 concurrent calls dropped: expected ends, effects once, keys expire', async () => {
    expectScaleOutHeld(
      await scaleOutOnCluster(cluster(), { conferences: 20, seed: 7, processes: false }),
    );
  }, 120_000);
});
