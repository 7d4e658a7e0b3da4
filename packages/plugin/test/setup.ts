import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// Webpack's DefinePlugin provides these to @twilio/flex-plugin in a real build.
Object.assign(globalThis, {
  __FPB_PLUGIN_UNIQUE_NAME: 'plugin-lifeline',
  __FPB_PLUGIN_VERSION: '0.0.0-test',
  __FPB_FLEX_PLUGIN_SCRIPTS_VERSION: '7.1.2',
  __FPB_FLEX_PLUGIN_VERSION: '7.1.2',
  __FPB_FLEX_UI_VERSION: '2.17.1',
  __FPB_REACT_VERSION: '17.0.2',
  __FPB_REACT_DOM_VERSION: '17.0.2',
});

// Testing Library unmounts after each test only when the runner exposes a global afterEach;
// vitest does not by default, so do it here.
afterEach(() => cleanup());
