import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '#server/config.ts';
import type { Config } from '#server/config.ts';
import { createDeps } from '#server/bootstrap.ts';
import { runCli } from '#server/cli.ts';
import type { Db } from '#server/db/client.ts';
import type { Deps } from '#server/platform/deps.ts';
import { systemActor } from '#server/platform/audit.ts';
import { cloneTemplate, createEmptyDatabase, testDialects } from '#tests/support/databases.ts';
import type { TestDatabase } from '#tests/support/databases.ts';
import { proofSize } from '#tests/proofs/size.ts';
import { recordBackup } from '#tests/proofs/results.ts';

/**
 * §5 of the proofs: `kejing backup` while writers commit, `kejing restore` into a fresh place,
 * and the restored database compared, table by table, with the *source* as it stood at the audit
 * head the backup reports. That state is rebuilt from the source itself after the writers stop:
 * every proof write is one transaction that appends an audit record, inserts a settings row and
 * moves a shared counter row, so the source's own audit log says which writes belong before the
 * head and which came after. Nothing of the backup feeds the expectation.
 */
const WRITE_ACTION = 'proof.backup_write';
const COUNTER = 'proof.backup.counter';
const STAMP = '2026-01-01T00:00:00.000Z';
const BACKUPS = proofSize({ ci: 2, full: 10 });
const WRITERS = proofSize({ ci: 2, full: 6 });

type Rows = Record<string, Record<string, unknown>[]>;

const configFor = (url: string, auditKeyFile: string): Config => loadConfig({ DATABASE_URL: url, AUDIT_KEY_FILE: auditKeyFile, LOG_LEVEL: 'silent' });

/** One audited write. The audit record comes first so the counter moves in audit order on both dialects. */
async function write(deps: Deps, key: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await deps.audit.append(trx, systemActor('proof-writer'), { action: WRITE_ACTION, entityType: 'setting', entityId: key });
    await trx.insertInto('settings').values({ key, value: key, updated_at: STAMP }).execute();
    await trx.updateTable('settings').set({ value: key }).where('key', '=', COUNTER).execute();
  });
}

/** Every row of every table (migration bookkeeping included), values as text. */
async function allRows(db: Db): Promise<Rows> {
  const tables = (await db.introspection.getTables()).map((t) => t.name).sort();
  const out: Rows = {};
  for (const table of tables) out[table] = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)).rows;
  return out;
}

const text = (v: unknown): string => (v === null || v === undefined ? 'null' : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Row count and a content hash per table. */
function digest(rows: Rows): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [table, list] of Object.entries(rows)) {
    const lines = list.map((r) => JSON.stringify(Object.keys(r).sort().map((k) => [k, text(r[k])]))).sort();
    out[table] = `${list.length}:${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`;
  }
  return out;
}

/** The source as it stood when its audit head was `head`: proof writes after the head undone. */
function sourceAtHead(final: Rows, head: number): Rows {
  const audit = final.audit_log!;
  const seqOf = (r: Record<string, unknown>) => Number(r.seq);
  const later = new Set(audit.filter((r) => seqOf(r) > head && r.action === WRITE_ACTION).map((r) => String(r.entity_id)));
  const earlier = audit.filter((r) => seqOf(r) <= head && r.action === WRITE_ACTION).sort((a, b) => seqOf(a) - seqOf(b));
  const headRecord = audit.find((r) => seqOf(r) === head)!;
  const counterValue = earlier.length ? String(earlier[earlier.length - 1]!.entity_id) : '0';
  return {
    ...final,
    audit_log: audit.filter((r) => seqOf(r) <= head),
    audit_head: final.audit_head!.map((r) => ({ ...r, seq: head, mac: headRecord.mac, updated_at: headRecord.at })),
    settings: final.settings!.filter((r) => !later.has(String(r.key))).map((r) => (r.key === COUNTER ? { ...r, value: counterValue } : r)),
  };
}

/** `kejing …` as an operator runs it: its own process, so it truly runs beside the writers. */
function kejing(config: { url: string; auditKeyFile: string }, args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/kejing.mjs', ...args], {
      env: { ...process.env, DATABASE_URL: config.url, AUDIT_KEY_FILE: config.auditKeyFile, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

async function cli(config: Config, argv: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await runCli(argv, config, { out: (s) => out.push(s), err: (s) => out.push(s), stdin: async () => '' });
  return { code, out: out.join('\n') };
}

describe.each(testDialects())('backup and restore during writes (%s)', (dialect) => {
  it('restores, into a fresh place, exactly the source as of the audit head each backup carries', async () => {
    const started = Date.now();
    const source = await cloneTemplate(dialect);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kejing-backup-proof-'));
    const restores: TestDatabase[] = [];
    const config = configFor(source.url, source.auditKeyFile);
    // PostgreSQL: a connection pool per writer. SQLite: one shared connection, since a second
    // in-process connection would block the event loop on the write lock the first one holds.
    const connections = Array.from({ length: dialect === 'sqlite' ? 1 : WRITERS }, () => createDeps(config));
    const writers = Array.from({ length: WRITERS }, (_, w) => connections[w % connections.length]!);
    const backups: { file: string; head: number; writesDuring: number }[] = [];
    let committed = 0;
    let stop = false;
    let failure: unknown = null;
    /** Waits until every writer could have committed again, or one has failed. */
    const moreWrites = async () => {
      const floor = committed + WRITERS;
      while (committed < floor && !failure) await new Promise((r) => setTimeout(r, 5));
    };
    try {
      await writers[0]!.db.insertInto('settings').values({ key: COUNTER, value: '0', updated_at: STAMP }).execute();
      const before = Number((await writers[0]!.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq);
      const loops = writers.map(async (deps, w) => {
        try {
          for (let i = 0; !stop; i++) {
            await write(deps, `proof-w${w}-${i}`);
            committed += 1;
            // better-sqlite3 answers synchronously: yield so timers and the child process are heard.
            await new Promise((resolve) => setImmediate(resolve));
          }
        } catch (error) {
          failure = error;
        }
      });
      for (let b = 0; b < BACKUPS; b++) {
        // Writes land before every backup, so each head lies strictly inside the run.
        await moreWrites();
        const file = path.join(dir, `kejing-${b}.${dialect === 'sqlite' ? 'db' : 'dump'}`);
        const at = committed;
        const result = await kejing({ url: source.url, auditKeyFile: source.auditKeyFile }, ['backup', file]);
        expect(result.code, result.err).toBe(0);
        const head = /包含审计链至第 (\d+) 条/.exec(result.out);
        expect(head, result.out).not.toBeNull();
        backups.push({ file, head: Number(head![1]), writesDuring: committed - at });
      }
      await moreWrites();
      stop = true;
      await Promise.all(loops);
      expect(failure).toBeNull();
      const final = await allRows(writers[0]!.db);
      const last = Number(final.audit_head![0]!.seq);

      let rowsCompared = 0;
      for (const backup of backups) {
        expect(backup.head).toBeGreaterThan(before);
        expect(backup.head).toBeLessThan(last);
        // A fresh place: a new file, or a new empty PostgreSQL database.
        const fresh = dialect === 'sqlite' ? { url: path.join(dir, `restored-${backups.indexOf(backup)}.db`), auditKeyFile: source.auditKeyFile, drop: async () => {} } : await createEmptyDatabase(dialect);
        restores.push(fresh);
        const restoredConfig = configFor(fresh.url, source.auditKeyFile);
        const restored = await cli(restoredConfig, ['restore', backup.file]);
        expect(restored.code, restored.out).toBe(0);
        expect(restored.out).toContain(`审计链至第 ${backup.head} 条`);
        const verify = await cli(restoredConfig, ['audit', 'verify']);
        expect(verify.code, verify.out).toBe(0);
        const deps = createDeps(restoredConfig);
        try {
          const actual = await allRows(deps.db);
          const expected = sourceAtHead(final, backup.head);
          expect(digest(actual)).toEqual(digest(expected));
          rowsCompared += Object.values(actual).reduce((n, rows) => n + rows.length, 0);
        } finally {
          await deps.close();
        }
      }
      recordBackup(dialect, {
        backups: backups.length,
        writers: WRITERS,
        writes: committed,
        writesDuringBackups: backups.reduce((n, b) => n + b.writesDuring, 0),
        tables: Object.keys(final).length,
        rowsCompared,
        mismatches: 0,
        ms: Date.now() - started,
      });
    } finally {
      stop = true;
      await Promise.all(connections.map((d) => d.close()));
      for (const r of restores) await r.drop();
      await source.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, proofSize({ ci: 240_000, full: 1_800_000 }));
});
