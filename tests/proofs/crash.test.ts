import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '#server/config.ts';
import { openDatabase } from '#server/db/client.ts';
import type { DbHandle } from '#server/db/client.ts';
import { createAuditLog } from '#server/platform/audit.ts';
import { loadOrCreateAuditKey } from '#server/platform/audit-key.ts';
import { nowIso } from '#server/platform/ids.ts';
import { cloneTemplate, testDialects } from '#tests/support/databases.ts';
import type { TestDatabase } from '#tests/support/databases.ts';
import { auditVerify, startLiveServer } from '#tests/proofs/live-server.ts';
import { recordCrash } from '#tests/proofs/results.ts';
import { proofSize } from '#tests/proofs/size.ts';
import { adminToken, editWrite, formWrite, importedReports, importWrite, isAcknowledged, periodsOf, listEnterprises, send, sqliteIntegrity, tally } from '#tests/proofs/workload.ts';
import type { Write } from '#tests/proofs/workload.ts';

/**
 * Crash safety (issue 6 §3). The real server runs a large monthly import while clients send
 * monthly forms and enterprise edits, each with an Idempotency-Key; the process is killed with
 * SIGKILL — on odd rounds at "commit started" (the test-only hook in server/db/client.ts, the
 * Nth commit after the server is ready), on even rounds at a random moment. After each restart,
 * before the next clients start: the database's integrity, every import whole or absent, every
 * acknowledged write there exactly once, the audit chain intact. The clients then retry every
 * unanswered write with its key, alongside new writes. After the last kill a clean restart
 * retries what is left: every write must then be there exactly once, and `kejing audit verify`
 * passes. PostgreSQL: the server is killed, never the database.
 */
const ROUNDS = proofSize({ ci: 5, full: 50 });
const FORM_WRITERS = 4;
const EDIT_WRITERS = 2;
/** Periods per import: 334 demo enterprises × 6 = 2 004 rows. */
const IMPORT_MONTHS = 6;
const SEED = 20261127;

/** A small deterministic generator: the rounds' kill points are the same on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(testDialects())('crash safety on %s', (dialect) => {
  let database: TestDatabase;
  let handle: DbHandle;

  beforeAll(async () => {
    database = await cloneTemplate(dialect);
    handle = openDatabase(parseDatabaseUrl(database.url));
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it(`keeps every acknowledged write exactly once and every import whole through ${ROUNDS} SIGKILLs`, async () => {
    const started = performance.now();
    const since = nowIso();
    const random = prng(SEED);
    const audit = createAuditLog(dialect, loadOrCreateAuditKey(database.auditKeyFile));
    const figures = { kills: 0, atCommit: 0, atRandom: 0, survived: 0, imports: 0, acknowledged: 0, retried: 0, lost: 0, duplicates: 0, halfImports: 0, ms: 0 };
    const failures: string[] = [];
    const ledger: Write[] = [];

    let admin: { token: string; userId: string } | null = null;
    const enterprises = await listEnterprises(handle.db);
    const token = () => admin!.token;
    // Writers each own an enterprise, so an edit's address is never overwritten by another writer.
    const formTargets = enterprises.slice(0, FORM_WRITERS);
    const editTargets = enterprises.slice(FORM_WRITERS, FORM_WRITERS + EDIT_WRITERS);

    /** Re-sends, with the same key, every write that has no answer yet (the clients' retry). */
    const retryOutstanding = async (url: string, stopped: () => boolean, outstanding = ledger.filter((x) => !isAcknowledged(x))) => {
      for (const w of outstanding) {
        if (stopped()) return;
        figures.retried++;
        await send(url, token(), w);
        if (w.status !== 0 && !isAcknowledged(w)) failures.push(`retry of ${w.kind} answered ${w.status} ${w.code ?? ''}`);
      }
    };

    for (let round = 0; round < ROUNDS; round++) {
      // Round 0 creates the API token first, so the commit hook starts on round 1.
      const atCommit = round % 2 === 1;
      const commit = 1 + Math.floor(random() * 20);
      const delay = 300 + Math.floor(random() * 3700);
      const server = await startLiveServer(database, atCommit ? { KEJING_TEST_CRASH_AT: `commit:${commit}` } : {});
      if (!server) throw new Error(`round ${round}: server did not start`);
      // The proof's API token, created through the real routes on the first boot (it outlives crashes).
      admin ??= await adminToken(server.url);
      const problemsBefore = failures.length;

      // The database as the previous crash left it, read before this round's clients start.
      if (round > 0) {
        if (dialect === 'sqlite') {
          const integrity = await sqliteIntegrity(handle.db);
          if (integrity !== 'ok') failures.push(`round ${round}: integrity_check ${integrity}`);
        }
        for (const w of ledger.filter((x) => x.kind === 'import')) {
          const { reports, batches, orphans, whole } = await importedReports(handle.db, w, ledger);
          if (!whole) {
            figures.halfImports++;
            failures.push(`round ${round}: import ${w.file!.name} left ${reports}/${w.file!.reports} reports, ${batches} batches, ${orphans} orphan reports`);
          }
        }
        const held = await tally(handle.db, admin!.userId, since, ledger, true);
        failures.push(...held.problems.map((p) => `round ${round}: ${p}`));
        const chain = await audit.verify(handle.db);
        if (!chain.ok) failures.push(`round ${round}: audit chain ${chain.problems.map((p) => p.message).join('; ')}`);
      }

      // Years before the demo district's (2021–2022), reused every 20 rounds with new values.
      const upload = await importWrite(enterprises, periodsOf(2000 + (round % 20), IMPORT_MONTHS), `crash-${dialect}-${round}`, round);
      figures.imports++;
      let dead = false;
      void server.exited.then(() => {
        dead = true;
      });
      const stopped = () => dead;
      const loop = async (make: () => Write) => {
        while (!dead) {
          const w = make();
          ledger.push(w);
          await send(server.url, token(), w);
          if (w.status >= 500) failures.push(`round ${round}: ${w.kind} answered ${w.status}`);
          if (w.status === 0) return; // the server is gone
        }
      };
      let watchdogFired = false;
      const watchdog = setTimeout(
        () => {
          watchdogFired = true;
          server.kill('SIGKILL');
        },
        atCommit ? 60_000 : delay,
      );
      const outstanding = ledger.filter((x) => !isAcknowledged(x));
      await Promise.all([
        (async () => {
          ledger.push(upload);
          await send(server.url, token(), upload);
        })(),
        retryOutstanding(server.url, stopped, outstanding),
        ...formTargets.map((e) => loop(() => formWrite(e))),
        ...editTargets.map((e) => loop(() => editWrite(e))),
      ]);
      const exit = await server.exited;
      clearTimeout(watchdog);
      expect(exit.signal, `round ${round}: the server should die by SIGKILL`).toBe('SIGKILL');
      if (atCommit && watchdogFired) failures.push(`round ${round}: the commit hook never fired (commit ${commit})`);
      figures.kills++;
      if (atCommit) figures.atCommit++;
      else figures.atRandom++;
      if (round > 0 && failures.length === problemsBefore) figures.survived++;
    }

    // A clean restart after the last kill: the same checks, every outstanding write retried,
    // then every write must be there exactly once and `kejing audit verify` must pass.
    if (dialect === 'sqlite') {
      const integrity = await sqliteIntegrity(handle.db);
      if (integrity !== 'ok') failures.push(`last round: integrity_check ${integrity}`);
    }
    const last = await startLiveServer(database);
    if (!last) throw new Error('server did not restart after the last kill');
    const problemsBefore = failures.length;
    for (const w of ledger.filter((x) => x.kind === 'import')) {
      const { reports, batches, orphans, whole } = await importedReports(handle.db, w, ledger);
      if (!whole) {
        figures.halfImports++;
        failures.push(`last round: import ${w.file!.name} left ${reports}/${w.file!.reports} reports, ${batches} batches, ${orphans} orphan reports`);
      }
    }
    failures.push(...(await tally(handle.db, admin!.userId, since, ledger, true)).problems.map((p) => `last round: ${p}`));
    await retryOutstanding(last.url, () => false);
    const final = await tally(handle.db, admin!.userId, since, ledger, false);
    failures.push(...final.problems.map((p) => `after retries: ${p}`));
    const verified = auditVerify(database);
    if (!verified.ok) failures.push(`kejing audit verify failed: ${verified.output}`);
    last.kill('SIGTERM');
    await last.exited;
    if (failures.length === problemsBefore) figures.survived++;

    figures.acknowledged = ledger.filter(isAcknowledged).length;
    figures.lost = final.lost;
    figures.duplicates = final.duplicates;
    figures.ms = performance.now() - started;
    recordCrash(dialect, figures);
    expect(failures).toEqual([]);
    expect(figures.acknowledged).toBe(ledger.length);
    expect(figures.survived).toBe(ROUNDS);
    expect(figures.kills).toBe(ROUNDS);
  }, 600_000);
});
