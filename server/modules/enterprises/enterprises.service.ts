import type { Kysely, Transaction } from 'kysely';
import type {
  Chain,
  EnterpriseCreateBody,
  EnterpriseDetail,
  EnterpriseFilter,
  EnterpriseListItem,
  EnterpriseListQuery,
  EnterpriseUpdateBody,
  FieldWarning,
  ScaleEntryReason,
} from '#common/contracts/enterprises.ts';
import { ENTERPRISE_COLUMNS } from '#common/contracts/enterprises.ts';
import type { Unit } from '#common/contracts/org.ts';
import type { IndustryCodeCheck } from '#common/industry.ts';
import { checkIndustryCode } from '#common/industry.ts';
import { beijingToday } from '#common/period.ts';
import type { Period } from '#common/period.ts';
import type { Database, EnterprisesTable } from '#server/db/schema.ts';
import type { Actor, AuditEntry } from '#server/platform/audit.ts';
import type { Deps } from '#server/platform/deps.ts';
import { AppError, conflict, forbidden, notFound } from '#server/platform/errors.ts';
import { writeXlsx } from '#server/platform/excel.ts';
import type { ExportColumn } from '#server/platform/excel.ts';
import { newId, nowIso } from '#server/platform/ids.ts';
import { isInScope } from '#server/platform/scope.ts';
import type { Scope } from '#server/platform/scope.ts';
import { isTownUnit, listUnits } from '#server/modules/org/org.service.ts';
import { listChains } from '#server/modules/enterprises/enterprises.chains.ts';
import {
  chainsOf,
  findEnterpriseRow,
  findEnterprisesByUscc,
  clearEnterpriseLinks,
  findGroupByName,
  insertEnterpriseLinks,
  insertEnterpriseRows,
  insertGroup,
  insertSpells,
  listAllEnterpriseRows,
  listEnterpriseRows,
  listGroupCounts,
  listTagCounts,
  spellsOf,
  tagsOf,
  updateEnterpriseRow,
  updateSpell,
} from '#server/modules/enterprises/enterprises.repo.ts';
import type { EnterpriseRow } from '#server/modules/enterprises/enterprises.repo.ts';
import { checkIndustryInput, checkText, checkUsccInput, parseCalendarDate, parseScalePeriod, planScale } from '#server/modules/enterprises/enterprises.rules.ts';
import type { ScaleIntent, ScalePlan, Spell } from '#server/modules/enterprises/enterprises.rules.ts';
import type { EnterpriseChange as RegistryChange } from '#server/platform/registry-changes.ts';

type Handle = Kysely<Database>;
type Trx = Transaction<Database>;

/** Who is asking, as every enterprise use case receives it (no Fastify here). */
export type EnterpriseContext = { scope: Scope; actor: Actor };

// ---- Reading ----------------------------------------------------------------------------------

/** The enterprises the caller's scope reaches: searched by name or USCC, filtered, sorted, paged. */
export async function listEnterprises(deps: Deps, scope: Scope, query: EnterpriseListQuery): Promise<{ items: EnterpriseListItem[]; total: number }> {
  const { rows, total } = await listEnterpriseRows(deps.db, scope, query, query);
  const chains = await chainsOf(deps.db, rows.map((r) => r.id));
  return {
    items: rows.map((r) => ({
      id: r.id,
      uscc: r.uscc,
      name: r.name,
      town: { id: r.town_id, name: r.town_name },
      industryCode: r.industry_code,
      chains: chains.get(r.id) ?? [],
      aboveScale: r.above_scale === 1,
    })),
    total,
  };
}

/** 一企一档: one enterprise with everything the registry holds; 404 outside the caller's scope. */
export async function getEnterprise(deps: Deps, scope: Scope, id: string, db: Handle = deps.db): Promise<EnterpriseDetail> {
  const row = await findEnterpriseRow(db, scope, id);
  if (!row) throw notFound('企业');
  const [chains, tags, spells] = await Promise.all([chainsOf(db, [id]), tagsOf(db, [id]), spellsOf(db, [id])]);
  return presentDetail(row, chains.get(id) ?? [], tags.get(id) ?? [], spells.get(id) ?? []);
}

function presentDetail(row: EnterpriseRow, chains: { id: string; name: string }[], tags: string[], spells: Spell[]): EnterpriseDetail {
  const industry = checkIndustryCode(row.industry_code);
  const open = spells.find((s) => s.toPeriod === null);
  const warnings: FieldWarning[] = [
    ...(JSON.parse(row.uscc_warnings) as string[]).map((message) => ({ field: 'uscc', message })),
    ...(JSON.parse(row.industry_warnings) as string[]).map((message) => ({ field: 'industryCode', message })),
  ];
  return {
    id: row.id,
    uscc: row.uscc,
    name: row.name,
    town: { id: row.town_id, name: row.town_name },
    industryCode: row.industry_code,
    industry: {
      code: row.industry_code,
      section: industry.section,
      divisionCode: industry.division,
      divisionName: industry.divisionName,
      groupCode: industry.group,
      groupName: industry.groupName,
      className: industry.className,
    },
    group: row.group_id && row.group_name ? { id: row.group_id, name: row.group_name } : null,
    chains,
    aboveScale: row.above_scale === 1,
    scaleSince: open?.fromPeriod ?? null,
    scaleHistory: spells.map((s) => ({
      id: s.id,
      fromPeriod: s.fromPeriod,
      fromReason: s.fromReason as ScaleEntryReason,
      toPeriod: s.toPeriod,
      toReason: s.toReason === null ? null : '退库',
    })),
    registrationDate: row.registration_date,
    address: row.address,
    contactName: row.contact_name,
    contactPhone: row.contact_phone,
    tags,
    warnings,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function listEnterpriseTags(deps: Deps, scope: Scope) {
  return { items: await listTagCounts(deps.db, scope) };
}

/** 集团 with their member counts; a town sees only groups with members in its town. */
export async function listEnterpriseGroups(deps: Deps, scope: Scope) {
  const groups = await listGroupCounts(deps.db, scope);
  return { items: scope.kind === 'all' ? groups : groups.filter((g) => g.count > 0) };
}

// ---- The record as the service changes it ----------------------------------------------------

/** An enterprise as stored, with what hangs on it: what a change is compared with. */
export type EnterpriseState = { row: EnterpriseRow; chainIds: string[]; tags: string[]; spells: Spell[] };

export async function loadStates(db: Handle, rows: readonly EnterpriseRow[]): Promise<Map<string, EnterpriseState>> {
  const ids = rows.map((r) => r.id);
  const [chains, tags, spells] = await Promise.all([chainsOf(db, ids), tagsOf(db, ids), spellsOf(db, ids)]);
  return new Map(
    rows.map((row) => [row.id, { row, chainIds: (chains.get(row.id) ?? []).map((c) => c.id), tags: tags.get(row.id) ?? [], spells: spells.get(row.id) ?? [] }]),
  );
}

/**
 * The values an enterprise should have, checked and normalised. Optional parts left undefined
 * stay as they are on an existing record.
 */
export type EnterpriseDraft = {
  uscc: string;
  usccWarnings: string[];
  name: string;
  townId: string;
  industry: IndustryCodeCheck;
  chainIds?: string[] | undefined;
  registrationDate?: string | null | undefined;
  address?: string | null | undefined;
  contactName?: string | null | undefined;
  contactPhone?: string | null | undefined;
  groupName?: string | null | undefined;
  tags?: string[] | undefined;
};

/** Chinese names of the fields, for previews and audit. */
export const FIELD_LABELS: Record<string, string> = {
  ...Object.fromEntries(ENTERPRISE_COLUMNS.map((c) => [c.key, c.header])),
  townId: '所属镇街',
  chainIds: '产业链',
  groupName: '所属集团',
  scale: '规上状态',
};

type Snapshot = Record<string, unknown>;

function snapshotOf(state: EnterpriseState | null, draft: EnterpriseDraft | null, chainNames: Map<string, string>): Snapshot {
  if (draft) {
    return {
      uscc: draft.uscc,
      name: draft.name,
      townId: draft.townId,
      industryCode: draft.industry.code,
      ...(draft.chainIds === undefined ? {} : { chainIds: [...draft.chainIds].map((id) => chainNames.get(id) ?? id).sort() }),
      ...(draft.registrationDate === undefined ? {} : { registrationDate: draft.registrationDate }),
      ...(draft.address === undefined ? {} : { address: draft.address }),
      ...(draft.contactName === undefined ? {} : { contactName: draft.contactName }),
      ...(draft.contactPhone === undefined ? {} : { contactPhone: draft.contactPhone }),
      ...(draft.groupName === undefined ? {} : { groupName: draft.groupName }),
      ...(draft.tags === undefined ? {} : { tags: [...draft.tags].sort() }),
    };
  }
  const row = state!.row;
  return {
    uscc: row.uscc,
    name: row.name,
    townId: row.town_id,
    industryCode: row.industry_code,
    chainIds: state!.chainIds.map((id) => chainNames.get(id) ?? id).sort(),
    registrationDate: row.registration_date,
    address: row.address,
    contactName: row.contact_name,
    contactPhone: row.contact_phone,
    groupName: row.group_name,
    tags: [...state!.tags].sort(),
  };
}

/** The fields a draft would change on a record (keys of FIELD_LABELS), scale included. */
export function changedFields(state: EnterpriseState, draft: EnterpriseDraft, plan: ScalePlan, chainNames: Map<string, string>): string[] {
  const before = snapshotOf(state, null, chainNames);
  const after = snapshotOf(null, draft, chainNames);
  const fields = Object.keys(after).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
  if (plan.ops.length > 0) fields.push('scale');
  return fields;
}

export type SaveCaches = { groups: Map<string, string>; chainNames: Map<string, string> };

/** One enterprise's pending change: what saveEnterprises writes, in bulk for an import. */
export type EnterpriseChange = {
  state: EnterpriseState | null;
  draft: EnterpriseDraft;
  plan: ScalePlan;
  /** Where the change came from (an import and its row), kept in the audit record. */
  source?: Record<string, unknown>;
};

/**
 * Writes enterprises (a null state creates one) with their chains, tags, group and 规上 spells,
 * and one audit record each, inside the caller's transaction. New records, chain and tag rows,
 * spells and audit records go in batches, so a roster of thousands takes a few dozen statements.
 * Changes that change nothing are skipped. Answers the ids and changed fields, in input order.
 */
export async function saveEnterprises(trx: Trx, deps: Deps, actor: Actor, changes: readonly EnterpriseChange[], caches: SaveCaches): Promise<{ id: string; fields: string[] }[]> {
  const now = nowIso(deps.now());
  await resolveGroups(trx, deps, actor, changes, caches, now);

  const inserts: EnterprisesTable[] = [];
  const chainRows: { enterprise_id: string; chain_id: string }[] = [];
  const tagRows: { enterprise_id: string; tag: string }[] = [];
  const clearChains: string[] = [];
  const clearTags: string[] = [];
  const newSpells: { id: string; enterprise_id: string; from_period: string; from_reason: string; to_period: null; to_reason: null; created_at: string; updated_at: string }[] = [];
  const audits: AuditEntry[] = [];
  const results: { id: string; fields: string[] }[] = [];
  const changed: RegistryChange[] = [];

  for (const { state, draft, plan, source } of changes) {
    const fields = state ? changedFields(state, draft, plan, caches.chainNames) : Object.keys(snapshotOf(null, draft, caches.chainNames));
    const id = state?.row.id ?? newId();
    results.push({ id, fields });
    if (state && fields.length === 0) continue;

    const groupId = draft.groupName === undefined ? undefined : draft.groupName === null ? null : caches.groups.get(draft.groupName)!;
    const above = scaleAfter(state?.spells ?? [], plan) ? 1 : 0;
    const columns = {
      uscc: draft.uscc,
      name: draft.name,
      town_id: draft.townId,
      industry_code: draft.industry.code,
      industry_division: draft.industry.division,
      industry_group: draft.industry.group,
      uscc_warnings: JSON.stringify(draft.usccWarnings),
      industry_warnings: JSON.stringify(draft.industry.warnings),
      above_scale: above,
      updated_at: now,
    };
    if (!state) {
      inserts.push({
        id,
        ...columns,
        group_id: groupId ?? null,
        registration_date: draft.registrationDate ?? null,
        address: draft.address ?? null,
        contact_name: draft.contactName ?? null,
        contact_phone: draft.contactPhone ?? null,
        created_at: now,
      });
    } else {
      await updateEnterpriseRow(trx, id, {
        ...columns,
        ...(groupId === undefined ? {} : { group_id: groupId }),
        ...(draft.registrationDate === undefined ? {} : { registration_date: draft.registrationDate }),
        ...(draft.address === undefined ? {} : { address: draft.address }),
        ...(draft.contactName === undefined ? {} : { contact_name: draft.contactName }),
        ...(draft.contactPhone === undefined ? {} : { contact_phone: draft.contactPhone }),
      });
    }
    if (draft.chainIds !== undefined && (!state || fields.includes('chainIds'))) {
      if (state) clearChains.push(id);
      for (const chainId of new Set(draft.chainIds)) chainRows.push({ enterprise_id: id, chain_id: chainId });
    }
    if (draft.tags !== undefined && (!state || fields.includes('tags'))) {
      if (state) clearTags.push(id);
      for (const tag of new Set(draft.tags)) tagRows.push({ enterprise_id: id, tag });
    }
    for (const op of plan.ops) {
      if (op.kind === 'open') newSpells.push({ id: newId(), enterprise_id: id, from_period: op.fromPeriod, from_reason: op.fromReason, to_period: null, to_reason: null, created_at: now, updated_at: now });
      else if (op.kind === 'move-start') await updateSpell(trx, op.spellId, { from_period: op.fromPeriod, from_reason: op.fromReason }, now);
      else await updateSpell(trx, op.spellId, { to_period: op.toPeriod, to_reason: op.toReason }, now);
    }

    changed.push({ enterpriseId: id, created: !state, fields: plan.ops.length && !fields.includes('scale') ? [...fields, 'scale'] : fields });
    const before = state ? pick(snapshotOf(state, null, caches.chainNames), fields) : undefined;
    const after = pick(snapshotOf(null, draft, caches.chainNames), fields);
    if (plan.ops.length) {
      after.scale = plan.ops;
      if (before) before.scale = state!.spells;
    }
    audits.push({
      action: state ? 'enterprise.update' : 'enterprise.create',
      entityType: 'enterprise',
      entityId: id,
      ...(before ? { before } : {}),
      after: { ...after, ...(source ? { source } : {}) },
    });
  }

  await insertEnterpriseRows(trx, inserts);
  await clearEnterpriseLinks(trx, clearChains, clearTags);
  await insertEnterpriseLinks(trx, chainRows, tagRows);
  await insertSpells(trx, newSpells);
  await deps.audit.appendMany(trx, actor, audits);
  // Records kept above the registry (monitoring's warnings) follow town, chain and 规上 changes
  // in this same transaction.
  await deps.registryChanges.notify(trx, changed, now);
  return results;
}

/** Finds or creates (audited) every group the changes name, into caches.groups. */
async function resolveGroups(trx: Trx, deps: Deps, actor: Actor, changes: readonly EnterpriseChange[], caches: SaveCaches, now: string): Promise<void> {
  const names = new Set(changes.map((c) => c.draft.groupName).filter((n): n is string => typeof n === 'string' && !caches.groups.has(n)));
  for (const name of names) {
    let id = (await findGroupByName(trx, name))?.id;
    if (!id) {
      id = await insertGroup(trx, name, now);
      await deps.audit.append(trx, actor, { action: 'enterprise_group.create', entityType: 'enterprise_group', entityId: id, after: { name } });
    }
    caches.groups.set(name, id);
  }
}

function pick(snapshot: Snapshot, fields: string[]): Snapshot {
  return Object.fromEntries(fields.filter((f) => f in snapshot).map((f) => [f, snapshot[f]]));
}

function scaleAfter(spells: readonly Spell[], plan: ScalePlan): boolean {
  let open = spells.some((s) => s.toPeriod === null);
  for (const op of plan.ops) {
    if (op.kind === 'open') open = true;
    if (op.kind === 'close') open = false;
  }
  return open;
}

// ---- Form entry -----------------------------------------------------------------------------

type Problem = { field: string; message: string };

function refuse(problems: Problem[]): AppError {
  return new AppError('VALIDATION', problems.length === 1 ? problems[0]!.message : `有 ${problems.length} 处需要修改：${problems.map((p) => p.message).join('；')}`, problems);
}

/** The towns (streets, towns, zones) a record may belong to. */
export function townUnits(units: readonly Unit[]): Unit[] {
  return units.filter((u) => u.active && isTownUnit(u));
}

type FormContext = { units: Unit[]; chains: Chain[]; today: string };

async function formContext(deps: Deps, db: Handle): Promise<FormContext> {
  return { units: await listUnits(db), chains: await listChains(db), today: beijingToday(deps.now()) };
}

function optionalField(value: string | null | undefined, label: string, max: number, problems: Problem[], field: string): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value.trim() === '') return null;
  const checked = checkText(value, label, max);
  if (!checked.ok) {
    problems.push({ field, message: checked.message });
    return undefined;
  }
  return checked.value;
}

/** Checks a form body against the rules; `state` is the record being edited (null: a new one). */
function draftFromBody(body: EnterpriseUpdateBody, state: EnterpriseState | null, ctx: FormContext, scope: Scope, problems: Problem[]): { draft: EnterpriseDraft; intent: ScaleIntent } {
  const row = state?.row;
  let uscc = row?.uscc ?? '';
  let usccWarnings: string[] = row ? (JSON.parse(row.uscc_warnings) as string[]) : [];
  if (body.uscc !== undefined) {
    const check = checkUsccInput(body.uscc);
    if (check.errors.length) problems.push(...check.errors.map((message) => ({ field: 'uscc', message })));
    uscc = check.uscc;
    usccWarnings = check.warnings;
  }
  let industry = checkIndustryCode(row?.industry_code ?? '');
  if (body.industryCode !== undefined) {
    industry = checkIndustryInput(body.industryCode);
    problems.push(...industry.errors.map((message) => ({ field: 'industryCode', message })));
  }
  const townId = body.townId ?? row?.town_id ?? '';
  if (body.townId !== undefined && body.townId !== row?.town_id) {
    const town = townUnits(ctx.units).find((u) => u.id === body.townId);
    if (!town) problems.push({ field: 'townId', message: '所选镇街不存在或已停用，请重新选择' });
    else if (!isInScope(scope, { townId: town.id })) {
      problems.push({ field: 'townId', message: state ? '不能把企业划转到本账号管辖范围以外的镇街，如需划转请联系区局' : '只能登记本镇街的企业' });
    }
  }
  let chainIds: string[] | undefined;
  if (body.chainIds !== undefined) {
    const active = new Set(ctx.chains.filter((c) => c.active).map((c) => c.id));
    const unknown = body.chainIds.filter((id) => !active.has(id));
    if (unknown.length) problems.push({ field: 'chainIds', message: '所选产业链不存在或已停用，请重新选择' });
    chainIds = [...new Set(body.chainIds)];
  } else if (!state) chainIds = [];

  const period = (value: string | null | undefined, label: string, field: string): Period | undefined => {
    if (value === undefined || value === null || value.trim() === '') return undefined;
    const parsed = parseScalePeriod(value, label);
    if (!parsed.ok) {
      problems.push({ field, message: parsed.message });
      return undefined;
    }
    return parsed.value;
  };
  const intent: ScaleIntent = {
    aboveScale: body.aboveScale ?? (state ? undefined : false),
    since: period(body.scaleSince, '规上起始年月', 'scaleSince'),
    exit: period(body.scaleExit, '退库年月', 'scaleExit'),
  };

  let registrationDate: string | null | undefined;
  if (body.registrationDate !== undefined) {
    if (body.registrationDate === null || body.registrationDate.trim() === '') registrationDate = null;
    else {
      const parsed = parseCalendarDate(body.registrationDate, '成立日期', ctx.today);
      if (parsed.ok) registrationDate = parsed.value;
      else problems.push({ field: 'registrationDate', message: parsed.message });
    }
  }
  const draft: EnterpriseDraft = {
    uscc,
    usccWarnings,
    name: body.name ?? row?.name ?? '',
    townId,
    industry,
    chainIds,
    registrationDate,
    address: optionalField(body.address, '地址', 200, problems, 'address'),
    contactName: optionalField(body.contactName, '联系人', 50, problems, 'contactName'),
    contactPhone: optionalField(body.contactPhone, '联系电话', 30, problems, 'contactPhone'),
    groupName: optionalField(body.groupName, '所属集团', 100, problems, 'groupName'),
    tags: body.tags === undefined ? (state ? undefined : []) : [...new Set(body.tags.map((t) => t.trim()).filter((t) => t !== ''))],
  };
  return { draft, intent };
}

async function assertUsccFree(db: Handle, uscc: string, scope: Scope, selfId: string | null): Promise<void> {
  const [holder] = await findEnterprisesByUscc(db, [uscc]);
  if (!holder || holder.id === selfId) return;
  // The holder's name is shown only to someone who may see it.
  const message = isInScope(scope, { townId: holder.town_id, enterpriseId: holder.id })
    ? `统一社会信用代码 ${uscc} 已登记为「${holder.name}」（${holder.town_name}），不能重复登记`
    : `统一社会信用代码 ${uscc} 已登记在其他镇街，不能重复登记；如需划转请联系区局`;
  throw conflict(message, [{ field: 'uscc', message }]);
}

/** Registers an enterprise from the form. Check-digit failures are kept as warnings on the record. */
export async function createEnterprise(deps: Deps, ctx: EnterpriseContext, body: EnterpriseCreateBody): Promise<EnterpriseDetail> {
  if (ctx.scope.kind === 'enterprise') throw forbidden('企业账号不能登记新企业');
  const id = await deps.db.transaction().execute(async (trx) => {
    const form = await formContext(deps, trx);
    const problems: Problem[] = [];
    const { draft, intent } = draftFromBody(body, null, form, ctx.scope, problems);
    const plan = planScale([], intent, form.today);
    problems.push(...plan.problems);
    if (problems.length) throw refuse(problems);
    await assertUsccFree(trx, draft.uscc, ctx.scope, null);
    const caches: SaveCaches = { groups: new Map(), chainNames: new Map(form.chains.map((c) => [c.id, c.name])) };
    const [saved] = await withUniqueUscc(() => saveEnterprises(trx, deps, ctx.actor, [{ state: null, draft, plan }], caches), draft.uscc);
    return saved!.id;
  });
  return getEnterprise(deps, ctx.scope, id);
}

/** Edits an enterprise the caller's scope reaches (404 otherwise); absent fields stay. */
export async function updateEnterprise(deps: Deps, ctx: EnterpriseContext, id: string, body: EnterpriseUpdateBody): Promise<EnterpriseDetail> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await findEnterpriseRow(trx, ctx.scope, id);
    if (!row) throw notFound('企业');
    const state = (await loadStates(trx, [row])).get(id)!;
    const form = await formContext(deps, trx);
    const problems: Problem[] = [];
    const { draft, intent } = draftFromBody(body, state, form, ctx.scope, problems);
    const plan = planScale(state.spells, intent, form.today);
    problems.push(...plan.problems);
    if (problems.length) throw refuse(problems);
    if (draft.uscc !== row.uscc) await assertUsccFree(trx, draft.uscc, ctx.scope, id);
    const caches: SaveCaches = { groups: new Map(), chainNames: new Map(form.chains.map((c) => [c.id, c.name])) };
    await withUniqueUscc(() => saveEnterprises(trx, deps, ctx.actor, [{ state, draft, plan }], caches), draft.uscc);
  });
  return getEnterprise(deps, ctx.scope, id);
}

/** Two writers racing on one USCC meet on the unique index: the loser gets the same 409. */
async function withUniqueUscc<T>(write: () => Promise<T>, uscc: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) {
      const message = `统一社会信用代码 ${uscc} 已被登记，不能重复登记`;
      throw conflict(message, [{ field: 'uscc', message }]);
    }
    throw error;
  }
}

export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

// ---- Export and template ------------------------------------------------------------------------

const EXPORT_LIMIT = 100_000;

type ExportRow = { row: EnterpriseRow; chains: string[]; tags: string[]; spells: Spell[] };

/**
 * The columns of the import template and of the export, in the same order and with the same
 * headers, so an exported file imports back unchanged. 行业名称 is extra (ignored on import).
 */
const EXPORT_COLUMNS: ExportColumn<ExportRow>[] = [
  { header: '统一社会信用代码', width: 22, value: (r) => r.row.uscc },
  { header: '企业名称', width: 36, value: (r) => r.row.name },
  { header: '所属镇街', width: 14, value: (r) => r.row.town_name },
  { header: '国民经济行业代码', width: 10, value: (r) => r.row.industry_code },
  { header: '产业链', width: 24, value: (r) => r.chains.join('、') },
  { header: '是否规上', width: 8, value: (r) => (r.row.above_scale === 1 ? '是' : '否') },
  { header: '规上起始年月', width: 10, value: (r) => r.spells.find((s) => s.toPeriod === null)?.fromPeriod ?? null },
  { header: '退库年月', width: 10, value: (r) => exitPeriodOf(r) },
  { header: '成立日期', width: 12, value: (r) => r.row.registration_date },
  { header: '地址', width: 36, value: (r) => r.row.address },
  { header: '联系人', width: 10, value: (r) => r.row.contact_name },
  { header: '联系电话', width: 16, value: (r) => r.row.contact_phone },
  { header: '所属集团', width: 16, value: (r) => r.row.group_name },
  { header: '标签', width: 20, value: (r) => r.tags.join('、') },
  { header: '行业名称', width: 24, value: (r) => checkIndustryCode(r.row.industry_code).className },
];

/** The first period after the last closed spell, for an enterprise no longer 规上. */
function exitPeriodOf(r: ExportRow): string | null {
  if (r.row.above_scale === 1) return null;
  const last = [...r.spells].filter((s) => s.toPeriod !== null).sort((a, b) => (a.toPeriod! < b.toPeriod! ? 1 : -1))[0];
  if (!last?.toPeriod) return null;
  const year = Number(last.toPeriod.slice(0, 4));
  const month = Number(last.toPeriod.slice(5, 7));
  return month === 12 ? `${year + 1}-02` : `${year}-${String(month + 1).padStart(2, '0')}`;
}

/** The filtered list as an xlsx in the import template's layout (all pages, within scope). */
export async function exportEnterprises(deps: Deps, scope: Scope, filter: EnterpriseFilter): Promise<Buffer> {
  const rows = await listAllEnterpriseRows(deps.db, scope, filter, EXPORT_LIMIT);
  const ids = rows.map((r) => r.id);
  const [chains, tags, spells] = await Promise.all([chainsOf(deps.db, ids), tagsOf(deps.db, ids), spellsOf(deps.db, ids)]);
  const data: ExportRow[] = rows.map((row) => ({
    row,
    chains: (chains.get(row.id) ?? []).map((c) => c.name),
    tags: tags.get(row.id) ?? [],
    spells: spells.get(row.id) ?? [],
  }));
  return writeXlsx([{ name: '企业名录', columns: EXPORT_COLUMNS, rows: data }]);
}

/** An empty roster in the import layout, with a sheet explaining each column. */
export async function enterpriseImportTemplate(deps: Deps): Promise<Buffer> {
  const chains = (await listChains(deps.db)).filter((c) => c.active).map((c) => c.name);
  const towns = townUnits(await listUnits(deps.db)).map((u) => u.name);
  const help: { column: string; required: string; rule: string }[] = [
    { column: '统一社会信用代码', required: '必填', rule: '18位，见营业执照；请将该列设为文本格式。重复导入时按此代码更新' },
    { column: '企业名称', required: '必填', rule: '营业执照上的全称' },
    { column: '所属镇街', required: '必填', rule: `可填：${towns.join('、')}（曾用名亦可）` },
    { column: '国民经济行业代码', required: '必填', rule: 'GB/T 4754-2017 四位小类代码，如 3630 改装汽车制造' },
    { column: '产业链', required: '列必须有，可留空', rule: `可填多个，用顿号分隔：${chains.join('、')}` },
    { column: '是否规上', required: '必填', rule: '是 / 否' },
    { column: '规上起始年月', required: '规上企业必填', rule: '如 2022-02（年度入库填当年1-2月）、2022-06（月度入库）' },
    { column: '退库年月', required: '选填', rule: '规上企业退库时填写：不再计入规上的第一个月份；不填按本月' },
    { column: '成立日期', required: '选填', rule: '如 2015-06-30' },
    { column: '地址 / 联系人 / 联系电话', required: '选填', rule: '留空表示不修改已有内容' },
    { column: '所属集团', required: '选填', rule: '集团名称，如 程力集团；新名称会自动建立' },
    { column: '标签', required: '选填', rule: '多个用顿号分隔' },
  ];
  return writeXlsx<unknown>([
    { name: '企业名录', columns: EXPORT_COLUMNS.slice(0, 14) as ExportColumn<unknown>[], rows: [] },
    {
      name: '填写说明',
      columns: [
        { header: '列', width: 24, value: (r) => (r as (typeof help)[number]).column },
        { header: '是否必填', width: 18, value: (r) => (r as (typeof help)[number]).required },
        { header: '填写要求', width: 90, value: (r) => (r as (typeof help)[number]).rule },
      ],
      rows: help,
    },
  ]);
}
