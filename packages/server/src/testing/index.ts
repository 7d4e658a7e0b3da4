/**
 * `@lifeline/server/testing`: what other packages' tests need of the server's own test
 * set-up (the e2e scale-out test runs its instances on the same throwaway cluster).
 */
export { startCluster } from './redis-cluster.ts';
export type { TestCluster } from './redis-cluster.ts';
