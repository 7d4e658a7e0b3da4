import { FlexPlugin } from '@twilio/flex-plugin';
import type * as Flex from '@twilio/flex-ui';
import { browserFetch, buildEnv, eventSourceStream } from './flex/browser.ts';
import { readConfig } from './flex/config.ts';
import { connectLifeline } from './flex/connect.ts';

export const PLUGIN_NAME = 'LifelinePlugin';

/** Lifeline for Flex UI 2.x: keeps a call recoverable when the agent's page reloads. */
export class LifelinePlugin extends FlexPlugin {
  constructor() {
    super(PLUGIN_NAME);
  }

  init(flex: typeof Flex, manager: Flex.Manager): void {
    let config;
    try {
      config = readConfig(manager, buildEnv());
    } catch (error) {
      // A missing setting must not take the agent's Flex down with it: say so and stay out.
      console.error(error);
      return;
    }
    connectLifeline(flex, manager, {
      config,
      fetch: browserFetch,
      openStream: eventSourceStream(),
      window,
    });
  }
}
