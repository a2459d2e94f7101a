import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { makePeriod } from '#common/period.ts';
import type { Db } from '#server/db/client.ts';
import { DEMO_PASSWORD } from '#server/demo/demo.accounts.ts';
import { call } from '#tests/proofs/live-server.ts';
import type { Answer } from '#tests/proofs/live-server.ts';

/**
 * The writes the crash and load proofs send, each with its Idempotency-Key and a ledger entry,
 * and the count of what the database holds for them afterwards: lost (an acknowledged write
 * missing) and duplicates (a write applied more than once). Counted from the modules' own
 * records (import batches, reports, audit records of the edit), not from the key table alone.
 */
export type Enterprise = { id: string; uscc: string; name: string };

export type Write = {
  kind: 'form' | 'edit' | 'import';
  key: string;
  method: 'POST' | 'PATCH';
  path: string;
  body?: unknown;
  /** Imports: the workbook, its file name and how many reports it carries. */
  file?: { name: string; buffer: Buffer; reports: number; periods: string[]; rows: string };
  enterpriseId?: string;
  /** Edits: the address written, found again in the audit record. */
  tag?: string;
  /** Last answer: 0 = no answer (the server died), 409 ALREADY_APPLIED counts as acknowledged. */
  status: number;
  code?: string;
};

export const isAcknowledged = (w: Write) => (w.status >= 200 && w.status < 300) || (w.status === 409 && w.code === 'ALREADY_APPLIED');

/** Signs in as the demo administrator and creates an API token for the proof's clients. */
export async function adminToken(base: string): Promise<{ token: string; userId: string }> {
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }) });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const created = await fetch(`${base}/api/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ name: `proof-${randomUUID().slice(0, 8)}` }),
  });
  if (created.status !== 200) throw new Error(`token failed: ${created.status} ${await created.text()}`);
  const { token } = (await created.json()) as { token: string };
  const me = await call(base, 'GET', '/api/auth/me', { token });
  return { token, userId: (me.body as { id: string }).id };
}

export async function listEnterprises(db: Db): Promise<Enterprise[]> {
  return db.selectFrom('enterprises').select(['id', 'uscc', 'name']).orderBy('uscc').execute();
}

let sequence = 0;

export function formWrite(enterprise: Enterprise, period = '2022-06'): Write {
  sequence += 1;
  return {
    kind: 'form',
    key: randomUUID(),
    method: 'POST',
    path: '/api/monitoring/form',
    body: { enterpriseId: enterprise.id, period, values: { output_value: { current: String(5000 + sequence), previous: '4000' } } },
    enterpriseId: enterprise.id,
    status: 0,
  };
}

export function editWrite(enterprise: Enterprise): Write {
  const key = randomUUID();
  const tag = `证明路${key.slice(0, 8)}号`;
  return { kind: 'edit', key, method: 'PATCH', path: `/api/enterprises/${enterprise.id}`, body: { address: tag }, enterpriseId: enterprise.id, tag, status: 0 };
}

/** The first `months` reporting periods of a year (2000-02 = 1–2月, 2000-03, …). */
export function periodsOf(year: number, months: number): string[] {
  return Array.from({ length: months }, (_, i) => makePeriod(year, i + 2) as string);
}

/**
 * A monthly workbook: every enterprise × every period given (one row each), its values
 * distinct per `round` so a re-import of the same periods changes every row.
 */
export async function importWrite(enterprises: readonly Enterprise[], periods: readonly string[], name: string, round: number): Promise<Write> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('月报');
  ws.addRow(['统一社会信用代码', '企业名称', '报告期', '工业总产值本年累计', '工业总产值上年同期']);
  periods.forEach((period, m) => {
    for (const e of enterprises) ws.addRow([e.uscc, e.name, period, 100 * (m + 1) + round, 90 * (m + 1)]);
  });
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return {
    kind: 'import',
    key: randomUUID(),
    method: 'POST',
    path: '/api/monitoring/imports?dryRun=false',
    file: { name: `${name}.xlsx`, buffer, reports: enterprises.length * periods.length, periods: [...periods], rows: `${enterprises.map((e) => e.id).join()}|${periods.join()}` },
    status: 0,
  };
}

/** Sends (or re-sends, with the same key) one write and records its answer on the ledger entry. */
export async function send(base: string, token: string, write: Write): Promise<Answer> {
  let answer: Answer;
  if (write.file) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(write.file.buffer)]), write.file.name);
    answer = await call(base, write.method, write.path, { token, form, key: write.key });
  } else {
    answer = await call(base, write.method, write.path, { token, body: write.body, key: write.key });
  }
  write.status = answer.status;
  const code = (answer.body as { error?: { code?: string } } | null)?.error?.code;
  if (code) write.code = code;
  else delete write.code;
  return answer;
}

export type Tally = { lost: number; duplicates: number; problems: string[] };

const count = (rows: { n: string | number | bigint }[]) => Number(rows[0]?.n ?? 0);

/**
 * What the database holds of an import and of the imports of the same enterprise × period rows
 * (a later one takes the rows over): its own batch records
 * (by file name), the reports naming each batch of the group, and orphans — reports of its
 * periods naming a batch that does not exist, which only a half-committed import could leave.
 * Whole means: no orphans, and the group's reports all belong to one batch or there are none.
 */
export async function importedReports(db: Db, write: Write, all: readonly Write[] = [write]): Promise<{ reports: number; batches: number; orphans: number; whole: boolean }> {
  const file = write.file!;
  const sameRows = (w: Write) => w.kind === 'import' && w.file!.rows === file.rows;
  const names = [...new Set(all.filter(sameRows).map((w) => w.file!.name).concat(file.name))];
  const batches = await db.selectFrom('monitoring_imports').select(['id', 'file_name']).where('file_name', 'in', names).execute();
  const own = batches.filter((b) => b.file_name === file.name).length;
  const perBatch = batches.length
    ? await db
        .selectFrom('monitoring_reports')
        .select(['batch_id', (eb) => eb.fn.countAll().as('n')])
        .where('batch_id', 'in', batches.map((b) => b.id))
        .groupBy('batch_id')
        .execute()
    : [];
  const reports = perBatch.reduce((sum, r) => sum + Number(r.n), 0);
  const orphans = count(
    await db
      .selectFrom('monitoring_reports')
      .leftJoin('monitoring_imports', 'monitoring_imports.id', 'monitoring_reports.batch_id')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('monitoring_reports.period', 'in', file.periods)
      .where('monitoring_reports.batch_id', 'is not', null)
      .where('monitoring_imports.id', 'is', null)
      .execute(),
  );
  const whole = orphans === 0 && (batches.length === 0 ? reports === 0 : perBatch.length === 1 && reports === file.reports);
  return { reports, batches: own, orphans, whole };
}

/**
 * Lost and duplicated writes among those given. `acknowledgedOnly` counts an unacknowledged
 * write as neither (it may or may not have landed); otherwise every write must be present.
 */
export async function tally(db: Db, userId: string, since: string, writes: readonly Write[], acknowledgedOnly: boolean): Promise<Tally> {
  const out: Tally = { lost: 0, duplicates: 0, problems: [] };
  const checked = writes.filter((w) => !acknowledgedOnly || isAcknowledged(w));

  // Form submissions: each that commits writes one import batch; its key names that batch.
  const forms = writes.filter((w) => w.kind === 'form');
  if (forms.length) {
    const keys = new Map(
      (await db.selectFrom('idempotency_keys').select(['key', 'entity_id']).where('user_id', '=', userId).where('action', '=', 'monitoring.form_submit').execute()).map((r) => [r.key, r.entity_id]),
    );
    const batches = new Set(
      (await db.selectFrom('monitoring_imports').select('id').where('source', '=', 'form').where('actor_id', '=', userId).where('created_at', '>=', since).execute()).map((r) => r.id),
    );
    for (const w of checked.filter((x) => x.kind === 'form')) {
      const batch = keys.get(w.key);
      if (!batch || !batches.has(batch)) {
        out.lost++;
        out.problems.push(`form ${w.key} acknowledged ${w.status} but not stored`);
      }
    }
    const keyed = [...keys.values()].filter((b) => b !== null && batches.has(b)).length;
    if (batches.size > keyed) {
      out.duplicates += batches.size - keyed;
      out.problems.push(`${batches.size - keyed} form batches without their own key (applied twice)`);
    }
  }

  // Edits: the address each wrote appears in exactly one enterprise.update audit record.
  for (const w of checked.filter((x) => x.kind === 'edit')) {
    const n = count(
      await db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('action', '=', 'enterprise.update')
        .where('entity_id', '=', w.enterpriseId!)
        .where('after_json', 'like', `%${w.tag!}%`)
        .execute(),
    );
    if (n === 0) {
      out.lost++;
      out.problems.push(`edit ${w.key} acknowledged ${w.status} but not stored`);
    } else if (n > 1) {
      out.duplicates += n - 1;
      out.problems.push(`edit ${w.key} applied ${n} times`);
    }
  }

  // Imports: one batch each, and their periods' reports whole (the latest import's).
  for (const w of checked.filter((x) => x.kind === 'import')) {
    const { reports, batches, whole } = await importedReports(db, w, writes);
    if (batches === 0 || !whole) {
      out.lost++;
      out.problems.push(`import ${w.file!.name}: ${batches} batches, ${reports}/${w.file!.reports} reports of its periods`);
    } else if (batches > 1) {
      out.duplicates += batches - 1;
      out.problems.push(`import ${w.file!.name} applied ${batches} times`);
    }
  }
  return out;
}

/** SQLite's own check of the file (pages, indexes, free lists). */
export async function sqliteIntegrity(db: Db): Promise<string> {
  const rows = await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(db);
  return rows.rows.map((r) => r.integrity_check).join('; ');
}
