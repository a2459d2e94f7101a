import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestServer } from '#tests/support/server.ts';
import { artifactPath, button, choose, keepFailureEvidence, openBrowserPage, signIn, signOut } from '#tests/support/browser.ts';
import type { BrowserPage } from '#tests/support/browser.ts';
import { hasChromium, required } from '#tests/support/components.ts';

const ADMIN_PASSWORD = 'kejing-demo';
const NEW_USER = { username: 'hedian-liu', displayName: '刘洋', phone: '13800000001' };
const NEW_PASSWORD = 'Hedian-2026!';

/** Submits the login form where it stands, for the refused and the first-time sign-ins. */
async function submitLogin(page: Page, username: string, password: string) {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await button(page, '登录').click();
}

const runs = hasChromium() || required('BROWSER');

describe.skipIf(!runs)('journey: the administrator creates a town user, who signs in and sees only the town', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: BrowserPage;
  let page: Page;
  let consoleErrors: string[] = [];

  keepFailureEvidence(() => page);

  beforeAll(async () => {
    // Not demo mode: outside it, an initial password must be changed at first sign-in.
    server = await startTestServer();
    browser = await openBrowserPage({ viewport: { width: 1366, height: 820 } });
    ({ page, consoleErrors } = browser);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the login page renders in Chinese', async () => {
    await page.goto(`${server.url}/login`);
    await expect.poll(() => page.getByRole('heading', { name: '科经信工作平台' }).isVisible()).toBe(true);
    await expect.poll(() => button(page, '登录').isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath('login.png'), fullPage: true });
  });

  it('a wrong password is refused with the server message', async () => {
    await submitLogin(page, 'admin', 'wrong-password');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('用户名或密码错误');
  });

  let initialPassword = '';

  it('the administrator creates a town user for 何店镇 and is shown the initial password once', async () => {
    await signIn(page, server.url, 'admin', ADMIN_PASSWORD);
    await page.getByRole('menuitem', { name: /系统管理/ }).click();
    await page.getByRole('menuitem', { name: /用户管理/ }).click();
    await page.waitForURL(/\/admin\/users$/);

    await page.getByRole('button', { name: /新建用户/ }).click();
    const drawer = page.getByRole('dialog', { name: '新建用户' });
    await drawer.getByLabel('用户名').fill(NEW_USER.username);
    await drawer.getByLabel('姓名').fill(NEW_USER.displayName);
    await drawer.getByLabel('手机号').fill(NEW_USER.phone);
    await choose(page, drawer, '角色', '镇街经发办');
    await choose(page, drawer, '所属单位', '何店镇');
    await button(page, '创建').click();

    const shown = page.getByTestId('initial-password');
    await shown.waitFor();
    initialPassword = (await shown.textContent())?.trim() ?? '';
    expect(initialPassword.length).toBeGreaterThanOrEqual(8);
    await page.getByRole('button', { name: /我已记下/ }).click();

    const row = page.getByRole('row', { name: new RegExp(NEW_USER.username) });
    await expect.poll(() => row.textContent()).toContain('何店镇');
  });

  it('the administrator signs out', async () => {
    await signOut(page);
  });

  it('the new user must change the initial password at first sign-in', async () => {
    await submitLogin(page, NEW_USER.username, initialPassword);
    await page.waitForURL(/\/change-password$/);
    await expect.poll(() => page.getByText(/至少 8 位/).isVisible()).toBe(true);
    await page.getByLabel('当前密码').fill(initialPassword);
    await page.getByLabel('新密码', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('确认新密码').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: /确认修改/ }).click();
    await page.waitForURL(`${server.url}/`);
  });

  it("shows only the town's menu and the town scope in the header", async () => {
    const menu = page.getByRole('menu').first();
    await expect.poll(() => menu.getByRole('menuitem', { name: /首页/ }).isVisible()).toBe(true);
    expect(await page.getByRole('menuitem', { name: /系统管理/ }).count()).toBe(0);
    expect(await page.getByRole('menuitem', { name: /用户管理/ }).count()).toBe(0);

    const header = page.getByTestId('header-unit');
    await expect.poll(() => header.textContent()).toContain('何店镇');
    expect(await header.textContent()).toContain('本镇街');
    await expect.poll(() => page.getByText(new RegExp(`${NEW_USER.displayName}`)).first().isVisible()).toBe(true);

    // The town user typing an admin address gets a refusal page, not the admin page.
    await page.goto(`${server.url}/admin/users`);
    await expect.poll(() => page.getByText('无权访问').isVisible()).toBe(true);
    await page.goto(`${server.url}/`);
    await expect.poll(() => page.getByText('我可以使用的功能').isVisible()).toBe(true);
    expect(await page.getByText(/数据范围/).first().isVisible()).toBe(true);
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: artifactPath('home-town-user.png'), fullPage: true });
  });

  it('left nothing on the browser console', () => {
    // The refused login attempt is an expected 401 in the network log; anything else is a defect.
    expect(consoleErrors.filter((text) => !/401 \(Unauthorized\)/.test(text))).toEqual([]);
  });
});
