import { describe, expect, it } from 'vitest';
import type { ChromiumLookup } from '../src/browser/chromium.ts';
import { chooseChromium, launchOptions } from '../src/browser/chromium.ts';

/** A machine with these files, this PATH, and an npm Chromium that gives `npm` (or fails). */
function machine(
  files: string[],
  path: string | undefined,
  npm: string | Error,
): ChromiumLookup & { npmAsked: number } {
  return {
    path,
    npmAsked: 0,
    exists: (file) => files.includes(file),
    async npmChromium() {
      this.npmAsked += 1;
      if (npm instanceof Error) throw npm;
      return npm;
    },
  };
}

describe('the Chromium the browser tests drive', () => {
  it('is Debian’s /usr/bin/chromium when it is there, before anything on PATH', async () => {
    const lookup = machine(['/usr/bin/chromium', '/opt/bin/chromium'], '/opt/bin', '/tmp/npm');
    expect(await chooseChromium(lookup)).toEqual({
      executablePath: '/usr/bin/chromium',
      source: 'system',
    });
    // The npm build is not even unpacked when the system has a browser.
    expect(lookup.npmAsked).toBe(0);
  });

  it('is `chromium` on PATH when /usr/bin has none', async () => {
    const lookup = machine(['/opt/b/chromium'], '/opt/a:/opt/b', '/tmp/npm');
    expect(await chooseChromium(lookup)).toEqual({
      executablePath: '/opt/b/chromium',
      source: 'system',
    });
  });

  it('is the npm package’s build on a machine without a system Chromium', async () => {
    const lookup = machine([], undefined, '/tmp/chromium/chromium');
    expect(await chooseChromium(lookup)).toEqual({
      executablePath: '/tmp/chromium/chromium',
      source: 'npm',
    });
    expect(lookup.npmAsked).toBe(1);
  });

  it('is an error, never a skip, when there is no browser at all', async () => {
    const lookup = machine([], '/usr/local/bin', new Error('unpack failed'));
    await expect(chooseChromium(lookup)).rejects.toThrow(/no Chromium for the browser tests/);
  });

  it('launches headless without sandbox, GPU or background networking', async () => {
    const options = await launchOptions(machine(['/usr/bin/chromium'], undefined, '/tmp/npm'));
    expect(options.executablePath).toBe('/usr/bin/chromium');
    expect(options.args).toEqual(
      expect.arrayContaining(['--headless', '--no-sandbox', '--disable-background-networking']),
    );
  });
});
