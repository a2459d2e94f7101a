import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { sql } from 'kysely';
import type { Db } from '#server/db/client.ts';
import { reaches } from '#tests/proofs/policy.ts';
import type { Owner, Reach, RecordKind } from '#tests/proofs/policy.ts';

/**
 * Real ids from the demo district for the proofs: one record per owner (何店镇, 西城街道,
 * 淅河镇, and the enterprise the `qiye` account speaks for), and every enterprise's identity so
 * a response can be scanned for rows outside the caller's scope.
 */
/** A record used as a probe, and the owners whose accounts reach it ([] = bureau-wide scopes only). */
export type ProbeRecord = { id: string; owners: Owner[] };

export type ProofFixtures = {
  towns: Record<'hedian' | 'xicheng' | 'xihe', string>;
  /** Per record kind, one record per distinct set of owners found in the demo data. */
  records: Record<RecordKind, ProbeRecord[]>;
  enterprises: { id: string; name: string; uscc: string; townId: string }[];
  enterpriseOf: Record<Owner, string>;
  qiyeEnterpriseId: string;
  planId: string;
  targetId: string;
  rankingId: string;
  userId: string;
  /** Whether an account with this reach may see an enterprise. */
  allowed: (reach: Reach, enterprise: { id: string; townId: string }) => boolean;
};

const TOWN_NAMES = { hedian: '何店镇', xicheng: '西城街道', xihe: '淅河镇' } as const;
type Town = keyof typeof TOWN_NAMES;
const TOWNS = Object.keys(TOWN_NAMES) as Town[];

/** Whether an account with this reach sees a record with these owners. */
export function reachesRecord(reach: Reach, record: ProbeRecord): boolean {
  return reach === 'all' || record.owners.some((o) => reaches(reach, o));
}

function onePerSignature(rows: ProbeRecord[]): ProbeRecord[] {
  const out = new Map<string, ProbeRecord>();
  for (const row of rows) {
    const key = [...row.owners].sort().join('+');
    if (!out.has(key)) out.set(key, row);
  }
  return [...out.values()];
}

export async function loadFixtures(db: Db): Promise<ProofFixtures> {
  const units = await db.selectFrom('units').select(['id', 'name']).execute();
  const unitId = (name: string) => units.find((u) => u.name === name)!.id;
  const towns = { hedian: unitId(TOWN_NAMES.hedian), xicheng: unitId(TOWN_NAMES.xicheng), xihe: unitId(TOWN_NAMES.xihe) };
  const townOfUnit = new Map<string, Town>(TOWNS.map((t) => [towns[t], t]));
  const qiye = await db.selectFrom('users').select('enterprise_id').where('username', '=', 'qiye').executeTakeFirstOrThrow();
  const qiyeEnterpriseId = qiye.enterprise_id!;
  const enterprises = (await db.selectFrom('enterprises').select(['id', 'name', 'uscc', 'town_id']).orderBy('id').execute()).map((e) => ({ id: e.id, name: e.name, uscc: e.uscc, townId: e.town_id }));
  const townById = new Map(enterprises.map((e) => [e.id, e.townId]));
  const ownersOfEnterprise = (id: string | null): Owner[] | null => {
    if (!id) return null;
    if (id === qiyeEnterpriseId) return ['qiye'];
    const town = townOfUnit.get(townById.get(id) ?? '');
    return town ? [town] : null;
  };
  const byEnterprise = (rows: { id: string; enterpriseId: string | null }[]) =>
    onePerSignature(rows.flatMap((r) => {
      const owners = ownersOfEnterprise(r.enterpriseId);
      return owners ? [{ id: r.id, owners }] : [];
    }));

  const enterpriseRecords = byEnterprise(enterprises.map((e) => ({ id: e.id, enterpriseId: e.id })));
  const enterpriseOf = Object.fromEntries(enterpriseRecords.map((r) => [r.owners[0]!, r.id])) as Record<Owner, string>;
  const qualifications = byEnterprise((await db.selectFrom('qualifications').select(['id', 'enterprise_id']).orderBy('id').execute()).map((r) => ({ id: r.id, enterpriseId: r.enterprise_id })));
  const warnings = byEnterprise((await db.selectFrom('monitoring_warnings').select(['id', 'enterprise_id']).orderBy('id').execute()).map((r) => ({ id: r.id, enterpriseId: r.enterprise_id })));

  // Plan items reach the towns they are assigned to (lead or cooperating); items of sections only reach bureau-wide scopes.
  const assigned = await db.selectFrom('plan_item_units').select(['item_id', 'unit_id']).execute();
  const townsOfItem = new Map<string, Town[]>();
  for (const item of await db.selectFrom('plan_items').select('id').orderBy('id').execute()) townsOfItem.set(item.id, []);
  for (const a of assigned) {
    const town = townOfUnit.get(a.unit_id);
    if (town) townsOfItem.get(a.item_id)?.push(town);
  }
  const planItems = onePerSignature([...townsOfItem].map(([id, owners]) => ({ id, owners })));
  const planReports = onePerSignature(
    (await db.selectFrom('plan_reports').select(['id', 'item_id', 'unit_id']).orderBy('id').execute()).map((r) => {
      const town = townOfUnit.get(r.unit_id);
      return { id: r.id, owners: town && townsOfItem.get(r.item_id)?.includes(town) ? [town] : [] };
    }),
  );
  const milestones = onePerSignature((await db.selectFrom('plan_milestones').select(['id', 'item_id']).orderBy('id').execute()).map((m) => ({ id: m.id, owners: townsOfItem.get(m.item_id) ?? [] })));

  const first = async (table: 'plans' | 'targets' | 'rankings' | 'users') => (await db.selectFrom(table).select('id').orderBy('id').executeTakeFirstOrThrow()).id;
  return {
    towns,
    records: { enterprise: enterpriseRecords, qualification: qualifications, warning: warnings, planItem: planItems, planReport: planReports, milestone: milestones },
    enterprises,
    enterpriseOf,
    qiyeEnterpriseId,
    planId: await first('plans'),
    targetId: await first('targets'),
    rankingId: await first('rankings'),
    userId: await first('users'),
    allowed: (reach, e) => {
      if (reach === 'all') return true;
      if (reach === 'qiye') return e.id === qiyeEnterpriseId;
      return e.townId === towns[reach];
    },
  };
}

/** Every string in a JSON value. */
function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const v of value) yield* strings(v);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) yield* strings(v);
}

/** The text a response carries: JSON strings, xlsx cells, or a docx's text. */
export async function responseTexts(body: Buffer, contentType: string): Promise<{ cells: string[]; text: string }> {
  if (contentType.includes('json')) {
    const cells = [...strings(JSON.parse(body.toString('utf8')))];
    return { cells, text: cells.join('\n') };
  }
  if (contentType.includes('spreadsheetml')) {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(body as unknown as ArrayBuffer);
    const cells: string[] = [];
    book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => void cells.push(String(cell.text ?? '')))));
    return { cells, text: cells.join('\n') };
  }
  if (contentType.includes('wordprocessingml')) {
    const { value } = await mammoth.extractRawText({ buffer: body });
    return { cells: [], text: value };
  }
  return { cells: [], text: body.toString('utf8') };
}

/**
 * The enterprises outside the caller's reach that a response names: by id, USCC or name as a
 * whole JSON string or cell, and by name anywhere in a document's text.
 */
export function leakedEnterprises(fx: ProofFixtures, reach: Reach, found: { cells: string[]; text: string }): string[] {
  if (reach === 'all') return [];
  const cells = new Set(found.cells);
  const out: string[] = [];
  for (const e of fx.enterprises) {
    if (fx.allowed(reach, e)) continue;
    if (cells.has(e.id) || cells.has(e.uscc) || cells.has(e.name) || (found.cells.length === 0 && found.text.includes(e.name))) out.push(e.name);
  }
  return out;
}

/** Tables a refused request must leave untouched (sessions, logins and audit records aside). */
const UNTOUCHED_EXCEPT = new Set(['sessions', 'login_log', 'audit_log', 'audit_head', 'kysely_migration', 'kysely_migration_lock']);

/** Row counts and a content hash of every business table: "nothing written" is this unchanged. */
export async function fingerprint(db: Db): Promise<Record<string, string>> {
  const tables = (await db.introspection.getTables()).map((t) => t.name).filter((n) => !UNTOUCHED_EXCEPT.has(n)).sort();
  const out: Record<string, string> = {};
  for (const table of tables) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)).rows;
    const lines = rows.map((r) => JSON.stringify(Object.keys(r).sort().map((k) => [k, String(r[k])]))).sort();
    out[table] = `${rows.length}:${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`;
  }
  return out;
}
