import path from 'node:path';
import { inflateZipEntry, inspectXlsx, verifyZipEntries, type ZipEntry } from '#server/platform/upload.ts';

/**
 * The platform's own xlsx sheet reader: turns an uploaded workbook into its sheets, in tab order,
 * and each sheet into rows of raw cell values — nothing about headers or tables (xlsx-reader.ts
 * does that). It exists for speed: ExcelJS's streaming reader takes seconds over a 20,000-row
 * monthly file, most of it building objects per XML node and per cell. Here each part is
 * inflated once, by random access into the zip (so the entry order does not matter), and a
 * worksheet is scanned as bytes: only the text of values is decoded, numbers are parsed from
 * the bytes, and rows are produced one at a time so a caller can stop early.
 */

export type CellValue = string | number | boolean | Date | null;

/**
 * A row's cells that hold something, as parallel lists (three arrays a row rather than one
 * object a cell: a 20,000-row file has 400,000 cells): the i-th cell's column (1 = A), its value,
 * and why it has none when it cannot give one.
 */
export type SheetRow = { row: number; columns: number[]; values: CellValue[]; errors: (string | null)[] };

export type XlsxSheet = {
  name: string;
  /** False for sheets hidden or very hidden in Excel. */
  visible: boolean;
  /** The rows holding at least one cell, top to bottom; made one at a time as they are asked for. */
  rows(): Iterable<SheetRow>;
};

export type XlsxBook = { sheets: XlsxSheet[] };

/** Why a cell gives no value; the same words wherever a cell is read. */
export const CELL_ERRORS = {
  noCachedResult: '单元格是公式但文件中没有保存计算结果：请在 Excel 或 WPS 中打开、确认计算后保存再上传，或把公式改为数值',
  formulaError: (code: string) => `单元格公式的结果是错误值 ${code}，请改正公式或改为数值`,
  errorValue: (code: string) => `单元格是错误值 ${code}，请改为正确的值`,
  badNumber: '单元格数值无效',
  badDate: '单元格日期无效',
  missingSharedString: '单元格内容无法读取（共享字符串缺失），请用 Excel 或 WPS 另存后再上传',
} as const;

// ---- Dates --------------------------------------------------------------------------------------

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;
/** Days between the 1900 and the 1904 date systems. */
const DATE1904_OFFSET_DAYS = 1462;

/** An Excel serial date as a Date. Excel dates carry no zone: they are read as UTC. */
export function excelDate(serial: number, date1904 = false): Date {
  return new Date(EXCEL_EPOCH_MS + Math.round((date1904 ? serial + DATE1904_OFFSET_DAYS : serial) * DAY_MS));
}

/** Whether a number format shows a date (y, m, d outside quotes and brackets; not a pure time). */
export function isDateFormat(format: string | undefined | null): boolean {
  if (!format) return false;
  const bare = format.replace(/"[^"]*"/g, '').replace(/\[[^\]]*\]/g, '').replace(/\\./g, '');
  return /[yd]/i.test(bare) || /m{1,4}[^:]*?[/.-]|[/.-]m/i.test(bare) || /年|月|日/.test(bare);
}

/**
 * Built-in number formats that show dates: 14–17 and 22 of the standard (18–21 and 45–47 are
 * times of day or durations), and the ids the Chinese locale gives its date formats
 * (yyyy"年"m"月" and the like) — not its times 32–35, 55 and 56. A time stays a number, as a
 * custom time format does (isDateFormat).
 */
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58]);

// ---- Opening the workbook ---------------------------------------------------------------------

const RELATIONSHIP_TYPE = { worksheet: '/worksheet', sharedStrings: '/sharedStrings', styles: '/styles' };

/**
 * Opens an uploaded workbook. Checks the upload first as assertSafeXlsx does — every entry is
 * held to its declared size before anything trusts it: the parts read here (workbook, shared
 * strings, styles, visible worksheets) are checked as they are inflated, all other entries are
 * inflated once and discarded. Throws AppError for a refused upload and Error for XML that
 * cannot be read.
 */
export async function openXlsx(buffer: Buffer): Promise<XlsxBook> {
  const entries = inspectXlsx(buffer);
  // Part names are case-insensitive (OPC).
  const byName = new Map(entries.map((e) => [e.name.toLowerCase(), e]));
  const inflated = new Map<ZipEntry, Buffer>();
  const read = (entry: ZipEntry): Buffer => {
    let data = inflated.get(entry);
    if (!data) inflated.set(entry, (data = inflateZipEntry(buffer, entry)));
    return data;
  };
  const entryOf = (name: string): ZipEntry | undefined => byName.get(name.toLowerCase());

  const workbook = readWorkbookPart(read(entryOf('xl/workbook.xml')!));
  const relsEntry = entryOf('xl/_rels/workbook.xml.rels');
  const relationships = relsEntry ? readRelationships(read(relsEntry)) : [];
  const partOf = (type: string, fallback: string): ZipEntry | undefined => {
    const rel = relationships.find((r) => r.type.endsWith(type));
    return entryOf(rel ? rel.target : fallback);
  };

  // A <sheet> may be a chart or dialog sheet: only worksheets hold cells.
  const listed = workbook.sheets.flatMap((sheet) => {
    const rel = relationships.find((r) => r.id === sheet.relationshipId);
    if (rel && !rel.type.endsWith(RELATIONSHIP_TYPE.worksheet)) return [];
    const entry = rel ? entryOf(rel.target) : undefined;
    if (!entry) throw new Error(`worksheet of ${sheet.name} not found`);
    return [{ ...sheet, entry }];
  });
  const stringsEntry = partOf(RELATIONSHIP_TYPE.sharedStrings, 'xl/sharedStrings.xml');
  const stylesEntry = partOf(RELATIONSHIP_TYPE.styles, 'xl/styles.xml');
  const ownParts = new Set([entryOf('xl/workbook.xml'), relsEntry, stringsEntry, stylesEntry, ...listed.filter((s) => s.visible).map((s) => s.entry)]);
  await verifyZipEntries(buffer, entries.filter((e) => !ownParts.has(e)));

  const context: SheetContext = {
    strings: stringsEntry ? readSharedStrings(read(stringsEntry)) : [],
    dateStyles: stylesEntry ? readDateStyles(read(stylesEntry)) : [],
    date1904: workbook.date1904,
  };
  // Visible worksheets are inflated (and so checked) here, not when first read: the check must
  // not depend on the caller reading every sheet. A hidden one, verified above, is inflated
  // only if its rows are asked for.
  const sheets = listed.map((sheet): XlsxSheet => {
    const xml = sheet.visible ? read(sheet.entry) : null;
    return {
      name: sheet.name,
      visible: sheet.visible,
      rows: () => readSheetRows(xml ?? read(sheet.entry), context),
    };
  });
  return { sheets };
}

// ---- Scanning XML as bytes ---------------------------------------------------------------------

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const COLON = 0x3a;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const SPACE = 0x20;

/**
 * A cursor over XML bytes that steps from tag to tag. A tag's name is its local name (a
 * prefix such as the x: of the .NET OpenXML SDK is passed over); after `nextTag` the caller
 * either walks the attributes with `nextAttribute` or skips them with `endTag`. Not a general
 * XML parser: no DTDs, and entities only in text and attribute values.
 */
class XmlCursor {
  pos = 0;
  closing = false;
  selfClosing = false;
  nameStart = 0;
  nameEnd = 0;
  attributeNameStart = 0;
  attributeNameEnd = 0;
  valueStart = 0;
  valueEnd = 0;

  constructor(readonly xml: Buffer) {}

  /** Steps onto the next element tag, passing comments, declarations and CDATA; false at the end. */
  nextTag(): boolean {
    const xml = this.xml;
    for (;;) {
      const lt = nextLessThan(xml, this.pos);
      if (lt < 0) return false;
      let i = lt + 1;
      const first = xml[i];
      if (first === BANG || first === QUESTION) {
        this.pos = this.skipSpecial(lt);
        continue;
      }
      this.closing = first === SLASH;
      if (this.closing) i++;
      let local = i;
      for (;;) {
        const b = xml[i];
        if (b === undefined) throw new Error('unexpected end of XML');
        if (b === COLON) local = i + 1;
        else if (b === GT || b === SLASH || b <= SPACE) break;
        i++;
      }
      this.nameStart = local;
      this.nameEnd = i;
      this.selfClosing = false;
      if (this.closing) {
        const gt = xml.indexOf(GT, i);
        if (gt < 0) throw new Error('unexpected end of XML');
        this.pos = gt + 1;
      } else {
        this.pos = i;
      }
      return true;
    }
  }

  /** Whether the current tag's local name is `name` (ASCII). */
  is(name: string): boolean {
    if (this.nameEnd - this.nameStart !== name.length) return false;
    for (let k = 0; k < name.length; k++) if (this.xml[this.nameStart + k] !== name.charCodeAt(k)) return false;
    return true;
  }

  /** The next attribute of an opening tag, or false once the tag has ended (selfClosing then says how). */
  nextAttribute(): boolean {
    const xml = this.xml;
    let i = this.pos;
    while (xml[i]! <= SPACE) i++;
    const b = xml[i];
    if (b === GT) {
      this.pos = i + 1;
      return false;
    }
    if (b === SLASH) {
      this.selfClosing = true;
      this.pos = i + 2;
      return false;
    }
    if (b === undefined) throw new Error('unexpected end of XML');
    this.attributeNameStart = i;
    while (xml[i] !== EQUALS && xml[i]! > SPACE) i++;
    this.attributeNameEnd = i;
    while (xml[i]! <= SPACE) i++;
    if (xml[i] !== EQUALS) throw new Error('malformed attribute');
    i++;
    while (xml[i]! <= SPACE) i++;
    const quote = xml[i];
    if (quote !== QUOTE && quote !== APOSTROPHE) throw new Error('malformed attribute');
    this.valueStart = i + 1;
    const length = xml.length;
    let end = i + 1;
    while (end < length && xml[end] !== quote) end++;
    if (end >= length) throw new Error('unexpected end of XML');
    this.valueEnd = end;
    this.pos = end + 1;
    return true;
  }

  /** Passes the rest of an opening tag's attributes. */
  endTag(): void {
    while (this.nextAttribute());
  }

  /** Whether the current attribute's name is `name` exactly (prefix included). */
  attributeIs(name: string): boolean {
    if (this.attributeNameEnd - this.attributeNameStart !== name.length) return false;
    for (let k = 0; k < name.length; k++) if (this.xml[this.attributeNameStart + k] !== name.charCodeAt(k)) return false;
    return true;
  }

  attributeName(): string {
    return this.xml.toString('latin1', this.attributeNameStart, this.attributeNameEnd);
  }

  attributeValue(): string {
    return decodeEntities(this.xml.toString('utf8', this.valueStart, this.valueEnd));
  }

  /** The current attribute's value as a whole number, or -1 when it is not one. */
  attributeNumber(): number {
    return digitsAt(this.xml, this.valueStart, this.valueEnd);
  }

  /** All attributes of the current opening tag, by name (for the small parts; allocates). */
  attributes(): Map<string, string> {
    const out = new Map<string, string>();
    while (this.nextAttribute()) out.set(this.attributeName(), this.attributeValue());
    return out;
  }

  /**
   * Where the text after an opening tag ends (the next tag), when it is plain characters; -1
   * when it holds CDATA or a comment, to be read with `text`.
   */
  plainTextEnd(): number {
    const lt = nextLessThan(this.xml, this.pos);
    if (lt < 0) throw new Error('unexpected end of XML');
    return this.xml[lt + 1] === BANG ? -1 : lt;
  }

  /** The decoded text from the cursor up to the next element tag; leaves the cursor on that tag. */
  text(): string {
    const xml = this.xml;
    let out = '';
    for (;;) {
      const lt = nextLessThan(xml, this.pos);
      if (lt < 0) throw new Error('unexpected end of XML');
      if (lt > this.pos) out += decodeText(xml.toString('utf8', this.pos, lt));
      this.pos = lt;
      if (xml[lt + 1] !== BANG) return out;
      if (xml.toString('latin1', lt, lt + 9) === '<![CDATA[') {
        const end = xml.indexOf(']]>', lt + 9);
        if (end < 0) throw new Error('unexpected end of XML');
        out += normaliseLineBreaks(xml.toString('utf8', lt + 9, end));
        this.pos = end + 3;
      } else {
        this.pos = this.skipSpecial(lt);
      }
    }
  }

  /** Skips to the closing tag of the element just opened (for elements whose content is not wanted). */
  skipElement(): void {
    if (this.selfClosing) return;
    let depth = 1;
    while (this.nextTag()) {
      if (this.closing) {
        if (--depth === 0) return;
      } else {
        this.endTag();
        if (!this.selfClosing) depth++;
      }
    }
  }

  /** Past a comment, CDATA section, declaration or processing instruction starting at `lt`. */
  private skipSpecial(lt: number): number {
    const xml = this.xml;
    const head = xml.toString('latin1', lt, lt + 9);
    const close = head.startsWith('<!--') ? '-->' : head === '<![CDATA[' ? ']]>' : head.startsWith('<?') ? '?>' : '>';
    const end = xml.indexOf(close, lt + 2);
    if (end < 0) throw new Error('unexpected end of XML');
    return end + close.length;
  }
}

/**
 * The next `<` from `from`, or -1. A plain loop: the next tag is usually a few bytes away, where
 * Buffer#indexOf's call costs more than the search.
 */
function nextLessThan(xml: Buffer, from: number): number {
  const length = xml.length;
  for (let i = from; i < length; i++) if (xml[i] === LT) return i;
  return -1;
}

/** Digits between `start` and `end` as a number; -1 when there are none or anything else is there. */
function digitsAt(xml: Buffer, start: number, end: number): number {
  if (start >= end) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = xml[i]! - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * A number written in plain decimal (-12.5, 7646.908) straight from its bytes. With at most 15
 * digits both the digits and the power of ten are exact doubles, so one division gives exactly
 * what Number() gives; anything else (exponents, long digit strings) goes through Number().
 */
function numberAt(xml: Buffer, start: number, end: number): number {
  let i = start;
  const negative = xml[i] === 0x2d;
  if (negative) i++;
  let digits = 0;
  let mantissa = 0;
  let fraction = 0;
  let seenPoint = false;
  for (; i < end; i++) {
    const b = xml[i]!;
    const d = b - 0x30;
    if (d >= 0 && d <= 9) {
      mantissa = mantissa * 10 + d;
      digits++;
      if (seenPoint) fraction++;
    } else if (b === 0x2e && !seenPoint) {
      seenPoint = true;
    } else {
      break;
    }
  }
  if (i !== end || digits === 0 || digits > 15) return Number(xml.toString('latin1', start, end).trim() || 'x');
  const value = fraction === 0 ? mantissa : mantissa / POWERS_OF_TEN[fraction]!;
  return negative ? -value : value;
}

// ---- Text --------------------------------------------------------------------------------------

const ENTITY = /&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g;
const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** OOXML's escape for characters XML cannot hold (_x000D_ for a carriage return); _x005F_ escapes the underscore. */
const OOXML_ESCAPE = /_x([0-9a-fA-F]{4})_/g;

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (whole, decimal: string | undefined, hex: string | undefined, named: string | undefined) => {
    if (named) return NAMED_ENTITIES[named]!;
    const code = decimal ? Number.parseInt(decimal, 10) : Number.parseInt(hex!, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** XML reads a line break written as CR LF or a lone CR as LF. */
function normaliseLineBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

function decodeText(raw: string): string {
  return decodeEntities(normaliseLineBreaks(raw));
}

function decodeOoxmlEscapes(text: string): string {
  return text.includes('_x') ? text.replace(OOXML_ESCAPE, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))) : text;
}

/**
 * The text of a string item (<si> or <is>) whose opening tag the cursor is on: its <t>, or its
 * runs' <t> joined. Phonetic runs (<rPh>, the furigana/pinyin guide) are not part of the text.
 */
function readStringItem(cursor: XmlCursor): string {
  cursor.endTag();
  if (cursor.selfClosing) return '';
  let out = '';
  while (cursor.nextTag()) {
    if (cursor.closing) {
      if (cursor.is('si') || cursor.is('is')) break;
      continue;
    }
    if (cursor.is('t')) {
      cursor.endTag();
      if (!cursor.selfClosing) out += cursor.text();
    } else if (cursor.is('rPh')) {
      cursor.endTag();
      cursor.skipElement();
    } else {
      cursor.endTag();
    }
  }
  return decodeOoxmlEscapes(out);
}

// ---- The small parts ----------------------------------------------------------------------------

type ListedSheet = { name: string; visible: boolean; relationshipId: string };

function readWorkbookPart(xml: Buffer): { sheets: ListedSheet[]; date1904: boolean } {
  const cursor = new XmlCursor(xml);
  const sheets: ListedSheet[] = [];
  let date1904 = false;
  while (cursor.nextTag()) {
    if (cursor.closing) continue;
    if (cursor.is('sheet')) {
      const attributes = cursor.attributes();
      const state = attributes.get('state');
      // r:id, whatever prefix the relationships namespace was given.
      const id = [...attributes].find(([name]) => name.endsWith(':id'))?.[1] ?? '';
      sheets.push({ name: attributes.get('name') ?? '', visible: !state || state === 'visible', relationshipId: id });
    } else if (cursor.is('workbookPr')) {
      const value = cursor.attributes().get('date1904');
      date1904 = value === '1' || value === 'true';
    } else {
      cursor.endTag();
    }
  }
  return { sheets, date1904 };
}

type Relationship = { id: string; type: string; target: string };

/** The workbook's relationships, targets resolved to zip entry names (relative to xl/ or absolute). */
function readRelationships(xml: Buffer): Relationship[] {
  const cursor = new XmlCursor(xml);
  const out: Relationship[] = [];
  while (cursor.nextTag()) {
    if (cursor.closing) continue;
    if (!cursor.is('Relationship')) {
      cursor.endTag();
      continue;
    }
    const attributes = cursor.attributes();
    if (attributes.get('TargetMode') === 'External') continue;
    const target = attributes.get('Target') ?? '';
    out.push({
      id: attributes.get('Id') ?? '',
      type: attributes.get('Type') ?? '',
      target: target.startsWith('/') ? target.slice(1) : path.posix.join('xl', target),
    });
  }
  return out;
}

function readSharedStrings(xml: Buffer): string[] {
  const cursor = new XmlCursor(xml);
  const strings: string[] = [];
  while (cursor.nextTag()) {
    if (cursor.closing) continue;
    if (!cursor.is('si')) {
      cursor.endTag();
      continue;
    }
    // Most items are exactly <si><t>text</t></si>: read those without stepping from tag to tag.
    const end = plainStringEnd(xml, cursor.pos);
    if (end >= 0) {
      strings.push(decodeOoxmlEscapes(decodeText(xml.toString('utf8', cursor.pos + 4, end))));
      cursor.pos = end + 9;
    } else {
      strings.push(readStringItem(cursor));
    }
  }
  return strings;
}

const T = 0x74;
const S = 0x73;
const I = 0x69;

/** Where the text ends when a string item's content after `<si` at `at` is exactly ><t>text</t></si>; -1 otherwise. */
function plainStringEnd(xml: Buffer, at: number): number {
  if (xml[at] !== GT || xml[at + 1] !== LT || xml[at + 2] !== T || xml[at + 3] !== GT) return -1;
  const end = nextLessThan(xml, at + 4);
  if (end < 0) return -1;
  const closes = xml[end + 1] === SLASH && xml[end + 2] === T && xml[end + 3] === GT && xml[end + 4] === LT && xml[end + 5] === SLASH && xml[end + 6] === S && xml[end + 7] === I && xml[end + 8] === GT;
  return closes ? end : -1;
}

/**
 * For each cell style (the s of a cell), whether its number format shows a date. Only <numFmts>
 * and <cellXfs> count: <dxfs> (conditional formats) and <cellStyleXfs> hold look-alikes.
 */
function readDateStyles(xml: Buffer): boolean[] {
  const cursor = new XmlCursor(xml);
  const customFormats = new Map<number, string>();
  const styles: boolean[] = [];
  let inNumFmts = false;
  let inCellXfs = false;
  const formatIsDate = (id: number) => {
    const custom = customFormats.get(id);
    return custom !== undefined ? isDateFormat(custom) : BUILT_IN_DATE_FORMATS.has(id);
  };
  while (cursor.nextTag()) {
    if (cursor.closing) {
      if (cursor.is('cellXfs')) inCellXfs = false;
      if (cursor.is('numFmts')) inNumFmts = false;
      continue;
    }
    if (cursor.is('numFmts')) {
      cursor.endTag();
      inNumFmts = !cursor.selfClosing;
    } else if (inNumFmts && cursor.is('numFmt')) {
      const attributes = cursor.attributes();
      customFormats.set(Number(attributes.get('numFmtId')), attributes.get('formatCode') ?? '');
    } else if (cursor.is('cellXfs')) {
      cursor.endTag();
      inCellXfs = !cursor.selfClosing;
    } else if (inCellXfs && cursor.is('xf')) {
      styles.push(formatIsDate(Number(cursor.attributes().get('numFmtId') ?? 0)));
    } else {
      cursor.endTag();
    }
  }
  return styles;
}

// ---- Worksheets ---------------------------------------------------------------------------------

type SheetContext = { strings: string[]; dateStyles: boolean[]; date1904: boolean };

/** Cell types (the t attribute), by the bytes that name them. */
const enum CellType {
  Number,
  SharedString,
  InlineString,
  FormulaString,
  Boolean,
  Error,
  Date,
}

function cellTypeAt(xml: Buffer, start: number, end: number): CellType {
  const length = end - start;
  const first = xml[start];
  if (length === 1) {
    if (first === 0x73) return CellType.SharedString; // s
    if (first === 0x62) return CellType.Boolean; // b
    if (first === 0x65) return CellType.Error; // e
    if (first === 0x64) return CellType.Date; // d
    return CellType.Number;
  }
  if (length === 3 && first === 0x73) return CellType.FormulaString; // str
  if (length === 9 && first === 0x69) return CellType.InlineString; // inlineStr
  return CellType.Number;
}

/** A cell reference's column (B12 → 2); 0 when it names none. The row is its <row>'s. */
function columnAt(xml: Buffer, start: number, end: number): number {
  let column = 0;
  for (let i = start; i < end; i++) {
    const b = xml[i]! | 0x20; // lower case
    if (b < 0x61 || b > 0x7a) break;
    column = column * 26 + (b - 0x60);
  }
  return column;
}

/** The rows of a worksheet, scanned from its bytes one row at a time. */
function* readSheetRows(xml: Buffer, context: SheetContext): Generator<SheetRow> {
  const cursor = new XmlCursor(xml);
  // Everything before <sheetData> (views, column widths) is passed over.
  let found = false;
  while (cursor.nextTag()) {
    if (cursor.closing) continue;
    cursor.endTag();
    if (cursor.is('sheetData')) {
      found = true;
      break;
    }
  }
  if (!found || cursor.selfClosing) return;
  let rowNumber = 0;
  while (cursor.nextTag()) {
    if (cursor.closing) {
      if (cursor.is('sheetData')) return;
      continue;
    }
    if (!cursor.is('row')) {
      cursor.endTag();
      cursor.skipElement();
      continue;
    }
    let numbered = -1;
    while (cursor.nextAttribute()) if (cursor.attributeIs('r')) numbered = cursor.attributeNumber();
    rowNumber = numbered > 0 ? numbered : rowNumber + 1;
    if (cursor.selfClosing) continue;
    const row: SheetRow = { row: rowNumber, columns: [], values: [], errors: [] };
    readRowCells(cursor, context, row);
    if (row.columns.length > 0) yield row;
  }
}

const V = 0x76;
const C = 0x63;

/** Where the value ends when a cell's content at `at` is exactly <v>text</v></c>; -1 otherwise. */
function plainValueEnd(xml: Buffer, at: number): number {
  if (xml[at] !== LT || xml[at + 1] !== V || xml[at + 2] !== GT) return -1;
  const end = nextLessThan(xml, at + 3);
  if (end < 0) return -1;
  const closes = xml[end + 1] === SLASH && xml[end + 2] === V && xml[end + 3] === GT && xml[end + 4] === LT && xml[end + 5] === SLASH && xml[end + 6] === C && xml[end + 7] === GT;
  return closes ? end : -1;
}

/** The cells of the row whose opening tag the cursor has just passed, up to its closing tag. */
function readRowCells(cursor: XmlCursor, context: SheetContext, row: SheetRow): void {
  const xml = cursor.xml;
  let column = 0;
  while (cursor.nextTag()) {
    if (cursor.closing) {
      if (cursor.is('row')) break;
      continue;
    }
    if (!cursor.is('c')) {
      cursor.endTag();
      cursor.skipElement();
      continue;
    }
    let referenced = 0;
    let type = CellType.Number;
    let style = 0;
    while (cursor.nextAttribute()) {
      if (cursor.attributeNameEnd - cursor.attributeNameStart !== 1) continue;
      const name = xml[cursor.attributeNameStart];
      if (name === 0x72) referenced = columnAt(xml, cursor.valueStart, cursor.valueEnd); // r
      else if (name === 0x74) type = cellTypeAt(xml, cursor.valueStart, cursor.valueEnd); // t
      else if (name === 0x73) style = Math.max(cursor.attributeNumber(), 0); // s
    }
    column = referenced > 0 ? referenced : column + 1;
    if (cursor.selfClosing) continue;

    // Most cells are exactly <v>…</v></c>: read those without stepping from tag to tag.
    const plainEnd = plainValueEnd(xml, cursor.pos);
    if (plainEnd >= 0) {
      const valueStart = cursor.pos + 3;
      cursor.pos = plainEnd + 8;
      // The two kinds that make up nearly every big sheet, a plain number and a shared string, inline.
      if (type === CellType.Number && !context.dateStyles[style] && plainEnd > valueStart) {
        const value = numberAt(xml, valueStart, plainEnd);
        if (Number.isFinite(value)) {
          put(row, column, value, null);
          continue;
        }
      } else if (type === CellType.SharedString) {
        const value = context.strings[digitsAt(xml, valueStart, plainEnd)];
        if (value !== undefined) {
          put(row, column, value, null);
          continue;
        }
      }
      addCell(row, xml, column, type, style, false, valueStart, plainEnd, null, null, context);
      continue;
    }

    // The cell's content: <v> (raw bytes, or decoded text when it holds CDATA), <f>, <is>.
    let valueStart = -1;
    let valueEnd = -1;
    let valueText: string | null = null;
    let inline: string | null = null;
    let formula = false;
    while (cursor.nextTag()) {
      if (cursor.closing) {
        if (cursor.is('c')) break;
        continue;
      }
      if (cursor.is('v')) {
        cursor.endTag();
        if (cursor.selfClosing) {
          valueStart = valueEnd = cursor.pos;
          continue;
        }
        const end = cursor.plainTextEnd();
        if (end >= 0) {
          valueStart = cursor.pos;
          valueEnd = end;
          cursor.pos = end;
        } else {
          valueText = cursor.text();
        }
      } else if (cursor.is('f')) {
        formula = true;
        cursor.endTag();
      } else if (cursor.is('is')) {
        inline = readStringItem(cursor);
      } else {
        cursor.endTag();
        cursor.skipElement();
      }
    }
    addCell(row, xml, column, type, style, formula, valueStart, valueEnd, valueText, inline, context);
  }
}

/** A value's text: decoded from its bytes, unless it was read already (CDATA). */
function textOf(xml: Buffer, start: number, end: number, text: string | null): string {
  return text ?? decodeText(xml.toString('utf8', start, end));
}

function put(row: SheetRow, column: number, value: CellValue, error: string | null): void {
  row.columns.push(column);
  row.values.push(value);
  row.errors.push(error);
}

/** Adds a cell's value, from its type, style and content, to its row; nothing for a cell that holds nothing. */
function addCell(row: SheetRow, xml: Buffer, column: number, type: CellType, style: number, formula: boolean, valueStart: number, valueEnd: number, valueText: string | null, inline: string | null, context: SheetContext): void {
  if (type === CellType.InlineString && inline !== null) return put(row, column, inline, null);
  const hasValue = valueText !== null ? valueText !== '' : valueEnd > valueStart;
  if (!hasValue) {
    if (formula) put(row, column, null, CELL_ERRORS.noCachedResult);
    return;
  }
  switch (type) {
    case CellType.SharedString: {
      const digits = valueText === null ? digitsAt(xml, valueStart, valueEnd) : -1;
      const index = digits >= 0 ? digits : Number(textOf(xml, valueStart, valueEnd, valueText).trim() || 'x');
      const value = context.strings[index];
      return value === undefined ? put(row, column, null, CELL_ERRORS.missingSharedString) : put(row, column, value, null);
    }
    case CellType.InlineString:
    case CellType.FormulaString:
      return put(row, column, decodeOoxmlEscapes(textOf(xml, valueStart, valueEnd, valueText)), null);
    case CellType.Boolean: {
      const value = textOf(xml, valueStart, valueEnd, valueText).trim();
      return put(row, column, value === '1' || value === 'true', null);
    }
    case CellType.Error: {
      const code = textOf(xml, valueStart, valueEnd, valueText).trim();
      return put(row, column, null, formula ? CELL_ERRORS.formulaError(code) : CELL_ERRORS.errorValue(code));
    }
    case CellType.Date: {
      const iso = textOf(xml, valueStart, valueEnd, valueText).trim();
      // An ISO date without a zone is a calendar date, as Excel's serial dates are: read as UTC.
      const date = new Date(/T.*(Z|[+-]\d\d:?\d\d)$/.test(iso) || !iso.includes('T') ? iso : `${iso}Z`);
      return Number.isNaN(date.getTime()) ? put(row, column, null, CELL_ERRORS.badDate) : put(row, column, date, null);
    }
    default: {
      const value = valueText !== null ? Number(valueText.trim() || 'x') : numberAt(xml, valueStart, valueEnd);
      if (!Number.isFinite(value)) return put(row, column, null, CELL_ERRORS.badNumber);
      return put(row, column, context.dateStyles[style] === true ? excelDate(value, context.date1904) : value, null);
    }
  }
}
