import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_PATH } from '#tests/support/components.ts';

/**
 * Debian's Chromium driven by playwright-core (no browser download). The flags keep it off the
 * network: this machine's closed network refuses Chromium's background connections. Playwright
 * gives every launch a fresh, empty profile of its own.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const ARTIFACTS_DIR = path.resolve('tests/e2e/artifacts');

export function artifactPath(name: string): string {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return path.join(ARTIFACTS_DIR, name);
}

/** A Chromium page as the journeys use it: zh-CN, Beijing time, and every console error collected. */
export type BrowserPage = { browser: Browser; context: BrowserContext; page: Page; consoleErrors: string[]; close: () => Promise<void> };

export async function openBrowserPage(options: { viewport?: { width: number; height: number } } = {}): Promise<BrowserPage> {
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  return {
    browser,
    context,
    page,
    consoleErrors,
    close: async () => {
      await context.close();
      await browser.close();
    },
  };
}

/** Signs in through the login page and waits for the home page (demo accounts share one password). */
export async function signIn(page: Page, serverUrl: string, username: string, password = 'kejing-demo'): Promise<void> {
  await page.goto(`${serverUrl}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  // antd puts a space between the two characters of a two-character button label (「登 录」).
  await page.getByRole('button', { name: /^\s*登\s*录\s*$/ }).click();
  await page.waitForURL(`${serverUrl}/`);
}
