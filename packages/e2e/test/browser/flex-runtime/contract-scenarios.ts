/**
 * The Actions framework contract, as calls that run the same on real Flex's `Actions` and on
 * the plugin's fake (`plugin-lifeline/testing/flex-ui`). Each scenario returns plain data
 * (what ran, in which order, what invokeAction settled with), so the test compares answers.
 * Runs in the page; action names carry a prefix of their own so runs never share an action.
 */
type Payload = Record<string, unknown>;
type Listener = (...args: never[]) => unknown;

export interface ActionsLike {
  registerAction(
    name: string,
    action: (payload: Payload) => Promise<unknown>,
    update?: (payload: Payload) => Payload,
  ): unknown;
  addListener(event: string, listener: Listener): unknown;
  removeListener(event: string, listener: Listener): unknown;
  invokeAction(name: string, payload?: Payload): Promise<unknown>;
}

export interface Outcome {
  log: string[];
  settled: string;
}

const settle = async (work: Promise<unknown>): Promise<string> => {
  try {
    const value = await work;
    return `resolved ${JSON.stringify(value ?? null)}`;
  } catch (error) {
    return `rejected ${error instanceof Error ? error.message : String(error)}`;
  }
};

/** At most `ms`: a serial runner would wait forever on the parallel scenario's gate. */
const within = (work: Promise<string>, ms: number) =>
  Promise.race([
    work,
    new Promise<string>((resolve) => setTimeout(() => resolve('timed out'), ms)),
  ]);

export const scenarioNames = [
  'parallel before-listeners',
  'a throwing before-listener',
  'a rejecting before-listener',
  'abortFunction',
  'after-listener arguments',
  'payload update function',
  'a failing action body',
] as const;
export type ScenarioName = (typeof scenarioNames)[number];

export async function runScenario(
  actions: ActionsLike,
  prefix: string,
  scenario: ScenarioName,
): Promise<Outcome> {
  const log: string[] = [];
  const name = `${prefix}${scenario.replace(/[^a-z]/gi, '')}`;
  const added: [string, Listener][] = [];
  const on = (event: string, listener: Listener) => {
    actions.addListener(event, listener);
    added.push([event, listener]);
  };
  const body = async (payload: Payload) => {
    log.push(`action ${JSON.stringify(payload)}`);
    return 'done';
  };
  try {
    switch (scenario) {
      case 'parallel before-listeners': {
        // The first listener waits for the second: only listeners started together finish.
        let open: () => void = () => undefined;
        const gate = new Promise<void>((resolve) => (open = resolve));
        actions.registerAction(name, body);
        on(`before${name}`, async () => {
          log.push('first started');
          await gate;
          log.push('first finished');
        });
        on(`before${name}`, () => {
          log.push('second started');
          open();
        });
        return { log, settled: await within(settle(actions.invokeAction(name, { n: 1 })), 2_000) };
      }
      case 'a throwing before-listener': {
        actions.registerAction(name, body);
        on(`before${name}`, () => log.push('first'));
        on(`before${name}`, () => {
          log.push('second throws');
          throw new Error('listener bug');
        });
        on(`before${name}`, () => log.push('third'));
        on(`after${name}`, () => log.push('after'));
        return { log, settled: await settle(actions.invokeAction(name, { n: 1 })) };
      }
      case 'a rejecting before-listener': {
        actions.registerAction(name, body);
        on(`before${name}`, async () => {
          log.push('first rejects');
          throw new Error('listener bug');
        });
        on(`before${name}`, () => log.push('second'));
        on(`after${name}`, () => log.push('after'));
        return { log, settled: await settle(actions.invokeAction(name, { n: 1 })) };
      }
      case 'abortFunction': {
        actions.registerAction(name, body);
        on(`before${name}`, (_payload: never, abort: never) => {
          log.push('aborting');
          (abort as () => void)();
        });
        on(`before${name}`, () => log.push('other listener'));
        on(`after${name}`, () => log.push('after'));
        const settled = await settle(actions.invokeAction(name, { n: 1 }));
        // Cancelled means not pending either: the same call can be made again.
        const again = await settle(actions.invokeAction(name, { n: 1 }));
        log.push(`again: ${again.replace(name, '<name>')}`);
        return { log, settled: settled.replace(name, '<name>') };
      }
      case 'after-listener arguments': {
        actions.registerAction(name, body);
        on(`after${name}`, (...args: never[]) => {
          log.push(`after got ${args.length}: ${JSON.stringify(args)}`);
        });
        return { log, settled: await settle(actions.invokeAction(name, { n: 1 })) };
      }
      case 'payload update function': {
        actions.registerAction(name, body, (payload) => ({ ...payload, updated: true }));
        on(`before${name}`, (payload: never) => log.push(`before ${JSON.stringify(payload)}`));
        on(`after${name}`, (payload: never) => log.push(`after ${JSON.stringify(payload)}`));
        return { log, settled: await settle(actions.invokeAction(name, { n: 1 })) };
      }
      case 'a failing action body': {
        actions.registerAction(name, async () => {
          log.push('action throws');
          throw new Error('body failed');
        });
        on(`after${name}`, () => log.push('after'));
        const settled = await settle(actions.invokeAction(name, { n: 1 }));
        return {
          log,
          settled: settled.includes('body failed') ? 'rejected (body failed)' : settled,
        };
      }
      default:
        throw new Error(`no scenario ${String(scenario satisfies never)}`);
    }
  } finally {
    for (const [event, listener] of added) actions.removeListener(event, listener);
  }
}
