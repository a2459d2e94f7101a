import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Db, Dialect } from '#server/db/client.ts';
import type { AuditLogTable, Database } from '#server/db/schema.ts';
import { recordIdempotencyKey } from '#server/platform/idempotency.ts';
import type { IdempotencyClaim } from '#server/platform/idempotency.ts';
import { newId, nowIso } from '#server/platform/ids.ts';

/** Who did it, from where, working in which unit. Every service call carries one. */
export type Actor = {
  kind: 'user' | 'token' | 'cli' | 'system';
  userId: string | null;
  name: string;
  activeUnitId: string | null;
  ip: string | null;
  requestId: string | null;
  /** The client's Idempotency-Key, recorded with this change's first audit record (ADR 0009). */
  idempotency?: IdempotencyClaim | null;
};

export const systemActor = (name = 'system'): Actor => ({
  kind: 'system',
  userId: null,
  name,
  activeUnitId: null,
  ip: null,
  requestId: null,
});

export type AuditEntry = {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
};

type Trx = Transaction<Database>;

const HEAD_ID = 1;

/**
 * Appends to the tamper-evident audit chain inside the caller's transaction, so the change and
 * its record commit or vanish together. Each record's MAC covers its fields and the previous
 * record's MAC; the head row holds the last (seq, mac) and is locked first, which serialises
 * appends across PostgreSQL writers (SQLite transactions already hold the single writer lock).
 */
export type AuditLog = {
  append: (trx: Trx, actor: Actor, entry: AuditEntry) => Promise<void>;
  /** Several records in one go (an import's per-record entries): one head lock, batched inserts. */
  appendMany: (trx: Trx, actor: Actor, entries: readonly AuditEntry[]) => Promise<void>;
  verify: (db: Db) => Promise<AuditVerification>;
};

export type AuditProblem = { seq: number; kind: 'altered' | 'missing' | 'reordered' | 'truncated' | 'head'; message: string };
export type AuditVerification = { ok: boolean; records: number; headSeq: number; problems: AuditProblem[] };

export function createAuditLog(dialect: Dialect, key: Buffer): AuditLog {
  const genesis = mac(key, ['kejing-audit-genesis']);

  async function append(trx: Trx, actor: Actor, entry: AuditEntry): Promise<void> {
    await appendMany(trx, actor, [entry]);
  }

  async function appendMany(trx: Trx, actor: Actor, entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const lockHead = () => {
      const query = trx.selectFrom('audit_head').select(['seq', 'mac']).where('id', '=', HEAD_ID);
      return (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
    };
    let head = await lockHead();
    if (!head) {
      // The first record ever creates the head row; racing first writers meet on its key.
      await trx
        .insertInto('audit_head')
        .values({ id: HEAD_ID, seq: 0, mac: genesis, updated_at: nowIso() })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      head = await lockHead();
      if (!head) throw new Error('audit head row could not be created');
    }
    let seq = Number(head.seq);
    let previousMac = head.mac;
    const rows: AuditLogTable[] = entries.map((entry) => {
      const row: AuditLogTable = {
        seq: ++seq,
        id: newId(),
        at: nowIso(),
        actor_kind: actor.kind,
        actor_id: actor.userId,
        actor_name: actor.name,
        active_unit_id: actor.activeUnitId,
        action: entry.action,
        entity_type: entry.entityType,
        entity_id: entry.entityId ?? null,
        before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
        after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
        ip: actor.ip,
        request_id: actor.requestId,
        prev_mac: previousMac,
        mac: '',
      };
      row.mac = recordMac(key, row);
      previousMac = row.mac;
      return row;
    });
    // The key commits or vanishes with the change; a retry that committed first refuses this one.
    if (actor.idempotency && actor.userId && actor.requestId) {
      const first = rows[0]!;
      await recordIdempotencyKey(trx, actor.userId, actor.requestId, actor.idempotency, {
        seq: first.seq,
        action: first.action,
        entityType: first.entity_type,
        entityId: first.entity_id,
      });
    }
    // Batches stay well under both databases' bound-parameter limits (16 columns a row).
    for (let i = 0; i < rows.length; i += 200) await trx.insertInto('audit_log').values(rows.slice(i, i + 200)).execute();
    const last = rows[rows.length - 1]!;
    await trx
      .updateTable('audit_head')
      .set({ seq: last.seq, mac: last.mac, updated_at: last.at })
      .where('id', '=', HEAD_ID)
      .execute();
  }

  async function verify(db: Db): Promise<AuditVerification> {
    const problems: AuditProblem[] = [];
    const head = await db.selectFrom('audit_head').select(['seq', 'mac']).where('id', '=', HEAD_ID).executeTakeFirst();
    let expectedSeq = 1;
    let previousMac = genesis;
    let records = 0;
    let lastSeq = 0;
    let lastMac = genesis;
    // Read in pages so a province-sized log does not sit in memory at once.
    const pageSize = 5000;
    for (let after = 0; ; ) {
      const page = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(pageSize).execute();
      for (const raw of page) {
        const row = { ...raw, seq: Number(raw.seq) };
        records++;
        if (row.seq !== expectedSeq) {
          const gap = row.seq - expectedSeq;
          problems.push({
            seq: expectedSeq,
            kind: 'missing',
            message: gap === 1 ? `第 ${expectedSeq} 条审计记录缺失（被删除）` : `第 ${expectedSeq}–${row.seq - 1} 条审计记录缺失（被删除）`,
          });
        } else if (!safeEqual(row.prev_mac, previousMac)) {
          problems.push({ seq: row.seq, kind: 'reordered', message: `第 ${row.seq} 条审计记录与前一条不衔接（链被插入或替换）` });
        }
        if (!safeEqual(recordMac(key, row), row.mac)) {
          problems.push({ seq: row.seq, kind: 'altered', message: `第 ${row.seq} 条审计记录被篡改或伪造（校验码不符）` });
        }
        expectedSeq = row.seq + 1;
        previousMac = row.mac;
        lastSeq = row.seq;
        lastMac = row.mac;
      }
      if (page.length < pageSize) break;
      after = lastSeq;
    }
    const headSeq = head ? Number(head.seq) : 0;
    if (headSeq > lastSeq) {
      problems.push({
        seq: lastSeq + 1,
        kind: 'truncated',
        message: `最新的 ${headSeq - lastSeq} 条审计记录被删除（检查点为第 ${headSeq} 条，现存最后一条为第 ${lastSeq} 条）`,
      });
    } else if (headSeq < lastSeq || (head && !safeEqual(head.mac, lastMac))) {
      problems.push({ seq: lastSeq, kind: 'head', message: `审计检查点与最后一条记录不符（检查点第 ${headSeq} 条，记录至第 ${lastSeq} 条）` });
    }
    return { ok: problems.length === 0, records, headSeq, problems };
  }

  return { append, appendMany, verify };
}

function recordMac(key: Buffer, row: AuditLogTable): string {
  return mac(key, [
    String(row.seq),
    row.id,
    row.at,
    row.actor_kind,
    row.actor_id,
    row.actor_name,
    row.active_unit_id,
    row.action,
    row.entity_type,
    row.entity_id,
    row.before_json,
    row.after_json,
    row.ip,
    row.request_id,
    row.prev_mac,
  ]);
}

function mac(key: Buffer, fields: (string | null)[]): string {
  // JSON of the field array is an unambiguous encoding: no field can bleed into the next.
  return createHmac('sha256', key).update(JSON.stringify(fields)).digest('hex');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
