import { useEffect, useState } from 'react';
import type { FakeFlex, FakeTask } from '../test/fakes/flex-ui.ts';

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
            {task.attributes['from'] as string} — <span data-status>{task.status}</span>{' '}
            <button type="button" onClick={() => void notices.complete(task)}>
              Complete
            </button>
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

  async complete(task: FakeTask): Promise<string> {
    try {
      await this.fake.flex.Actions.invokeAction('CompleteTask', { task });
      this.last = `CompleteTask done: ${task.status}`;
    } catch (error) {
      this.last = `CompleteTask blocked: ${error instanceof Error ? error.message : String(error)}`;
    }
    this.listeners.forEach((listener) => listener());
    return this.last;
  }
}
