import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics, one registry per app (tests build several apps in one process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'lifeline_' });
  return {
    registry,
    webhooks: new Counter({
      name: 'lifeline_webhooks_total',
      help: 'Webhook deliveries by type and outcome',
      labelNames: ['type', 'outcome'] as const,
      registers: [registry],
    }),
    recoveries: new Counter({
      name: 'lifeline_recoveries_total',
      help: 'Recoveries that reached a final state, by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    recoveryDuration: new Histogram({
      name: 'lifeline_recovery_duration_seconds',
      help: 'From disconnect to the final state',
      buckets: [1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 300],
      registers: [registry],
    }),
    effects: new Counter({
      name: 'lifeline_effects_total',
      help: 'Effects executed, by type and outcome',
      labelNames: ['type', 'outcome'] as const,
      registers: [registry],
    }),
    effectRetries: new Counter({
      name: 'lifeline_effect_retries_total',
      help: 'Effect attempts that will be retried (429, 5xx, timeouts)',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    effectLatency: new Histogram({
      name: 'lifeline_effect_duration_seconds',
      help: 'Time to execute an effect against Twilio',
      labelNames: ['type'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers: [registry],
    }),
    timerLag: new Histogram({
      name: 'lifeline_timer_lag_seconds',
      help: 'How late a durable timer fired after its due time',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
