import * as React from 'react';
import * as ReactDOM from 'react-dom';
import { render } from 'react-dom';
import type { FakeTask } from '../test/fakes/flex-ui.ts';
import { conference, createFakeFlex } from '../test/fakes/flex-ui.ts';
import { Desk, Notices } from './desk.tsx';

/**
 * Loads the real plugin entry (src/index.ts → loadPlugin), or with `?bundle=<url>` the
 * built bundle, into the Flex fake. The first
 * load has a live call; a reload finds that call wrapping, as Flex shows it after the page
 * (and with it the agent's call leg) went away.
 */
const query = new URLSearchParams(window.location.search);
const serverUrl = query.get('server') ?? 'http://127.0.0.1:8787';
const workerSid = query.get('worker') ?? 'WK00000000000000000000000000000001';
const taskSid = query.get('task') ?? 'WT00000000000000000000000000000001';
const conferenceSid = query.get('conference') ?? 'CF00000000000000000000000000000001';

const fake = createFakeFlex({ workerSid, lifeline: { serverUrl, pollIntervalMs: 1_000 } });
const reloaded = sessionStorage.getItem('lifeline-harness-call') !== null;
sessionStorage.setItem('lifeline-harness-call', taskSid);

const call: FakeTask = {
  taskSid,
  sid: 'WR00000000000000000000000000000001',
  status: reloaded ? 'wrapping' : 'accepted',
  taskChannelUniqueName: 'voice',
  workflowSid: 'WW00000000000000000000000000000001',
  attributes: { from: '+15550001111' },
  conference: conference(conferenceSid, [
    {
      participantType: 'customer',
      callSid: 'CA00000000000000000000000000000001',
      status: 'joined',
    },
    {
      participantType: 'worker',
      callSid: 'CA00000000000000000000000000000002',
      workerSid,
      status: reloaded ? 'left' : 'joined',
    },
  ]),
};
fake.addTask(call, { emit: false });
const notices = new Notices(fake);

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
  lifelineHarness: {
    reloaded,
    complete: () => notices.complete(call),
    taskStatus: () => call.status,
  },
});

if (query.get('bundle') === null) {
  await import('../src/index.ts');
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
