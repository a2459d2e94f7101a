import type { Kysely } from 'kysely';
import type { Unit } from '#common/contracts/org.ts';
import type {
  Milestone,
  MyItems,
  NoteKind,
  ParsedPlan,
  PlanCreateBody,
  PlanDetail,
  PlanItemDetail,
  PlanItemStatus,
  PlanItemUpdateBody,
  PlanNode,
  PlanParseResult,
  PlanRollup,
  PlanSummary,
  PlanTargetRef,
  ProgressReport,
  ProgressReportBody,
  ReportStatus,
  SupervisionNote,
  Unreported,
} from '#common/contracts/plans.ts';
import { beijingToday, isPeriod, makePeriod, monthOf, yearOf } from '#common/period.ts';
import type { Period } from '#common/period.ts';
import type { Database, PlanItemsTable, PlanItemUnitsTable, PlanMilestonesTable, PlanNotesTable, PlanReportsTable, PlansTable } from '#server/db/schema.ts';
import type { Actor } from '#server/platform/audit.ts';
import type { Deps } from '#server/platform/deps.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '#server/platform/errors.ts';
import { newId, nowIso } from '#server/platform/ids.ts';
import type { MetricSource } from '#server/platform/metrics.ts';
import type { RequestContext } from '#server/platform/request-context.ts';
import { hasPermission } from '#server/platform/scope.ts';
import type { Principal, Scope } from '#server/platform/scope.ts';
import { inspectZipDirectory, verifyZipEntries, XLSX_ZIP_LIMITS } from '#server/platform/upload.ts';
import type { UploadedFile } from '#server/platform/upload.ts';
import { isTownUnit, listUnits } from '#server/modules/org/org.service.ts';
import { deletePlanTargets, insertPlanTargets, listPlanTargetRefs } from '#server/modules/targets/targets.service.ts';
import type { PlanTargetInput } from '#server/modules/targets/targets.service.ts';
import { extractDocxText, PlanFileError } from '#server/modules/plans/plan.docx.ts';
import { parsePlanText } from '#server/modules/plans/plan.parser.ts';
import { findRelatedTargets, normaliseSubject } from '#server/modules/plans/plan.related.ts';
import { computeTree } from '#server/modules/plans/plans.tree.ts';
import {
  deleteMilestoneRow,
  deletePlanRow,
  findFileRow,
  findItemRow,
  findMilestoneRow,
  findPlanRow,
  findReportOf,
  findReportRow,
  insertFileRow,
  insertItemRows,
  insertMilestoneRow,
  insertNoteRows,
  insertPlanRow,
  insertReportRow,
  itemIdsOfUnits,
  latestReportPeriod,
  listFileRows,
  listItemRows,
  listItemRowsOfYear,
  listItemUnitRows,
  listLinkRows,
  listMilestoneRows,
  listNoteRows,
  listPlanRows,
  listReportRows,
  nextChildSortOrder,
  replaceItemUnits,
  replaceLinks,
  updateItemRow,
  updateMilestoneRow,
  updateReportRow,
} from '#server/modules/plans/plans.repo.ts';

type Handle = Kysely<Database>;
type UnitRef = { id: string; name: string };

// ---- reading a notice -------------------------------------------------------------------------

// Form feeds and vertical tabs are page breaks of text copied out of a PDF: they become line
// breaks; other control characters carry nothing and cannot be stored.
function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point of this check
  return text.replace(/[\u000B\u000C]/g, '\n').replace(/[\u0000-\u0008\u000E-\u001F\u007F]/g, '').replace(/\r\n?/g, '\n');
}

/** Parses pasted text for review; nothing is saved. */
export function parsePlanFromText(text: string, fileName: string | null = null): PlanParseResult {
  const clean = cleanText(text);
  const plan = parsePlanText(clean);
  return { text: clean, fileName, plan, related: findRelatedTargets(plan) };
}

const DOCX_LIMITS = { ...XLSX_ZIP_LIMITS, maxUncompressedBytes: 100 * 1024 * 1024 };

/**
 * Reads an uploaded notice (.docx, or .txt in UTF-8 or GB18030 as Chinese Windows saves it)
 * into text and parses it for review. A .docx is inspected as a zip before it is inflated.
 */
export async function parsePlanFromFile(file: UploadedFile): Promise<PlanParseResult> {
  const { buffer, fileName } = file;
  if (buffer.length === 0) throw new AppError('BAD_FILE', '上传的文件是空的，请重新选择');
  if (buffer.subarray(0, 4).toString('latin1') === '%PDF') {
    throw new AppError('BAD_FILE', '暂不直接读取 PDF：请在 PDF 阅读器中全选复制正文，粘贴到“粘贴全文”中解析（分页、断行会自动处理）');
  }
  let text: string;
  if (buffer.subarray(0, 2).toString('latin1') === 'PK' || buffer.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    try {
      if (buffer.subarray(0, 2).toString('latin1') === 'PK') await verifyZipEntries(buffer, inspectZipDirectory(buffer, DOCX_LIMITS));
      text = await extractDocxText(buffer);
    } catch (error) {
      if (error instanceof PlanFileError) throw new AppError('BAD_FILE', error.message);
      if (error instanceof AppError) throw new AppError('BAD_FILE', error.message.replace('Excel 工作簿（.xlsx）', 'Word 文档（.docx）').replace(/Excel 或 WPS/g, 'Word 或 WPS').replace(/\.xlsx/g, '.docx'));
      throw error;
    }
  } else {
    text = decodeText(buffer);
  }
  if (text.trim() === '') throw new AppError('BAD_FILE', '文件中没有文字内容，请检查后重新上传');
  return parsePlanFromText(text, fileName);
}

function decodeText(buffer: Buffer): string {
  const body = buffer.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? buffer.subarray(3) : buffer;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    try {
      return new TextDecoder('gb18030', { fatal: true }).decode(body);
    } catch {
      throw new AppError('BAD_FILE', '无法识别文件的文字编码：请另存为 UTF-8 编码的 .txt，或上传 .docx');
    }
  }
}

// ---- periods and scope ------------------------------------------------------------------------

function periodOfDate(date: string): Period {
  return makePeriod(Number(date.slice(0, 4)), Math.max(2, Number(date.slice(5, 7))));
}

/** The last calendar day of a period's month (Beijing date). */
function periodEnd(period: Period): string {
  const year = yearOf(period);
  const month = monthOf(period);
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${period}-${String(last).padStart(2, '0')}`;
}

/** A period's report counts as on time when filed by the 10th of the following month (Beijing). */
function reportDeadline(period: Period): string {
  const year = yearOf(period);
  const month = monthOf(period);
  return month === 12 ? `${year + 1}-01-10` : `${year}-${String(month + 1).padStart(2, '0')}-10`;
}

/**
 * The period a plan is judged for when none is asked: this month in the plan's year, and for
 * a past year the last month anyone reported (else December).
 */
async function defaultPlanPeriod(deps: Deps, year: number): Promise<Period> {
  const today = periodOfDate(beijingToday(deps.now()));
  if (year === yearOf(today)) return today;
  if (year > yearOf(today)) return makePeriod(year, 2);
  const latest = await latestReportPeriod(deps.db, year);
  return latest && isPeriod(latest) ? latest : makePeriod(year, 12);
}

async function planPeriod(deps: Deps, year: number, asked: string | undefined): Promise<Period> {
  if (asked && isPeriod(asked)) {
    if (yearOf(asked) !== year) throw badRequest(`报告期应在 ${year} 年内`);
    return asked;
  }
  return defaultPlanPeriod(deps, year);
}

/** Whether an item is the caller's to see: all for bureau-wide scopes, assigned items for a town. */
function itemInScope(scope: Scope, assigned: readonly PlanItemUnitsTable[]): boolean {
  if (scope.kind === 'all') return true;
  if (scope.kind === 'town') return assigned.some((a) => scope.unitIds.includes(a.unit_id));
  return false;
}

/** The assigned units the caller may report as. */
function reportableUnits(principal: Principal, assigned: readonly PlanItemUnitsTable[]): string[] {
  if (!hasPermission(principal, 'plans.report')) return [];
  const ids = assigned.map((a) => a.unit_id);
  if (principal.roles.includes('admin')) return ids;
  const mine = principal.scope.kind === 'town' ? principal.scope.unitIds : [principal.activeUnitId];
  return ids.filter((id) => mine.includes(id));
}

function canReviewItem(principal: Principal, item: PlanItemsTable): boolean {
  if (!hasPermission(principal, 'plans.write')) return false;
  if (principal.roles.includes('admin') || item.owner_section_id === null) return true;
  return principal.unitIds.includes(item.owner_section_id);
}

function ref(units: ReadonlyMap<string, Unit>, id: string | null): UnitRef | null {
  if (!id) return null;
  return { id, name: units.get(id)?.name ?? '（已停用单位）' };
}

async function unitMap(db: Handle): Promise<Map<string, Unit>> {
  return new Map((await listUnits(db)).map((u) => [u.id, u]));
}

// ---- the tree ---------------------------------------------------------------------------------

type PlanState = {
  plan: Omit<PlansTable, 'source_text'>;
  period: Period;
  expected: number;
  items: PlanItemsTable[];
  assigned: Map<string, PlanItemUnitsTable[]>;
  nodes: Map<string, PlanNode>;
  /** Depth-first order. */
  order: string[];
};

async function loadPlanState(deps: Deps, plan: Omit<PlansTable, 'source_text'>, askedPeriod: string | undefined, units: ReadonlyMap<string, Unit>): Promise<PlanState> {
  const period = await planPeriod(deps, plan.year, askedPeriod);
  const items = await listItemRows(deps.db, [plan.id]);
  const ids = items.map((i) => i.id);
  const [unitRows, milestones, reports, targets] = await Promise.all([
    listItemUnitRows(deps.db, ids),
    listMilestoneRows(deps.db, ids),
    listReportRows(deps.db, { itemIds: ids, period }),
    listPlanTargetRefs(deps.db, { planId: plan.id }),
  ]);
  const assigned = groupBy(unitRows, (r) => r.item_id);
  const asOf = minDate(beijingToday(deps.now()), periodEnd(period));
  const overdue = new Map<string, number>();
  for (const m of milestones) if (m.done_date === null && m.due_date < asOf) overdue.set(m.item_id, (overdue.get(m.item_id) ?? 0) + 1);
  const hasChildren = new Set(items.map((i) => i.parent_id).filter((p): p is string => p !== null));
  const reported = new Set(reports.map((r) => `${r.item_id}|${r.unit_id}`));
  const missing = new Map<string, string[]>();
  for (const item of items) {
    if (item.kind !== 'item' || hasChildren.has(item.id) || item.status === 'done' || item.status === 'suspended') continue;
    const absent = (assigned.get(item.id) ?? []).filter((a) => !reported.has(`${item.id}|${a.unit_id}`)).map((a) => a.unit_id);
    if (absent.length) missing.set(item.id, absent);
  }
  const targetCount = new Map<string, number>();
  for (const t of targets) if (t.planItemId) targetCount.set(t.planItemId, (targetCount.get(t.planItemId) ?? 0) + 1);
  const expected = Math.round((monthOf(period) / 12) * 1000) / 10;
  const figures = computeTree(
    items.map((i) => ({
      id: i.id,
      parentId: i.parent_id,
      status: i.status,
      progress: i.progress,
      weight: i.weight,
      rollup: i.rollup as PlanRollup,
      overdueMilestones: overdue.get(i.id) ?? 0,
      missingReports: missing.get(i.id)?.length ?? 0,
    })),
    expected,
  );

  const byParent = groupBy(items, (i) => i.parent_id ?? '');
  const order: string[] = [];
  const depth = new Map<string, number>();
  const walk = (parentId: string, level: number) => {
    for (const child of (byParent.get(parentId) ?? []).sort((a, b) => a.sort_order - b.sort_order)) {
      order.push(child.id);
      depth.set(child.id, level);
      walk(child.id, level + 1);
    }
  };
  walk('', 0);

  const nodes = new Map<string, PlanNode>();
  for (const item of items) {
    const rows = assigned.get(item.id) ?? [];
    const f = figures.get(item.id) ?? { progress: item.progress, light: 'green' as const };
    nodes.set(item.id, {
      id: item.id,
      parentId: item.parent_id,
      depth: depth.get(item.id) ?? 0,
      kind: item.kind as PlanNode['kind'],
      number: item.number,
      label: item.label,
      title: item.title,
      status: item.status as PlanItemStatus,
      progress: f.progress,
      ownProgress: item.progress,
      weight: item.weight,
      rollup: item.rollup as PlanRollup,
      light: f.light,
      leadUnit: ref(units, rows.find((r) => r.role === 'lead')?.unit_id ?? null),
      cooperatingUnits: rows.filter((r) => r.role === 'cooperate').map((r) => ref(units, r.unit_id)!),
      ownerSection: ref(units, item.owner_section_id),
      responsiblePerson: item.responsible_person,
      overdueMilestones: overdue.get(item.id) ?? 0,
      missingUnits: (missing.get(item.id) ?? []).map((id) => ref(units, id)!),
      targetCount: targetCount.get(item.id) ?? 0,
      hasChildren: hasChildren.has(item.id),
    });
  }
  return { plan, period, expected, items, assigned, nodes, order };
}

/** The nodes a scope sees: every node for bureau-wide scopes; a town's assigned items and their ancestors. */
function visibleIds(state: PlanState, scope: Scope): Set<string> {
  if (scope.kind === 'all') return new Set(state.order);
  const out = new Set<string>();
  for (const item of state.items) {
    if (!itemInScope(scope, state.assigned.get(item.id) ?? [])) continue;
    for (let id: string | null = item.id; id && !out.has(id); id = state.nodes.get(id)?.parentId ?? null) out.add(id);
  }
  return out;
}

function summaryOf(state: PlanState, targetCount: number): PlanSummary {
  const roots = state.order.map((id) => state.nodes.get(id)!).filter((n) => n.parentId === null);
  const progress = roots.length ? Math.round((roots.reduce((s, n) => s + n.progress, 0) / roots.length) * 10) / 10 : 0;
  const severity = { red: 3, yellow: 2, green: 1, grey: 0 } as const;
  const light = roots.reduce<PlanNode['light']>((worst, n) => (severity[n.light] > severity[worst] ? n.light : worst), 'green');
  return {
    id: state.plan.id,
    year: state.plan.year,
    title: state.plan.title,
    noticeTitle: state.plan.notice_title,
    issuer: state.plan.issuer,
    date: state.plan.issue_date,
    fileName: state.plan.source_file_name,
    itemCount: state.items.filter((i) => i.kind === 'item').length,
    targetCount,
    progress,
    light,
    createdAt: state.plan.created_at,
  };
}

// ---- plans ------------------------------------------------------------------------------------

/** The saved plans with their overall progress and light (aggregates: every reader sees them). */
export async function listPlans(deps: Deps): Promise<PlanSummary[]> {
  const units = await unitMap(deps.db);
  const out: PlanSummary[] = [];
  for (const plan of await listPlanRows(deps.db)) {
    const state = await loadPlanState(deps, plan, undefined, units);
    out.push(summaryOf(state, (await listPlanTargetRefs(deps.db, { planId: plan.id })).length));
  }
  return out;
}

async function requirePlan(db: Handle, id: string): Promise<PlansTable> {
  const plan = await findPlanRow(db, id);
  if (!plan) throw notFound('工作要点');
  return plan;
}

/**
 * The plan as a tree with traffic lights for a period: progress rolled up, overdue milestones
 * and the units that have not reported. A town sees the items assigned to it (and the groups
 * above them); the plan's overall figures are aggregates everyone sees.
 */
export async function getPlan(deps: Deps, ctx: RequestContext, id: string, period?: string): Promise<PlanDetail> {
  const plan = await requirePlan(deps.db, id);
  const units = await unitMap(deps.db);
  const state = await loadPlanState(deps, plan, period, units);
  const visible = visibleIds(state, ctx.principal.scope);
  const targets = await listPlanTargetRefs(deps.db, { planId: plan.id });
  return {
    plan: { ...summaryOf(state, targets.length), overview: plan.overview },
    period: state.period,
    timeProgress: state.expected,
    nodes: state.order.filter((nodeId) => visible.has(nodeId)).map((nodeId) => state.nodes.get(nodeId)!),
    mainTargets: targets.filter((t) => t.planItemId === null).map(stripItem),
  };
}

function stripItem(t: PlanTargetRef & { planItemId: string | null }): PlanTargetRef {
  return { id: t.id, subject: t.subject, comparator: t.comparator, value: t.value, unit: t.unit, kind: t.kind, text: t.text };
}

/** The notice exactly as it was uploaded or pasted. */
export async function getPlanSource(deps: Deps, id: string): Promise<{ id: string; fileName: string | null; text: string }> {
  const plan = await requirePlan(deps.db, id);
  return { id: plan.id, fileName: plan.source_file_name, text: plan.source_text };
}

function yearOfPlan(body: PlanCreateBody, today: string): number {
  if (body.year) return body.year;
  if (body.plan.date) return Number(body.plan.date.slice(0, 4));
  const inTitle = /(\d{4})\s*年/.exec(body.plan.title ?? body.plan.noticeTitle ?? '');
  return inTitle ? Number(inTitle[1]) : Number(today.slice(0, 4));
}

/** Related-target keys: targets whose normalised subjects coincide share the group's subject. */
function relatedKeys(plan: ParsedPlan): Map<string, string> {
  const keys = new Map<string, string>();
  for (const group of findRelatedTargets(plan)) {
    for (const member of group.targets) {
      const s = member.source;
      keys.set(s.section === 'mainTargets' ? `m${s.targetIndex}` : `i${s.groupIndex}.${s.itemIndex}.${s.targetIndex}`, group.subject);
    }
  }
  return keys;
}

/**
 * A count with no counted event (`全区高新技术企业突破 60 家`, not 新增 / 认定 / 入库) is a level at
 * the period's end, not a quantity accumulated through the year.
 */
function isStock(target: { kind: string; subject: string }): boolean {
  if (target.kind !== 'count') return false;
  const normalised = normaliseSubject(target.subject);
  return normalised.subject !== '' && normalised.qualifiers.length === 0;
}

/**
 * Saves a reviewed plan: its header and overview, the original text, every group and item
 * (not started, no units yet), and a target for every candidate left in it — main targets and
 * item targets — with related subjects linked. One transaction, audited.
 */
export async function createPlan(deps: Deps, ctx: RequestContext, body: PlanCreateBody, actor: Actor = ctx.actor): Promise<PlanDetail> {
  const plan = body.plan;
  if (plan.groups.every((g) => g.items.length === 0) && plan.mainTargets.length === 0) throw badRequest('没有识别出任何工作要点或目标，请检查粘贴的内容');
  const year = yearOfPlan(body, beijingToday(deps.now()));
  const id = newId();
  const at = nowIso(deps.now());
  const title = plan.title ?? plan.noticeTitle ?? `${year} 年度工作要点`;
  const keys = relatedKeys(plan);
  await deps.db.transaction().execute(async (trx) => {
    await insertPlanRow(trx, {
      id,
      year,
      title,
      notice_title: plan.noticeTitle,
      issuer: plan.issuer,
      issue_date: plan.date,
      overview: plan.overview,
      source_text: cleanText(body.text),
      source_file_name: body.fileName ?? null,
      created_at: at,
      created_by: actor.name,
      updated_at: at,
    });
    const rows: PlanItemsTable[] = [];
    const targets: PlanTargetInput[] = plan.mainTargets.map((t, index) => ({ ...t, planItemId: null, itemLabel: null, stock: isStock(t), relatedKey: keys.get(`m${index}`) ?? null }));
    let order = 1;
    const base = { owner_section_id: null, responsible_person: null, status: 'not_started', progress: 0, weight: '1', rollup: 'average', created_at: at, updated_at: at };
    plan.groups.forEach((group, groupIndex) => {
      const groupId = newId();
      rows.push({ ...base, id: groupId, plan_id: id, parent_id: null, kind: 'group', number: group.number, label: group.label, title: group.title || `第${groupIndex + 1}部分`, text: '', sort_order: order++ });
      group.items.forEach((item, itemIndex) => {
        const itemId = newId();
        rows.push({ ...base, id: itemId, plan_id: id, parent_id: groupId, kind: 'item', number: item.number, label: item.label, title: item.title || item.text.slice(0, 30), text: item.text, sort_order: order++ });
        item.targets.forEach((t, targetIndex) =>
          targets.push({ ...t, planItemId: itemId, itemLabel: item.label || null, stock: isStock(t), relatedKey: keys.get(`i${groupIndex}.${itemIndex}.${targetIndex}`) ?? null }),
        );
      });
    });
    await insertItemRows(trx, rows);
    const targetIds = await insertPlanTargets(deps, trx, actor, { id, year }, targets);
    await deps.audit.append(trx, actor, {
      action: 'plan.create',
      entityType: 'plan',
      entityId: id,
      after: { year, title, fileName: body.fileName ?? null, groups: plan.groups.length, items: rows.filter((r) => r.kind === 'item').length, targets: targetIds.length },
    });
  });
  return getPlan(deps, ctx, id);
}

/** Deletes a plan with its items, reports and targets (a wrong import is re-imported). */
export async function deletePlan(deps: Deps, ctx: RequestContext, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const plan = await requirePlan(trx, id);
    await deletePlanTargets(deps, trx, ctx.actor, id);
    await deletePlanRow(trx, id);
    await deps.audit.append(trx, ctx.actor, { action: 'plan.delete', entityType: 'plan', entityId: id, before: { year: plan.year, title: plan.title } });
  });
}

// ---- items ------------------------------------------------------------------------------------

type ItemContext = { item: PlanItemsTable; plan: PlansTable; assigned: PlanItemUnitsTable[] };

/** An item the caller may see; 404 for one outside the caller's scope. */
async function requireItem(db: Handle, scope: Scope, id: string): Promise<ItemContext> {
  const item = await findItemRow(db, id);
  if (!item) throw notFound('工作要点');
  const assigned = await listItemUnitRows(db, [id]);
  if (!itemInScope(scope, assigned)) throw notFound('工作要点');
  const plan = (await findPlanRow(db, item.plan_id))!;
  return { item, plan, assigned };
}

function presentMilestone(row: PlanMilestonesTable, today: string): Milestone {
  return { id: row.id, title: row.title, dueDate: row.due_date, doneDate: row.done_date, overdue: row.done_date === null && row.due_date < today };
}

async function presentReports(db: Handle, rows: readonly PlanReportsTable[], units: ReadonlyMap<string, Unit>): Promise<ProgressReport[]> {
  const files = groupBy(await listFileRows(db, rows.map((r) => r.id)), (f) => f.report_id);
  return rows.map((r) => ({
    id: r.id,
    itemId: r.item_id,
    period: r.period,
    unit: ref(units, r.unit_id)!,
    progress: r.progress,
    text: r.text,
    figures: JSON.parse(r.figures_json) as ProgressReport['figures'],
    attachments: (files.get(r.id) ?? []).map((f) => ({ id: f.id, fileName: f.file_name, mime: f.mime, size: f.size })),
    status: r.status as ReportStatus,
    reviewNote: r.review_note,
    submittedBy: r.submitted_by,
    submittedAt: r.submitted_at,
    reviewedBy: r.reviewed_by,
    reviewedAt: r.reviewed_at,
  }));
}

function presentNote(row: PlanNotesTable, units: ReadonlyMap<string, Unit>): SupervisionNote {
  return {
    id: row.id,
    itemId: row.item_id,
    kind: row.kind as NoteKind,
    text: row.text,
    unit: ref(units, row.unit_id),
    period: row.period,
    dueDate: row.due_date,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/**
 * One work point: its node in the tree, milestones, every progress report with attachments,
 * 督办 notes, linked targets, enterprises and projects, and a timeline of all of it. 404 for a
 * town the item is not assigned to.
 */
export async function getItem(deps: Deps, ctx: RequestContext, id: string, period?: string): Promise<PlanItemDetail> {
  const { item, plan } = await requireItem(deps.db, ctx.principal.scope, id);
  const units = await unitMap(deps.db);
  const state = await loadPlanState(deps, plan, period, units);
  const today = beijingToday(deps.now());
  const [milestones, reportRows, notes, targets, links] = await Promise.all([
    listMilestoneRows(deps.db, [id]),
    listReportRows(deps.db, { itemIds: [id] }),
    listNoteRows(deps.db, { itemIds: [id] }),
    listPlanTargetRefs(deps.db, { planItemIds: [id] }),
    listLinkRows(deps.db, id),
  ]);
  // A town sees its own reports and notes addressed to it (or to nobody in particular).
  const scope = ctx.principal.scope;
  const mine = (unitId: string | null) => scope.kind === 'all' || unitId === null || (scope.kind === 'town' && scope.unitIds.includes(unitId));
  const reports = await presentReports(deps.db, reportRows.filter((r) => mine(r.unit_id)), units);
  const notesShown = notes.filter((n) => mine(n.unit_id)).map((n) => presentNote(n, units));
  const path: PlanItemDetail['path'] = [];
  for (let parent = item.parent_id; parent; parent = state.nodes.get(parent)?.parentId ?? null) {
    const node = state.nodes.get(parent);
    if (node) path.unshift({ id: node.id, label: node.label, title: node.title });
  }
  const timeline: PlanItemDetail['timeline'] = [
    ...milestones.map((m) => ({ at: m.done_date ?? m.due_date, kind: 'milestone' as const, title: `${m.done_date ? '完成节点' : '节点'}：${m.title}`, detail: m.done_date ? `计划 ${m.due_date}，完成 ${m.done_date}` : `计划 ${m.due_date}` })),
    ...reports.map((r) => ({ at: r.submittedAt, kind: 'report' as const, title: `${r.unit.name}报送 ${r.period} 进展（${r.progress}%）`, detail: r.text })),
    ...reports.filter((r) => r.reviewedAt).map((r) => ({ at: r.reviewedAt!, kind: 'review' as const, title: `${r.reviewedBy ?? ''}${r.status === 'returned' ? '退回' : '审核通过'} ${r.unit.name} ${r.period} 进展`, detail: r.reviewNote })),
    ...notesShown.map((n) => ({ at: n.createdAt, kind: 'note' as const, title: `${n.kind === 'reminder' ? '催报' : '督办'}${n.unit ? `（${n.unit.name}）` : ''}`, detail: n.text })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return {
    node: state.nodes.get(id)!,
    planId: plan.id,
    planTitle: plan.title,
    period: state.period,
    text: item.text,
    path,
    milestones: milestones.map((m) => presentMilestone(m, today)),
    reports,
    notes: notesShown,
    targets: targets.map(stripItem),
    links: links.map((l) => ({ kind: l.kind as 'enterprise' | 'project', refId: l.ref_id, label: l.label })),
    timeline,
    reportAs: reportableUnits(ctx.principal, state.assigned.get(id) ?? []).map((u) => ref(units, u)!),
    canEdit: hasPermission(ctx.principal, 'plans.write'),
    canReview: canReviewItem(ctx.principal, item),
  };
}

function itemSnapshot(item: PlanItemsTable, assigned: readonly PlanItemUnitsTable[]) {
  return {
    title: item.title,
    status: item.status,
    progress: item.progress,
    weight: item.weight,
    rollup: item.rollup,
    ownerSectionId: item.owner_section_id,
    responsiblePerson: item.responsible_person,
    leadUnitId: assigned.find((a) => a.role === 'lead')?.unit_id ?? null,
    cooperatingUnitIds: assigned.filter((a) => a.role === 'cooperate').map((a) => a.unit_id).sort(),
  };
}

/**
 * Assigns and edits a work point: lead and cooperating units, owning section, responsible
 * person, status, own progress (items without sub-items; a parent's rolls up), weight and
 * roll-up method, linked enterprises and projects. Audited with before and after.
 */
export async function updateItem(deps: Deps, ctx: RequestContext, id: string, body: PlanItemUpdateBody): Promise<PlanItemDetail> {
  await writeItem(deps, ctx, id, body);
  return getItem(deps, ctx, id);
}

/** The write of updateItem, without reading the item back (the demo loader assigns many). */
export async function writeItem(deps: Deps, ctx: RequestContext, id: string, body: PlanItemUpdateBody): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const { item, assigned } = await requireItem(trx, ctx.principal.scope, id);
    const units = await unitMap(trx);
    const activeUnit = (unitId: string, what: string) => {
      const unit = units.get(unitId);
      if (!unit || !unit.active) throw badRequest(`${what}不存在或已停用`);
      return unit;
    };
    if (item.kind === 'group' && (body.leadUnitId || body.cooperatingUnitIds?.length || body.progress !== undefined)) {
      throw badRequest('分组（一、二、…）不分配单位，进度由其下工作要点汇总');
    }
    if (body.progress !== undefined) {
      const children = (await listItemRows(trx, [item.plan_id])).filter((i) => i.parent_id === id);
      if (children.length) throw badRequest('该事项有下级事项，进度由下级汇总，请修改下级事项的进度');
    }
    if (body.ownerSectionId) {
      const unit = activeUnit(body.ownerSectionId, '责任股室');
      if (isTownUnit(unit)) throw badRequest('审核进展的应是局机关股室，不能是镇街');
    }
    let nextAssigned = assigned;
    if (body.leadUnitId !== undefined || body.cooperatingUnitIds !== undefined) {
      const lead = body.leadUnitId === undefined ? (assigned.find((a) => a.role === 'lead')?.unit_id ?? null) : body.leadUnitId;
      const cooperating = body.cooperatingUnitIds ?? assigned.filter((a) => a.role === 'cooperate').map((a) => a.unit_id);
      if (lead) activeUnit(lead, '牵头单位');
      for (const unitId of cooperating) activeUnit(unitId, '配合单位');
      const unique = [...new Set(cooperating)].filter((u) => u !== lead);
      nextAssigned = [...(lead ? [{ item_id: id, unit_id: lead, role: 'lead' }] : []), ...unique.map((unitId) => ({ item_id: id, unit_id: unitId, role: 'cooperate' }))];
      await replaceItemUnits(trx, id, nextAssigned);
    }
    const patch: Partial<PlanItemsTable> = {
      ...(body.title === undefined ? {} : { title: body.title }),
      ...(body.text === undefined ? {} : { text: body.text }),
      ...(body.ownerSectionId === undefined ? {} : { owner_section_id: body.ownerSectionId }),
      ...(body.responsiblePerson === undefined ? {} : { responsible_person: body.responsiblePerson?.trim() || null }),
      ...(body.status === undefined ? {} : { status: body.status }),
      ...(body.progress === undefined ? {} : { progress: body.progress }),
      ...(body.weight === undefined ? {} : { weight: body.weight }),
      ...(body.rollup === undefined ? {} : { rollup: body.rollup }),
      updated_at: nowIso(deps.now()),
    };
    await updateItemRow(trx, id, patch);
    if (body.links !== undefined) {
      const unique = new Map(body.links.map((l) => [`${l.kind}|${l.refId}`, l]));
      await replaceLinks(trx, id, [...unique.values()].map((l) => ({ item_id: id, kind: l.kind, ref_id: l.refId, label: l.label })));
    }
    await deps.audit.append(trx, ctx.actor, {
      action: 'plan_item.update',
      entityType: 'plan_item',
      entityId: id,
      before: itemSnapshot(item, assigned),
      after: { ...itemSnapshot({ ...item, ...patch }, nextAssigned), ...(body.links === undefined ? {} : { links: body.links }) },
    });
  });
}

/** Adds a sub-item under an item (or an item under a group); the parent's progress then rolls up. */
export async function createItem(deps: Deps, ctx: RequestContext, body: { parentId: string; title: string; text: string }): Promise<PlanItemDetail> {
  const id = newId();
  await deps.db.transaction().execute(async (trx) => {
    const { item: parent } = await requireItem(trx, ctx.principal.scope, body.parentId);
    const siblings = (await listItemRows(trx, [parent.plan_id])).filter((i) => i.parent_id === parent.id);
    const number = siblings.reduce((max, s) => Math.max(max, s.number), 0) + 1;
    const at = nowIso(deps.now());
    const row: PlanItemsTable = {
      id,
      plan_id: parent.plan_id,
      parent_id: parent.id,
      kind: 'item',
      number,
      label: parent.kind === 'group' ? String(number) : `${parent.label || parent.number}.${number}`,
      title: body.title,
      text: body.text,
      sort_order: await nextChildSortOrder(trx, parent.plan_id),
      owner_section_id: parent.owner_section_id,
      responsible_person: null,
      status: 'not_started',
      progress: 0,
      weight: '1',
      rollup: 'average',
      created_at: at,
      updated_at: at,
    };
    await insertItemRows(trx, [row]);
    await deps.audit.append(trx, ctx.actor, { action: 'plan_item.create', entityType: 'plan_item', entityId: id, after: { parentId: parent.id, label: row.label, title: row.title } });
  });
  return getItem(deps, ctx, id);
}

// ---- milestones -------------------------------------------------------------------------------

export async function addMilestone(deps: Deps, ctx: RequestContext, itemId: string, body: { title: string; dueDate: string; doneDate?: string | null | undefined }): Promise<PlanItemDetail> {
  await writeMilestone(deps, ctx, itemId, body);
  return getItem(deps, ctx, itemId);
}

/** The write of addMilestone. */
export async function writeMilestone(deps: Deps, ctx: RequestContext, itemId: string, body: { title: string; dueDate: string; doneDate?: string | null | undefined }): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await requireItem(trx, ctx.principal.scope, itemId);
    const at = nowIso(deps.now());
    const row: PlanMilestonesTable = { id: newId(), item_id: itemId, title: body.title, due_date: body.dueDate, done_date: body.doneDate ?? null, created_at: at, updated_at: at };
    await insertMilestoneRow(trx, row);
    await deps.audit.append(trx, ctx.actor, { action: 'plan_milestone.create', entityType: 'plan_milestone', entityId: row.id, after: { itemId, title: row.title, dueDate: row.due_date, doneDate: row.done_date } });
  });
}

async function requireMilestone(db: Handle, scope: Scope, id: string): Promise<PlanMilestonesTable> {
  const row = await findMilestoneRow(db, id);
  if (!row) throw notFound('节点');
  await requireItem(db, scope, row.item_id);
  return row;
}

export async function updateMilestone(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  body: { title?: string | undefined; dueDate?: string | undefined; doneDate?: string | null | undefined },
): Promise<PlanItemDetail> {
  const row = await requireMilestone(deps.db, ctx.principal.scope, id);
  await deps.db.transaction().execute(async (trx) => {
    const patch = {
      ...(body.title === undefined ? {} : { title: body.title }),
      ...(body.dueDate === undefined ? {} : { due_date: body.dueDate }),
      ...(body.doneDate === undefined ? {} : { done_date: body.doneDate }),
      updated_at: nowIso(deps.now()),
    };
    await updateMilestoneRow(trx, id, patch);
    await deps.audit.append(trx, ctx.actor, {
      action: 'plan_milestone.update',
      entityType: 'plan_milestone',
      entityId: id,
      before: { title: row.title, dueDate: row.due_date, doneDate: row.done_date },
      after: { title: patch.title ?? row.title, dueDate: patch.due_date ?? row.due_date, doneDate: patch.done_date === undefined ? row.done_date : patch.done_date },
    });
  });
  return getItem(deps, ctx, row.item_id);
}

export async function deleteMilestone(deps: Deps, ctx: RequestContext, id: string): Promise<PlanItemDetail> {
  const row = await requireMilestone(deps.db, ctx.principal.scope, id);
  await deps.db.transaction().execute(async (trx) => {
    await deleteMilestoneRow(trx, id);
    await deps.audit.append(trx, ctx.actor, { action: 'plan_milestone.delete', entityType: 'plan_milestone', entityId: id, before: { itemId: row.item_id, title: row.title, dueDate: row.due_date, doneDate: row.done_date } });
  });
  return getItem(deps, ctx, row.item_id);
}

// ---- progress reports -------------------------------------------------------------------------

function reportSnapshot(r: Pick<PlanReportsTable, 'period' | 'unit_id' | 'progress' | 'text' | 'figures_json' | 'status'>) {
  return { period: r.period, unitId: r.unit_id, progress: r.progress, text: r.text, figures: JSON.parse(r.figures_json) as unknown, status: r.status };
}

/** Which unit a report is filed as: asked, or the caller's active unit; it must be assigned and the caller's own. */
function reportingUnit(principal: Principal, assigned: readonly PlanItemUnitsTable[], asked: string | undefined): string {
  const unitId = asked ?? principal.activeUnitId;
  if (reportableUnits(principal, assigned).includes(unitId)) return unitId;
  if (principal.scope.kind === 'town' && !principal.scope.unitIds.includes(unitId)) throw notFound('单位');
  if (!assigned.some((a) => a.unit_id === unitId)) throw forbidden('本单位不是该工作要点的牵头或配合单位，不能报送进展');
  throw forbidden('只能以本单位名义报送进展');
}

/**
 * A monthly progress report by a lead or cooperating unit (text, figures; attachments follow
 * separately). Filing again for the same month corrects the report until the owning section
 * has approved it. A town reports only on items assigned to it (others answer 404).
 */
export async function submitReport(deps: Deps, ctx: RequestContext, itemId: string, body: ProgressReportBody): Promise<PlanItemDetail> {
  await fileReport(deps, ctx, itemId, body);
  return getItem(deps, ctx, itemId, body.period);
}

/** The write of submitReport; returns the report's id. */
export async function fileReport(deps: Deps, ctx: RequestContext, itemId: string, body: ProgressReportBody): Promise<string> {
  let reportId = '';
  await deps.db.transaction().execute(async (trx) => {
    const { item, plan, assigned } = await requireItem(trx, ctx.principal.scope, itemId);
    if (item.kind !== 'item') throw badRequest('分组不报送进展，请在其下的工作要点中报送');
    if (yearOf(body.period as Period) !== plan.year) throw badRequest(`报告期应在 ${plan.year} 年内`);
    const unitId = reportingUnit(ctx.principal, assigned, body.unitId);
    const existing = await findReportOf(trx, itemId, unitId, body.period);
    if (existing?.status === 'approved') throw conflict('本月进展已审核通过，如需修改请联系审核股室退回');
    const at = nowIso(deps.now());
    const fields = { progress: body.progress, text: body.text, figures_json: JSON.stringify(body.figures), status: 'submitted', submitted_by: ctx.actor.name, submitted_at: at };
    if (existing) {
      reportId = existing.id;
      await updateReportRow(trx, existing.id, { ...fields, review_note: existing.review_note });
      await deps.audit.append(trx, ctx.actor, { action: 'plan_report.resubmit', entityType: 'plan_report', entityId: existing.id, before: reportSnapshot(existing), after: reportSnapshot({ ...existing, ...fields }) });
    } else {
      const row: PlanReportsTable = { id: newId(), item_id: itemId, unit_id: unitId, period: body.period, review_note: null, reviewed_by: null, reviewed_at: null, ...fields };
      reportId = row.id;
      await insertReportRow(trx, row);
      await deps.audit.append(trx, ctx.actor, { action: 'plan_report.submit', entityType: 'plan_report', entityId: row.id, after: { itemId, ...reportSnapshot(row) } });
    }
  });
  return reportId;
}

async function requireReport(db: Handle, scope: Scope, id: string): Promise<{ report: PlanReportsTable } & ItemContext> {
  const report = await findReportRow(db, id);
  if (!report) throw notFound('进展报告');
  const context = await requireItem(db, scope, report.item_id);
  if (scope.kind === 'town' && !scope.unitIds.includes(report.unit_id)) throw notFound('进展报告');
  return { report, ...context };
}

/**
 * The owning section approves a report (a lead unit's approved progress becomes the item's
 * progress; 100 marks it done) or returns it with a note for correction.
 */
export async function reviewReport(deps: Deps, ctx: RequestContext, id: string, body: { decision: 'approve' | 'return'; note?: string | undefined }): Promise<PlanItemDetail> {
  const { itemId, period } = await decideReport(deps, ctx, id, body);
  return getItem(deps, ctx, itemId, period);
}

/** The write of reviewReport. */
export async function decideReport(deps: Deps, ctx: RequestContext, id: string, body: { decision: 'approve' | 'return'; note?: string | undefined }): Promise<{ itemId: string; period: string }> {
  let itemId = '';
  let period = '';
  await deps.db.transaction().execute(async (trx) => {
    const { report, item, assigned } = await requireReport(trx, ctx.principal.scope, id);
    itemId = item.id;
    period = report.period;
    if (!canReviewItem(ctx.principal, item)) {
      const owner = (await unitMap(trx)).get(item.owner_section_id ?? '')?.name ?? '责任股室';
      throw forbidden(`该工作要点的进展由${owner}审核`);
    }
    if (body.decision === 'return' && !body.note?.trim()) throw badRequest('退回时请写明需要修改的地方');
    const at = nowIso(deps.now());
    const patch = { status: body.decision === 'approve' ? 'approved' : 'returned', review_note: body.note?.trim() || null, reviewed_by: ctx.actor.name, reviewed_at: at };
    await updateReportRow(trx, id, patch);
    let progressChange: { before: number; after: number; status: string } | null = null;
    const isLead = assigned.some((a) => a.unit_id === report.unit_id && a.role === 'lead');
    if (body.decision === 'approve' && isLead && item.status !== 'suspended') {
      const status = report.progress >= 100 ? 'done' : report.progress > 0 ? 'in_progress' : item.status;
      await updateItemRow(trx, item.id, { progress: report.progress, status, updated_at: at });
      progressChange = { before: item.progress, after: report.progress, status };
    }
    await deps.audit.append(trx, ctx.actor, {
      action: body.decision === 'approve' ? 'plan_report.approve' : 'plan_report.return',
      entityType: 'plan_report',
      entityId: id,
      before: { status: report.status, itemProgress: item.progress },
      after: { status: patch.status, note: patch.review_note, ...(progressChange ? { itemProgress: progressChange.after, itemStatus: progressChange.status } : {}) },
    });
  });
  return { itemId, period };
}

const FILE_LIMIT_BYTES = 10 * 1024 * 1024;
const MIME_BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  txt: 'text/plain',
  zip: 'application/zip',
};

/** Attaches a file or photo (≤ 10 MB) to a report the caller's unit filed and that is not yet approved. */
export async function attachReportFile(deps: Deps, ctx: RequestContext, reportId: string, file: UploadedFile): Promise<PlanItemDetail> {
  let itemId = '';
  await deps.db.transaction().execute(async (trx) => {
    const { report, assigned } = await requireReport(trx, ctx.principal.scope, reportId);
    itemId = report.item_id;
    if (!reportableUnits(ctx.principal, assigned).includes(report.unit_id)) throw forbidden('只能为本单位报送的进展上传附件');
    if (report.status === 'approved') throw conflict('已审核通过的进展不能再添加附件');
    if (file.buffer.length === 0) throw new AppError('BAD_FILE', '上传的文件是空的，请重新选择');
    if (file.buffer.length > FILE_LIMIT_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', '附件不能超过 10 MB');
    const extension = file.fileName.split('.').pop()?.toLowerCase() ?? '';
    const mime = MIME_BY_EXTENSION[extension];
    if (!mime) throw new AppError('BAD_FILE', `不支持的附件类型 .${extension}：可上传图片（jpg、png）、PDF、Word、Excel、txt 或 zip`);
    const row = { id: newId(), report_id: reportId, file_name: file.fileName, mime, size: file.buffer.length, content_base64: file.buffer.toString('base64'), created_at: nowIso(deps.now()) };
    await insertFileRow(trx, row);
    await deps.audit.append(trx, ctx.actor, { action: 'plan_report.attach', entityType: 'plan_report', entityId: reportId, after: { fileId: row.id, fileName: row.file_name, size: row.size } });
  });
  return getItem(deps, ctx, itemId);
}

/** An attachment, scoped like its report. */
export async function getReportFile(deps: Deps, ctx: RequestContext, id: string): Promise<{ fileName: string; mime: string; buffer: Buffer }> {
  const file = await findFileRow(deps.db, id);
  if (!file) throw notFound('附件');
  await requireReport(deps.db, ctx.principal.scope, file.report_id);
  return { fileName: file.file_name, mime: file.mime, buffer: Buffer.from(file.content_base64, 'base64') };
}

// ---- supervision ------------------------------------------------------------------------------

/** A 督办 note or a reminder on an item, optionally addressed to one of its units. */
export async function addNote(
  deps: Deps,
  ctx: RequestContext,
  itemId: string,
  body: { kind: NoteKind; text: string; unitId?: string | null | undefined; period?: string | null | undefined; dueDate?: string | null | undefined },
): Promise<PlanItemDetail> {
  await deps.db.transaction().execute(async (trx) => {
    const { assigned } = await requireItem(trx, ctx.principal.scope, itemId);
    if (body.unitId && !assigned.some((a) => a.unit_id === body.unitId)) throw badRequest('督办对象应是该工作要点的牵头或配合单位');
    const row: PlanNotesTable = {
      id: newId(),
      item_id: itemId,
      kind: body.kind,
      text: body.text,
      unit_id: body.unitId ?? null,
      period: body.period ?? null,
      due_date: body.dueDate ?? null,
      created_by: ctx.actor.name,
      created_at: nowIso(deps.now()),
    };
    await insertNoteRows(trx, [row]);
    await deps.audit.append(trx, ctx.actor, { action: 'plan_note.create', entityType: 'plan_note', entityId: row.id, after: { itemId, kind: row.kind, text: row.text, unitId: row.unit_id, period: row.period, dueDate: row.due_date } });
  });
  return getItem(deps, ctx, itemId);
}

/**
 * "Who has not reported": for a period, each assigned unit of each open work point without a
 * report, whether it was reminded, and the overdue milestones; the count per unit feeds the
 * ranking (through the plans.reporting_rate metric). A town sees its own lines.
 */
export async function listUnreported(deps: Deps, ctx: RequestContext, planId: string, askedPeriod?: string): Promise<Unreported> {
  const plan = await requirePlan(deps.db, planId);
  const units = await unitMap(deps.db);
  const state = await loadPlanState(deps, plan, askedPeriod, units);
  const scope = ctx.principal.scope;
  const mine = (unitId: string) => scope.kind === 'all' || (scope.kind === 'town' && scope.unitIds.includes(unitId));
  const reminders = await listNoteRows(deps.db, { itemIds: state.items.map((i) => i.id), period: state.period, kind: 'reminder' });
  const reminded = new Set(reminders.map((n) => `${n.item_id}|${n.unit_id ?? ''}`));
  const itemRef = (id: string) => {
    const node = state.nodes.get(id)!;
    return { id, label: node.label, title: node.title };
  };
  const missing: Unreported['missing'] = [];
  const byUnit = new Map<string, { missing: number; assigned: number }>();
  for (const id of state.order) {
    const node = state.nodes.get(id)!;
    if (node.kind !== 'item' || node.hasChildren || node.status === 'done' || node.status === 'suspended') continue;
    for (const a of state.assigned.get(id) ?? []) {
      const counts = byUnit.get(a.unit_id) ?? { missing: 0, assigned: 0 };
      counts.assigned++;
      byUnit.set(a.unit_id, counts);
    }
    for (const unit of node.missingUnits) {
      byUnit.get(unit.id)!.missing++;
      if (mine(unit.id)) missing.push({ item: itemRef(id), unit, reminded: reminded.has(`${id}|${unit.id}`) });
    }
  }
  const today = minDate(beijingToday(deps.now()), periodEnd(state.period));
  const milestones = await listMilestoneRows(deps.db, state.items.map((i) => i.id));
  const overdueMilestones = milestones
    .filter((m) => m.done_date === null && m.due_date < today && itemInScope(scope, state.assigned.get(m.item_id) ?? []))
    .map((m) => ({ item: itemRef(m.item_id), milestone: presentMilestone(m, today) }));
  return {
    period: state.period,
    missing,
    overdueMilestones,
    byUnit: [...byUnit.entries()]
      .map(([unitId, counts]) => ({ unit: ref(units, unitId)!, ...counts }))
      .sort((a, b) => b.missing - a.missing || a.unit.name.localeCompare(b.unit.name, 'zh')),
  };
}

/** 催报: a reminder note to every unit that has not reported for the period and was not yet reminded. */
export async function remindUnreported(deps: Deps, ctx: RequestContext, planId: string, askedPeriod?: string): Promise<{ created: number }> {
  const unreported = await listUnreported(deps, ctx, planId, askedPeriod);
  const pending = unreported.missing.filter((m) => !m.reminded);
  if (pending.length === 0) return { created: 0 };
  const at = nowIso(deps.now());
  const rows: PlanNotesTable[] = pending.map((m) => ({
    id: newId(),
    item_id: m.item.id,
    kind: 'reminder',
    text: `请于 ${reportDeadline(unreported.period as Period)} 前报送 ${unreported.period} 工作进展（第 ${m.item.label} 项：${m.item.title}）`,
    unit_id: m.unit.id,
    period: unreported.period,
    due_date: reportDeadline(unreported.period as Period),
    created_by: ctx.actor.name,
    created_at: at,
  }));
  await deps.db.transaction().execute(async (trx) => {
    await insertNoteRows(trx, rows);
    await deps.audit.append(trx, ctx.actor, {
      action: 'plan.remind',
      entityType: 'plan',
      entityId: planId,
      after: { period: unreported.period, reminders: rows.map((r) => ({ id: r.id, itemId: r.item_id, unitId: r.unit_id })) },
    });
  });
  return { created: rows.length };
}

/**
 * "My work points": the items the caller's unit (a town: its units) leads or cooperates on in
 * one year's plans, with this period's report of that unit.
 */
export async function listMyItems(deps: Deps, ctx: RequestContext, askedPeriod?: string): Promise<MyItems> {
  const principal = ctx.principal;
  const unitIds = principal.scope.kind === 'town' ? [...principal.scope.unitIds] : [principal.activeUnitId];
  const units = await unitMap(deps.db);
  const links = await itemIdsOfUnits(deps.db, unitIds);
  const plans = await listPlanRows(deps.db);
  const items = new Map((await listItemRows(deps.db, plans.map((p) => p.id))).map((i) => [i.id, i]));
  const mine = links.filter((l) => items.has(l.item_id));
  const years = [...new Set(mine.map((l) => plans.find((p) => p.id === items.get(l.item_id)!.plan_id)!.year))];
  const year = askedPeriod && isPeriod(askedPeriod) ? yearOf(askedPeriod) : (years.sort((a, b) => b - a)[0] ?? yearOf(periodOfDate(beijingToday(deps.now()))));
  const period = askedPeriod && isPeriod(askedPeriod) ? askedPeriod : await defaultPlanPeriod(deps, year);
  const out: MyItems['items'] = [];
  for (const plan of plans.filter((p) => p.year === year)) {
    const own = mine.filter((l) => items.get(l.item_id)!.plan_id === plan.id);
    if (own.length === 0) continue;
    const state = await loadPlanState(deps, plan, period, units);
    const reports = await listReportRows(deps.db, { itemIds: own.map((l) => l.item_id), period });
    for (const id of state.order) {
      const link = own.find((l) => l.item_id === id);
      if (!link) continue;
      const report = reports.find((r) => r.item_id === id && r.unit_id === link.unit_id);
      out.push({
        planId: plan.id,
        planTitle: plan.title,
        node: state.nodes.get(id)!,
        role: link.role as 'lead' | 'cooperate',
        report: report ? { id: report.id, status: report.status as ReportStatus, progress: report.progress } : null,
      });
    }
  }
  return { period, unit: ref(units, principal.activeUnitId)!, items: out };
}

// ---- the metric the ranking reads -------------------------------------------------------------

/**
 * 工作要点报送及时率: of the (work point, assigned unit) pairs of a year's plans that owe a
 * report for the period, the share reported by the 10th of the following month — per town
 * (its own pairs) or for the district. Registered in app.ts so rankings can use it without
 * the targets module importing this one.
 */
export const reportingRateSource: MetricSource = {
  id: 'plans.reporting_rate',
  label: '工作要点进展报送及时率',
  unit: '%',
  kind: 'share',
  origin: 'work',
  byTown: true,
  note: '承担的工作要点中按时（次月 10 日前）报送当月进展的比例',
  compute: async (deps, query) => {
    if (!isPeriod(query.period)) return { value: null };
    const period = query.period;
    const items = (await listItemRowsOfYear(deps.db, yearOf(period))).filter((i) => i.kind === 'item' && i.status !== 'suspended');
    const parents = new Set(items.map((i) => i.parent_id));
    const leaves = items.filter((i) => !parents.has(i.id));
    const assigned = (await listItemUnitRows(deps.db, leaves.map((i) => i.id))).filter((a) => !query.townId || a.unit_id === query.townId);
    if (assigned.length === 0) return { value: null };
    const reports = await listReportRows(deps.db, { itemIds: [...new Set(assigned.map((a) => a.item_id))], period });
    const deadline = reportDeadline(period);
    const onTime = new Set(reports.filter((r) => beijingToday(new Date(r.submitted_at)) <= deadline).map((r) => `${r.item_id}|${r.unit_id}`));
    const punctual = assigned.filter((a) => onTime.has(`${a.item_id}|${a.unit_id}`)).length;
    return { value: (Math.round((punctual / assigned.length) * 1000) / 10).toFixed(1), detail: { owed: assigned.length, punctual } };
  },
};

// ---- helpers ----------------------------------------------------------------------------------

function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k) ?? [];
    list.push(row);
    out.set(k, list);
  }
  return out;
}

function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

