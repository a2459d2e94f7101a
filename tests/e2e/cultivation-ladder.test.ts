import ExcelJS from 'exceljs';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestServer } from '#tests/support/server.ts';
import { artifactPath, choose, keepFailureEvidence, openBrowserPage, pickOption, signIn } from '#tests/support/browser.ts';
import type { BrowserPage } from '#tests/support/browser.ts';
import { hasChromium, required } from '#tests/support/components.ts';

const runs = hasChromium() || required('BROWSER');

describe.skipIf(!runs)('journey: a section officer opens the ladder, reads a candidate’s gaps and exports the pool', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: BrowserPage;
  let page: Page;
  let consoleErrors: string[] = [];
  let candidateUrl = '';

  keepFailureEvidence(() => page);

  beforeAll(async () => {
    // Demo mode: the district is evaluated as of 2022-12-31, the plan's year.
    server = await startTestServer({ demo: true });
    browser = await openBrowserPage();
    ({ page, consoleErrors } = browser);
    await signIn(page, server.url, 'yunxing');
  });

  afterAll(async () => {
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
    candidateUrl = page.url();
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

  it('records an adverse record and an award list on the candidate, and the evaluation names the record', async () => {
    await page.goto(candidateUrl);
    await page.getByRole('button', { name: '登记不良记录' }).click();
    const modal = page.getByRole('dialog', { name: '登记不良记录' });
    await choose(page, modal, '类别', '列入严重违法失信名单');
    await modal.getByLabel('发生 / 公布日期').fill('2022-05-10');
    await modal.getByLabel('发生 / 公布日期').press('Enter');
    await modal.getByLabel('事项说明').fill('因拖欠税款被列入名单');
    await modal.getByLabel('信息来源').fill('信用中国');
    await modal.getByRole('button', { name: /^登\s*记$/ }).click();
    await expect.poll(() => page.locator('.ant-table-row').filter({ hasText: '信用中国' }).first().isVisible()).toBe(true);
    // The compliance condition of the tech-SME rule now names the record.
    await page.getByRole('button', { name: /科技型中小企业/ }).first().click();
    await expect.poll(() => page.getByText(/因拖欠税款被列入名单/).first().isVisible()).toBe(true);

    await page.getByRole('button', { name: /修\s*改/ }).first().click();
    const drawer = page.locator('.ant-drawer');
    await choose(page, drawer, '获奖情况', '按下列填写');
    const awards = drawer.getByTestId('list-awards');
    await awards.getByRole('button', { name: /添加一行/ }).click();
    await awards.getByPlaceholder('年度').last().fill('2021');
    // The row's selects are named for screen readers (级别, 类别), which is also how the journey finds them.
    const rowSelect = (name: string) => awards.locator('.ant-select').filter({ has: page.getByRole('combobox', { name }) }).last();
    await pickOption(page, rowSelect('级别').getByRole('combobox'), '省级', rowSelect('级别'));
    await pickOption(page, rowSelect('类别').getByRole('combobox'), '科技奖', rowSelect('类别'));
    await awards.getByPlaceholder('排名').last().fill('2');
    await awards.getByPlaceholder(/奖项名称/).last().fill('湖北省科技进步奖二等奖');
    await drawer.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => page.getByText(/湖北省科技进步奖二等奖/).first().isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath('cultivation-adverse-awards.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });
});
