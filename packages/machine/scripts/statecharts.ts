/** `pnpm statecharts`: regenerates docs/statecharts from the recovery machine. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DOCS_DIR, generateStatechartDocs } from './chart/generate.ts';

mkdirSync(DOCS_DIR, { recursive: true });
for (const file of generateStatechartDocs()) {
  const path = join(DOCS_DIR, file.name);
  let previous: string | null = null;
  try {
    previous = readFileSync(path, 'utf8');
  } catch {
    // Not generated yet.
  }
  writeFileSync(path, file.content);
  const status = previous === file.content ? 'unchanged' : 'written';
  console.log(`${relative(process.cwd(), path)}: ${status}`);
}
