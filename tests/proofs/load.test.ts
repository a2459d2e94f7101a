import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePeriod } from '#common/period.ts';
import { parseDatabaseUrl } from '#server/config.ts';
import { openDatabase } from '#server/db/client.ts';
import type { DbHandle } from '#server/db/client.ts';
import { nowIso } from '#server/platform/ids.ts';
import { cloneTemplate, testDialects } from '#tests/support/databases.ts';
import type { TestDatabase } from '#tests/support/databases.ts';
import { call, startLiveServer } from '#tests/proofs/live-server.ts';
import type { LiveServer } from '#tests/proofs/live-server.ts';
import { recordLoad } from '#tests/proofs/results.ts';
import { proofSize } from '#tests/proofs/size.ts';
import { adminToken, editWrite, formWrite, importWrite, isAcknowledged, listEnterprises, send, tally } from '#tests/proofs/workload.ts';
import type { Enterprise, Write } from '#tests/proofs/workload.ts';

/**
 * Load (issue 6 §4): 64 clients at once against the real server for 10 s (CI) or 60 s (full),
 * each looping over a mix — dashboard reads (summary, periods, figures), enterprise lists with
 * filters, monthly form submissions, enterprise edits and small imports — with one API token.
 * Every write carries an Idempotency-Key. Afterwards: no 5xx, no request without an answer,
 * every write there exactly once; the latency percentiles and throughput are printed
 * (figures, not asserts: timing belongs in docs/reliability.md, not in a pass/fail).
 */
const CLIENTS = 64;
const SECONDS = proofSize({ ci: 10, full: 60 });
/** Enterprises each client owns for its writes, so no two clients write the same record. */
const OWNED = 5;

type Op = 'summary' | 'periods' | 'figures' | 'list' | 'form' | 'edit' | 'import';
/** The mix, by weight: mostly reads, as the bureau's day is. */
const MIX: [Op, number][] = [
  ['summary', 20],
  ['periods', 5],
  ['figures', 10],
  ['list', 30],
  ['form', 20],
  ['edit', 10],
  ['import', 5],
];

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

describe.each(testDialects())('load on %s', (dialect) => {
  let database: TestDatabase;
  let handle: DbHandle;
  let server: LiveServer | null = null;

  beforeAll(async () => {
    database = await cloneTemplate(dialect);
    handle = openDatabase(parseDatabaseUrl(database.url));
  });
  afterAll(async () => {
    if (server) {
      server.kill('SIGTERM');
      await server.exited;
    }
    await handle?.close();
    await database?.drop();
  });

  it(`answers ${CLIENTS} concurrent clients for ${SECONDS} s with no 5xx and no lost or duplicated write`, async () => {
    const started = performance.now();
    server = await startLiveServer(database);
    if (!server) throw new Error('server did not start');
    const base = server.url;
    const { token, userId } = await adminToken(base);
    const since = nowIso();
    const enterprises = await listEnterprises(handle.db);
    const towns = (await handle.db.selectFrom('enterprises').select('town_id').distinct().execute()).map((u) => u.town_id);
    const latencies: number[] = [];
    const byOp = new Map<string, number[]>();
    const failures: string[] = [];
    const writes: Write[] = [];
    let serverErrors = 0;
    const total = MIX.reduce((s, [, w]) => s + w, 0);
    const pick = (n: number): Op => {
      let r = n % total;
      for (const [op, w] of MIX) {
        if (r < w) return op;
        r -= w;
      }
      return 'summary';
    };

    const client = async (c: number, until: number) => {
      const own: Enterprise[] = enterprises.slice(c * OWNED, c * OWNED + OWNED);
      let imports = 0;
      // A per-client stride through the mix, so clients are not in step with each other.
      for (let i = 0; performance.now() < until; i++) {
        const op = pick(c * 37 + i * 13);
        const t = performance.now();
        let status: number;
        let label: string = op;
        if (op === 'form' || op === 'edit' || op === 'import') {
          let w: Write;
          if (op === 'form') w = formWrite(own[0]!);
          else if (op === 'edit') w = editWrite(own[1]!);
          else {
            // Each import its own period for this client's enterprises: reports are never shared.
            const period = makePeriod(2000 + (imports % 20), 2 + (Math.floor(imports / 20) % 11));
            imports++;
            w = await importWrite(own, [period], `load-${dialect}-${c}-${imports}`, imports);
          }
          writes.push(w);
          await send(base, token, w);
          status = w.status;
          if (!isAcknowledged(w)) failures.push(`${op} answered ${w.status} ${w.code ?? ''}`);
        } else {
          const path =
            op === 'summary'
              ? '/api/monitoring/summary?period=2022-12'
              : op === 'periods'
                ? '/api/monitoring/periods'
                : op === 'figures'
                  ? `/api/monitoring/figures?period=2022-${String(2 + (i % 11)).padStart(2, '0')}&indicator=output_value&dimension=town`
                  : `/api/enterprises?town=${towns[i % towns.length]}&aboveScale=true&page=${1 + (i % 3)}&pageSize=20${i % 2 ? '&search=%E6%9C%89%E9%99%90' : ''}`;
          label = path.split('?')[0]!;
          status = (await call(base, 'GET', path, { token })).status;
          if (status !== 200) failures.push(`GET ${label} answered ${status}`);
        }
        latencies.push(performance.now() - t);
        byOp.set(op, [...(byOp.get(op) ?? []), performance.now() - t]);
        if (status >= 500 || status === 0) serverErrors++;
      }
    };

    const t0 = performance.now();
    const until = t0 + SECONDS * 1000;
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c, until)));
    const elapsed = (performance.now() - t0) / 1000;

    const counted = await tally(handle.db, userId, since, writes, false);
    const sorted = [...latencies].sort((a, b) => a - b);
    recordLoad(dialect, {
      clients: CLIENTS,
      seconds: SECONDS,
      requests: latencies.length,
      serverErrors,
      writes: writes.length,
      lost: counted.lost,
      duplicates: counted.duplicates,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      throughput: latencies.length / elapsed,
      ms: performance.now() - started,
      byOp: Object.fromEntries([...byOp].map(([op, l]) => [op, { n: l.length, p50: percentile([...l].sort((a, b) => a - b), 50) }])),
    });
    expect([...new Set(failures)]).toEqual([]);
    expect(serverErrors).toBe(0);
    expect(counted.problems).toEqual([]);
    expect(writes.length).toBeGreaterThan(0);
  }, 300_000);
});
