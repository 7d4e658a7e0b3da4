import * as React from 'react';
import * as ReactDOM from 'react-dom';
import { render } from 'react-dom';
import type { FakeFlex, FakeTask } from 'plugin-lifeline/testing/flex-ui';
import { bridgedFlex } from './bridged-flex.ts';
import { Desk, Notices } from './desk.tsx';
import { staticFlex } from './static-call.ts';

/**
 * Loads the real plugin entry (plugin-lifeline: src/index.ts → loadPlugin), or with `?bundle=<url>` the built
 * bundle, into the Flex fake. With `?bridge=<url>` the fake is fed by the browser test's
 * bridge to the simulator (reservations, accept, the call leg); without it the page shows one
 * static call (harness/static-call.ts). `?server=` is the Lifeline server the plugin talks to.
 */
const query = new URLSearchParams(window.location.search);
const serverUrl = query.get('server') ?? 'http://127.0.0.1:8787';
const bridgeUrl = query.get('bridge');
const lifeline = { serverUrl, pollIntervalMs: 1_000 };

let fake: FakeFlex;
let startFlex: (onChange: () => void) => void = () => undefined;
if (bridgeUrl === null) {
  fake = staticFlex(query, lifeline);
} else {
  const bridged = await bridgedFlex(bridgeUrl, query.get('worker') ?? '', lifeline);
  fake = bridged.fake;
  startFlex = bridged.start;
}
const notices = new Notices(fake);
/** The desk names tasks by task SID; Flex's store is keyed by reservation SID. */
const taskOf = (taskSid?: string): FakeTask => {
  const tasks = [...fake.tasks.values()];
  const task = taskSid === undefined ? tasks[0] : tasks.find((t) => t.taskSid === taskSid);
  if (task === undefined) throw new Error(`no task ${taskSid ?? ''} in Flex`);
  return task;
};

// What webpack's DefinePlugin and Flex's plugin loader provide in a real Flex page.
Object.assign(window, {
  __FPB_PLUGIN_UNIQUE_NAME: 'plugin-lifeline',
  __FPB_PLUGIN_VERSION: 'harness',
  __FPB_FLEX_PLUGIN_SCRIPTS_VERSION: '7.1.2',
  __FPB_FLEX_PLUGIN_VERSION: '7.1.2',
  __FPB_FLEX_UI_VERSION: '2.17.1',
  __FPB_REACT_VERSION: '17.0.2',
  __FPB_REACT_DOM_VERSION: '17.0.2',
  Twilio: {
    Flex: {
      Plugins: {
        init: (Plugin: new () => { init(flex: unknown, manager: unknown): void }) =>
          new Plugin().init(fake.flex, fake.manager),
      },
    },
  },
  // For the browser test: the desk's Complete button, by task.
  lifelineHarness: {
    complete: (taskSid?: string) => notices.complete(taskOf(taskSid)),
  },
});

if (query.get('bundle') === null) {
  await import('plugin-lifeline');
} else {
  // The bundle `flex-plugin build` wrote: React and ReactDOM are the page's globals, as in Flex.
  Object.assign(window, { React, ReactDOM });
  await new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = query.get('bundle') ?? '';
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${script.src}`));
    document.head.appendChild(script);
  });
}
render(<Desk fake={fake} notices={notices} />, document.getElementById('root'));
// Reservations held at load were in Flex's store before the plugin started; the ones that
// come later are announced to it (reservationCreated) from here on.
startFlex(() => notices.changed());
