import ExcelJS from 'exceljs';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer } from '#tests/support/server.ts';
import { artifactPath, launchBrowser } from '#tests/support/browser.ts';
import { hasChromium, required } from '#tests/support/components.ts';

const runs = hasChromium() || required('BROWSER');

describe.skipIf(!runs)('journey: a section officer opens the ladder, reads a candidate’s gaps and exports the pool', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    // Demo mode: the district is evaluated as of 2022-12-31, the plan's year.
    server = await startTestServer({ demo: true });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(`${server.url}/login`);
    await page.getByLabel('用户名').fill('yunxing');
    await page.getByLabel('密码').fill('kejing-demo');
    await page.getByRole('button', { name: /^\s*登\s*录\s*$/ }).click();
    await page.waitForURL(`${server.url}/`);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('shows every rung with members and candidates as of 2022-12-31', async () => {
    await page.getByRole('menuitem', { name: /培育梯队/ }).click();
    await page.waitForURL(/\/cultivation$/);
    const rungs = page.locator('.ant-table-row');
    await expect.poll(() => rungs.filter({ hasText: '高新技术企业' }).first().isVisible()).toBe(true);
    await expect.poll(() => page.getByText('评估基准日 2022-12-31').first().isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath('cultivation-ladder.png'), fullPage: true });
  });

  it('opens a 高企 candidate that is short of the mark and reads its quantified gaps', async () => {
    await page.getByRole('tab', { name: '高新技术企业' }).click();
    const panel = page.getByRole('tabpanel', { name: '高新技术企业' });
    await panel.getByText('暂不符合', { exact: true }).click();
    const first = panel.locator('.ant-table-row a').first();
    await expect.poll(() => first.isVisible()).toBe(true);
    const name = (await first.textContent())!.trim();
    await first.click();
    await page.waitForURL(/\/cultivation\/enterprises\//);
    await expect.poll(() => page.getByRole('heading', { name: `资格评估：${name}` }).isVisible()).toBe(true);
    await page.getByRole('button', { name: /高新技术企业/ }).first().click();
    const gaps = page.getByRole('alert').filter({ hasText: '差距' }).first();
    await expect.poll(() => gaps.isVisible()).toBe(true);
    // Quantified: a figure to reach, or points to gain.
    expect(await gaps.textContent()).toMatch(/需 ≥|可得|须再/);
    await page.screenshot({ path: artifactPath('cultivation-candidate.png'), fullPage: true });
  });

  it('exports the pool as a workbook with the candidates and their gaps', async () => {
    await page.goBack();
    await page.waitForURL(/\/cultivation(\?.*)?$/);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /导出培育库/ }).first().click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/培育库-20221231\.xlsx$/);
    const saved = artifactPath('cultivation-pool.xlsx');
    await file.saveAs(saved);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(saved);
    const sheet = wb.getWorksheet('培育库')!;
    expect(sheet.getRow(1).values).toEqual(expect.arrayContaining(['排名', '企业名称', '差距与建议']));
    expect(sheet.rowCount).toBeGreaterThan(1);
    expect(consoleErrors).toEqual([]);
  });
});
