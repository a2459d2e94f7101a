import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestServer } from '#tests/support/server.ts';
import { artifactPath, button, keepFailureEvidence, openBrowserPage, signIn } from '#tests/support/browser.ts';
import type { BrowserPage } from '#tests/support/browser.ts';
import { hasChromium, required } from '#tests/support/components.ts';

const runs = hasChromium() || required('BROWSER');

async function monthlyWorkbook(file: string, uscc: string, name: string, period: string, current: string, previous: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('月报');
  ws.addRow(['何店镇规上工业企业月报']);
  ws.addRow(['统一社会信用代码', '企业名称', '报告期', '工业总产值本年累计（千元）', '工业总产值上年同期（千元）']);
  ws.addRow([uscc, name, period, Number(current), Number(previous)]);
  await wb.xlsx.writeFile(file);
}

describe.skipIf(!runs)('journey: a town clerk imports the monthly reports, fixes the marked file, commits and reports', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: BrowserPage;
  let page: Page;
  let consoleErrors: string[] = [];

  keepFailureEvidence(() => page);

  beforeAll(async () => {
    server = await startTestServer({ demo: true });
    browser = await openBrowserPage();
    ({ page, consoleErrors } = browser);
    await signIn(page, server.url, 'hedian');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('refuses 2022-01 with a marked workbook, imports the corrected file and the dashboard follows', async () => {
    // The demo leaves 随州齐星专用车有限公司 (何店镇) without its December report.
    const found = await page.evaluate(async () => (await fetch('/api/enterprises?search=随州齐星专用车')).json());
    const enterprise = found.items[0] as { id: string; uscc: string; name: string };
    const november = await page.evaluate(async (id) => (await fetch(`/api/monitoring/form?enterpriseId=${id}&period=2022-11`)).json(), enterprise.id);
    const output = november.report.values.output_value as { current: string; previous: string };
    const december = { current: String(Math.round(Number(output.current) * 1.1)), previous: String(Math.round(Number(output.previous) * 1.1)) };
    const bad = artifactPath('monthly-bad.xlsx');
    const good = artifactPath('monthly-good.xlsx');
    await monthlyWorkbook(bad, enterprise.uscc, enterprise.name, '2022-01', december.current, december.previous);
    await monthlyWorkbook(good, enterprise.uscc, enterprise.name, '2022年1-12月', december.current, december.previous);

    await page.goto(`${server.url}/monitoring`);
    await expect.poll(() => page.getByRole('heading', { name: '工业经济运行监测' }).isVisible(), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => page.getByText(/未报 1 家/).isVisible(), { timeout: 20_000 }).toBe(true);

    await page.goto(`${server.url}/monitoring/import`);
    await expect.poll(() => page.getByRole('heading', { name: '导入月度报表' }).isVisible(), { timeout: 15_000 }).toBe(true);
    await page.locator('input[type=file]').setInputFiles(bad);
    await expect.poll(() => page.getByText(/发现 1 处错误/).isVisible(), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => page.getByText('1–2月合并报送，请填 2022年1-2月').isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath('monthly-import-errors.png'), fullPage: true });
    const [marked] = await Promise.all([page.waitForEvent('download'), button(page, /下载标注错误的文件/).click()]);
    expect(marked.suggestedFilename()).toContain('检查结果.xlsx');
    // The marked workbook: the bad period cell carries the reason, and a 错误说明 column says it per row.
    const markedPath = artifactPath('monthly-bad-marked.xlsx');
    await marked.saveAs(markedPath);
    const markedBook = new ExcelJS.Workbook();
    await markedBook.xlsx.readFile(markedPath);
    const markedSheet = markedBook.getWorksheet('月报')!;
    expect(markedSheet.getRow(2).getCell(6).value).toBe('错误说明');
    expect(String(markedSheet.getRow(3).getCell(6).value)).toContain('1–2月合并报送');
    expect(JSON.stringify(markedSheet.getRow(3).getCell(3).note)).toContain('1–2月合并报送');

    await button(page, /重新选择文件/).click();
    await page.locator('input[type=file]').setInputFiles(good);
    await expect.poll(() => page.getByText('检查通过，可以导入').isVisible(), { timeout: 20_000 }).toBe(true);
    await button(page, /确认导入（新增 1，更新 0）/).click();
    await expect.poll(() => page.getByText('导入完成').isVisible(), { timeout: 30_000 }).toBe(true);

    await button(page, /查看监测首页/).click();
    await expect.poll(() => page.getByText(/未报 0 家/).isVisible(), { timeout: 20_000 }).toBe(true);
    await page.screenshot({ path: artifactPath('monitoring-dashboard.png'), fullPage: true });

    await page.getByRole('button', { name: /月度分析报告/ }).click();
    const [report] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByText('Word（.docx）').click()]);
    expect(report.suggestedFilename()).toBe('曾都区2022年1-12月工业经济运行分析.docx');
    const saved = artifactPath('monthly-analysis.docx');
    await report.saveAs(saved);
    expect(fs.statSync(saved).size).toBeGreaterThan(10_000);
    expect(consoleErrors).toEqual([]);
  }, 180_000);
});
