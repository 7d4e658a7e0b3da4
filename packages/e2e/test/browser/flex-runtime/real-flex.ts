import type { ActionsLike } from './contract-scenarios.ts';

/**
 * The real Flex UI bundle as the page holds it (`window.RealFlex`, set by the first script:
 * build-pages.ts bundles `@twilio/flex-ui` on its own). Typed narrowly: what the tests touch.
 */
export interface RealFlex {
  VERSION: string;
  Actions: ActionsLike;
  TaskHelper: { getTaskByTaskSid(reservationSid: string): unknown };
  Manager: { getInstance(): unknown };
}

export const realFlex = (): RealFlex => (window as unknown as { RealFlex: RealFlex }).RealFlex;

/** What a page reports to the test (read with page.evaluate). */
export function expose(name: string, value: unknown): void {
  Object.assign(window, { [name]: value });
}
