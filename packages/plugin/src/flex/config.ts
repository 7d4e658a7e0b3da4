import type { ConfigSource, LifelineConfig } from '../core/index.ts';
import { envSource, resolveConfig } from '../core/index.ts';
import type { FlexManager } from './types.ts';

function section(holder: unknown, key: string): ConfigSource {
  if (typeof holder !== 'object' || holder === null) return null;
  const value = (holder as Record<string, unknown>)[key];
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
}

/**
 * Flex conventions, most specific first: the account's Flex configuration
 * (`ui_attributes.lifeline`, set through the Configuration API), then appConfig
 * (`window.appConfig.lifeline`, which Flex merges into manager.configuration), then the
 * FLEX_APP_LIFELINE_* variables baked in at build time.
 */
export function readConfig(
  manager: FlexManager,
  env: Record<string, string | undefined>,
): LifelineConfig {
  return resolveConfig([
    section(manager.serviceConfiguration?.ui_attributes, 'lifeline'),
    section(manager.configuration, 'lifeline'),
    envSource(env),
  ]);
}
