import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestServer } from '#tests/support/server.ts';
import { artifactPath, button, choose, keepFailureEvidence, openBrowserPage, signIn } from '#tests/support/browser.ts';
import type { BrowserPage } from '#tests/support/browser.ts';
import { hasChromium, required } from '#tests/support/components.ts';
import { FIXTURES } from '#tests/support/upload.ts';

const runs = hasChromium() || required('BROWSER');

describe.skipIf(!runs)('journey: a town clerk imports the enterprise roster, fixes the marked file and commits', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: BrowserPage;
  let page: Page;
  let consoleErrors: string[] = [];

  keepFailureEvidence(() => page);

  beforeAll(async () => {
    server = await startTestServer({ demo: true });
    browser = await openBrowserPage({ viewport: { width: 1366, height: 860 } });
    ({ page, consoleErrors } = browser);
    await signIn(page, server.url, 'hedian');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists only the town’s enterprises and opens one file', async () => {
    await page.getByRole('menuitem', { name: /企业档案/ }).click();
    await expect.poll(() => page.getByRole('heading', { name: '企业档案' }).isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.locator('.ant-table-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const towns = await page.locator('.ant-table-row td:nth-child(3)').allInnerTexts();
    expect(new Set(towns)).toEqual(new Set(['何店镇']));
    await page.screenshot({ path: artifactPath('enterprises-list.png'), fullPage: true });
    await page.locator('.ant-table-row a').first().click();
    await expect.poll(() => page.getByText('登记信息').isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.getByText('规上情况').isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath('enterprise-detail.png'), fullPage: true });
  });

  it('refuses a file with an error, offers the marked workbook, then imports the corrected file', async () => {
    await page.goto(`${server.url}/enterprises/import`);
    // A full page load fetches the lazily loaded chunks again: allow for a busy machine.
    await expect.poll(() => page.getByRole('heading', { name: '导入企业名录' }).isVisible(), { timeout: 15_000 }).toBe(true);
    await page.locator('input[type=file]').setInputFiles(path.join(FIXTURES, 'refuse-one-bad-row.xlsx'));
    await expect.poll(() => page.getByText(/发现 1 处错误/).isVisible(), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => page.getByText(/第 3 行 · 统一社会信用代码（A3）/).isVisible()).toBe(true);
    expect(await button(page, /确认导入/).isDisabled()).toBe(true);
    await page.screenshot({ path: artifactPath('enterprise-import-errors.png'), fullPage: true });

    // Buttons with an icon are named "<icon> label": match the label only.
    const [download] = await Promise.all([page.waitForEvent('download'), button(page, /下载标注错误的文件/).click()]);
    expect(download.suggestedFilename()).toBe('refuse-one-bad-row-错误标注.xlsx');
    const saved = artifactPath('annotated.xlsx');
    await download.saveAs(saved);
    expect(fs.statSync(saved).size).toBeGreaterThan(1000);

    await button(page, /重新选择文件/).click();
    await page.locator('input[type=file]').setInputFiles(path.join(FIXTURES, 'valid-basic.xlsx'));
    await expect.poll(() => page.getByText('检查通过，可以导入').isVisible(), { timeout: 20_000 }).toBe(true);
    await button(page, /确认导入（新增 3，更新 0）/).click();
    await expect.poll(() => page.getByText('导入完成').isVisible(), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => page.getByText('新增 3 家，更新 0 家，0 家无变化。').isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath('enterprise-import-done.png'), fullPage: true });

    await button(page, '查看企业列表').click();
    await page.getByPlaceholder('企业名称或信用代码').fill('鸿运');
    await button(page, /查\s*询/).click();
    await expect.poll(() => page.getByText('随州市鸿运专用汽车有限公司').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(consoleErrors).toEqual([]);
  });

  it('registers an enterprise through the form, with the checks shown while typing', async () => {
    await page.goto(`${server.url}/enterprises`);
    await expect.poll(() => page.getByRole('heading', { name: '企业档案' }).isVisible(), { timeout: 15_000 }).toBe(true);
    await button(page, /登记企业/).click();
    const drawer = page.getByRole('dialog');
    await expect.poll(() => drawer.getByLabel('统一社会信用代码').isVisible(), { timeout: 10_000 }).toBe(true);
    await drawer.getByLabel('统一社会信用代码').fill('91421303MA48YD010');
    await drawer.getByLabel('企业名称').click();
    await expect.poll(() => drawer.getByText(/应为18位，当前为17位/).isVisible()).toBe(true);
    await drawer.getByLabel('统一社会信用代码').fill('91350100M0001TGQXM');
    await expect.poll(() => drawer.getByText(/校验位不符/).isVisible()).toBe(true);
    await drawer.getByLabel('企业名称').fill('随州市表单登记专用汽车有限公司');
    await choose(page, drawer, '所属镇街', '何店镇');
    await drawer.getByLabel('国民经济行业代码').fill('3630');
    await expect.poll(() => drawer.getByText('汽车制造业 › 改装汽车制造').isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath('enterprise-form.png'), fullPage: true });
    await button(page, '登记').click();
    // A failing check digit is saved, and said so.
    const acknowledge = page.getByRole('dialog').filter({ hasText: '已保存，但有需要核对的地方' }).getByRole('button', { name: /知道了/ });
    await expect.poll(() => acknowledge.isVisible()).toBe(true);
    await acknowledge.click();
    await expect.poll(() => page.getByRole('heading', { name: /随州市表单登记专用汽车有限公司/ }).isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.getByText('档案中有需要核对的信息').isVisible()).toBe(true);
    expect(consoleErrors).toEqual([]);
  });
});
