import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, expect } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
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

/**
 * When a journey step fails, keep what the browser showed: a screenshot in the artifacts folder
 * and the page's address and visible text in the test log, so a failure on CI can be read
 * without re-running it. Call inside the journey's describe block.
 */
export function keepFailureEvidence(currentPage: () => Page | undefined): void {
  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      const page = currentPage();
      if (!page || page.isClosed()) return;
      const name = task.name.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 60);
      await page.screenshot({ path: artifactPath(`failed-${name}.png`), fullPage: true }).catch(() => undefined);
      const text = await page.locator('body').innerText({ timeout: 2_000 }).catch(() => '(page text unavailable)');
      console.error(`[journey failed] ${task.name}\n  at ${page.url()}\n  page text:\n${text.slice(0, 3_000)}`);
    });
  });
}

/** A button by its label; antd puts a space between the two characters of a two-character label (「登 录」). */
export function button(scope: Page | Locator, label: string | RegExp): Locator {
  return scope.getByRole('button', { name: typeof label === 'string' ? new RegExp(`^\\s*${[...label].join('\\s*')}\\s*$`) : label });
}

/**
 * Opens an antd Select and clicks one of its options until `chosen` shows it. On a busy machine a
 * click can land while the dropdown is still sliding in, or before its options have loaded, and
 * be lost (CI saw both); trying again is what a person would do. A searchable select gets the
 * option typed first. `option` is matched as part of the option's text.
 */
export async function pickOption(page: Page, select: Locator, option: string, chosen: Locator): Promise<void> {
  // innerText, not textContent: a multiple select mirrors the typed search in a hidden span.
  const shows = async () => (await chosen.innerText()).includes(option);
  const dropdown = page.locator('.ant-select-dropdown:visible');
  for (let attempt = 1; !(await shows()); attempt++) {
    if (attempt > 3) throw new Error(`「${option}」 was not chosen after 3 tries`);
    // Its own state, not "a dropdown is visible": the previous select's may still be closing.
    if ((await select.getAttribute('aria-expanded')) !== 'true') await select.click();
    if (await select.isEditable()) await select.fill(option);
    await dropdown.locator('.ant-select-item-option').filter({ hasText: option }).first().click();
    await expect.poll(shows, { timeout: 5_000 }).toBe(true).catch(() => undefined);
  }
  // A multiple select stays open; Escape closes it. Once closed, Escape would close a drawer instead.
  if ((await select.getAttribute('aria-expanded')) === 'true') await page.keyboard.press('Escape');
}

/** Picks an option of a labelled antd Select in a form (the field's own text shows the choice). */
export async function choose(page: Page, scope: Page | Locator, field: string, option: string): Promise<void> {
  // (`has` takes a locator relative to each form item, so it is built from the page, not the scope.)
  const item = scope.locator('.ant-form-item').filter({ has: page.getByRole('combobox', { name: field }) });
  await pickOption(page, scope.getByRole('combobox', { name: field }), option, item);
}

/** Signs out through the user menu and waits for the server to end the session. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: '用户菜单' }).click();
  const item = page.getByRole('menuitem', { name: /退出登录/ });
  // The menu opens with an animation; CI once lost a click made while it was still moving in.
  await item.waitFor({ state: 'visible' });
  await page.waitForTimeout(300);
  const signedOut = page.waitForResponse((r) => r.url().endsWith('/api/auth/logout'));
  await item.click();
  expect((await signedOut).status()).toBe(200);
  await page.waitForURL(/\/login/);
}
