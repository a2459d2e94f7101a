import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestServer } from '#tests/support/server.ts';
import { artifactPath, button, choose, keepFailureEvidence, openBrowserPage, signIn, signOut } from '#tests/support/browser.ts';
import type { BrowserPage } from '#tests/support/browser.ts';
import { hasChromium, required } from '#tests/support/components.ts';

const SEED = fs.readFileSync(path.resolve('../shared/seed/zengdu-2022-work-plan.txt'), 'utf8');

const runs = hasChromium() || required('BROWSER');

describe.skipIf(!runs)('journey: a section imports the work plan, a town reports progress, the month’s bulletin is issued', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: BrowserPage;
  let page: Page;
  let consoleErrors: string[] = [];
  let planUrl = '';

  keepFailureEvidence(() => page);

  beforeAll(async () => {
    server = await startTestServer({ demo: true });
    browser = await openBrowserPage({ viewport: { width: 1440, height: 900 } });
    ({ page, consoleErrors } = browser);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('运行科 pastes the notice and reviews what the parser read', async () => {
    await signIn(page, server.url, 'yunxing');
    await page.getByRole('menuitem', { name: /^\S*\s*工作要点$/ }).click();
    await page.waitForURL(/\/plans$/);
    await page.getByRole('button', { name: /导入工作要点/ }).click();
    await page.waitForURL(/\/plans\/import$/);
    await page.getByLabel('通知全文').fill(SEED);
    await button(page, '解析').click();
    await expect.poll(() => page.getByText('核对识别结果').isVisible()).toBe(true);
    await expect.poll(() => page.getByText(/8 个部分，27 项工作要点/).isVisible()).toBe(true);
    expect(await page.getByLabel('标题', { exact: true }).inputValue()).toBe('曾都区 2022 年度科技和经信工作要点');
    // The three measures of 高新技术企业 are shown together for review.
    await expect.poll(() => page.getByText(/以下目标衡量同一事项/).isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath('plan-import-review.png'), fullPage: false });
  });

  it('corrects one candidate and saves the plan with its tree of work points', async () => {
    const value = page.getByLabel('目标值（程力集团产值）');
    expect(await value.inputValue()).toBe('100');
    await value.fill('120');
    await page.getByRole('button', { name: /保存工作要点/ }).click();
    await page.waitForURL(/\/plans\/[0-9a-f-]{36}$/);
    planUrl = page.url();
    await expect.poll(() => page.getByRole('link', { name: /抓好首季开局/ }).isVisible()).toBe(true);
    expect(await page.getByText('围绕目标任务抓运行调度').isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath('plan-tree.png'), fullPage: false });
  });

  it('assigns work point 8 to 企业股 with 何店镇 cooperating', async () => {
    await page.getByRole('link', { name: /8\. 实施中小企业成长工程/ }).click();
    await page.waitForURL(/\/plans\/items\//);
    await page.getByRole('button', { name: /分配与编辑/ }).click();
    const drawer = page.getByRole('dialog', { name: '分配与编辑' });
    await choose(page, drawer, '牵头单位', '企业股');
    await choose(page, drawer, '配合单位', '何店镇');
    await button(drawer, '保存').click();
    // Saved means the drawer closed and the page itself now names the units (not just the drawer's tags).
    await expect.poll(() => drawer.isVisible()).toBe(false);
    const details = page.locator('.ant-descriptions');
    await expect.poll(() => details.locator('.ant-descriptions-item').filter({ hasText: '牵头单位' }).textContent()).toContain('企业股');
    await expect.poll(() => details.locator('.ant-descriptions-item').filter({ hasText: '配合单位' }).textContent()).toContain('何店镇');
  });

  it('binds the corrected target to manual reports and enters a figure with its evidence', async () => {
    await page.getByRole('link', { name: '程力集团产值' }).click();
    await page.waitForURL(/\/targets\/[0-9a-f-]{36}/);
    await expect.poll(() => page.getByText(/突破 120亿元/).first().isVisible()).toBe(true);
    await page.getByText('手工填报（附依据）').click();
    await page.getByRole('button', { name: /保存绑定/ }).click();
    await expect.poll(() => page.getByText('手工填报与历史').isVisible()).toBe(true);
    await page.getByLabel('填报数值').fill('58');
    await page.getByLabel('填报依据').fill('程力集团 1-6 月产值快报');
    await button(page, '填报').click();
    await expect.poll(() => page.getByText('程力集团 1-6 月产值快报').isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath('target-detail.png'), fullPage: false });
    await signOut(page);
  });

  it('何店镇 files its monthly progress on the work point assigned to it', async () => {
    await signIn(page, server.url, 'hedian');
    await page.getByRole('menuitem', { name: /我的工作要点/ }).click();
    await page.waitForURL(/\/plans\/mine$/);
    const row = page.getByRole('row').filter({ hasText: '实施中小企业成长工程' }).filter({ has: page.getByRole('button', { name: /报送进展/ }) });
    await row.getByRole('button', { name: /报送进展/ }).click();
    await page.waitForURL(/\/plans\/items\//);
    await page.getByLabel('完成进度').fill('40');
    await page.getByLabel('进展情况').fill('何店镇上半年新增规上工业企业 2 家，另有 1 家已报统计局审核。');
    await page.getByRole('button', { name: /^报送进展$/ }).click();
    const filed = page.getByRole('row').filter({ hasText: '何店镇上半年新增规上工业企业 2 家' });
    await expect.poll(() => filed.textContent()).toContain('待审核');
    await page.screenshot({ path: artifactPath('town-report.png'), fullPage: false });
    // The town does not see another town's work points: the imported plan shows only its own.
    await page.goto(planUrl);
    await expect.poll(() => page.getByRole('link', { name: /8\. 实施中小企业成长工程/ }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: /抓好首季开局/ }).count()).toBe(0);
    await signOut(page);
  });

  it('运行科 generates the month’s ranking bulletin and downloads it', async () => {
    await signIn(page, server.url, 'yunxing');
    await page.getByRole('menuitem', { name: /排序通报/ }).click();
    await page.waitForURL(/\/targets\/rankings$/);
    await expect.poll(() => page.getByText(/镇街主要目标任务排序/).first().isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('row').filter({ hasText: '何店镇' }).count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: /生成2022年1-6月通报/ }).click();
    const bulletinRow = page.getByRole('row').filter({ hasText: '科经信通〔2022〕1号' });
    await expect.poll(() => bulletinRow.isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath('ranking-bulletin.png'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), bulletinRow.getByRole('button', { name: /Word/ }).click()]);
    expect(download.suggestedFilename()).toBe('2022年1-6月排序通报.docx');
    const file = artifactPath('2022年1-6月排序通报.docx');
    await download.saveAs(file);
    const bytes = fs.readFileSync(file);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(bytes.length).toBeGreaterThan(5000);
  });

  it('left nothing on the browser console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
