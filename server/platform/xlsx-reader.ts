import { parseUnitSuffix, toHalfWidth } from '#common/quantity.ts';
import { AppError } from '#server/platform/errors.ts';
import { isDateFormat, openXlsx } from '#server/platform/xlsx-sheets.ts';
import type { CellValue, SheetRow } from '#server/platform/xlsx-sheets.ts';

export { isDateFormat };
export type { CellValue };

/**
 * Reads a table out of a workbook the way clerks actually make them: the caller names the
 * headers it needs (its contract); the reader finds the sheet and the header row holding them —
 * any sheet, title rows above, a two-row header (a group row such as 工业总产值 over
 * 本年累计 | 上年同期, merged or not), headers with spaces, line breaks, full-width brackets and a
 * unit suffix — and returns the data rows with their own row numbers, leaving out blank rows,
 * totals rows (合计) and notes (填表人：…). A formula cell gives its cached result; one without a
 * result is an error on that cell. Built on the platform's own sheet reader (xlsx-sheets.ts),
 * which hands over one row at a time: a 20,000-row monthly file is read in a fraction of the time
 * ExcelJS takes, and the table is built as the rows come.
 */

/** One column of a contract: its canonical header, other names it goes by, whether it must be there. */
export type ColumnSpec<K extends string> = {
  readonly key: K;
  readonly header: string;
  readonly aliases?: readonly string[];
  readonly required?: boolean;
};

export type TableContract<K extends string> = {
  readonly columns: readonly ColumnSpec<K>[];
  /** What the table is, for messages: 企业名录, 月度报表 … */
  readonly what: string;
};

/** A cell of a matched column. `error` is set when the cell cannot give a value (formula without result, #N/A). */
export type SheetCell = { value: CellValue; text: string; address: string; error: string | null };

export type MatchedColumn<K extends string> = {
  key: K;
  /** The header as written in the file (two-row headers joined). */
  header: string;
  column: number;
  letter: string;
  /** The unit in the header's trailing brackets, when the match was made without it: 工业总产值（万元） → 万元. */
  unit: string | null;
};

export type TableRow<K extends string> = { row: number; cells: Partial<Record<K, SheetCell>> };

export type SheetTable<K extends string> = {
  sheet: string;
  /** The header's row numbers: one, or two for a two-row header. */
  headerRows: number[];
  columns: MatchedColumn<K>[];
  /** Headers of the file that match nothing in the contract; ignored. */
  unknownHeaders: { header: string; column: number; letter: string }[];
  rows: TableRow<K>[];
  /** Rows left out on purpose (totals, notes); blank rows are left out silently. */
  skipped: { row: number; reason: string }[];
  /** Things the clerk may want to know (another sheet also had these headers …). */
  notes: string[];
};

/** The note column an annotated workbook carries (excel.ts adds it); never a data column. */
export const ANNOTATION_HEADER = '错误说明';

/** How many rows from the top of a sheet are searched for the header. */
const HEADER_SEARCH_ROWS = 30;

const TOTALS = new Set(['合计', '总计', '小计', '全区合计', '全区总计', '合计数', '总合计']);
const NOTE_PREFIX = /^(注|备注|说明|填表说明|填表人|填报人|制表|审核|负责人|单位负责人|统计负责人|联系电话|报出日期)[:：\s]/;

/**
 * Header text as compared: half-width, no whitespace or line breaks, no required-field marks
 * (*), no trailing colon. `base` drops a trailing bracket, `unit` is what it held.
 */
export function normaliseHeader(text: string): { full: string; base: string; unit: string | null } {
  const full = toHalfWidth(text)
    .replace(/[\s\u00a0]+/g, '')
    .replace(/^[*※]+|[*※]+$/g, '')
    .replace(/[:：]$/, '');
  const { base, unit } = parseUnitSuffix(full);
  return { full, base: base.replace(/[*※]+$/g, ''), unit };
}

/** Column number → letters: 1 → A, 27 → AA. */
export function columnLetter(column: number): string {
  let n = column;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

// ---- Cell values --------------------------------------------------------------------------------

/** How a value reads as text: numbers without exponent noise, dates as YYYY-MM-DD (Excel dates carry no zone). */
export function cellText(value: CellValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return value.toFixed(0);
  return String(value);
}

// ---- Header detection -----------------------------------------------------------------------

type Grid = Map<number, Map<number, SheetCell>>;

type HeaderChoice<K extends string> = {
  headerRows: number[];
  columns: MatchedColumn<K>[];
  duplicates: { key: K; letters: string[] }[];
  unknown: { header: string; column: number; letter: string }[];
  requiredFound: number;
  score: number;
};

type Matcher<K extends string> = { match: (text: string) => { key: K; unit: string | null } | null };

function buildMatcher<K extends string>(contract: TableContract<K>): Matcher<K> {
  const byName = new Map<string, K>();
  for (const column of contract.columns) {
    for (const name of [column.header, ...(column.aliases ?? [])]) {
      const n = normaliseHeader(name);
      if (!byName.has(n.full)) byName.set(n.full, column.key);
    }
  }
  return {
    match(text) {
      const n = normaliseHeader(text);
      if (n.full === '') return null;
      const exact = byName.get(n.full);
      if (exact) return { key: exact, unit: null };
      const base = n.unit === null ? undefined : byName.get(n.base);
      return base ? { key: base, unit: n.unit } : null;
    },
  };
}

function rowTexts(grid: Grid, row: number): Map<number, string> {
  const out = new Map<number, string>();
  for (const [column, cell] of grid.get(row) ?? []) if (cell.text !== '') out.set(column, cell.text);
  return out;
}

/**
 * The header a contract is found in at `row`, alone or joined with the row below. For the
 * two-row form, a blank group cell takes the group text from its left (a merged 工业总产值 over
 * 本年累计 | 上年同期), and each column tries the joined text, then the lower, then the upper.
 */
function chooseHeader<K extends string>(grid: Grid, row: number, twoRows: boolean, contract: TableContract<K>, matcher: Matcher<K>): HeaderChoice<K> | null {
  const upper = rowTexts(grid, row);
  if (upper.size === 0) return null;
  const lower = twoRows ? rowTexts(grid, row + 1) : new Map<number, string>();
  if (twoRows && lower.size === 0) return null;
  const columnsUsed = [...new Set([...upper.keys(), ...lower.keys()])].sort((a, b) => a - b);
  const matched: MatchedColumn<K>[] = [];
  const unknown: HeaderChoice<K>['unknown'] = [];
  let group: string | null = null;
  let previous = -1;
  for (const column of columnsUsed) {
    if (column !== previous + 1) group = null;
    previous = column;
    const up = upper.get(column) ?? null;
    const low = lower.get(column) ?? null;
    let effectiveUpper: string | null;
    if (up !== null) {
      effectiveUpper = up;
      // A group only spans on while it has sub-headers under it.
      group = low !== null ? up : null;
    } else if (low !== null) {
      effectiveUpper = group;
    } else {
      effectiveUpper = null;
      group = null;
    }
    const candidates: string[] = [];
    if (effectiveUpper !== null && low !== null) {
      // A unit in the group cell (工业总产值（千元） over 本年累计) belongs at the end of the joined name.
      const group = normaliseHeader(effectiveUpper);
      const sub = normaliseHeader(low);
      candidates.push(group.unit !== null && sub.unit === null ? `${group.base}${sub.full}(${group.unit})` : `${effectiveUpper}${low}`);
    }
    if (low !== null) candidates.push(low);
    if (up !== null) candidates.push(up);
    let found: { key: K; unit: string | null; text: string } | null = null;
    for (const text of candidates) {
      const m = matcher.match(text);
      if (m) {
        found = { ...m, text };
        break;
      }
    }
    const shown = candidates[0] ?? '';
    if (found) matched.push({ key: found.key, header: found.text, column, letter: columnLetter(column), unit: found.unit });
    else if (shown !== '' && normaliseHeader(shown).full !== ANNOTATION_HEADER) unknown.push({ header: shown, column, letter: columnLetter(column) });
  }
  const byKey = new Map<K, MatchedColumn<K>[]>();
  for (const m of matched) byKey.set(m.key, [...(byKey.get(m.key) ?? []), m]);
  const duplicates = [...byKey.entries()].filter(([, list]) => list.length > 1).map(([key, list]) => ({ key, letters: list.map((m) => m.letter) }));
  const requiredFound = contract.columns.filter((c) => c.required && byKey.has(c.key)).length;
  const score = requiredFound * 1000 + byKey.size;
  if (byKey.size === 0) return null;
  return { headerRows: twoRows ? [row, row + 1] : [row], columns: matched, duplicates, unknown, requiredFound, score };
}

function bestHeader<K extends string>(grid: Grid, contract: TableContract<K>, matcher: Matcher<K>): HeaderChoice<K> | null {
  let best: HeaderChoice<K> | null = null;
  const rows = [...grid.keys()].sort((a, b) => a - b);
  for (const row of rows) {
    for (const twoRows of [false, true]) {
      if (twoRows && !grid.has(row + 1)) continue;
      const choice = chooseHeader(grid, row, twoRows, contract, matcher);
      // On a tie the single-row reading wins (a title row above is not part of the header),
      // then the earlier row.
      if (!choice) continue;
      if (!best || choice.score > best.score || (choice.score === best.score && choice.headerRows.length < best.headerRows.length)) best = choice;
    }
  }
  return best;
}

// ---- Reading ------------------------------------------------------------------------------------

type SheetScan<K extends string> = { name: string; choice: HeaderChoice<K> | null; table: SheetTable<K> | null };

/** Column letters by number, made once: every cell's address needs its column's. */
const LETTERS: string[] = [''];
function letterOf(column: number): string {
  while (LETTERS.length <= column) LETTERS.push(columnLetter(LETTERS.length));
  return LETTERS[column]!;
}

/**
 * A read cell. Its text and address are made when asked: the header search and the totals check
 * ask for a few, a 20,000-row import's number cells never need theirs, and not making them saves
 * two strings per cell.
 */
class ReadCell implements SheetCell {
  #text: string | null;
  constructor(
    readonly value: CellValue,
    readonly error: string | null,
    text: string | null,
    private readonly column: number,
    private readonly row: number,
  ) {
    this.#text = text;
  }
  get text(): string {
    return (this.#text ??= this.error ? '' : cellText(this.value));
  }
  get address(): string {
    return letterOf(this.column) + this.row;
  }
}

/** A row's non-empty cells by column: strings trimmed, blank strings left out. */
function toCells(row: SheetRow): Map<number, SheetCell> {
  const cells = new Map<number, SheetCell>();
  const { row: number, columns, values, errors } = row;
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!;
    const raw = values[i]!;
    const error = errors[i]!;
    if (typeof raw === 'string' && error === null) {
      const value = raw.trim();
      if (value !== '') cells.set(column, new ReadCell(value, null, value, column, number));
    } else if (raw !== null || error !== null) {
      cells.set(column, new ReadCell(raw, error, null, column, number));
    }
  }
  return cells;
}

function isRequiredComplete<K extends string>(contract: TableContract<K>, choice: HeaderChoice<K>): boolean {
  return choice.requiredFound === contract.columns.filter((c) => c.required).length;
}

/** What one contract found over the workbook's sheets. */
type ContractScan = { contract: TableContract<string>; matcher: Matcher<string>; scans: SheetScan<string>[]; chosen: SheetScan<string> | null };

/**
 * One pass over the workbook for one or more contracts (the monthly import reads its
 * 月报 and its 产品产量 sheet from the same file): each contract takes the first visible sheet
 * holding its headers. Returns each contract's table, or the AppError that refuses it.
 */
async function scanWorkbook(buffer: Buffer, contracts: readonly TableContract<string>[]): Promise<(SheetTable<string> | AppError)[]> {
  const states: ContractScan[] = contracts.map((contract) => ({ contract, matcher: buildMatcher(contract), scans: [], chosen: null }));
  const hidden: string[] = [];
  let sawContent = false;

  try {
    // Refusals of the upload itself (not an xlsx, zip bomb) are AppErrors and pass the catch below.
    const book = await openXlsx(buffer);
    // Sheets in tab order (as workbook.xml lists them), the order the clerk sees.
    for (const sheet of book.sheets) {
      const name = sheet.name;
      if (!sheet.visible) {
        hidden.push(name);
        continue;
      }
      const sheetScans = states.map(() => ({ name, choice: null, table: null }) as SheetScan<string>);
      const top: Grid = new Map();
      let decided = false;
      // The contracts whose table is this sheet's.
      let collecting: { scan: SheetScan<string>; state: ContractScan }[] = [];
      for (const row of sheet.rows()) {
        if (!decided) {
          const cells = toCells(row);
          if (cells.size > 0) {
            sawContent = true;
            top.set(row.row, cells);
          }
          if (row.row < HEADER_SEARCH_ROWS + 1) continue;
          decided = true;
          collecting = decideAll(sheetScans, top);
          // No contract's table is on this sheet: the rest of its rows are not needed.
          if (collecting.length === 0) break;
          continue;
        }
        const cells = toCells(row);
        if (cells.size > 0) for (const c of collecting) addDataCells(c.scan.table!, c.scan.choice!, row.row, cells);
      }
      if (!decided) decideAll(sheetScans, top);
      states.forEach((state, i) => state.scans.push(sheetScans[i]!));
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('BAD_FILE', '工作簿内容无法读取（文件可能已损坏），请用 Excel 或 WPS 打开后另存为 .xlsx 再上传');
  }

  function decideAll(sheetScans: SheetScan<string>[], top: Grid): { scan: SheetScan<string>; state: ContractScan }[] {
    const out: { scan: SheetScan<string>; state: ContractScan }[] = [];
    states.forEach((state, i) => {
      const scan = sheetScans[i]!;
      if (decide(state, scan, top)) out.push({ scan, state });
    });
    return out;
  }

  function decide(state: ContractScan, scan: SheetScan<string>, top: Grid): boolean {
    scan.choice = bestHeader(top, state.contract, state.matcher);
    if (!scan.choice || !isRequiredComplete(state.contract, scan.choice) || state.chosen) return false;
    if (scan.choice.duplicates.length > 0) return false;
    const table: SheetTable<string> = {
      sheet: scan.name,
      headerRows: scan.choice.headerRows,
      columns: scan.choice.columns,
      unknownHeaders: scan.choice.unknown,
      rows: [],
      skipped: [],
      notes: [],
    };
    scan.table = table;
    state.chosen = scan;
    const lastHeader = Math.max(...scan.choice.headerRows);
    for (const row of [...top.keys()].sort((a, b) => a - b)) if (row > lastHeader) addDataCells(table, scan.choice, row, top.get(row)!);
    return true;
  }

  return states.map((state) => {
    if (!sawContent) return new AppError('BAD_FILE', '工作簿是空的（没有任何内容），请检查是否选错了文件');
    const found = state.chosen;
    if (!found) return missingHeaders(state.contract, state.scans, hidden);
    const table = found.table!;
    const others = state.scans.filter((s) => s !== found && s.choice && isRequiredComplete(state.contract, s.choice)).map((s) => `「${s.name}」`);
    if (others.length) table.notes.push(`工作表${others.join('、')}也有同样的表头，本次只读取了「${table.sheet}」`);
    if (table.rows.length === 0) {
      return new AppError('BAD_FILE', `工作表「${table.sheet}」第 ${table.headerRows.join('–')} 行是表头，但下面没有数据行，请填写数据后再上传`, { sheet: table.sheet });
    }
    return table;
  });
}

/**
 * Reads the table of `contract` from an uploaded workbook. Refuses (AppError BAD_FILE, 400) a
 * file that is not a safe xlsx, a workbook without a sheet holding the required headers (the
 * message lists what is missing), a header naming one column twice, and a table without data.
 */
export async function readXlsxTable<K extends string>(buffer: Buffer, contract: TableContract<K>): Promise<SheetTable<K>> {
  const [table] = await scanWorkbook(buffer, [contract]);
  if (table instanceof AppError) throw table;
  return table as SheetTable<K>;
}

/**
 * Two tables of one workbook in one pass (a 20,000-row file is read once, not twice): the
 * first is required and refused as readXlsxTable refuses it; the second comes back with the
 * AppError that would have refused it, for the caller to judge (an optional sheet).
 */
export async function readXlsxTables<K extends string, L extends string>(buffer: Buffer, contract: TableContract<K>, second: TableContract<L>): Promise<{ table: SheetTable<K>; second: SheetTable<L> | AppError }> {
  const [table, other] = await scanWorkbook(buffer, [contract, second]);
  if (table instanceof AppError) throw table;
  return { table: table as SheetTable<K>, second: other as SheetTable<L> | AppError };
}

const ROW_BREAKS = /[\s\u3000]+/g;

function addDataCells<K extends string>(table: SheetTable<K>, choice: HeaderChoice<K>, rowNumber: number, cells: Map<number, SheetCell>): void {
  // Totals and notes are told by their text; every totals word holds 计, so most cells are
  // passed over without normalising their text.
  let filled = 0;
  let firstText = '';
  for (const cell of cells.values()) {
    // A number is never a totals word nor a note.
    const text = typeof cell.value === 'number' ? '#' : cell.text;
    if (text === '') continue;
    if (filled === 0) firstText = text;
    filled++;
    if (text.includes('计') && TOTALS.has(text.replace(ROW_BREAKS, ''))) {
      table.skipped.push({ row: rowNumber, reason: '合计行，已跳过' });
      return;
    }
  }
  if (filled === 1 && NOTE_PREFIX.test(toHalfWidth(firstText))) {
    table.skipped.push({ row: rowNumber, reason: '说明文字，已跳过' });
    return;
  }
  const out: Partial<Record<K, SheetCell>> = {};
  let any = false;
  for (const column of choice.columns) {
    const cell = cells.get(column.column);
    if (cell) {
      out[column.key] = cell;
      any = true;
    } else {
      out[column.key] = { value: null, text: '', address: `${column.letter}${rowNumber}`, error: null };
    }
  }
  // A row with content only in columns the import does not use is blank for it.
  if (any) table.rows.push({ row: rowNumber, cells: out });
}

function missingHeaders<K extends string>(contract: TableContract<K>, scans: SheetScan<K>[], hidden: string[]): AppError {
  const required = contract.columns.filter((c) => c.required);
  const ranked = scans.filter((s) => s.choice).sort((a, b) => b.choice!.score - a.choice!.score);
  const best = ranked[0];
  const hiddenNote = hidden.length ? `（隐藏的工作表${hidden.map((h) => `「${h}」`).join('、')}未读取）` : '';
  if (best?.choice && isRequiredComplete(contract, best.choice) && best.choice.duplicates.length > 0) {
    const names = (key: K) => contract.columns.find((c) => c.key === key)?.header ?? key;
    const list = best.choice.duplicates.map((d) => `「${names(d.key)}」（${d.letters.join('、')}列）`).join('、');
    return new AppError('BAD_FILE', `工作表「${best.name}」的表头中${list}出现了不止一次，请删除或改名多余的列`, {
      sheet: best.name,
      duplicates: best.choice.duplicates,
    });
  }
  if (best?.choice && best.choice.requiredFound >= Math.min(2, required.length)) {
    const have = new Set(best.choice.columns.map((c) => c.key));
    const missing = required.filter((c) => !have.has(c.key)).map((c) => c.header);
    return new AppError(
      'BAD_FILE',
      `工作表「${best.name}」第 ${best.choice.headerRows.join('–')} 行的表头缺少：${missing.join('、')}。请对照${contract.what}导入模板补上这些列（列的顺序不限）${hiddenNote}`,
      { sheet: best.name, headerRows: best.choice.headerRows, missing, found: best.choice.columns.map((c) => c.header) },
    );
  }
  const missing = required.map((c) => c.header);
  return new AppError(
    'BAD_FILE',
    `没有找到${contract.what}的表头：工作簿中没有哪个工作表含有 ${missing.map((m) => `「${m}」`).join('')} 等列。请下载${contract.what}导入模板，按模板填写后上传${hiddenNote}`,
    { sheet: null, missing },
  );
}
