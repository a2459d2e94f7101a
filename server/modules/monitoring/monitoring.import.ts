// Monthly reports in: the workbook import (web upload, API, CLI) and the enterprise's online form
// share one validation and one all-or-nothing commit (issue 3 §2).
import { INDICATORS, INDICATOR_CODES, VALUE_COLUMN_LABELS, indicatorOf } from '#common/indicators.ts';
import type { IndicatorCode, IndicatorDefinition, ValueColumn } from '#common/indicators.ts';
import type { FormBody, ImportPreview, ImportProblem } from '#common/contracts/monitoring.ts';
import { beijingToday, formatPeriodZh, isFuturePeriod, parsePeriod, previousPeriod } from '#common/period.ts';
import type { Period } from '#common/period.ts';
import { fromThousandths, parseNumberCell, shiftDecimal, toHalfWidth, toThousandths } from '#common/quantity.ts';
import { isWellFormedUscc, validateUscc } from '#common/uscc.ts';
import type { Db } from '#server/db/client.ts';
import type { Deps } from '#server/platform/deps.ts';
import type { Actor } from '#server/platform/audit.ts';
import { AppError, notFound } from '#server/platform/errors.ts';
import type { CellMark } from '#server/platform/excel.ts';
import { annotateXlsx, writeXlsx } from '#server/platform/excel.ts';
import { newId, nowIso } from '#server/platform/ids.ts';
import { isInScope } from '#server/platform/scope.ts';
import type { Scope } from '#server/platform/scope.ts';
import { readXlsxTables } from '#server/platform/xlsx-reader.ts';
import { noProgress } from '#server/platform/import-progress.ts';
import type { ProgressReporter } from '#server/platform/import-progress.ts';
import type { SheetCell, SheetTable, TableContract } from '#server/platform/xlsx-reader.ts';
import { matchMonthlyHeader } from '#server/modules/monitoring/monitoring.header.ts';
import type { ProductKey } from '#server/modules/monitoring/monitoring.header.ts';
import {
  deleteValues,
  findEnterprisesById,
  findEnterprisesByUscc,
  insertImportBatch,
  listProductsOf,
  listSpellsOf,
  listValuesOf,
  lockMonitoringWrites,
  replaceProducts,
  upsertReports,
  upsertValues,
} from '#server/modules/monitoring/monitoring.repo.ts';
import type { EnterpriseRef, ProductRecord, ValueColumns } from '#server/modules/monitoring/monitoring.repo.ts';
import { isUnitSlip, readMonitoringSettings, refreshWarnings } from '#server/modules/monitoring/monitoring.warnings.ts';
import { loadPeriodValues } from '#server/modules/monitoring/monitoring.data.ts';
import type { PeriodValueMaps } from '#server/modules/monitoring/monitoring.data.ts';
import type { ValueRow } from '#server/modules/monitoring/monitoring.figures.ts';

// ---- the workbook contract ----------------------------------------------------------------------

export type MonthlyKey = 'uscc' | 'name' | 'period' | `${IndicatorCode}:${ValueColumn}`;

const KEY_HEADERS = {
  uscc: { header: '统一社会信用代码', aliases: ['社会信用代码', '信用代码', '统一代码', '统一信用代码'] },
  name: { header: '企业名称', aliases: ['单位名称', '企业(单位)名称', '单位详细名称', '企业全称'] },
  period: { header: '报告期', aliases: ['报告期别', '统计期', '统计期别', '期别', '所属期', '年月', '报告月份'] },
} as const;

const CURRENT_FORMS = ['本年累计', '本年累计数', '本期累计', '本年1-本月', '本年1—本月', '本年1–本月', '1-本月累计', '1—本月累计', '1-本月', '1—本月', '累计', '累计数', '本年'];
const PREVIOUS_FORMS = ['上年同期', '上年同期累计', '上年同期累计数', '上年同期数', '去年同期', '同期', '上年1-本月', '上年1—本月', '同期累计'];
const UNIT_FORMS: Record<string, readonly string[]> = {
  千元: ['元', '千元', '万元', '亿元'],
  万千瓦时: ['千瓦时', '度', '万千瓦时', '万度', '亿千瓦时'],
  人: ['人'],
};

/**
 * The monthly sheet's contract for the shared reader: every way the platform accepts a value
 * header is spelled out as an alias (name × 本年累计/上年同期 wording × unit inside a two-row
 * join), because the reader matches names exactly. Units are read again from the matched
 * header by matchMonthlyHeader.
 */
function buildMonthlyContract(): TableContract<MonthlyKey> {
  const columns: { key: MonthlyKey; header: string; aliases: string[]; required?: boolean }[] = [
    { key: 'uscc', header: KEY_HEADERS.uscc.header, aliases: [...KEY_HEADERS.uscc.aliases], required: true },
    { key: 'name', header: KEY_HEADERS.name.header, aliases: [...KEY_HEADERS.name.aliases] },
    { key: 'period', header: KEY_HEADERS.period.header, aliases: [...KEY_HEADERS.period.aliases], required: true },
  ];
  for (const indicator of INDICATORS) {
    const names = [indicator.name, ...indicator.aliases];
    const units = UNIT_FORMS[indicator.unit] ?? [];
    for (const column of ['current', 'previous'] as const) {
      const forms = column === 'current' ? CURRENT_FORMS : PREVIOUS_FORMS;
      const aliases = new Set<string>();
      for (const name of names) {
        for (const form of forms) {
          aliases.add(`${name}${form}`);
          aliases.add(`${form}${name}`);
          for (const unit of units) {
            aliases.add(`${name}(${unit})${form}`);
            aliases.add(`${name}（${unit}）${form}`);
          }
        }
      }
      // 平均用工人数 alone is its 本年 value.
      if (!indicator.previousRequired && column === 'current') {
        for (const name of names) aliases.add(name);
      }
      columns.push({ key: `${indicator.code}:${column}`, header: `${indicator.name}${VALUE_COLUMN_LABELS[column]}`, aliases: [...aliases] });
    }
  }
  return { what: '月度报表', columns };
}

const MONTHLY_CONTRACT = buildMonthlyContract();

/** How many problems of each level the preview lists; the annotated workbook carries them all. */
const PREVIEW_PROBLEM_LIMIT = 500;
/** Rows checked between two progress reports. */
const PROGRESS_EVERY = 2000;
/** Values written per statement batch between two progress reports. */
const WRITE_SLICE = 5000;

const PRODUCT_CONTRACT: TableContract<ProductKey> = {
  what: '产品产量',
  columns: [
    { key: 'uscc', header: '统一社会信用代码', aliases: KEY_HEADERS.uscc.aliases, required: true },
    { key: 'name', header: '企业名称', aliases: KEY_HEADERS.name.aliases },
    { key: 'period', header: '报告期', aliases: KEY_HEADERS.period.aliases, required: true },
    { key: 'product', header: '产品名称', aliases: ['产品', '主要产品名称', '品名'], required: true },
    { key: 'unit', header: '计量单位', aliases: ['单位'], required: true },
    { key: 'current', header: '本年累计', aliases: ['本年1-本月', '1-本月累计', '本期累计', '产量本年累计', '本年累计产量'], required: true },
    { key: 'previous', header: '上年同期', aliases: ['上年同期累计', '上年1-本月', '去年同期', '产量上年同期', '上年同期产量'] },
  ],
};

// ---- one representation for the workbook and the form ------------------------------------------

type CellRef = { raw: unknown; column: string | null; header: string | null; error?: string | null };

/** A value cell as the checks read it: a workbook cell (SheetCell) or a form field. */
type InputCell = { readonly value: unknown; readonly error: string | null };

type InputRow = {
  sheet: string | null;
  row: number | null;
  uscc: CellRef;
  name: CellRef | null;
  period: CellRef;
  /**
   * The value cells, by the index of their column in ParsedSource.columns (undefined: blank).
   * Only the indicators present in the source have columns: an absent column is "not in this
   * file". Kept as one array per row, not an object per cell: a 20,000-row file has 300,000.
   */
  cells: readonly (InputCell | undefined)[];
};

type ProductInput = {
  sheet: string | null;
  row: number | null;
  uscc: CellRef;
  period: CellRef;
  product: CellRef;
  unit: CellRef;
  current: CellRef;
  previous: CellRef | null;
};

type ColumnInfo = { column: string; header: string; indicator: IndicatorCode; valueColumn: ValueColumn; unit: string; unitFromHeader: boolean; exponent: number };

type ParsedSource = {
  fileName: string | null;
  sheet: string | null;
  headerRow: number | null;
  columns: ColumnInfo[];
  unmatchedHeaders: { column: string; header: string }[];
  productSheet: string | null;
  rows: InputRow[];
  products: ProductInput[] | null;
  problems: ImportProblem[];
};

function cellRef(cell: SheetCell | undefined, column: string | null, header: string | null): CellRef {
  // A cell of a matched column sits in that column: its letter is known without parsing the address.
  return { raw: cell?.value ?? null, column: column ?? cell?.address.replace(/\d+$/, '') ?? null, header, error: cell?.error ?? null };
}

/** A value cell of a row, for a problem's message (made only for the cells that have one). */
function valueCellRef(row: InputRow, columns: readonly ColumnInfo[], index: number): CellRef | null {
  const column = columns[index];
  if (!column) return null;
  const cell = row.cells[index];
  return { raw: cell?.value ?? null, column: column.column, header: column.header, error: cell?.error ?? null };
}

/**
 * An indicator present in the source, with the index of its 本年累计 and 上年同期 columns in
 * ParsedSource.columns (-1: no such column) and their unit conversions. Slots are in indicator
 * code order, the order of the values' key (ADR 0012).
 */
type Slot = { indicator: IndicatorCode; definition: IndicatorDefinition; current: number; previous: number; currentExponent: number; previousExponent: number };

function slotsOf(columns: readonly ColumnInfo[]): Slot[] {
  const slots = new Map<IndicatorCode, Slot>();
  columns.forEach((c, index) => {
    const slot = slots.get(c.indicator) ?? { indicator: c.indicator, definition: indicatorOf(c.indicator), current: -1, previous: -1, currentExponent: 0, previousExponent: 0 };
    if (c.valueColumn === 'current') Object.assign(slot, { current: index, currentExponent: c.exponent });
    else Object.assign(slot, { previous: index, previousExponent: c.exponent });
    slots.set(c.indicator, slot);
  });
  return [...slots.values()].sort((a, b) => compareText(a.indicator, b.indicator));
}

/** No 产品产量 sheet: nothing holds its headers, or the best candidate lacks 产品名称 (the monthly sheet itself). */
function isProductSheetMissing(error: unknown, monthlySheet: string): boolean {
  if (!(error instanceof AppError) || error.code !== 'BAD_FILE') return false;
  const details = error.details as { sheet?: unknown; missing?: unknown } | undefined;
  return details?.sheet === null || details?.sheet === monthlySheet || (Array.isArray(details?.missing) && details.missing.includes('产品名称'));
}

/**
 * Reads the monthly sheet (any sheet holding the headers) and, when present, the 产品产量 sheet.
 * Refuses what the shared reader refuses (not an xlsx, zip bomb, no header, no data) as
 * BAD_FILE; header-level problems (a unit that does not convert) come back as problems.
 */
export async function readMonthlyWorkbook(buffer: Buffer, fileName: string | null): Promise<ParsedSource> {
  // One pass over the file for both sheets: the 月报 and, when there is one, the 产品产量.
  const { table, second: productRead } = await readXlsxTables(buffer, MONTHLY_CONTRACT, PRODUCT_CONTRACT);
  const problems: ImportProblem[] = [];
  const columns: ColumnInfo[] = [];
  for (const column of table.columns) {
    if (column.key === 'uscc' || column.key === 'name' || column.key === 'period') continue;
    const [indicator, valueColumn] = column.key.split(':') as [IndicatorCode, ValueColumn];
    const match = matchMonthlyHeader(column.header);
    if (match.kind === 'unmatched') {
      problems.push({ level: 'error', sheet: table.sheet, row: null, column: column.letter, header: column.header, message: `表头「${column.header}」：${match.reason}` });
      continue;
    }
    const unit = match.kind === 'value' ? match.unit : indicatorOf(indicator).unit;
    columns.push({
      column: column.letter,
      header: column.header,
      indicator,
      valueColumn,
      unit,
      unitFromHeader: match.kind === 'value' && match.unitFromHeader,
      exponent: match.kind === 'value' ? match.exponent : 0,
    });
  }
  if (columns.length === 0) {
    // The shared reader takes the first sheet holding the key columns: a 产品产量 sheet placed first is read here.
    const hint = table.columns.some((c) => c.key === 'uscc') && table.unknownHeaders.some((h) => /产品名称|计量单位/.test(h.header)) ? '；如这是产品产量表，请把月报工作表放在它前面' : '';
    throw new AppError('BAD_FILE', `工作表「${table.sheet}」没有可导入的指标列，请使用「工业总产值本年累计」「工业总产值上年同期」这样的表头${hint}`, { sheet: table.sheet });
  }
  for (const c of columns) {
    if (c.valueColumn === 'previous' && !columns.some((o) => o.indicator === c.indicator && o.valueColumn === 'current')) {
      problems.push({ level: 'error', sheet: table.sheet, row: null, column: c.column, header: c.header, message: `有「${c.header}」却没有「${indicatorOf(c.indicator).name}本年累计」列，请补上` });
    }
  }
  const unmatchedHeaders = table.unknownHeaders.map((h) => ({ column: h.letter, header: h.header }));
  for (const h of table.unknownHeaders) {
    const match = matchMonthlyHeader(h.header);
    if (match.kind === 'ignored') continue;
    problems.push({
      level: 'warning',
      sheet: table.sheet,
      row: null,
      column: h.letter,
      header: h.header,
      message: `表头「${h.header}」未能识别，该列未导入${match.kind === 'unmatched' && match.reason !== '无法识别的表头' ? `：${match.reason}` : ''}`,
    });
  }
  for (const note of table.notes) problems.push({ level: 'warning', sheet: table.sheet, row: null, column: null, header: null, message: note });

  const letterOf = (key: MonthlyKey) => table.columns.find((c) => c.key === key)?.letter ?? null;
  const [usccLetter, nameLetter, periodLetter] = [letterOf('uscc'), letterOf('name'), letterOf('period')];
  const keys = columns.map((c) => `${c.indicator}:${c.valueColumn}` as MonthlyKey);
  const rows: InputRow[] = table.rows.map((r) => ({
    sheet: table.sheet,
    row: r.row,
    uscc: cellRef(r.cells.uscc, usccLetter, KEY_HEADERS.uscc.header),
    name: nameLetter ? cellRef(r.cells.name, nameLetter, KEY_HEADERS.name.header) : null,
    period: cellRef(r.cells.period, periodLetter, KEY_HEADERS.period.header),
    cells: keys.map((key) => r.cells[key]),
  }));

  let products: ProductInput[] | null = null;
  let productSheet: string | null = null;
  if (productRead instanceof AppError) {
    // A workbook without a 产品产量 sheet is the common case; a broken one is reported.
    if (!isProductSheetMissing(productRead, table.sheet)) {
      problems.push({ level: 'error', sheet: '产品产量', row: null, column: null, header: null, message: `产品产量：${productRead.message}` });
    }
  } else if (productRead.sheet !== table.sheet) {
    const productTable: SheetTable<ProductKey> = productRead;
    productSheet = productTable.sheet;
    const letter = (key: ProductKey) => productTable.columns.find((c) => c.key === key)?.letter ?? null;
    const ref = (r: (typeof productTable.rows)[number], key: ProductKey, header: string) => cellRef(r.cells[key], letter(key), header);
    products = productTable.rows.map((r) => ({
      sheet: productTable.sheet,
      row: r.row,
      uscc: ref(r, 'uscc', '统一社会信用代码'),
      period: ref(r, 'period', '报告期'),
      product: ref(r, 'product', '产品名称'),
      unit: ref(r, 'unit', '计量单位'),
      current: ref(r, 'current', '本年累计'),
      previous: letter('previous') ? ref(r, 'previous', '上年同期') : null,
    }));
  }

  return { fileName, sheet: table.sheet, headerRow: Math.max(...table.headerRows), columns, unmatchedHeaders, productSheet, rows, products, problems };
}

// ---- validation ---------------------------------------------------------------------------------

type ValidatedValue = { current: bigint | null; previous: bigint | null };

/**
 * A row that passed. Its values by slot (the ValidationResult's `slots`): 本年累计 null where the
 * file's cell is blank (the value is cleared), 上年同期 null where not given.
 */
type ValidatedRow = {
  source: InputRow;
  enterprise: EnterpriseRef;
  period: Period;
  current: (bigint | null)[];
  previous: (bigint | null)[];
};

type ValidationResult = {
  slots: Slot[];
  rows: ValidatedRow[];
  products: ProductRecord[];
  productPairs: { enterpriseId: string; period: Period }[];
  problems: ImportProblem[];
  periods: Period[];
};

type NumberParse = { ok: true; thousandths: bigint; rounded: boolean } | { ok: false; message: string };

/**
 * Below 10^12 two numbers of at most three decimals never round to the same double (its spacing
 * there is ≈ 0.0001), so a double whose thousandfold, rounded, divides back to it exactly is
 * such a number, and that thousandfold is its exact count of thousandths.
 */
const FAST_NUMBER_LIMIT = 1e12;
const POWERS_OF_TEN = [1n, 10n, 100n, 1000n, 10_000n, 100_000n, 1_000_000n, 10_000_000n, 100_000_000n];

/** A cell as a value in the indicator's unit, exactly (ADR 0001): converted, then to thousandths. */
function parseValue(raw: unknown, exponent: number): NumberParse | null {
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return null;
  if (typeof raw === 'number' && exponent >= 0 && exponent < POWERS_OF_TEN.length && raw > -FAST_NUMBER_LIMIT && raw < FAST_NUMBER_LIMIT) {
    // The common cell, without the general path's round trips through decimal strings; a unit
    // that converts up (万元 → 千元) multiplies exactly.
    const thousandths = Math.round(raw * 1000);
    if (thousandths / 1000 === raw) return { ok: true, thousandths: BigInt(thousandths) * POWERS_OF_TEN[exponent]!, rounded: false };
  }
  const parsed = parseNumberCell(raw);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  const { thousandths, rounded } = toThousandths(exponent === 0 ? parsed.value : shiftDecimal(parsed.value, exponent));
  return { ok: true, thousandths, rounded };
}

/**
 * One value cell of a row, checked: its thousandths, null when blank or absent, undefined when it
 * failed (the problem is recorded). A plain function, not a closure in the row loop: it runs
 * 300,000 times for a province's month.
 */
function checkedValue(input: InputRow, columns: readonly ColumnInfo[], column: number, exponent: number, definition: IndicatorDefinition, problems: ImportProblem[]): bigint | null | undefined {
  if (column < 0) return null;
  const cell = input.cells[column];
  if (cell === undefined) return null;
  if (cell.error) {
    problems.push(problem('error', input, valueCellRef(input, columns, column), cell.error));
    return undefined;
  }
  const value = parseValue(cell.value, exponent);
  if (value === null) return null;
  if (!value.ok) {
    problems.push(problem('error', input, valueCellRef(input, columns, column), value.message));
    return undefined;
  }
  if (value.thousandths < 0n && !definition.signed) {
    problems.push(problem('error', input, valueCellRef(input, columns, column), `${definition.name}不能为负数，请核对`));
    return undefined;
  }
  if (value.rounded) problems.push(problem('warning', input, valueCellRef(input, columns, column), `${definition.name}超过 3 位小数（按${definition.unit}计），已四舍五入为 ${fromThousandths(value.thousandths)}`));
  return value.thousandths;
}

function periodRaw(raw: unknown): string | number | Date | null {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof Date || typeof raw === 'number') return raw;
  const text = String(raw).trim();
  return text === '' ? null : text;
}

type Context = {
  scope: Scope;
  today: string;
  unitSlipFactor: number;
};

function problem(level: 'error' | 'warning', row: { sheet: string | null; row: number | null }, cell: CellRef | null, message: string): ImportProblem {
  return { level, sheet: row.sheet, row: row.row, column: cell?.column ?? null, header: cell?.header ?? null, message };
}

function rowLabel(row: { row: number | null }): string {
  return row.row === null ? '' : `第 ${row.row} 行`;
}

async function validate(db: Db, ctx: Context, source: ParsedSource, progress: ProgressReporter = noProgress): Promise<ValidationResult> {
  const problems: ImportProblem[] = [...source.problems];
  const slots = slotsOf(source.columns);
  const cellOf = (input: InputRow, index: number) => valueCellRef(input, source.columns, index);

  // 1. Keys: USCC and period of every row (monthly and products).
  // A file's rows mostly share one or two period texts: each distinct one is parsed once.
  const periodsSeen = new Map<string | number, ReturnType<typeof parsePeriod>>();
  const parsePeriodOnce = (raw: string | number | Date) => {
    if (raw instanceof Date) return parsePeriod(raw);
    let parsed = periodsSeen.get(raw);
    if (!parsed) periodsSeen.set(raw, (parsed = parsePeriod(raw)));
    return parsed;
  };
  const keyed = (input: { sheet: string | null; row: number | null; uscc: CellRef; period: CellRef }) => {
    let uscc: string | null = null;
    const given = input.uscc.raw;
    if (input.uscc.error) problems.push(problem('error', input, input.uscc, input.uscc.error));
    // Most codes arrive as they should be written; only the others are normalised and checked in full.
    else if (typeof given === 'string' && isWellFormedUscc(given)) uscc = given;
    else {
      const usccText = toHalfWidth(String(given ?? '')).replace(/\s+/g, '').toUpperCase();
      const check = usccText === '' ? null : validateUscc(usccText);
      if (!check) problems.push(problem('error', input, input.uscc, '请填写统一社会信用代码'));
      else if (check.errors.length) problems.push(problem('error', input, input.uscc, check.errors.join('；')));
      else uscc = check.uscc;
    }
    let period: Period | null = null;
    const raw = periodRaw(input.period.raw);
    if (input.period.error) problems.push(problem('error', input, input.period, input.period.error));
    else if (raw === null) problems.push(problem('error', input, input.period, '请填写报告期，如 2022-06 或 2022年1-6月'));
    else {
      const parsed = parsePeriodOnce(raw);
      if (!parsed.ok) problems.push(problem('error', input, input.period, parsed.message));
      else if (isFuturePeriod(parsed.period, ctx.today)) {
        problems.push(problem('error', input, input.period, `报告期 ${formatPeriodZh(parsed.period)} 尚未开始（今天是 ${ctx.today}），请核对`));
      } else period = parsed.period;
    }
    return { uscc, period };
  };
  const monthlyKeys = source.rows.map(keyed);
  const productKeys = (source.products ?? []).map(keyed);

  // 2. Enterprises: known, and inside the importer's scope.
  const usccs = [...new Set([...monthlyKeys, ...productKeys].map((k) => k.uscc).filter((u): u is string => u !== null))];
  const enterprises = new Map((await findEnterprisesByUscc(db, usccs)).map((e) => [e.uscc, e]));
  const resolve = (input: { sheet: string | null; row: number | null; uscc: CellRef }, uscc: string | null): EnterpriseRef | null => {
    if (uscc === null) return null;
    const enterprise = enterprises.get(uscc);
    if (!enterprise) {
      problems.push(problem('error', input, input.uscc, `企业名录中没有统一社会信用代码为 ${uscc} 的企业，请先在企业名录中登记，或核对代码`));
      return null;
    }
    if (!isInScope(ctx.scope, { townId: enterprise.town_id, enterpriseId: enterprise.id })) {
      const whose = ctx.scope.kind === 'enterprise' ? '只能填报本企业的数据' : '只能导入本镇街企业的数据';
      problems.push(problem('error', input, input.uscc, `统一社会信用代码为 ${uscc} 的企业不在您的管辖范围内（${whose}）`));
      return null;
    }
    return enterprise;
  };

  // 3. Values, and the row-level checks.
  const rows: ValidatedRow[] = [];
  const seen = new Map<string, number | null>();
  for (const [index, input] of source.rows.entries()) {
    // A turn for the uploader's progress poll every so many rows (a no-op without a token).
    if (index > 0 && index % PROGRESS_EVERY === 0) await progress('validating', index, source.rows.length);
    const key = monthlyKeys[index]!;
    const enterprise = resolve(input, key.uscc);
    if (enterprise && input.name) {
      const given = String(input.name.raw ?? '');
      if (given !== enterprise.name && given.trim() !== '' && toHalfWidth(given.replace(/\s+/g, '')) !== toHalfWidth(enterprise.name.replace(/\s+/g, ''))) {
        problems.push(problem('warning', input, input.name, `企业名称「${given.replace(/\s+/g, '')}」与企业名录中的「${enterprise.name}」不一致，已按统一社会信用代码导入`));
      }
    }
    const current: (bigint | null)[] = new Array<bigint | null>(slots.length);
    const previous: (bigint | null)[] = new Array<bigint | null>(slots.length);
    let anyValue = false;
    let rowOk = true;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      const definition = slot.definition;
      const now = checkedValue(input, source.columns, slot.current, slot.currentExponent, definition, problems);
      const then = checkedValue(input, source.columns, slot.previous, slot.previousExponent, definition, problems);
      if (now === undefined || then === undefined) rowOk = false;
      // (Without a 本年累计 column the header is already refused.)
      if (now === null && slot.current >= 0 && then !== null && then !== undefined) {
        problems.push(problem('error', input, cellOf(input, slot.current) ?? cellOf(input, slot.previous), `填了${definition.name}上年同期，请同时填写本年累计`));
        rowOk = false;
      }
      if (now !== null && now !== undefined && then === null && definition.previousRequired) {
        problems.push(problem('error', input, cellOf(input, slot.previous), `请填写${definition.name}上年同期（上年没有的填 0）`));
        rowOk = false;
      }
      if (now !== null && now !== undefined) anyValue = true;
      // A blank cell in a column that is present clears that value (the file says "none").
      current[i] = now ?? null;
      previous[i] = now === null || now === undefined ? null : (then ?? null);
    }
    if (!anyValue && rowOk) problems.push(problem('error', input, null, `${rowLabel(input)}没有填写任何指标数值`));
    if (!enterprise || !key.period) continue;
    const pairKey = `${enterprise.id}|${key.period}`;
    if (seen.has(pairKey)) {
      const first = seen.get(pairKey);
      problems.push(problem('error', input, input.uscc, `与${first === null || first === undefined ? '前面' : `第 ${first} 行`}重复：同一企业同一报告期只能有一行`));
      continue;
    }
    seen.set(pairKey, input.row);
    if (rowOk && anyValue) rows.push({ source: input, enterprise, period: key.period, current, previous });
  }

  // 4. Products (long form).
  const products: ProductRecord[] = [];
  const productPairs = new Map<string, { enterpriseId: string; period: Period }>();
  const seenProducts = new Map<string, number | null>();
  (source.products ?? []).forEach((input, index) => {
    const key = productKeys[index]!;
    const enterprise = resolve(input, key.uscc);
    const name = String(input.product.raw ?? '').trim();
    const unit = String(input.unit.raw ?? '').trim();
    let ok = true;
    if (name === '') {
      problems.push(problem('error', input, input.product, '请填写产品名称'));
      ok = false;
    }
    if (unit === '') {
      problems.push(problem('error', input, input.unit, '请填写计量单位，如 辆、吨'));
      ok = false;
    }
    const current = parseValue(input.current.raw, 0);
    const previous = input.previous ? parseValue(input.previous.raw, 0) : null;
    for (const [cell, value, label] of [
      [input.current, current, '本年累计'],
      [input.previous, previous, '上年同期'],
    ] as const) {
      if (!cell) continue;
      if (cell.error) {
        problems.push(problem('error', input, cell, cell.error));
        ok = false;
      } else if (value && !value.ok) {
        problems.push(problem('error', input, cell, value.message));
        ok = false;
      } else if (value && value.ok && value.thousandths < 0n) {
        problems.push(problem('error', input, cell, `产量${label}不能为负数`));
        ok = false;
      }
    }
    if (current === null) {
      problems.push(problem('error', input, input.current, '请填写产量本年累计'));
      ok = false;
    }
    if (!ok || !enterprise || !key.period || !current?.ok) return;
    const dupKey = `${enterprise.id}|${key.period}|${name}`;
    if (seenProducts.has(dupKey)) {
      problems.push(problem('error', input, input.product, `与第 ${seenProducts.get(dupKey)} 行重复：同一企业同一报告期同一产品只能有一行`));
      return;
    }
    seenProducts.set(dupKey, input.row);
    productPairs.set(`${enterprise.id}|${key.period}`, { enterpriseId: enterprise.id, period: key.period });
    products.push({
      enterpriseId: enterprise.id,
      period: key.period,
      productName: name.slice(0, 100),
      unit: unit.slice(0, 20),
      current: current.thousandths,
      previous: previous && previous.ok ? previous.thousandths : null,
    });
  });

  // 5. Checks against what is already known: last period's cumulative values, 规上 status.
  const periods = [...new Set([...rows.map((r) => r.period), ...products.map((p) => p.period)])].sort() as Period[];
  const ids = [...new Set(rows.map((r) => r.enterprise.id))];
  const beforePeriods = [...new Set(rows.map((r) => previousPeriod(r.period)).filter((p): p is Period => p !== null))];
  const stored = new Map((await listValuesOf(db, ids, beforePeriods)).map((v) => [`${v.enterpriseId}|${v.period}|${v.indicator}`, v]));
  const inFile = new Map<string, ValidatedValue>();
  // Only rows of a period that is another row's month before can be compared within the file.
  const beforeInFile = new Set(beforePeriods.filter((p) => periods.includes(p)));
  for (const r of rows) {
    if (!beforeInFile.has(r.period)) continue;
    slots.forEach((slot, i) => {
      if (r.current[i] !== null) inFile.set(`${r.enterprise.id}|${r.period}|${slot.indicator}`, { current: r.current[i]!, previous: r.previous[i]! });
    });
  }
  const spells = await listSpellsOf(db, ids);
  for (const r of rows) {
    const covered = (spells.get(r.enterprise.id) ?? []).some((s) => s.from <= r.period && (s.to === null || s.to >= r.period));
    if (!covered) {
      problems.push(problem('warning', r.source, r.source.uscc, `${r.enterprise.name}在 ${formatPeriodZh(r.period)} 不是规上企业（见企业名录的规上记录），数据保存但不计入规上统计`));
    }
    const before = previousPeriod(r.period);
    if (!before) continue;
    slots.forEach((slot, i) => {
      const now = r.current[i];
      if (now === null || now === undefined) return;
      const definition = slot.definition;
      const key = `${r.enterprise.id}|${before}|${slot.indicator}`;
      const then = inFile.get(key) ?? stored.get(key);
      if (!then || then.current === null) return;
      const cell = cellOf(r.source, slot.current);
      if (!definition.signed && !definition.average && now < then.current) {
        problems.push(
          problem('warning', r.source, cell, `${definition.name}本年累计 ${fromThousandths(now)} 低于上月累计 ${fromThousandths(then.current)}（${definition.unit}），累计值一般不会减少，请核对`),
        );
      }
      if (!definition.signed && isUnitSlip({ current: now, previous: null }, { current: then.current, previous: null }, ctx.unitSlipFactor)) {
        const ratio = Number(now) / Number(then.current);
        problems.push(
          problem(
            'warning',
            r.source,
            cell,
            `${definition.name} ${fromThousandths(now)} 约为上月 ${fromThousandths(then.current)} 的 ${ratio >= 1 ? ratio.toFixed(0) : ratio.toFixed(4)} 倍，请核对单位是否为${definition.unit}`,
          ),
        );
      }
    });
  }
  return { slots, rows, products, productPairs: [...productPairs.values()], problems, periods };
}

// ---- commit -------------------------------------------------------------------------------------

type Diff = {
  writes: ValueColumns;
  removes: { enterpriseId: string; period: Period; indicator: IndicatorCode }[];
  inserted: number;
  replaced: number;
  unchanged: number;
  removed: number;
  samples: unknown[];
  /** With `wholePeriods`: every stored value of the periods written, as read before writing. */
  periods: Map<Period, PeriodValueMaps> | null;
};

/**
 * What the commit changes against what is stored: the values to write, as columns in the key's
 * order (period, enterprise, indicator; ADR 0012), the values to clear, and the counts and
 * examples the preview and the audit entry show. `wholePeriods` reads every stored value of the
 * periods written rather than only the file's enterprises': the commit then knows each period as
 * its writes leave it, for the warnings, without reading it back (free for a month's first import).
 */
async function diffAgainstStored(db: Db, slots: readonly Slot[], rows: readonly ValidatedRow[], wholePeriods: boolean): Promise<Diff> {
  const periods = [...new Set(rows.map((r) => r.period))];
  const stored = new Map<Period, PeriodValueMaps>();
  if (wholePeriods) {
    for (const period of periods) stored.set(period, await loadPeriodValues(db, period));
  } else {
    const ids = [...new Set(rows.map((r) => r.enterprise.id))];
    for (const v of await listValuesOf(db, ids, periods)) filed(stored, v.period as Period, v.indicator as IndicatorCode).set(v.enterpriseId, { current: v.current, previous: v.previous });
  }
  const writes: ValueColumns = { enterpriseId: [], period: [], indicator: [], current: [], previous: [] };
  const diff: Diff = { writes, removes: [], inserted: 0, replaced: 0, unchanged: 0, removed: 0, samples: [], periods: wholePeriods ? stored : null };
  // The audit entry keeps the first 50 changes as examples; their decimal forms are made only for those.
  const shown = (x: { current: bigint; previous: bigint | null }) => ({ current: fromThousandths(x.current), previous: x.previous === null ? null : fromThousandths(x.previous) });
  const ordered = [...rows].sort((a, b) => compareText(a.period, b.period) || compareText(a.enterprise.id, b.enterprise.id));
  for (const r of ordered) {
    const period = stored.get(r.period);
    for (let i = 0; i < slots.length; i++) {
      const indicator = slots[i]!.indicator;
      const current = r.current[i]!;
      const previous = r.previous[i]!;
      const old = period?.get(indicator)?.get(r.enterprise.id);
      const sampling = diff.samples.length < 50;
      if (current === null) {
        if (old) {
          diff.removes.push({ enterpriseId: r.enterprise.id, period: r.period, indicator });
          diff.removed++;
          if (sampling) diff.samples.push({ uscc: r.enterprise.uscc, period: r.period, indicator, before: shown(old), after: null });
        }
        continue;
      }
      if (old && old.current === current && old.previous === previous) {
        diff.unchanged++;
        continue;
      }
      writes.enterpriseId.push(r.enterprise.id);
      writes.period.push(r.period);
      writes.indicator.push(indicator);
      writes.current.push(current);
      writes.previous.push(previous);
      if (old) {
        diff.replaced++;
        if (sampling) diff.samples.push({ uscc: r.enterprise.uscc, period: r.period, indicator, before: shown(old), after: shown({ current, previous }) });
      } else diff.inserted++;
    }
  }
  return diff;
}

/** The enterprise → value map of a period and indicator, made when missing. */
function filed(periods: Map<Period, PeriodValueMaps>, period: Period, indicator: IndicatorCode): Map<string, ValueRow> {
  let byIndicator = periods.get(period);
  if (!byIndicator) periods.set(period, (byIndicator = new Map()));
  let rows = byIndicator.get(indicator);
  if (!rows) byIndicator.set(indicator, (rows = new Map()));
  return rows;
}

/** The periods read by the diff as the commit's writes leave them. */
function afterWrites(diff: Diff): Map<Period, PeriodValueMaps> {
  const periods = diff.periods ?? new Map<Period, PeriodValueMaps>();
  const w = diff.writes;
  for (let i = 0; i < w.enterpriseId.length; i++) {
    filed(periods, w.period[i] as Period, w.indicator[i] as IndicatorCode).set(w.enterpriseId[i]!, { current: w.current[i]!, previous: w.previous[i]! });
  }
  for (const r of diff.removes) periods.get(r.period)?.get(r.indicator)?.delete(r.enterpriseId);
  return periods;
}

/** Who imports: the scope their rows must fall in, and the audit actor. */
export type ImportContext = { scope: Scope; actor: Actor };

export type ImportOptions = {
  dryRun: boolean;
  source: 'upload' | 'cli' | 'form';
  /** Reports the phases of a long import to the uploader (web upload with a progress token). */
  progress?: ProgressReporter;
};

function emptyPreview(source: ParsedSource, dryRun: boolean): ImportPreview {
  return {
    dryRun,
    committed: false,
    batchId: null,
    fileName: source.fileName,
    sheet: source.sheet,
    headerRow: source.headerRow,
    columns: source.columns.map((c) => ({ column: c.column, header: c.header, indicator: c.indicator, valueColumn: c.valueColumn, unit: c.unit, unitFromHeader: c.unitFromHeader })),
    unmatchedHeaders: source.unmatchedHeaders,
    productSheet: source.productSheet,
    rows: source.rows.length,
    productRows: source.products?.length ?? 0,
    periods: [],
    enterprises: 0,
    errorCount: 0,
    warningCount: 0,
    problems: [],
    changes: { inserted: 0, replaced: 0, unchanged: 0, removed: 0 },
  };
}

function sortProblems(problems: ImportProblem[]): ImportProblem[] {
  return [...problems].sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1));
}

/**
 * Validates a parsed source and, unless it is a dry run or has an error, writes it in one
 * transaction: reports, the values of the indicators present (absent ones untouched, blank
 * cells cleared), products, the batch record, one audit entry summarising what changed, and
 * the warnings of the periods touched (and the following ones, whose month-on-month checks
 * depend on them). Re-importing the same data changes nothing (idempotent).
 */
async function runImport(deps: Deps, who: ImportContext, source: ParsedSource, options: ImportOptions): Promise<ImportPreview> {
  const settings = await readMonitoringSettings(deps.db);
  const ctx: Context = { scope: who.scope, today: beijingToday(deps.now()), unitSlipFactor: settings.unitSlipFactor };
  const actor = who.actor;
  const progress = options.progress ?? noProgress;
  const analyse = async (db: Db, wholePeriods: boolean) => {
    await progress('validating', 0, source.rows.length);
    const result = await validate(db, ctx, source, progress);
    await progress('validating', source.rows.length, source.rows.length);
    const diff = await diffAgainstStored(db, result.slots, result.rows, wholePeriods);
    const preview = emptyPreview(source, options.dryRun);
    const sorted = sortProblems(result.problems);
    preview.errorCount = sorted.filter((p) => p.level === 'error').length;
    preview.warningCount = sorted.length - preview.errorCount;
    // The preview lists the first problems; the annotated workbook carries them all.
    preview.problems = [...sorted.filter((p) => p.level === 'error').slice(0, PREVIEW_PROBLEM_LIMIT), ...sorted.filter((p) => p.level === 'warning').slice(0, PREVIEW_PROBLEM_LIMIT)];
    preview.periods = result.periods;
    preview.enterprises = new Set([...result.rows.map((r) => r.enterprise.id), ...result.products.map((p) => p.enterpriseId)]).size;
    preview.changes = { inserted: diff.inserted, replaced: diff.replaced, unchanged: diff.unchanged, removed: diff.removed };
    return { result, diff, preview };
  };
  if (options.dryRun) return (await analyse(deps.db, false)).preview;

  // The commit validates again inside its transaction: what is written is what was checked
  // against the database as it is at that moment.
  return deps.db.transaction().execute(async (trx) => {
    await lockMonitoringWrites(trx);
    const { result, diff, preview } = await analyse(trx, true);
    if (preview.errorCount > 0) {
      throw new AppError('VALIDATION', `有 ${preview.errorCount} 处错误，未导入任何数据。请下载标注了错误的文件，按标注修改后重新上传`, preview);
    }
    const batchId = newId();
    const now = nowIso(deps.now());
    const pairs = new Map<string, { enterpriseId: string; period: Period }>();
    for (const r of result.rows) pairs.set(`${r.enterprise.id}|${r.period}`, { enterpriseId: r.enterprise.id, period: r.period });
    for (const p of result.productPairs) pairs.set(`${p.enterpriseId}|${p.period}`, p);
    const touched = [...new Set([...pairs.values()].map((p) => p.period))];
    const following = touched.map((p) => nextPeriodOf(p)).filter((p): p is Period => p !== null);
    const summary = {
      fileName: source.fileName,
      sheet: source.sheet,
      periods: result.periods,
      enterprises: preview.enterprises,
      reports: pairs.size,
      inserted: diff.inserted,
      replaced: diff.replaced,
      removed: diff.removed,
      unchanged: diff.unchanged,
      products: result.products.length,
      warnings: preview.warningCount,
      indicators: [...new Set(source.columns.map((c) => c.indicator))],
    };
    await upsertReports(
      trx,
      [...pairs.values()].sort(byValueKey).map((p) => ({ enterpriseId: p.enterpriseId, period: p.period, source: options.source === 'form' ? 'form' : 'import', batchId, at: now, by: actor.userId })),
    );
    // In slices, so that the uploader sees the writing advance (N / M values). The diff gives
    // the writes in the key's order: a month's values append to one range of it (ADR 0012).
    const writes = diff.writes.enterpriseId.length;
    const total = writes + diff.removes.length;
    const slice = <T>(column: T[], at: number) => column.slice(at, at + WRITE_SLICE);
    for (let at = 0; at < writes; at += WRITE_SLICE) {
      await progress('writing', at, total);
      const w = diff.writes;
      await upsertValues(trx, { enterpriseId: slice(w.enterpriseId, at), period: slice(w.period, at), indicator: slice(w.indicator, at), current: slice(w.current, at), previous: slice(w.previous, at) });
    }
    await deleteValues(trx, diff.removes);
    await progress('writing', total, total);
    if (source.products !== null) await replaceProducts(trx, result.productPairs, result.products);
    await insertImportBatch(trx, { id: batchId, createdAt: now, actorId: actor.userId, actorName: actor.name, source: options.source, fileName: source.fileName, summary });
    await progress('recomputing');
    const warnings = await refreshWarnings(trx, [...touched, ...following], now, afterWrites(diff));
    await deps.audit.append(trx, actor, {
      action: options.source === 'form' ? 'monitoring.form_submit' : 'monitoring.import',
      entityType: 'monitoring_import',
      entityId: batchId,
      after: { ...summary, warningsRaised: warnings.raised, warningsClosed: warnings.closed, changes: diff.samples },
    });
    return { ...preview, committed: true, batchId };
  });
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function byValueKey(a: { enterpriseId: string; period: string; indicator?: string }, b: { enterpriseId: string; period: string; indicator?: string }): number {
  return compareText(a.period, b.period) || compareText(a.enterpriseId, b.enterpriseId) || compareText(a.indicator ?? '', b.indicator ?? '');
}

function nextPeriodOf(period: Period): Period | null {
  const month = Number(period.slice(5, 7));
  if (month === 12) return null;
  return `${period.slice(0, 4)}-${String(month + 1).padStart(2, '0')}` as Period;
}

/**
 * Imports a monthly workbook (the web upload, the POST API and `kejing import monthly`). A dry
 * run answers the preview; a commit with any error answers 400 with the preview in details and
 * writes nothing.
 */
export async function importMonthlyReports(deps: Deps, who: ImportContext, file: { buffer: Buffer; fileName: string | null }, options: ImportOptions): Promise<ImportPreview> {
  const progress = options.progress ?? noProgress;
  try {
    await progress('reading');
    const source = await readMonthlyWorkbook(file.buffer, file.fileName);
    const preview = await runImport(deps, who, source, options);
    await progress('done');
    return preview;
  } catch (error) {
    await progress('failed');
    throw error;
  }
}

/**
 * The uploaded workbook with every problem of the preview marked on its cells and explained in
 * a note column, for the clerk to correct and upload again.
 */
export async function annotateMonthlyWorkbook(deps: Deps, scope: Scope, file: { buffer: Buffer; fileName: string | null }): Promise<Buffer> {
  const source = await readMonthlyWorkbook(file.buffer, file.fileName);
  const settings = await readMonitoringSettings(deps.db);
  const result = await validate(deps.db, { scope, today: beijingToday(deps.now()), unitSlipFactor: settings.unitSlipFactor }, source);
  const marks: CellMark[] = result.problems
    .filter((p) => p.sheet === source.sheet && p.row !== null)
    .map((p) => ({ row: p.row!, column: p.column ? columnNumber(p.column) : null, message: p.message, level: p.level }));
  return annotateXlsx(file.buffer, source.sheet!, source.headerRow!, marks);
}

function columnNumber(letters: string): number {
  let n = 0;
  for (const c of letters) n = n * 26 + (c.charCodeAt(0) - 64);
  return n;
}

/**
 * An enterprise's monthly form filled online: the same checks and the same commit as a workbook
 * row. Only the indicators sent are written; products, when sent, replace the period's list.
 */
export async function submitMonthlyForm(deps: Deps, who: ImportContext, body: FormBody & { period: Period }): Promise<ImportPreview> {
  const [enterprise] = await findEnterprisesById(deps.db, [body.enterpriseId]);
  if (!enterprise || !isInScope(who.scope, { townId: enterprise.town_id, enterpriseId: enterprise.id })) throw notFound('企业');
  const codes = INDICATOR_CODES.filter((code) => body.values[code]);
  if (codes.length === 0) throw new AppError('VALIDATION', '请至少填写一项指标', [{ field: 'values', message: '请至少填写一项指标' }]);
  const form = { sheet: null, row: null };
  const source: ParsedSource = {
    fileName: null,
    sheet: null,
    headerRow: null,
    columns: codes.flatMap((code) =>
      (['current', 'previous'] as const).map((valueColumn) => ({
        column: `${code}.${valueColumn}`,
        header: `${indicatorOf(code).name}${VALUE_COLUMN_LABELS[valueColumn]}`,
        indicator: code,
        valueColumn,
        unit: indicatorOf(code).unit,
        unitFromHeader: false,
        exponent: 0,
      })),
    ),
    unmatchedHeaders: [],
    productSheet: null,
    rows: [
      {
        ...form,
        uscc: { raw: enterprise.uscc, column: 'enterpriseId', header: '企业' },
        name: null,
        period: { raw: body.period, column: 'period', header: '报告期' },
        // In the order of `columns`: each indicator's 本年累计, then its 上年同期.
        cells: codes.flatMap((code) => [
          { value: body.values[code]!.current, error: null },
          { value: body.values[code]!.previous, error: null },
        ]),
      },
    ],
    products:
      body.products === undefined
        ? null
        : body.products.map((p, index) => ({
            ...form,
            uscc: { raw: enterprise.uscc, column: 'enterpriseId', header: '企业' },
            period: { raw: body.period, column: 'period', header: '报告期' },
            product: { raw: p.productName, column: `products.${index}.productName`, header: '产品名称' },
            unit: { raw: p.unit, column: `products.${index}.unit`, header: '计量单位' },
            current: { raw: p.current, column: `products.${index}.current`, header: '本年累计' },
            previous: { raw: p.previous, column: `products.${index}.previous`, header: '上年同期' },
          })),
    problems: [],
  };
  return runImport(deps, who, source, { dryRun: body.dryRun ?? false, source: 'form' });
}

/** The import template: the contract's headers, one example row, and the 产品产量 sheet. */
export async function monthlyTemplate(): Promise<Buffer> {
  type Example = Record<string, string | number>;
  const example: Example = { 统一社会信用代码: '91421303MA4XXXXXXX', 企业名称: '（示例）某某专用汽车有限公司', 报告期: '2022年1-6月' };
  const headers = ['统一社会信用代码', '企业名称', '报告期'];
  for (const indicator of INDICATORS) {
    for (const column of ['current', 'previous'] as const) {
      const header = `${indicator.name}${VALUE_COLUMN_LABELS[column]}（${indicator.unit}）`;
      headers.push(header);
      example[header] = '';
    }
  }
  const productHeaders = ['统一社会信用代码', '报告期', '产品名称', '计量单位', '本年累计', '上年同期'];
  return writeXlsx<Example>([
    { name: '月度报表', columns: headers.map((h) => ({ header: h, value: (row) => row[h] ?? null })), rows: [example] },
    {
      name: '产品产量',
      columns: productHeaders.map((h) => ({ header: h, value: (row) => row[h] ?? null })),
      rows: [{ 统一社会信用代码: '91421303MA4XXXXXXX', 报告期: '2022年1-6月', 产品名称: '改装汽车', 计量单位: '辆', 本年累计: '', 上年同期: '' }],
    },
  ]);
}

/** A stored report's values as the form shows them. */
export async function loadFormValues(deps: Deps, enterpriseId: string, periods: readonly Period[]) {
  const [values, products] = await Promise.all([listValuesOf(deps.db, [enterpriseId], periods), listProductsOf(deps.db, [enterpriseId], periods)]);
  return { values, products };
}
