import type { FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { Db } from '#server/db/client.ts';
import type { Database } from '#server/db/schema.ts';
import { AppError } from '#server/platform/errors.ts';
import type { App } from '#server/platform/http.ts';
import { nowIso } from '#server/platform/ids.ts';

/**
 * Idempotency keys (ADR 0009). A client may send `Idempotency-Key: <uuid>` with a change; the
 * key travels on the audit actor, and the audit append records (user, key) in the change's own
 * transaction. A retry of a change that committed answers 409 ALREADY_APPLIED (已处理) and
 * changes nothing; a retry of one that did not commit runs as the first attempt would have.
 */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** What the actor carries: the key and the request it was first sent with. */
export type IdempotencyClaim = { key: string; request: string };

const KEY_PATTERN = /^[A-Za-z0-9_-]{8,100}$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The claim a request makes, or null when it sends no key or cannot change anything. The
 * request is the method and path (no query): a key belongs to one change of one record.
 */
export function claimOf(request: Pick<FastifyRequest, 'headers' | 'method' | 'url'>): IdempotencyClaim | null {
  const sent = request.headers[IDEMPOTENCY_HEADER];
  if (sent === undefined || SAFE_METHODS.has(request.method)) return null;
  const key = Array.isArray(sent) ? sent[0] : sent;
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    throw new AppError('BAD_REQUEST', '幂等键（Idempotency-Key）格式不正确：应为 8–100 位字母、数字、“-”或“_”，建议每个请求使用一个新的 UUID');
  }
  return { key, request: `${request.method} ${request.url.split('?')[0]}` };
}

type KeyRow = Database['idempotency_keys'];

function alreadyApplied(row: Pick<KeyRow, 'key' | 'created_at' | 'action' | 'entity_type' | 'entity_id'>): AppError {
  return new AppError('ALREADY_APPLIED', `该请求已处理（幂等键 ${row.key} 已于 ${row.created_at} 生效），未重复执行`, {
    key: row.key,
    appliedAt: row.created_at,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
  });
}

function reusedKey(key: string, first: string): AppError {
  return new AppError('CONFLICT', `幂等键 ${key} 已用于另一个请求（${first}），请为新的请求生成新的幂等键`);
}

/**
 * Answers a retry of a committed change before the handler runs (an import is not parsed
 * again). Two identical retries racing past this check meet in `recordIdempotencyKey`.
 */
export function registerIdempotency(app: App, db: Db): void {
  // A callback hook: most requests carry no key and should not pay for a promise.
  app.addHook('preHandler', (request, _reply, done) => {
    const principal = request.principal;
    const claim = principal ? claimOf(request) : null;
    if (!principal || !claim) return done();
    db.selectFrom('idempotency_keys')
      .selectAll()
      .where('user_id', '=', principal.userId)
      .where('key', '=', claim.key)
      .executeTakeFirst()
      .then((row) => {
        if (!row) return done();
        done(row.request !== claim.request ? reusedKey(claim.key, row.request) : alreadyApplied(row));
      }, done);
  });
}

/**
 * Records the actor's key in the change's transaction (called by the audit append with the
 * first record it writes). A key already recorded by another request means a concurrent
 * retry committed first: this transaction is refused and rolls back. The same request
 * appending twice (two audit calls in one change) is not a retry.
 */
export async function recordIdempotencyKey(
  trx: Transaction<Database>,
  userId: string,
  requestId: string,
  claim: IdempotencyClaim,
  first: { seq: number; action: string; entityType: string; entityId: string | null },
): Promise<void> {
  const row: KeyRow = {
    user_id: userId,
    key: claim.key,
    request: claim.request,
    request_id: requestId,
    audit_seq: first.seq,
    action: first.action,
    entity_type: first.entityType,
    entity_id: first.entityId,
    created_at: nowIso(),
  };
  // ON CONFLICT DO NOTHING rather than catching the violation: PostgreSQL would abort the
  // transaction, and services map unique violations of their own tables to their own messages.
  const inserted = await trx
    .insertInto('idempotency_keys')
    .values(row)
    .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return;
  const existing = await trx.selectFrom('idempotency_keys').selectAll().where('user_id', '=', userId).where('key', '=', claim.key).executeTakeFirstOrThrow();
  if (existing.request_id === requestId) return;
  if (existing.request !== claim.request) throw reusedKey(claim.key, existing.request);
  throw alreadyApplied(existing);
}

/**
 * How long a key answers retries. A client retries within seconds or hours of losing an answer;
 * a month covers a retry after a weekend or a holiday, and keeps the table small.
 */
export const IDEMPOTENCY_RETENTION_DAYS = 30;

/** Forgets keys older than the retention: a later request with such a key runs as a new one. */
export async function pruneIdempotencyKeys(db: Db, now: Date, retentionDays = IDEMPOTENCY_RETENTION_DAYS): Promise<number> {
  const cutoff = nowIso(new Date(now.getTime() - retentionDays * 86_400_000));
  const result = await db.deleteFrom('idempotency_keys').where('created_at', '<', cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}
