import { createFakeFlex } from 'plugin-lifeline/testing/flex-ui';
import type { Outcome, ScenarioName } from './contract-scenarios.ts';
import { runScenario, scenarioNames } from './contract-scenarios.ts';
import { expose, realFlex } from './real-flex.ts';
import { CALL } from './sids.ts';

/** Runs every contract scenario on the real Actions and on the fake's, one after the other. */
async function both(): Promise<Record<ScenarioName, { real: Outcome; fake: Outcome }>> {
  const results = {} as Record<ScenarioName, { real: Outcome; fake: Outcome }>;
  const fake = createFakeFlex();
  for (const scenario of scenarioNames) {
    results[scenario] = {
      real: await runScenario(realFlex().Actions, 'LlReal', scenario),
      fake: await runScenario(fake.flex.Actions, 'LlFake', scenario),
    };
  }
  return results;
}

const message = (work: () => unknown) => {
  try {
    work();
    return 'no error';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};

/**
 * What needs Flex's store (Manager.create): the real TaskHelper and the real AcceptTask's
 * payload update function, which resolves `sid` through it.
 */
async function withoutManager() {
  const { Actions, TaskHelper, VERSION } = realFlex();
  let accept: string;
  try {
    await Actions.invokeAction('AcceptTask', { sid: CALL.reservation });
    accept = 'resolved';
  } catch (error) {
    accept = error instanceof Error ? error.message : String(error);
  }
  return {
    version: VERSION,
    getTaskByTaskSid: message(() => TaskHelper.getTaskByTaskSid(CALL.reservation)),
    acceptTask: accept,
  };
}

expose('contractPage', { both, withoutManager });
