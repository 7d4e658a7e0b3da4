/** main.ts as a child process, for what needs a real process: signals, exit codes, sockets. */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface MainProcess {
  child: ChildProcess;
  /** http://127.0.0.1:port, from the server's own "listening" log line. */
  url: string;
  /** Resolves with the exit code once the process is gone. */
  exited: Promise<number | null>;
  output(): string;
}

/**
 * Node with tsx's loader runs main.ts directly: no tsx CLI in between, so a signal reaches
 * the server itself rather than a wrapper.
 */
export async function startMain(
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<MainProcess> {
  const loader = pathToFileURL(require.resolve('tsx')).href;
  const child = spawn(process.execPath, ['--import', loader, MAIN], {
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`main.ts did not listen:\n${chunks.join('')}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      chunks.push(chunk.toString());
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(chunks.join(''));
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`main.ts exited with ${code}:\n${chunks.join('')}`));
    });
  });
  return { child, url, exited, output: () => chunks.join('') };
}
