import type { Kysely } from 'kysely';
import { ENTERPRISE_COLUMNS } from '#common/contracts/enterprises.ts';
import type { Chain, EnterpriseColumnKey, EnterpriseImportPreview, ImportProblem } from '#common/contracts/enterprises.ts';
import { beijingToday } from '#common/period.ts';
import type { Period } from '#common/period.ts';
import type { Database } from '#server/db/schema.ts';
import type { Deps } from '#server/platform/deps.ts';
import { AppError, forbidden } from '#server/platform/errors.ts';
import { annotateXlsx } from '#server/platform/excel.ts';
import type { CellMark } from '#server/platform/excel.ts';
import { newId } from '#server/platform/ids.ts';
import { isInScope } from '#server/platform/scope.ts';
import type { Scope } from '#server/platform/scope.ts';
import type { UploadedFile } from '#server/platform/upload.ts';
import { readXlsxTable } from '#server/platform/xlsx-reader.ts';
import type { SheetCell, SheetTable, TableContract, TableRow } from '#server/platform/xlsx-reader.ts';
import { listUnits, resolveUnit } from '#server/modules/org/org.service.ts';
import { listChains } from '#server/modules/enterprises/enterprises.chains.ts';
import { findEnterprisesByUscc } from '#server/modules/enterprises/enterprises.repo.ts';
import {
  checkIndustryInput,
  checkText,
  checkUsccInput,
  parseCalendarDate,
  parseScalePeriod,
  parseYesNo,
  planScale,
  quote,
  resolveChain,
  splitList,
} from '#server/modules/enterprises/enterprises.rules.ts';
import type { ScalePlan } from '#server/modules/enterprises/enterprises.rules.ts';
import { noProgress } from '#server/platform/import-progress.ts';
import type { ProgressReporter } from '#server/platform/import-progress.ts';
import { changedFields, FIELD_LABELS, loadStates, saveEnterprises, townUnits } from '#server/modules/enterprises/enterprises.service.ts';
import type { EnterpriseContext, EnterpriseDraft, EnterpriseState, SaveCaches } from '#server/modules/enterprises/enterprises.service.ts';

/*
 * Importing the enterprise roster (企业名录).
 *
 * Decision (ADR-lite): validate the whole file first, then commit all-or-nothing in one
 * transaction. The validation runs again inside that transaction, so what is committed is what
 * was checked against the database as it is at commit time (a concurrent edit cannot slip in
 * between). Audit: one `enterprise.import` record summarising the file (name, sheet, counts)
 * plus one `enterprise.create` / `enterprise.update` record per changed enterprise, carrying the
 * changed fields and the import id and row. A roster is hundreds to a few thousand rows, so
 * per-enterprise records are affordable, and they give each 一企一档 its own change history;
 * unchanged rows write nothing. (The monthly import, with 20,000 rows a month, should record a
 * summary only.)
 *
 * Semantics: rows are matched by USCC; the required columns are authoritative (an empty 产业链
 * cell means no chain); an empty optional cell (地址, 联系人 …) leaves the stored value as it is,
 * so a partial roster never wipes details entered by hand. A town account imports only its own
 * town's rows; every problem is reported with its row and column and nothing is written.
 */

type Key = EnterpriseColumnKey;

export const ENTERPRISE_TABLE: TableContract<Key> = {
  what: '企业名录',
  columns: ENTERPRISE_COLUMNS.map((c) => ({ key: c.key, header: c.header, aliases: c.aliases, required: c.required })),
};

/** How many problems of each kind the preview lists; the annotated workbook carries them all. */
const PREVIEW_PROBLEM_LIMIT = 500;

type RowProblem = { row: number; key: Key | null; message: string };

type RowPlan = {
  row: number;
  draft: EnterpriseDraft;
  state: EnterpriseState | null;
  plan: ScalePlan;
  fields: string[];
  action: 'create' | 'update' | 'unchanged';
};

type Analysis = {
  table: SheetTable<Key>;
  plans: RowPlan[];
  errors: RowProblem[];
  warnings: RowProblem[];
  chainNames: Map<string, string>;
};

const header = (key: Key) => ENTERPRISE_COLUMNS.find((c) => c.key === key)!.header;

/**
 * Checks every row against the rules and the database (through `db`, which is the commit's
 * transaction when committing). Nothing is written.
 */
async function analyse(db: Kysely<Database>, deps: Deps, scope: Scope, table: SheetTable<Key>): Promise<Analysis> {
  const today = beijingToday(deps.now());
  const units = await listUnits(db);
  const towns = townUnits(units);
  const chains = (await listChains(db)).filter((c) => c.active);
  const errors: RowProblem[] = [];
  const warnings: RowProblem[] = [];
  const has = new Set(table.columns.map((c) => c.key));
  const error = (row: number, key: Key | null, message: string) => errors.push({ row, key, message });
  const warn = (row: number, key: Key | null, message: string) => warnings.push({ row, key, message });

  for (const note of table.notes) warnings.push({ row: 0, key: null, message: note });

  // First pass: what each row says, cell by cell.
  type Parsed = { row: TableRow<Key>; draft: EnterpriseDraft; aboveScale: boolean | undefined; since?: Period; exit?: Period; ok: boolean };
  const parsed: Parsed[] = [];
  const firstRowOf = new Map<string, number>();
  for (const row of table.rows) {
    const r = row.row;
    const before = errors.length;
    const cell = (key: Key): SheetCell | undefined => row.cells[key];
    for (const key of has) {
      const c = cell(key);
      if (c?.error) error(r, key, c.error);
    }
    const value = (key: Key) => (cell(key)?.error ? null : (cell(key)?.value ?? null));
    const text = (key: Key) => (cell(key)?.error ? '' : (cell(key)?.text ?? ''));

    const uscc = checkUsccInput(value('uscc') ?? '');
    for (const m of uscc.errors) error(r, 'uscc', m);
    for (const m of uscc.warnings) warn(r, 'uscc', m);
    if (uscc.errors.length === 0) {
      const first = firstRowOf.get(uscc.uscc);
      if (first !== undefined) error(r, 'uscc', `统一社会信用代码与第 ${first} 行重复，同一企业只能出现一次`);
      else firstRowOf.set(uscc.uscc, r);
    }

    const nameText = text('name');
    let name = '';
    if (nameText === '') error(r, 'name', '请填写企业名称');
    else {
      const checked = checkText(nameText, '企业名称', 100);
      if (checked.ok) name = checked.value;
      else error(r, 'name', checked.message);
    }

    let townId = '';
    const townText = text('town');
    if (townText === '') error(r, 'town', '请填写所属镇街');
    else {
      const unit = resolveUnit(units, townText);
      if (!unit || !towns.some((t) => t.id === unit.id)) {
        error(r, 'town', `${quote(townText)}不是本区的镇街，可填：${towns.map((t) => t.name).join('、')}`);
      } else if (!isInScope(scope, { townId: unit.id })) {
        error(r, 'town', `只能导入本镇街的企业，「${unit.name}」不在本账号管辖范围内`);
      } else townId = unit.id;
    }

    const industry = checkIndustryInput(value('industryCode') ?? '');
    for (const m of industry.errors) error(r, 'industryCode', m);
    for (const m of industry.warnings) warn(r, 'industryCode', m);

    const chainIds: string[] = [];
    for (const item of splitList(text('chains'))) {
      const chain = resolveChain(chains, item);
      if (chain) chainIds.push(chain.id);
      else error(r, 'chains', `产业链${quote(item)}不存在，可填：${chains.map((c: Chain) => c.name).join('、')}（多个用顿号分隔）`);
    }

    let aboveScale: boolean | undefined;
    const yes = parseYesNo(value('aboveScale'), '是否规上');
    if (yes.ok) aboveScale = yes.value;
    else error(r, 'aboveScale', yes.message);
    let since: Period | undefined;
    if (text('scaleSince') !== '') {
      const p = parseScalePeriod(value('scaleSince'), '规上起始年月');
      if (p.ok) since = p.value;
      else error(r, 'scaleSince', p.message);
    }
    let exit: Period | undefined;
    if (has.has('scaleExit') && text('scaleExit') !== '') {
      const p = parseScalePeriod(value('scaleExit'), '退库年月');
      if (p.ok) exit = p.value;
      else error(r, 'scaleExit', p.message);
    }

    let registrationDate: string | undefined;
    if (has.has('registrationDate') && text('registrationDate') !== '') {
      const d = parseCalendarDate(value('registrationDate'), '成立日期', today);
      if (d.ok) registrationDate = d.value;
      else error(r, 'registrationDate', d.message);
    }
    const optional = (key: Key, label: string, max: number): string | undefined => {
      if (!has.has(key) || text(key) === '') return undefined;
      const checked = checkText(text(key), label, max);
      if (checked.ok) return checked.value;
      error(r, key, checked.message);
      return undefined;
    };
    const address = optional('address', '地址', 200);
    const contactName = optional('contactName', '联系人', 50);
    const contactPhone = optional('contactPhone', '联系电话', 30);
    const groupName = optional('group', '所属集团', 100);
    let tags: string[] | undefined;
    if (has.has('tags') && text('tags') !== '') {
      tags = [];
      for (const tag of splitList(text('tags'))) {
        const checked = checkText(tag, '标签', 20);
        if (checked.ok) tags.push(checked.value);
        else error(r, 'tags', checked.message);
      }
    }

    parsed.push({
      row,
      aboveScale,
      ...(since ? { since } : {}),
      ...(exit ? { exit } : {}),
      ok: errors.length === before,
      draft: {
        uscc: uscc.uscc,
        usccWarnings: uscc.warnings,
        name,
        townId,
        industry,
        chainIds,
        registrationDate,
        address,
        contactName,
        contactPhone,
        groupName,
        tags,
      },
    });
  }

  // Second pass: against the registry as it stands.
  const existing = await findEnterprisesByUscc(db, [...firstRowOf.keys()]);
  const states = await loadStates(db, existing);
  const byUscc = new Map(existing.map((e) => [e.uscc, states.get(e.id)!]));
  const chainNames = new Map(chains.map((c) => [c.id, c.name]));
  const plans: RowPlan[] = [];
  for (const p of parsed) {
    const r = p.row.row;
    const state = byUscc.get(p.draft.uscc) ?? null;
    if (state && !isInScope(scope, { townId: state.row.town_id, enterpriseId: state.row.id })) {
      error(r, 'uscc', '该企业已登记在其他镇街，本账号不能修改；如需划转请联系区局');
      continue;
    }
    const plan = planScale(state?.spells ?? [], { aboveScale: p.aboveScale, since: p.since, exit: p.exit }, today);
    for (const problem of plan.problems) error(r, problem.field === 'scaleExit' ? 'scaleExit' : problem.field === 'aboveScale' ? 'aboveScale' : 'scaleSince', problem.message);
    for (const note of plan.notes) warn(r, 'aboveScale', note);
    if (!p.ok || plan.problems.length) continue;
    const fields = state ? changedFields(state, p.draft, plan, chainNames) : [];
    plans.push({ row: r, draft: p.draft, state, plan, fields, action: !state ? 'create' : fields.length ? 'update' : 'unchanged' });
  }
  errors.sort((a, b) => a.row - b.row);
  warnings.sort((a, b) => a.row - b.row);
  return { table, plans, errors, warnings, chainNames };
}

function problemOut(table: SheetTable<Key>, p: RowProblem): ImportProblem {
  const column = p.key ? table.columns.find((c) => c.key === p.key) : undefined;
  return {
    row: p.row === 0 ? null : p.row,
    column: p.key ? header(p.key) : null,
    cell: column && p.row ? `${column.letter}${p.row}` : null,
    message: clip(p.message),
  };
}

/** Messages quote cells, and a cell may hold 32,767 characters: keep what a person reads. */
function clip(message: string): string {
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}

function preview(fileName: string, analysis: Analysis, committed: boolean): EnterpriseImportPreview {
  const { table, plans } = analysis;
  return {
    fileName,
    sheet: table.sheet,
    rows: table.rows.length,
    creates: plans.filter((p) => p.action === 'create').length,
    updates: plans.filter((p) => p.action === 'update').length,
    unchanged: plans.filter((p) => p.action === 'unchanged').length,
    errorCount: analysis.errors.length,
    warningCount: analysis.warnings.length,
    errors: analysis.errors.slice(0, PREVIEW_PROBLEM_LIMIT).map((p) => problemOut(table, p)),
    warnings: analysis.warnings.slice(0, PREVIEW_PROBLEM_LIMIT).map((p) => problemOut(table, p)),
    ignoredColumns: table.unknownHeaders.map((h) => `${h.header}（${h.letter}列）`),
    skippedRows: table.skipped,
    changes: plans.map((p) => ({
      row: p.row,
      uscc: p.draft.uscc,
      name: p.draft.name,
      action: p.action,
      fields: p.fields.map((f) => FIELD_LABELS[f] ?? f),
    })),
    committed,
  };
}

/**
 * Imports the roster in an uploaded workbook. With `dryRun` (the default of the web flow) it only
 * answers the preview; otherwise it commits when the file has no errors, all rows or none, and
 * refuses with VALIDATION (400, the preview in `details`) when it has any.
 */
export async function importEnterprises(deps: Deps, ctx: EnterpriseContext, file: UploadedFile, options: { dryRun: boolean; progress?: ProgressReporter }): Promise<EnterpriseImportPreview> {
  if (ctx.scope.kind === 'enterprise') throw forbidden('企业账号不能导入企业名录');
  const progress = options.progress ?? noProgress;
  try {
    const result = await runEnterpriseImport(deps, ctx, file, options.dryRun, progress);
    await progress('done');
    return result;
  } catch (error) {
    await progress('failed');
    throw error;
  }
}

/** Enterprises saved between two progress reports of a commit. */
const SAVE_SLICE = 500;

async function runEnterpriseImport(deps: Deps, ctx: EnterpriseContext, file: UploadedFile, dryRun: boolean, progress: ProgressReporter): Promise<EnterpriseImportPreview> {
  await progress('reading');
  const table = await readXlsxTable(file.buffer, ENTERPRISE_TABLE);
  await progress('validating', 0, table.rows.length);
  if (dryRun) return preview(file.fileName, await analyse(deps.db, deps, ctx.scope, table), false);

  return deps.db.transaction().execute(async (trx) => {
    const analysis = await analyse(trx, deps, ctx.scope, table);
    await progress('validating', table.rows.length, table.rows.length);
    if (analysis.errors.length > 0) {
      throw new AppError(
        'VALIDATION',
        `导入文件有 ${analysis.errors.length} 处错误，未导入任何数据。请下载标注了错误的文件，改正后重新上传`,
        preview(file.fileName, analysis, false),
      );
    }
    const importId = newId();
    const caches: SaveCaches = { groups: new Map(), chainNames: analysis.chainNames };
    const changes = analysis.plans
      .filter((p) => p.action !== 'unchanged')
      .map((p) => ({ state: p.state, draft: p.draft, plan: p.plan, source: { import: importId, row: p.row } }));
    for (let at = 0; at < changes.length; at += SAVE_SLICE) {
      await progress('writing', at, changes.length);
      await saveEnterprises(trx, deps, ctx.actor, changes.slice(at, at + SAVE_SLICE), caches);
    }
    await progress('writing', changes.length, changes.length);
    const result = preview(file.fileName, analysis, true);
    await deps.audit.append(trx, ctx.actor, {
      action: 'enterprise.import',
      entityType: 'enterprise_import',
      entityId: importId,
      after: { fileName: file.fileName, sheet: result.sheet, rows: result.rows, creates: result.creates, updates: result.updates, unchanged: result.unchanged, warnings: result.warningCount },
    });
    return result;
  });
}

/**
 * The uploaded workbook with every problem of the import marked (red: error, yellow: warning)
 * and a 错误说明 column: the file a clerk corrects and uploads again.
 */
export async function annotateEnterpriseImport(deps: Deps, ctx: EnterpriseContext, file: UploadedFile): Promise<{ fileName: string; buffer: Buffer; errors: number }> {
  if (ctx.scope.kind === 'enterprise') throw forbidden('企业账号不能导入企业名录');
  const table = await readXlsxTable(file.buffer, ENTERPRISE_TABLE);
  const analysis = await analyse(deps.db, deps, ctx.scope, table);
  const columnOf = new Map(table.columns.map((c) => [c.key, c.column]));
  const marks: CellMark[] = [
    ...analysis.errors.filter((p) => p.row > 0).map((p) => ({ row: p.row, column: p.key ? (columnOf.get(p.key) ?? null) : null, message: clip(p.message), level: 'error' as const })),
    ...analysis.warnings.filter((p) => p.row > 0).map((p) => ({ row: p.row, column: p.key ? (columnOf.get(p.key) ?? null) : null, message: clip(p.message), level: 'warning' as const })),
  ];
  const buffer = await annotateXlsx(file.buffer, table.sheet, table.headerRows[0]!, marks);
  const base = file.fileName.replace(/\.xlsx$/i, '');
  return { fileName: `${base}-错误标注.xlsx`, buffer, errors: analysis.errors.length };
}
