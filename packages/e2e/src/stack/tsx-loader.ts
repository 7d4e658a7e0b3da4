import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/**
 * Node's arguments to run a TypeScript entry point with tsx's loader, in the process itself:
 * no tsx CLI in between, which would run it in a grandchild (a SIGKILL would reach only the
 * wrapper).
 */
export function tsxImport(): string[] {
  return ['--import', pathToFileURL(require.resolve('tsx')).href];
}
