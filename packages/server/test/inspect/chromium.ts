/**
 * Where the browser test's Chromium comes from: /usr/bin/chromium when the system has one,
 * else the build bundled by @sparticuz/chromium (unpacked to /tmp on first use). A missing
 * browser fails the test: it is never skipped. Kept to this one file so a shared locator
 * (packages/e2e) can replace it.
 */
import { existsSync } from 'node:fs';
import chromium from '@sparticuz/chromium';
import type { Browser } from 'playwright-core';
import { chromium as playwright } from 'playwright-core';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function chromiumPath(): Promise<string> {
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  const path = await chromium.executablePath();
  if (!existsSync(path)) throw new Error(`no Chromium: neither ${SYSTEM_CHROMIUM} nor ${path}`);
  return path;
}

export async function launchChromium(): Promise<Browser> {
  return playwright.launch({ executablePath: await chromiumPath(), args: ARGS });
}
