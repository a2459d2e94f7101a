import type { Kysely, Transaction } from 'kysely';
import type { AdverseRecordsTable, Database, EnterpriseAnnualDataTable, QualificationFilesTable, QualificationsTable } from '#server/db/schema.ts';
import { toNumber } from '#server/db/client.ts';
import { inScope } from '#server/platform/scope.ts';
import type { Scope } from '#server/platform/scope.ts';

// Cultivation's queries. Records are scoped through the enterprise they belong to (its town, or
// the enterprise itself for an enterprise account); aggregates are not.

type Handle = Kysely<Database> | Transaction<Database>;

/** The registry facts the criteria and the lists need. */
export type EnterpriseFacts = {
  id: string;
  name: string;
  uscc: string;
  town_id: string;
  town_name: string;
  industry_code: string;
  registration_date: string | null;
  above_scale: number;
};

const SCOPE_COLUMNS = { town: 'e.town_id', enterprise: 'e.id' } as const;

function enterprisesQuery(db: Handle, scope: Scope) {
  return db
    .selectFrom('enterprises as e')
    .innerJoin('units as u', 'u.id', 'e.town_id')
    .select(['e.id', 'e.name', 'e.uscc', 'e.town_id', 'u.name as town_name', 'e.industry_code', 'e.registration_date', 'e.above_scale'])
    .where(inScope(scope, SCOPE_COLUMNS));
}

export function findEnterprise(db: Handle, scope: Scope, id: string): Promise<EnterpriseFacts | undefined> {
  return enterprisesQuery(db, scope).where('e.id', '=', id).executeTakeFirst();
}

/** Enterprises in scope, optionally of one town, in name order. */
export function listEnterprises(db: Handle, scope: Scope, townId?: string | null): Promise<EnterpriseFacts[]> {
  let query = enterprisesQuery(db, scope);
  if (townId) query = query.where('e.town_id', '=', townId);
  return query.orderBy('e.name').orderBy('e.id').execute();
}

export async function findEnterprisesByUscc(db: Handle, usccs: readonly string[]): Promise<Map<string, EnterpriseFacts>> {
  const out = new Map<string, EnterpriseFacts>();
  // Chunks keep the parameter count within both databases' limits.
  for (let i = 0; i < usccs.length; i += 500) {
    const rows = await enterprisesQuery(db, { kind: 'all' })
      .where('e.uscc', 'in', usccs.slice(i, i + 500))
      .execute();
    for (const row of rows) out.set(row.uscc, row);
  }
  return out;
}

// ---- Annual data ------------------------------------------------------------------------------

/** Annual rows of the enterprises in scope (or one enterprise), for years in [from, to]. */
export function listAnnualRows(db: Handle, scope: Scope, years: { from: number; to: number }, enterpriseId?: string): Promise<EnterpriseAnnualDataTable[]> {
  let query = db
    .selectFrom('enterprise_annual_data as a')
    .innerJoin('enterprises as e', 'e.id', 'a.enterprise_id')
    .selectAll('a')
    .where(inScope(scope, SCOPE_COLUMNS))
    .where('a.year', '>=', years.from)
    .where('a.year', '<=', years.to);
  if (enterpriseId) query = query.where('a.enterprise_id', '=', enterpriseId);
  return query.orderBy('a.enterprise_id').orderBy('a.year').execute();
}

export function findAnnualRow(db: Handle, enterpriseId: string, year: number): Promise<EnterpriseAnnualDataTable | undefined> {
  return db.selectFrom('enterprise_annual_data').selectAll().where('enterprise_id', '=', enterpriseId).where('year', '=', year).executeTakeFirst();
}

export async function findAnnualRows(db: Handle, keys: readonly { enterpriseId: string; year: number }[]): Promise<Map<string, EnterpriseAnnualDataTable>> {
  const out = new Map<string, EnterpriseAnnualDataTable>();
  const ids = [...new Set(keys.map((k) => k.enterpriseId))];
  const years = [...new Set(keys.map((k) => k.year))];
  for (let i = 0; i < ids.length; i += 500) {
    if (years.length === 0) break;
    const rows = await db
      .selectFrom('enterprise_annual_data')
      .selectAll()
      .where('enterprise_id', 'in', ids.slice(i, i + 500))
      .where('year', 'in', years)
      .execute();
    for (const row of rows) out.set(`${row.enterprise_id}|${row.year}`, row);
  }
  return out;
}

export async function insertAnnualRow(db: Handle, row: EnterpriseAnnualDataTable): Promise<void> {
  await db.insertInto('enterprise_annual_data').values(row).execute();
}

/** Many rows at once (demo, benchmark), in chunks that keep within both databases' parameter limits. */
export async function insertAnnualRows(db: Handle, rows: readonly EnterpriseAnnualDataTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 50) await db.insertInto('enterprise_annual_data').values(rows.slice(i, i + 50)).execute();
}

export async function updateAnnualRow(db: Handle, id: string, set: Partial<EnterpriseAnnualDataTable>): Promise<void> {
  await db.updateTable('enterprise_annual_data').set(set).where('id', '=', id).execute();
}

export async function countAnnualRows(db: Handle, scope: Scope, filter: { enterpriseId?: string | undefined; year?: number | undefined; townId?: string | undefined }): Promise<number> {
  let query = db
    .selectFrom('enterprise_annual_data as a')
    .innerJoin('enterprises as e', 'e.id', 'a.enterprise_id')
    .select((eb) => eb.fn.countAll().as('n'))
    .where(inScope(scope, SCOPE_COLUMNS));
  if (filter.enterpriseId) query = query.where('a.enterprise_id', '=', filter.enterpriseId);
  if (filter.year) query = query.where('a.year', '=', filter.year);
  if (filter.townId) query = query.where('e.town_id', '=', filter.townId);
  return toNumber((await query.executeTakeFirstOrThrow()).n as string | number);
}

export function pageAnnualRows(
  db: Handle,
  scope: Scope,
  filter: { enterpriseId?: string | undefined; year?: number | undefined; townId?: string | undefined },
  page: { limit: number; offset: number },
): Promise<(EnterpriseAnnualDataTable & { enterprise_name: string; uscc: string; town_id: string; town_name: string })[]> {
  let query = db
    .selectFrom('enterprise_annual_data as a')
    .innerJoin('enterprises as e', 'e.id', 'a.enterprise_id')
    .innerJoin('units as u', 'u.id', 'e.town_id')
    .selectAll('a')
    .select(['e.name as enterprise_name', 'e.uscc', 'e.town_id', 'u.name as town_name'])
    .where(inScope(scope, SCOPE_COLUMNS));
  if (filter.enterpriseId) query = query.where('a.enterprise_id', '=', filter.enterpriseId);
  if (filter.year) query = query.where('a.year', '=', filter.year);
  if (filter.townId) query = query.where('e.town_id', '=', filter.townId);
  return query.orderBy('a.year', 'desc').orderBy('e.name').limit(page.limit).offset(page.offset).execute();
}

// ---- Qualifications ---------------------------------------------------------------------------

export type QualificationRow = QualificationsTable & { enterprise_name: string; uscc: string; town_id: string; town_name: string };

export type QualificationFilter = {
  enterpriseId?: string | undefined;
  kind?: string | undefined;
  townId?: string | undefined;
  /** Valid on the day: granted, not expired, not revoked. */
  validOn?: string | undefined;
  /** Expiring within [from, to] and not revoked. */
  expiresBetween?: { from: string; to: string } | undefined;
  status?: { kind: 'expired' | 'revoked' | 'current'; on: string } | undefined;
};

function qualificationsQuery(db: Handle, scope: Scope, filter: QualificationFilter) {
  let query = db
    .selectFrom('qualifications as q')
    .innerJoin('enterprises as e', 'e.id', 'q.enterprise_id')
    .innerJoin('units as u', 'u.id', 'e.town_id')
    .where(inScope(scope, SCOPE_COLUMNS));
  if (filter.enterpriseId) query = query.where('q.enterprise_id', '=', filter.enterpriseId);
  if (filter.kind) query = query.where('q.kind', '=', filter.kind);
  if (filter.townId) query = query.where('e.town_id', '=', filter.townId);
  if (filter.validOn) {
    const on = filter.validOn;
    query = query
      .where('q.granted_on', '<=', on)
      .where((eb) => eb.or([eb('q.expires_on', 'is', null), eb('q.expires_on', '>=', on)]))
      .where((eb) => eb.or([eb('q.revoked_on', 'is', null), eb('q.revoked_on', '>', on)]));
  }
  if (filter.expiresBetween) {
    query = query
      .where('q.expires_on', '>=', filter.expiresBetween.from)
      .where('q.expires_on', '<=', filter.expiresBetween.to)
      .where((eb) => eb.or([eb('q.revoked_on', 'is', null), eb('q.revoked_on', '>', filter.expiresBetween!.from)]));
  }
  if (filter.status) {
    const on = filter.status.on;
    if (filter.status.kind === 'revoked') query = query.where('q.revoked_on', '<=', on);
    else {
      query = query.where((eb) => eb.or([eb('q.revoked_on', 'is', null), eb('q.revoked_on', '>', on)]));
      query = filter.status.kind === 'expired' ? query.where('q.expires_on', '<', on) : query.where((eb) => eb.or([eb('q.expires_on', 'is', null), eb('q.expires_on', '>=', on)]));
    }
  }
  return query;
}

export function listQualificationRows(db: Handle, scope: Scope, filter: QualificationFilter, page?: { limit: number; offset: number }): Promise<QualificationRow[]> {
  let query = qualificationsQuery(db, scope, filter)
    .selectAll('q')
    .select(['e.name as enterprise_name', 'e.uscc', 'e.town_id', 'u.name as town_name'])
    .orderBy('q.granted_on', 'desc')
    .orderBy('q.id');
  if (page) query = query.limit(page.limit).offset(page.offset);
  return query.execute();
}

export async function countQualificationRows(db: Handle, scope: Scope, filter: QualificationFilter): Promise<number> {
  const row = await qualificationsQuery(db, scope, filter)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return toNumber(row.n as string | number);
}

export function findQualificationRow(db: Handle, scope: Scope, id: string): Promise<QualificationRow | undefined> {
  return qualificationsQuery(db, scope, {})
    .selectAll('q')
    .select(['e.name as enterprise_name', 'e.uscc', 'e.town_id', 'u.name as town_name'])
    .where('q.id', '=', id)
    .executeTakeFirst();
}

/** Qualifications of the enterprises in scope, as the criteria read them (any date). */
export function listHeldRows(db: Handle, scope: Scope, enterpriseId?: string): Promise<Pick<QualificationsTable, 'enterprise_id' | 'kind' | 'level' | 'granted_on' | 'expires_on' | 'revoked_on'>[]> {
  let query = db
    .selectFrom('qualifications as q')
    .innerJoin('enterprises as e', 'e.id', 'q.enterprise_id')
    .select(['q.enterprise_id', 'q.kind', 'q.level', 'q.granted_on', 'q.expires_on', 'q.revoked_on'])
    .where(inScope(scope, SCOPE_COLUMNS));
  if (enterpriseId) query = query.where('q.enterprise_id', '=', enterpriseId);
  return query.execute();
}

export async function findQualificationByKey(db: Handle, enterpriseId: string, kind: string, grantedOn: string): Promise<QualificationsTable | undefined> {
  return db.selectFrom('qualifications').selectAll().where('enterprise_id', '=', enterpriseId).where('kind', '=', kind).where('granted_on', '=', grantedOn).executeTakeFirst();
}

export async function insertQualificationRow(db: Handle, row: QualificationsTable): Promise<void> {
  await db.insertInto('qualifications').values(row).execute();
}

export async function insertQualificationRows(db: Handle, rows: readonly QualificationsTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 100) await db.insertInto('qualifications').values(rows.slice(i, i + 100)).execute();
}

export async function updateQualificationRow(db: Handle, id: string, set: Partial<QualificationsTable>): Promise<void> {
  await db.updateTable('qualifications').set(set).where('id', '=', id).execute();
}

// ---- Evidence files of qualifications -----------------------------------------------------------

export type FileMeta = Omit<QualificationFilesTable, 'content'>;
const FILE_META = ['f.id', 'f.qualification_id', 'f.file_name', 'f.file_type', 'f.mime', 'f.size', 'f.sha256', 'f.created_by', 'f.created_at'] as const;

/** The files of one qualification, without their bytes, oldest first. */
export function listFileRows(db: Handle, qualificationId: string): Promise<FileMeta[]> {
  return db.selectFrom('qualification_files as f').select(FILE_META).where('f.qualification_id', '=', qualificationId).orderBy('f.created_at').orderBy('f.id').execute();
}

/** One file with its bytes and its enterprise, when the qualification's enterprise is in scope. */
export function findFileRow(db: Handle, scope: Scope, id: string): Promise<(QualificationFilesTable & { enterprise_id: string; enterprise_name: string }) | undefined> {
  return db
    .selectFrom('qualification_files as f')
    .innerJoin('qualifications as q', 'q.id', 'f.qualification_id')
    .innerJoin('enterprises as e', 'e.id', 'q.enterprise_id')
    .selectAll('f')
    .select(['e.id as enterprise_id', 'e.name as enterprise_name'])
    .where(inScope(scope, SCOPE_COLUMNS))
    .where('f.id', '=', id)
    .executeTakeFirst();
}

export async function insertFileRow(db: Handle, row: QualificationFilesTable): Promise<void> {
  await db.insertInto('qualification_files').values(row).execute();
}

export async function deleteFileRow(db: Handle, id: string): Promise<void> {
  await db.deleteFrom('qualification_files').where('id', '=', id).execute();
}

// ---- Adverse records --------------------------------------------------------------------------------

/** Adverse records of the enterprises in scope (or one enterprise), newest first. */
export function listAdverseRows(db: Handle, scope: Scope, enterpriseId?: string): Promise<AdverseRecordsTable[]> {
  let query = db
    .selectFrom('adverse_records as a')
    .innerJoin('enterprises as e', 'e.id', 'a.enterprise_id')
    .selectAll('a')
    .where(inScope(scope, SCOPE_COLUMNS));
  if (enterpriseId) query = query.where('a.enterprise_id', '=', enterpriseId);
  return query.orderBy('a.occurred_on', 'desc').orderBy('a.id').execute();
}

export function findAdverseRow(db: Handle, scope: Scope, id: string): Promise<(AdverseRecordsTable & { enterprise_name: string }) | undefined> {
  return db
    .selectFrom('adverse_records as a')
    .innerJoin('enterprises as e', 'e.id', 'a.enterprise_id')
    .selectAll('a')
    .select('e.name as enterprise_name')
    .where(inScope(scope, SCOPE_COLUMNS))
    .where('a.id', '=', id)
    .executeTakeFirst();
}

export async function insertAdverseRow(db: Handle, row: AdverseRecordsTable): Promise<void> {
  await db.insertInto('adverse_records').values(row).execute();
}

export async function deleteAdverseRow(db: Handle, id: string): Promise<void> {
  await db.deleteFrom('adverse_records').where('id', '=', id).execute();
}

// ---- Aggregates (ladder, metric sources): district-wide or one town, no record scope ----------

/** Qualifications of a kind valid on a day, counted; optionally one town and one level. */
export async function countValid(db: Handle, kind: string, on: string, options: { townId?: string | null; level?: string | null } = {}): Promise<number> {
  let query = db
    .selectFrom('qualifications as q')
    .innerJoin('enterprises as e', 'e.id', 'q.enterprise_id')
    .select((eb) => eb.fn.count<string | number>('q.enterprise_id').distinct().as('n'))
    .where('q.kind', '=', kind)
    .where('q.granted_on', '<=', on)
    .where((eb) => eb.or([eb('q.expires_on', 'is', null), eb('q.expires_on', '>=', on)]))
    .where((eb) => eb.or([eb('q.revoked_on', 'is', null), eb('q.revoked_on', '>', on)]));
  if (options.townId) query = query.where('e.town_id', '=', options.townId);
  if (options.level) query = query.where('q.level', '=', options.level);
  return toNumber((await query.executeTakeFirstOrThrow()).n);
}

/** Recognitions of a kind granted within [from, to]; optionally of one recognition type, town or level. */
export async function countGranted(db: Handle, kind: string, from: string, to: string, options: { recognition?: string; townId?: string | null; level?: string | null } = {}): Promise<number> {
  let query = db
    .selectFrom('qualifications as q')
    .innerJoin('enterprises as e', 'e.id', 'q.enterprise_id')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('q.kind', '=', kind)
    .where('q.granted_on', '>=', from)
    .where('q.granted_on', '<=', to);
  if (options.recognition) query = query.where('q.recognition', '=', options.recognition);
  if (options.townId) query = query.where('e.town_id', '=', options.townId);
  if (options.level) query = query.where('q.level', '=', options.level);
  return toNumber((await query.executeTakeFirstOrThrow()).n as string | number);
}

/** Qualifications whose expiry (or revocation) falls within [from, to]. */
export async function countEnded(db: Handle, kind: string, column: 'expires_on' | 'revoked_on', from: string, to: string, townId?: string | null): Promise<number> {
  let query = db
    .selectFrom('qualifications as q')
    .innerJoin('enterprises as e', 'e.id', 'q.enterprise_id')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('q.kind', '=', kind)
    .where(`q.${column}`, '>=', from)
    .where(`q.${column}`, '<=', to);
  if (column === 'expires_on') query = query.where((eb) => eb.or([eb('q.revoked_on', 'is', null), eb('q.revoked_on', '>', to)]));
  if (townId) query = query.where('e.town_id', '=', townId);
  return toNumber((await query.executeTakeFirstOrThrow()).n as string | number);
}

/** 规上 enterprises on a period 'YYYY-MM' (spells of enterprise_scale_history covering it). */
export async function countAboveScale(db: Handle, period: string, townId?: string | null): Promise<number> {
  let query = db
    .selectFrom('enterprise_scale_history as s')
    .innerJoin('enterprises as e', 'e.id', 's.enterprise_id')
    .select((eb) => eb.fn.count<string | number>('s.enterprise_id').distinct().as('n'))
    .where('s.from_period', '<=', period)
    .where((eb) => eb.or([eb('s.to_period', 'is', null), eb('s.to_period', '>=', period)]));
  if (townId) query = query.where('e.town_id', '=', townId);
  return toNumber((await query.executeTakeFirstOrThrow()).n);
}

/** Enterprises on the 规上 roster in a period 'YYYY-MM'. */
export async function listAboveScaleIds(db: Handle, period: string): Promise<string[]> {
  const rows = await db
    .selectFrom('enterprise_scale_history')
    .select('enterprise_id')
    .where('from_period', '<=', period)
    .where((eb) => eb.or([eb('to_period', 'is', null), eb('to_period', '>=', period)]))
    .execute();
  return rows.map((r) => r.enterprise_id);
}

/** 规上 spells opened (or closed) within the periods of a year up to `period`. */
export async function countScaleFlows(db: Handle, column: 'from_period' | 'to_period', from: string, to: string, townId?: string | null): Promise<number> {
  let query = db
    .selectFrom('enterprise_scale_history as s')
    .innerJoin('enterprises as e', 'e.id', 's.enterprise_id')
    .select((eb) => eb.fn.countAll().as('n'))
    .where(`s.${column}`, '>=', from)
    .where(`s.${column}`, '<=', to);
  if (townId) query = query.where('e.town_id', '=', townId);
  return toNumber((await query.executeTakeFirstOrThrow()).n as string | number);
}

/** The ids of one town's enterprises (to narrow district-wide figures to a town). */
export async function listEnterpriseIdsOfTown(db: Handle, townId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('enterprises').select('id').where('town_id', '=', townId).execute();
  return new Set(rows.map((r) => r.id));
}
