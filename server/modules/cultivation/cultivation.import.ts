import type { Kysely } from 'kysely';
import { ANNUAL_FIELDS, QUALIFICATION_KIND_LABELS, RECOGNITION_LABELS } from '#common/contracts/cultivation.ts';
import type { AnnualFieldKey, AnnualFigures, CultivationImportResult, QualificationKind, QualificationLevel, Recognition } from '#common/contracts/cultivation.ts';
import type { ImportProblem } from '#common/contracts/enterprises.ts';
import { toHalfWidth } from '#common/quantity.ts';
import type { Database, QualificationsTable } from '#server/db/schema.ts';
import type { Deps } from '#server/platform/deps.ts';
import { AppError } from '#server/platform/errors.ts';
import { writeXlsx } from '#server/platform/excel.ts';
import { newId, nowIso } from '#server/platform/ids.ts';
import { isInScope } from '#server/platform/scope.ts';
import type { UploadedFile } from '#server/platform/upload.ts';
import { readXlsxTable } from '#server/platform/xlsx-reader.ts';
import type { SheetCell, SheetTable, TableContract } from '#server/platform/xlsx-reader.ts';
import {
  AWARDS_FORMAT,
  checkHeaderUnit,
  figuresToColumns,
  parseAwardsCell,
  parseCountCell,
  parseFlagCell,
  parseLevelCell,
  parseMoneyCell,
  parsePercentCell,
  parseRdLevelCell,
  parseStandardsCell,
  rowToFigures,
  STANDARDS_FORMAT,
} from '#server/modules/cultivation/cultivation.annual.ts';
import type { CellParse } from '#server/modules/cultivation/cultivation.annual.ts';
import { findAnnualRows, findEnterprisesByUscc, findQualificationByKey, insertAnnualRow, insertQualificationRow, updateAnnualRow, updateQualificationRow } from '#server/modules/cultivation/cultivation.repo.ts';
import type { EnterpriseFacts } from '#server/modules/cultivation/cultivation.repo.ts';
import { changedAnnualFields, defaultExpiry, emptyAnnualRow } from '#server/modules/cultivation/cultivation.service.ts';
import type { CultivationContext } from '#server/modules/cultivation/cultivation.service.ts';

/*
 * Imports of annual data (年度数据) and of qualifications (资质), the same way as the enterprise
 * roster: validate the whole file, then — only when nothing is wrong — write everything in one
 * transaction (the analysis runs again inside it), with a summary audit record and one record
 * per changed row. Rows are matched by 统一社会信用代码 (+ 年度, or + 资质类型 + 认定日期).
 * An absent column or an empty cell is "unknown": it never becomes 0 and never overwrites a
 * stored figure. Money columns must name their unit (元/千元/万元/亿元), which is honoured exactly.
 */

type Handle = Kysely<Database>;
const PREVIEW_LIMIT = 500;

type Problem = { row: number | null; column: string | null; cell: string | null; message: string };

function result(file: UploadedFile, table: SheetTable<string>, errors: Problem[], warnings: Problem[], changes: CultivationImportResult['changes'], columns: string[], committed: boolean, dryRun: boolean): CultivationImportResult {
  const count = (action: string) => changes.filter((c) => c.action === action).length;
  void dryRun;
  return {
    fileName: file.fileName,
    sheet: table.sheet,
    rows: table.rows.length,
    creates: count('create'),
    updates: count('update'),
    unchanged: count('unchanged'),
    errorCount: errors.length,
    warningCount: warnings.length,
    errors: errors.slice(0, PREVIEW_LIMIT) as ImportProblem[],
    warnings: warnings.slice(0, PREVIEW_LIMIT) as ImportProblem[],
    columns,
    ignoredColumns: table.unknownHeaders.map((h) => h.header),
    skippedRows: table.skipped,
    changes: changes.slice(0, 2000),
    committed,
  };
}

function refuse(message: string, r: CultivationImportResult): never {
  throw new AppError('VALIDATION', message, r);
}

const cellProblem = (row: number, column: string, cell: SheetCell | undefined, message: string): Problem => ({ row, column, cell: cell?.address ?? null, message });

function parseUsccCell(cell: SheetCell | undefined): string | null {
  // The code as the registry stores it (validateUscc's normal form); matching needs no checks.
  const text = toHalfWidth(cell?.text ?? '').replace(/\s+/g, '').toUpperCase();
  return text === '' ? null : text;
}

/** Finds each row's enterprise and checks the caller may write it. */
async function resolveEnterprises(db: Handle, ctx: CultivationContext, table: SheetTable<string>, errors: Problem[]): Promise<Map<number, EnterpriseFacts>> {
  const usccs = new Map<number, string>();
  for (const row of table.rows) {
    const cell = row.cells.uscc;
    const uscc = parseUsccCell(cell);
    if (!uscc) errors.push(cellProblem(row.row, '统一社会信用代码', cell, '请填写统一社会信用代码'));
    else usccs.set(row.row, uscc);
  }
  const found = await findEnterprisesByUscc(db, [...new Set(usccs.values())]);
  const out = new Map<number, EnterpriseFacts>();
  for (const row of table.rows) {
    const uscc = usccs.get(row.row);
    if (!uscc) continue;
    const enterprise = found.get(uscc);
    const cell = row.cells.uscc;
    if (!enterprise || !isInScope(ctx.scope, { townId: enterprise.town_id, enterpriseId: enterprise.id })) {
      errors.push(cellProblem(row.row, '统一社会信用代码', cell, enterprise ? `企业 ${enterprise.name} 不在您的数据范围内，不能导入其数据` : `企业名录中没有统一社会信用代码为 ${uscc} 的企业，请先在企业档案中登记`));
      continue;
    }
    out.set(row.row, enterprise);
  }
  return out;
}

// ---- Annual data ----------------------------------------------------------------------------------

type AnnualKey = 'uscc' | 'name' | 'year' | AnnualFieldKey;

const ROMAN_ALIASES = (header: string) => (header.includes('Ⅰ') ? [header.replaceAll('Ⅰ', 'I'), header.replaceAll('Ⅰ', '一')] : header.includes('Ⅱ') ? [header.replaceAll('Ⅱ', 'II'), header.replaceAll('Ⅱ', '二')] : []);

export const ANNUAL_TABLE: TableContract<AnnualKey> = {
  what: '企业年度数据',
  columns: [
    { key: 'uscc', header: '统一社会信用代码', required: true, aliases: ['社会信用代码', '信用代码'] },
    { key: 'name', header: '企业名称', aliases: ['单位名称'] },
    { key: 'year', header: '年度', required: true, aliases: ['年份', '数据年度'] },
    ...ANNUAL_FIELDS.map((f) => ({ key: f.key, header: f.header, aliases: ROMAN_ALIASES(f.header) })),
  ],
};

function parseYear(cell: SheetCell | undefined): CellParse<number> {
  const text = toHalfWidth(cell?.text ?? '').replace(/\s+/g, '').replace(/年(度)?$/, '');
  if (text === '') return { ok: false, message: '请填写年度，如 2021' };
  if (!/^\d{4}$/.test(text) || Number(text) < 2000 || Number(text) > 2100) return { ok: false, message: `年度「${cell?.text}」不对，请填写如 2021` };
  return { ok: true, value: Number(text) };
}

function parseField(key: AnnualFieldKey, cell: SheetCell, unit: ReturnType<typeof checkHeaderUnit>): CellParse<unknown> {
  const field = ANNUAL_FIELDS.find((f) => f.key === key)!;
  const raw = cell.value;
  switch (field.kind) {
    case 'money':
      return unit.ok && unit.money ? parseMoneyCell(raw, unit.money) : { ok: false, message: '该列单位有误' };
    case 'count':
      return parseCountCell(raw, field.unit);
    case 'percent':
      return parsePercentCell(raw);
    case 'rdLevel':
      return parseRdLevelCell(raw);
    case 'level':
      return parseLevelCell(raw);
    case 'flag':
      return parseFlagCell(raw);
    case 'awards':
      return parseAwardsCell(cell.text);
    case 'standards':
      return parseStandardsCell(cell.text);
  }
}

type AnnualPlan = { row: number; enterprise: EnterpriseFacts; year: number; figures: Partial<AnnualFigures>; existingId: string | null; fields: string[] };

async function analyseAnnual(db: Handle, ctx: CultivationContext, table: SheetTable<AnnualKey>) {
  const errors: Problem[] = [];
  const warnings: Problem[] = table.notes.map((message) => ({ row: null, column: null, cell: null, message }));
  const fieldColumns = table.columns.filter((c) => c.key !== 'uscc' && c.key !== 'name' && c.key !== 'year');
  const units = new Map<AnnualFieldKey, ReturnType<typeof checkHeaderUnit>>();
  const recognised: string[] = [];
  for (const column of fieldColumns) {
    const key = column.key as AnnualFieldKey;
    const check = checkHeaderUnit(key, column.unit);
    units.set(key, check);
    const header = ANNUAL_FIELDS.find((f) => f.key === key)!.header;
    if (!check.ok) errors.push({ row: null, column: column.header, cell: `${column.letter}${Math.max(...table.headerRows)}`, message: check.message });
    else {
      if (check.note) warnings.push({ row: null, column: column.header, cell: null, message: check.note });
      recognised.push(column.unit ? `${header}（${column.unit}）` : header);
    }
  }
  if (fieldColumns.length === 0) errors.push({ row: null, column: null, cell: null, message: '表中没有任何年度数据列（如 营业收入（万元）、研发费用（万元）），请按模板填写' });

  const enterprises = await resolveEnterprises(db, ctx, table, errors);
  const parsed: { row: number; enterprise: EnterpriseFacts; year: number; figures: Partial<AnnualFigures> }[] = [];
  const firstRow = new Map<string, number>();
  for (const row of table.rows) {
    const before = errors.length;
    for (const column of table.columns) {
      const cell = row.cells[column.key];
      if (cell?.error) errors.push(cellProblem(row.row, column.header, cell, cell.error));
    }
    const year = parseYear(row.cells.year);
    if (!year.ok) errors.push(cellProblem(row.row, '年度', row.cells.year, year.message));
    const enterprise = enterprises.get(row.row);
    const nameCell = row.cells.name;
    if (enterprise && nameCell && nameCell.text !== '' && nameCell.text.replace(/\s+/g, '') !== enterprise.name.replace(/\s+/g, '')) {
      warnings.push(cellProblem(row.row, '企业名称', nameCell, `企业名称与名录不一致（名录为 ${enterprise.name}），按统一社会信用代码导入`));
    }
    if (enterprise && year.ok) {
      const key = `${enterprise.id}|${year.value}`;
      const first = firstRow.get(key);
      if (first !== undefined) errors.push(cellProblem(row.row, '年度', row.cells.year, `与第 ${first} 行是同一企业同一年度，每个企业每年只能有一行`));
      else firstRow.set(key, row.row);
    }
    const figures: Record<string, unknown> = {};
    for (const column of fieldColumns) {
      const key = column.key as AnnualFieldKey;
      const cell = row.cells[key];
      if (!cell || cell.error || cell.text === '') continue; // empty: unknown, leaves a stored figure alone
      const unit = units.get(key)!;
      if (!unit.ok) continue;
      const value = parseField(key, cell, unit);
      if (!value.ok) errors.push(cellProblem(row.row, column.header, cell, value.message));
      else {
        figures[key] = value.value;
        if (value.warning) warnings.push(cellProblem(row.row, column.header, cell, value.warning));
      }
    }
    if (errors.length === before && enterprise && year.ok) parsed.push({ row: row.row, enterprise, year: year.value, figures: figures as Partial<AnnualFigures> });
  }

  const existing = await findAnnualRows(db, parsed.map((p) => ({ enterpriseId: p.enterprise.id, year: p.year })));
  const plans: AnnualPlan[] = parsed.map((p) => {
    const stored = existing.get(`${p.enterprise.id}|${p.year}`);
    return { ...p, existingId: stored?.id ?? null, fields: changedAnnualFields(stored ? rowToFigures(stored) : null, p.figures) };
  });
  const changes = plans.map((p) => ({
    row: p.row,
    uscc: p.enterprise.uscc,
    name: p.enterprise.name,
    key: `${p.year}年`,
    action: (p.existingId === null ? 'create' : p.fields.length ? 'update' : 'unchanged') as 'create' | 'update' | 'unchanged',
    fields: p.fields,
  }));
  return { errors, warnings, plans, changes, recognised };
}

/**
 * 导入年度数据 (web upload, API and `kejing import annual FILE`): a dry run answers the preview;
 * a commit writes every row or, when anything is wrong, nothing (VALIDATION with the preview).
 */
export async function importAnnualData(deps: Deps, ctx: CultivationContext, file: UploadedFile, options: { dryRun: boolean }): Promise<CultivationImportResult> {
  const table = await readXlsxTable(file.buffer, ANNUAL_TABLE);
  const first = await analyseAnnual(deps.db, ctx, table);
  if (options.dryRun || first.errors.length) {
    const r = result(file, table, first.errors, first.warnings, first.changes, first.recognised, false, options.dryRun);
    if (!options.dryRun) refuse(`文件中有 ${first.errors.length} 处错误，未导入任何数据，请改正后重新上传`, r);
    return r;
  }
  return deps.db.transaction().execute(async (trx) => {
    const a = await analyseAnnual(trx, ctx, table);
    if (a.errors.length) refuse(`文件中有 ${a.errors.length} 处错误，未导入任何数据，请改正后重新上传`, result(file, table, a.errors, a.warnings, a.changes, a.recognised, false, false));
    const now = nowIso(deps.now());
    const importId = newId();
    for (const plan of a.plans) {
      if (plan.existingId !== null && plan.fields.length === 0) continue;
      const { set } = figuresToColumns(plan.figures);
      let id = plan.existingId;
      if (id === null) {
        id = newId();
        await insertAnnualRow(trx, { ...emptyAnnualRow(id, plan.enterprise.id, plan.year, 'import', now), ...set });
      } else {
        await updateAnnualRow(trx, id, { ...set, source: 'import', updated_at: now });
      }
      await deps.audit.append(trx, ctx.actor, {
        action: plan.existingId === null ? 'cultivation.annual.create' : 'cultivation.annual.update',
        entityType: 'enterprise_annual_data',
        entityId: id,
        after: { importId, row: plan.row, enterpriseId: plan.enterprise.id, enterprise: plan.enterprise.name, year: plan.year, fields: plan.fields, values: plan.figures },
      });
    }
    const r = result(file, table, [], a.warnings, a.changes, a.recognised, true, false);
    await deps.audit.append(trx, ctx.actor, {
      action: 'cultivation.annual.import',
      entityType: 'import',
      entityId: importId,
      after: { fileName: file.fileName, sheet: table.sheet, rows: r.rows, creates: r.creates, updates: r.updates, unchanged: r.unchanged, columns: r.columns },
    });
    return r;
  });
}

/** The annual template: the key columns, every field with its unit, and a sheet of instructions. */
export async function annualTemplate(): Promise<Buffer> {
  const headers = ['统一社会信用代码', '企业名称', '年度', ...ANNUAL_FIELDS.map((f) => (f.unit !== null && f.kind !== 'level' ? `${f.header}（${f.unit}）` : f.header))];
  const help = [
    ['统一社会信用代码 / 年度', '必填。按代码和年度匹配，已有的年度数据只更新填写了的单元格'],
    ['企业名称', '选填，仅用于核对'],
    ['金额列', '表头括号内写单位：元、千元、万元 或 亿元，按表头单位精确换算；空白表示未知（不是 0）'],
    ['人数、件数、年限', '非负整数'],
    ['细分市场占有率（%）', '百分数，如 12.5'],
    ['研发机构级别', '国家、省、市、县区 或 无'],
    ['数字化水平等级', '1–9 的整数，如 3 或 三级'],
    ['质量管理体系认证 / 自有品牌 / 主导产品属战略性新兴产业', '是 / 否'],
    ['获奖情况', AWARDS_FORMAT],
    ['制定标准', STANDARDS_FORMAT],
    ['Ⅰ类 / Ⅱ类', '表头中的 Ⅰ、Ⅱ 也可写作 I、II'],
  ];
  return writeXlsx<unknown>([
    { name: '年度数据', columns: headers.map((header) => ({ header, value: () => null })), rows: [] },
    {
      name: '填写说明',
      columns: [
        { header: '列', width: 40, value: (r) => (r as string[])[0] },
        { header: '填写要求', width: 100, value: (r) => (r as string[])[1] },
      ],
      rows: help,
    },
  ]);
}

// ---- Qualifications -----------------------------------------------------------------------------

type QualificationKey = 'uscc' | 'name' | 'kind' | 'level' | 'recognition' | 'number' | 'grantedOn' | 'expiresOn' | 'note';

export const QUALIFICATION_TABLE: TableContract<QualificationKey> = {
  what: '企业资质',
  columns: [
    { key: 'uscc', header: '统一社会信用代码', required: true, aliases: ['社会信用代码', '信用代码'] },
    { key: 'name', header: '企业名称', aliases: ['单位名称'] },
    { key: 'kind', header: '资质类型', required: true, aliases: ['资质', '类型', '称号'] },
    { key: 'level', header: '级别', aliases: ['资质级别'] },
    { key: 'recognition', header: '认定类型', aliases: ['首次或重新认定'] },
    { key: 'number', header: '证书编号', aliases: ['编号', '入库登记编号', '登记编号'] },
    { key: 'grantedOn', header: '认定日期', required: true, aliases: ['发证日期', '认定时间', '入库日期'] },
    { key: 'expiresOn', header: '有效期至', aliases: ['到期日期', '有效期截止'] },
    { key: 'note', header: '备注' },
  ],
};

const KIND_WORDS: [string, QualificationKind, QualificationLevel | null][] = [
  ['科技型中小企业', 'tech_sme', null],
  ['高新技术企业', 'high_tech', null],
  ['高企', 'high_tech', null],
  ['创新型中小企业', 'innovative_sme', null],
  ['专精特新中小企业', 'specialized_sme', 'provincial'],
  ['专精特新', 'specialized_sme', 'provincial'],
  ['专精特新"小巨人"企业', 'little_giant', 'national'],
  ['专精特新小巨人', 'little_giant', 'national'],
  ['小巨人', 'little_giant', 'national'],
  ['制造业单项冠军', 'champion', null],
  ['单项冠军', 'champion', null],
  ['隐形冠军', 'champion', 'provincial'],
  ['上市后备"金种子"企业', 'seed_gold', null],
  ['金种子', 'seed_gold', null],
  ['上市后备"银种子"企业', 'seed_silver', null],
  ['银种子', 'seed_silver', null],
  ['龙头企业培育库', 'leading', null],
  ['龙头企业', 'leading', null],
  ['困难企业', 'troubled', null],
];
const plain = (text: string) => toHalfWidth(text).replace(/[\s"“”「」（）()]/g, '');
const LEVEL_WORDS: Record<string, QualificationLevel> = { 国家级: 'national', 国家: 'national', 省级: 'provincial', 省: 'provincial', 市级: 'municipal', 市: 'municipal', 区级: 'district', 区: 'district', 县区级: 'district' };
const RECOGNITION_WORDS: Record<string, Recognition> = { 首次认定: 'first', 首次: 'first', 重新认定: 'renewal', 重新: 'renewal', 复审: 'renewal' };

function parseKind(text: string): { kind: QualificationKind; level: QualificationLevel | null } | null {
  const t = plain(text);
  const hit = KIND_WORDS.find(([word]) => plain(word) === t) ?? KIND_WORDS.find(([word]) => t.endsWith(plain(word)));
  return hit ? { kind: hit[1], level: hit[2] } : null;
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** A date cell: a real date, an Excel serial, or 2022-06-30 / 2022/6/30 / 2022.6.30 / 2022年6月30日 / 20220630. */
export function parseDateCell(cell: SheetCell): CellParse<string> {
  const raw = cell.value;
  let y: number;
  let m: number;
  let d: number;
  if (raw instanceof Date) [y, m, d] = [raw.getUTCFullYear(), raw.getUTCMonth() + 1, raw.getUTCDate()];
  else if (typeof raw === 'number' && Number.isInteger(raw) && raw > 0 && raw < 80_000) {
    const date = new Date(EXCEL_EPOCH_MS + raw * 86_400_000);
    [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  } else {
    const text = toHalfWidth(cell.text).replace(/\s+/g, '');
    const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
    if (!match) return { ok: false, message: `「${cell.text}」无法识别为日期，请填写如 2022-06-30` };
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || y < 1990 || y > 2100) return { ok: false, message: `「${cell.text}」不是有效的日期，请核对` };
  return { ok: true, value: date.toISOString().slice(0, 10) };
}

type QualificationPlan = { row: number; enterprise: EnterpriseFacts; values: Omit<QualificationsTable, 'id' | 'enterprise_id' | 'revoked_on' | 'revoke_reason' | 'created_at' | 'updated_at'>; existing: QualificationsTable | null; fields: string[] };

const QUALIFICATION_FIELD_LABELS: Record<string, string> = { level: '级别', recognition: '认定类型', number: '证书编号', expires_on: '有效期至', note: '备注' };

async function analyseQualifications(db: Handle, ctx: CultivationContext, table: SheetTable<QualificationKey>) {
  const errors: Problem[] = [];
  const warnings: Problem[] = table.notes.map((message) => ({ row: null, column: null, cell: null, message }));
  const enterprises = await resolveEnterprises(db, ctx, table, errors);
  const plans: QualificationPlan[] = [];
  const firstRow = new Map<string, number>();
  for (const row of table.rows) {
    const before = errors.length;
    const c = row.cells;
    const text = (key: QualificationKey) => (c[key]?.error ? '' : (c[key]?.text ?? '').trim());
    for (const column of table.columns) if (c[column.key]?.error) errors.push(cellProblem(row.row, column.header, c[column.key], c[column.key]!.error!));
    const kind = text('kind') === '' ? null : parseKind(text('kind'));
    if (!kind) errors.push(cellProblem(row.row, '资质类型', c.kind, text('kind') === '' ? '请填写资质类型' : `资质类型「${text('kind')}」无法识别，可填：${Object.values(QUALIFICATION_KIND_LABELS).join('、')}`));
    const levelText = plain(text('level'));
    const level = levelText === '' ? (kind?.level ?? null) : (LEVEL_WORDS[levelText] ?? undefined);
    if (level === undefined) errors.push(cellProblem(row.row, '级别', c.level, `级别「${text('level')}」无法识别，请填 国家级、省级、市级 或 区级`));
    if (kind?.kind === 'champion' && !level) errors.push(cellProblem(row.row, '级别', c.level, '单项冠军请填写级别（国家级 / 省级）'));
    const recognitionText = plain(text('recognition'));
    const recognition = recognitionText === '' ? null : (RECOGNITION_WORDS[recognitionText] ?? undefined);
    if (recognition === undefined) errors.push(cellProblem(row.row, '认定类型', c.recognition, `认定类型「${text('recognition')}」无法识别，请填 首次认定 或 重新认定`));
    if (kind?.kind === 'high_tech' && recognition === null) errors.push(cellProblem(row.row, '认定类型', c.recognition, '高新技术企业请填写认定类型：首次认定 或 重新认定'));
    if (kind && kind.kind !== 'high_tech' && recognition) warnings.push(cellProblem(row.row, '认定类型', c.recognition, '认定类型只适用于高新技术企业，已忽略'));
    const granted = c.grantedOn && text('grantedOn') !== '' ? parseDateCell(c.grantedOn) : ({ ok: false, message: '请填写认定日期' } as const);
    if (!granted.ok) errors.push(cellProblem(row.row, '认定日期', c.grantedOn, granted.message));
    const expires = c.expiresOn && text('expiresOn') !== '' ? parseDateCell(c.expiresOn) : null;
    if (expires && !expires.ok) errors.push(cellProblem(row.row, '有效期至', c.expiresOn, expires.message));
    if (expires?.ok && granted.ok && expires.value < granted.value) errors.push(cellProblem(row.row, '有效期至', c.expiresOn, '有效期至早于认定日期，请核对'));
    const number = text('number').slice(0, 60) || null;
    const note = text('note').slice(0, 500) || null;
    const enterprise = enterprises.get(row.row);
    if (errors.length > before || !enterprise || !kind || !granted.ok || level === undefined || recognition === undefined) continue;
    const key = `${enterprise.id}|${kind.kind}|${granted.value}`;
    const first = firstRow.get(key);
    if (first !== undefined) {
      errors.push(cellProblem(row.row, '认定日期', c.grantedOn, `与第 ${first} 行是同一企业同一资质同一认定日期`));
      continue;
    }
    firstRow.set(key, row.row);
    const values = {
      kind: kind.kind,
      level,
      recognition: kind.kind === 'high_tech' ? recognition : null,
      number,
      granted_on: granted.value,
      expires_on: expires?.ok ? expires.value : defaultExpiry(kind.kind, granted.value),
      note,
    };
    const existing = (await findQualificationByKey(db, enterprise.id, kind.kind, granted.value)) ?? null;
    const fields = existing
      ? (['level', 'recognition', 'number', 'expires_on', 'note'] as const).filter((f) => (c[f === 'expires_on' ? 'expiresOn' : f]?.text ?? '') !== '' && existing[f] !== values[f]).map((f) => QUALIFICATION_FIELD_LABELS[f]!)
      : [];
    plans.push({ row: row.row, enterprise, values, existing, fields });
  }
  const changes = plans.map((p) => ({
    row: p.row,
    uscc: p.enterprise.uscc,
    name: p.enterprise.name,
    key: `${QUALIFICATION_KIND_LABELS[p.values.kind as QualificationKind]} ${p.values.granted_on}${p.values.recognition ? ` ${RECOGNITION_LABELS[p.values.recognition as Recognition]}` : ''}`,
    action: (p.existing === null ? 'create' : p.fields.length ? 'update' : 'unchanged') as 'create' | 'update' | 'unchanged',
    fields: p.fields,
  }));
  return { errors, warnings, plans, changes };
}

/** 导入资质: like the annual import; rows match on 企业 + 资质类型 + 认定日期; empty optional cells keep stored values. */
export async function importQualifications(deps: Deps, ctx: CultivationContext, file: UploadedFile, options: { dryRun: boolean }): Promise<CultivationImportResult> {
  const table = await readXlsxTable(file.buffer, QUALIFICATION_TABLE);
  const recognised = table.columns.map((c) => QUALIFICATION_TABLE.columns.find((x) => x.key === c.key)!.header);
  const first = await analyseQualifications(deps.db, ctx, table);
  if (options.dryRun || first.errors.length) {
    const r = result(file, table, first.errors, first.warnings, first.changes, recognised, false, options.dryRun);
    if (!options.dryRun) refuse(`文件中有 ${first.errors.length} 处错误，未导入任何资质，请改正后重新上传`, r);
    return r;
  }
  return deps.db.transaction().execute(async (trx) => {
    const a = await analyseQualifications(trx, ctx, table);
    if (a.errors.length) refuse(`文件中有 ${a.errors.length} 处错误，未导入任何资质，请改正后重新上传`, result(file, table, a.errors, a.warnings, a.changes, recognised, false, false));
    const now = nowIso(deps.now());
    const importId = newId();
    for (const plan of a.plans) {
      if (plan.existing && plan.fields.length === 0) continue;
      if (plan.existing) {
        const set: Partial<QualificationsTable> = { updated_at: now };
        const cells = table.rows.find((r) => r.row === plan.row)!.cells;
        if ((cells.level?.text ?? '') !== '') set.level = plan.values.level;
        if ((cells.recognition?.text ?? '') !== '') set.recognition = plan.values.recognition;
        if ((cells.number?.text ?? '') !== '') set.number = plan.values.number;
        if ((cells.expiresOn?.text ?? '') !== '') set.expires_on = plan.values.expires_on;
        if ((cells.note?.text ?? '') !== '') set.note = plan.values.note;
        await updateQualificationRow(trx, plan.existing.id, set);
        await deps.audit.append(trx, ctx.actor, { action: 'cultivation.qualification.update', entityType: 'qualification', entityId: plan.existing.id, after: { importId, row: plan.row, enterprise: plan.enterprise.name, fields: plan.fields, ...set } });
      } else {
        const id = newId();
        await insertQualificationRow(trx, { id, enterprise_id: plan.enterprise.id, ...plan.values, revoked_on: null, revoke_reason: null, created_at: now, updated_at: now });
        await deps.audit.append(trx, ctx.actor, { action: 'cultivation.qualification.create', entityType: 'qualification', entityId: id, after: { importId, row: plan.row, enterprise: plan.enterprise.name, ...plan.values } });
      }
    }
    const r = result(file, table, [], a.warnings, a.changes, recognised, true, false);
    await deps.audit.append(trx, ctx.actor, { action: 'cultivation.qualification.import', entityType: 'import', entityId: importId, after: { fileName: file.fileName, sheet: table.sheet, rows: r.rows, creates: r.creates, updates: r.updates, unchanged: r.unchanged } });
    return r;
  });
}

export async function qualificationTemplate(): Promise<Buffer> {
  const help = [
    ['统一社会信用代码', '必填'],
    ['资质类型', `必填：${Object.values(QUALIFICATION_KIND_LABELS).join('、')}（也可写 高企、专精特新、小巨人、隐形冠军 等简称）`],
    ['级别', '国家级、省级、市级、区级；单项冠军必填（隐形冠军即省级单项冠军）'],
    ['认定类型', '高新技术企业必填：首次认定 或 重新认定'],
    ['证书编号', '高企证书编号、科技型中小企业入库登记编号等'],
    ['认定日期', '必填，如 2022-11-28；同一企业同一资质同一认定日期视为同一条记录（再次导入即更新）'],
    ['有效期至', '选填；高新技术企业不填时按发证之日起三年计算'],
  ];
  return writeXlsx<unknown>([
    { name: '企业资质', columns: QUALIFICATION_TABLE.columns.map((c) => ({ header: c.header, value: () => null })), rows: [] },
    { name: '填写说明', columns: [{ header: '列', width: 20, value: (r) => (r as string[])[0] }, { header: '填写要求', width: 100, value: (r) => (r as string[])[1] }], rows: help },
  ]);
}
