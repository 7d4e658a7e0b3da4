import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Which Chromium the browser tests drive (playwright-core only drives a browser, it never
 * downloads one): the system's when there is one (`/usr/bin/chromium`, else `chromium` on
 * PATH), otherwise the build the npm package @sparticuz/chromium carries, so a machine with
 * nothing but Node and npm runs the tests too. No browser at all is an error, never a skip.
 */
export interface ChromiumChoice {
  executablePath: string;
  source: 'system' | 'npm';
}

export interface ChromiumLookup {
  /** PATH, as the environment has it. */
  path: string | undefined;
  exists(file: string): boolean;
  /** The executable @sparticuz/chromium unpacks (it rejects when it cannot). */
  npmChromium(): Promise<string>;
}

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** The system's Chromium, or null when it has none. */
export function systemChromium(lookup: Pick<ChromiumLookup, 'path' | 'exists'>): string | null {
  const onPath = (lookup.path ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, 'chromium'));
  return [SYSTEM_CHROMIUM, ...onPath].find((file) => lookup.exists(file)) ?? null;
}

export async function chooseChromium(lookup: ChromiumLookup): Promise<ChromiumChoice> {
  const system = systemChromium(lookup);
  if (system !== null) return { executablePath: system, source: 'system' };
  try {
    return { executablePath: await lookup.npmChromium(), source: 'npm' };
  } catch (error) {
    throw new Error(
      'no Chromium for the browser tests: none at /usr/bin/chromium or on PATH, and ' +
        '@sparticuz/chromium could not provide one',
      { cause: error },
    );
  }
}

const environment: ChromiumLookup = {
  path: process.env['PATH'],
  exists: existsSync,
  async npmChromium() {
    const { default: chromium } = await import('@sparticuz/chromium');
    return chromium.executablePath();
  },
};

/** Headless, and nothing that reaches beyond the loopback pages under test. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What playwright-core's `chromium.launch` takes, for this machine. */
export async function launchOptions(
  lookup: ChromiumLookup = environment,
): Promise<{ executablePath: string; args: string[] }> {
  const { executablePath } = await chooseChromium(lookup);
  return { executablePath, args: ARGS };
}
