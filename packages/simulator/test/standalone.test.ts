import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The simulator is a Twilio emulator and nothing else: it knows nothing of Lifeline. Its
 * package depends on no workspace package, and no file of its own names one, so it can be
 * lifted out and used to test any Twilio application.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
// Spelled in two parts so that this file does not name the scope it looks for.
const workspaceScope = '@lifeline' + '/';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|tsx|js|mjs|cjs|json)$/.test(entry.name) ? [path] : [];
  });
}

describe('the simulator stands alone', () => {
  it('declares no dependency on a workspace package', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Partial<
      Record<string, Record<string, string>>
    >;
    const fields = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];
    const named = fields.flatMap((field) => Object.keys(manifest[field] ?? {}));
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((name) => name.startsWith(workspaceScope))).toEqual([]);
  });

  it('names no workspace package in any source, script or test file', () => {
    const files = ['src', 'scripts', 'test'].flatMap((dir) => sourceFiles(join(root, dir)));
    expect(files.length).toBeGreaterThan(50);
    const naming = files.filter((file) => readFileSync(file, 'utf8').includes(workspaceScope));
    expect(naming.map((file) => relative(root, file))).toEqual([]);
  });
});
