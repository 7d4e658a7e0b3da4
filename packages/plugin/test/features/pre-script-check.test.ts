// @vitest-environment node
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `twilio flex:plugins:build` and `flex:plugins:deploy` first run flex-plugin-scripts'
 * pre-script check, which counts `.loadPlugin(` calls in src/index (its `_checkPluginCount`)
 * and refuses anything but exactly one. It also reads the Twilio CLI's own package.json
 * (`_comparePluginAndCLIVersions`) and records the plugin in the CLI's plugins.json, so it
 * runs here with a throw-away HOME holding an empty CLI folder.
 */
const pluginDir = fileURLToPath(new URL('../..', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'lifeline-cli-home-'));
mkdirSync(join(home, '.twilio-cli'));
writeFileSync(join(home, '.twilio-cli', 'package.json'), '{"name":"cli-home","dependencies":{}}');
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('src/index.ts (the plugin entry)', () => {
  it('passes `flex-plugin pre-script-check`: exactly one FlexPlugin.loadPlugin(...)', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      join(pluginDir, 'node_modules', '.bin', 'flex-plugin'),
      ['pre-script-check'],
      { cwd: pluginDir, env: { ...process.env, HOME: home, CI: 'true' }, timeout: 60_000 },
    );
    // A failing check exits non-zero (execFile rejects); its message names the plugin count.
    expect(`${stdout}${stderr}`).not.toMatch(/plugin\(s\) being loaded/);
  }, 60_000);
});
