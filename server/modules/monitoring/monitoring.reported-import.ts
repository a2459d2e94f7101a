// Importing the statistics bureau's published figures (规上工业增加值增速 …) from a workbook in
// long form — 指标 | 报告期 | 数值 | 来源 | 备注 — beside typing them in one by one. The same checks
// as the form; all rows or none; every row becomes a new entry of that figure's history (the
// newest is current), never a derivation from enterprise reports.
import { REPORTED_INDICATORS } from '#common/indicators.ts';
import type { ReportedIndicatorDefinition } from '#common/indicators.ts';
import { beijingToday, formatPeriodZh, isFuturePeriod, parsePeriod } from '#common/period.ts';
import type { Period } from '#common/period.ts';
import { fromThousandths, parseNumberCell, toThousandths } from '#common/quantity.ts';
import type { ReportedImport } from '#common/contracts/monitoring.ts';
import type { Actor } from '#server/platform/audit.ts';
import type { Deps } from '#server/platform/deps.ts';
import { AppError } from '#server/platform/errors.ts';
import { newId, nowIso } from '#server/platform/ids.ts';
import { readXlsxTable } from '#server/platform/xlsx-reader.ts';
import type { SheetCell, TableContract } from '#server/platform/xlsx-reader.ts';
import { insertReportedValue } from '#server/modules/monitoring/monitoring.repo.ts';

type Key = 'indicator' | 'period' | 'value' | 'source' | 'note';

const CONTRACT: TableContract<Key> = {
  what: '统计局公布指标',
  columns: [
    { key: 'indicator', header: '指标', aliases: ['指标名称', '指标代码'], required: true },
    { key: 'period', header: '报告期', aliases: ['期别', '月份'], required: true },
    { key: 'value', header: '数值', aliases: ['本期数值', '公布数', '数据'], required: true },
    { key: 'source', header: '来源', aliases: ['数据来源'], required: true },
    { key: 'note', header: '备注', aliases: ['说明'] },
  ],
};

const squash = (text: string) => text.replace(/[\s（）()%％]/g, '').toLowerCase();
const byName = new Map<string, ReportedIndicatorDefinition>(REPORTED_INDICATORS.flatMap((d) => [[squash(d.name), d], [squash(d.code), d]] as const));

const text = (cell: SheetCell | undefined) => (cell ? String(cell.value ?? '').trim() : '');

/**
 * Reads, checks and (unless a dry run, and only without errors) records the figures of a
 * workbook, one audit record per figure, all in one transaction.
 */
export async function importReportedValues(deps: Deps, actor: Actor, file: { buffer: Buffer; fileName: string | null }, options: { dryRun: boolean }): Promise<ReportedImport> {
  const table = await readXlsxTable(file.buffer, CONTRACT);
  const letter = new Map(table.columns.map((c) => [c.key, c.letter]));
  const today = beijingToday(deps.now());
  const errors: ReportedImport['errors'] = [];
  const items: (ReportedImport['items'][number] & { thousandths: bigint })[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of table.rows) {
    const fail = (key: Key, message: string) => void errors.push({ row, column: letter.get(key) ?? null, message });
    const before = errors.length;
    for (const key of ['indicator', 'period', 'value', 'source'] as const) if (cells[key]?.error) fail(key, cells[key].error);
    if (errors.length > before) continue;
    const definition = byName.get(squash(text(cells.indicator)));
    if (!definition) fail('indicator', `指标「${text(cells.indicator)}」不是统计局公布的指标，可填：${REPORTED_INDICATORS.map((d) => d.name).join('、')}`);
    const rawPeriod = cells.period?.value;
    const parsedPeriod = rawPeriod === null || rawPeriod === undefined || rawPeriod === '' ? null : parsePeriod(rawPeriod instanceof Date || typeof rawPeriod === 'number' ? rawPeriod : String(rawPeriod).trim());
    let period: Period | null = null;
    if (!parsedPeriod) fail('period', '请填写报告期，如 2022-06 或 2022年1-6月');
    else if (!parsedPeriod.ok) fail('period', parsedPeriod.message);
    else if (isFuturePeriod(parsedPeriod.period, today)) fail('period', `报告期 ${formatPeriodZh(parsedPeriod.period)} 尚未开始`);
    else period = parsedPeriod.period;
    const source = text(cells.source);
    if (source === '') fail('source', '请填写数据来源，如 区统计局月报');
    else if (source.length > 200) fail('source', '数据来源最多 200 字');
    const note = text(cells.note);
    if (note.length > 500) fail('note', '备注最多 500 字');
    let thousandths: bigint | null = null;
    if (definition) {
      const parsed = parseNumberCell(cells.value?.value ?? null, { percent: definition.unit === '%' });
      if (!parsed.ok) fail('value', parsed.message);
      else {
        const value = toThousandths(parsed.value);
        if (value.rounded) fail('value', '数值最多 3 位小数');
        else if (value.thousandths < 0n && !definition.signed) fail('value', `${definition.name}不能为负数`);
        else thousandths = value.thousandths;
      }
    }
    if (!definition || !period || thousandths === null || errors.length > before) continue;
    const key = `${definition.code}|${period}`;
    if (seen.has(key)) {
      fail('indicator', `与第 ${seen.get(key)} 行重复：同一指标同一报告期只填一行`);
      continue;
    }
    seen.set(key, row);
    items.push({ row, code: definition.code, name: definition.name, period, value: fromThousandths(thousandths), unit: definition.unit, source, note: note || null, thousandths });
  }
  if (table.rows.length === 0) throw new AppError('BAD_FILE', `工作表「${table.sheet}」没有数据行，请填写后再上传`);
  const result = (committed: boolean): ReportedImport => ({ dryRun: options.dryRun, committed, sheet: table.sheet, rows: table.rows.length, errorCount: errors.length, errors, items: items.map(({ thousandths: _t, ...item }) => item) });
  if (errors.length > 0 && !options.dryRun) throw new AppError('VALIDATION', `有 ${errors.length} 处错误，未导入任何数据。请按提示修改后重新上传`, result(false));
  if (options.dryRun) return result(false);

  const at = nowIso(deps.now());
  await deps.db.transaction().execute(async (trx) => {
    const audits = [];
    for (const item of items) {
      const id = newId();
      await insertReportedValue(trx, { id, code: item.code, period: item.period, value: item.thousandths, source: item.source, note: item.note, enteredAt: at, enteredBy: actor.name });
      audits.push({
        action: 'monitoring.reported_value',
        entityType: 'monitoring_reported_value',
        entityId: id,
        after: { code: item.code, name: item.name, period: item.period, value: item.value, unit: item.unit, source: item.source, fileName: file.fileName },
      });
    }
    await deps.audit.appendMany(trx, actor, audits);
  });
  return result(true);
}
