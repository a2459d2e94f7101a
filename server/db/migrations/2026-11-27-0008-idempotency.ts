import type { Kysely } from 'kysely';

// Frozen in time: never imports application code (ADR 0001). Idempotency keys (ADR 0009): one
// row per (user, key) a client sent with a change, written in the change's own transaction by
// the audit append, so a retried request is applied at most once. Instants UTC ISO text.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request', 'text', (c) => c.notNull()) // method and path of the first request
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('audit_seq', 'integer', (c) => c.notNull()) // its first audit record
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
}
