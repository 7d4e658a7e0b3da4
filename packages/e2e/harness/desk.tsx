import { useEffect, useState } from 'react';
import type { FakeFlex, FakeTask } from 'plugin-lifeline/testing/flex-ui';

/** A bare agent desktop: the worker's tasks, a Complete button each, and Flex's root content. */
export function Desk({ fake, notices }: { fake: FakeFlex; notices: Notices }) {
  const [, setRevision] = useState(0);
  useEffect(() => notices.subscribe(() => setRevision((n) => n + 1)), [notices]);
  const tasks = [...fake.tasks.values()];
  return (
    <main style={{ fontFamily: 'sans-serif', padding: '1.5rem' }}>
      <h1 style={{ fontSize: '1.25rem' }}>Flex (harness) — {fake.workerClient.name}</h1>
      <ul>
        {tasks.map((task) => (
          <li key={task.taskSid} data-task={task.taskSid}>
            {String(task.attributes['from'] ?? task.attributes['name'] ?? task.taskSid)} —{' '}
            <span data-status>{task.status}</span>
            {task.attributes['isReconnect'] === true ? ' (reconnect)' : ''}{' '}
            <small data-conference>
              {task.conference?.participants
                .map((p) => `${p.participantType} ${p.status}`)
                .join(', ')}
            </small>{' '}
            {task.status === 'pending' ? (
              <button type="button" onClick={() => void notices.accept(task)}>
                Accept
              </button>
            ) : (
              <button type="button" onClick={() => void notices.complete(task)}>
                Complete
              </button>
            )}
          </li>
        ))}
      </ul>
      <p role="status" data-notice>
        {notices.last}
      </p>
      {fake.rendered}
    </main>
  );
}

/** What happened to the last action the desk invoked, shown on the page for the screenshot. */
export class Notices {
  last = '';
  private listeners = new Set<() => void>();

  constructor(private readonly fake: FakeFlex) {}

  subscribe(listener: () => void) {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  complete(task: FakeTask): Promise<string> {
    return this.invoke('CompleteTask', task);
  }

  accept(task: FakeTask): Promise<string> {
    return this.invoke('AcceptTask', task);
  }

  /** Re-renders the desk (Flex's store changed). */
  changed() {
    this.listeners.forEach((listener) => listener());
  }

  private async invoke(action: string, task: FakeTask): Promise<string> {
    try {
      await this.fake.flex.Actions.invokeAction(action, { task });
      this.last = `${action} done: ${task.status}`;
    } catch (error) {
      this.last = `${action} blocked: ${error instanceof Error ? error.message : String(error)}`;
    }
    this.changed();
    return this.last;
  }
}
