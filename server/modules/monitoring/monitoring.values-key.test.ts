import { Migrator, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '#server/config.ts';
import { openDatabase } from '#server/db/client.ts';
import type { DbHandle } from '#server/db/client.ts';
import { migrateToLatest } from '#server/db/migrate.ts';
import { MIGRATIONS } from '#server/db/migrations.ts';
import { cloneTemplate, testDialects } from '#tests/support/databases.ts';
import type { TestDatabase } from '#tests/support/databases.ts';
import { buildEnterprise } from '#tests/support/factories.ts';
import { listPeriodValues, listValuesOf, upsertReports, upsertValues } from '#server/modules/monitoring/monitoring.repo.ts';

// ADR 0012: monthly values are keyed period first. An installation upgrading keeps every value,
// and the migration can be undone without losing one.

const MIGRATION = '2026-11-27-0011-monitoring-values-by-period';

const everyValue = async (handle: DbHandle) =>
  (await handle.db.selectFrom('monitoring_values').selectAll().execute())
    .map((r) => `${r.enterprise_id}|${r.period}|${r.indicator}|${String(r.current_value)}|${r.previous_value === null ? '-' : String(r.previous_value)}`)
    .sort();

async function keyColumns(handle: DbHandle): Promise<string[]> {
  if (handle.dialect === 'sqlite') {
    const { rows } = await sql<{ name: string }>`select name from pragma_table_info('monitoring_values') where pk > 0 order by pk`.execute(handle.db);
    return rows.map((r) => r.name);
  }
  // The key's columns, without the INCLUDE ones that follow them in indkey.
  const { rows } = await sql<{ attname: string; keys: number }>`
    select a.attname, i.indnkeyatts as keys from pg_index i
      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
     where i.indrelid = 'monitoring_values'::regclass and i.indisprimary
     order by array_position(i.indkey::int2[], a.attnum)`.execute(handle.db);
  return rows.slice(0, rows[0]?.keys ?? 0).map((r) => r.attname);
}

describe.each(testDialects())('monthly values keyed by period on %s', (dialect) => {
  let database: TestDatabase;
  let handle: DbHandle;
  beforeEach(async () => {
    database = await cloneTemplate(dialect);
    handle = openDatabase(parseDatabaseUrl(database.url));
    await migrateToLatest(handle.db);
  });
  afterEach(async () => {
    await handle.close();
    await database.drop();
  });

  it('keeps every value through the migration and its undoing, and reads a period and an enterprise alike', async () => {
    const a = await buildEnterprise(handle.db, { aboveScale: true });
    const b = await buildEnterprise(handle.db, { aboveScale: true });
    const at = new Date().toISOString();
    const reports = [a.id, b.id].flatMap((id) => ['2022-02', '2022-03'].map((period) => ({ enterpriseId: id, period, source: 'import', batchId: 't', at, by: null })));
    await upsertReports(handle.db, reports);
    await upsertValues(
      handle.db,
      reports.flatMap((r, i) => [
        { enterpriseId: r.enterpriseId, period: r.period, indicator: 'output_value', current: 1_000_000n + BigInt(i), previous: 900_000n },
        { enterpriseId: r.enterpriseId, period: r.period, indicator: 'profit', current: -12_345n, previous: null },
      ]),
    );
    const before = await everyValue(handle);
    const ours = (rows: string[]) => rows.filter((row) => row.startsWith(a.id) || row.startsWith(b.id));
    expect(ours(before)).toHaveLength(8);
    // The template's demo district goes through the migration too.
    expect(before.length).toBeGreaterThan(10_000);
    expect(await keyColumns(handle)).toEqual(['period', 'enterprise_id', 'indicator']);

    const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => MIGRATIONS } });
    const down = await migrator.migrateDown();
    expect(down.error).toBeUndefined();
    expect(down.results?.[0]?.migrationName).toBe(MIGRATION);
    expect(await keyColumns(handle)).toEqual(['enterprise_id', 'period', 'indicator']);
    expect(await everyValue(handle)).toEqual(before);

    expect(await migrateToLatest(handle.db)).toEqual([MIGRATION]);
    expect(await everyValue(handle)).toEqual(before);
    const mine = (v: { enterpriseId: string }) => v.enterpriseId === a.id || v.enterpriseId === b.id;
    expect((await listPeriodValues(handle.db, '2022-03')).filter(mine).map((v) => `${v.enterpriseId}:${v.indicator}:${v.current}`).sort()).toEqual(
      [`${a.id}:output_value:1000001`, `${a.id}:profit:-12345`, `${b.id}:output_value:1000003`, `${b.id}:profit:-12345`].sort(),
    );
    expect((await listValuesOf(handle.db, [b.id], ['2022-02'])).map((v) => v.current).sort()).toEqual([-12_345n, 1_000_002n]);

    // A deleted enterprise takes its reports and their values with it (the key still serves the cascade).
    await handle.db.deleteFrom('monitoring_reports').where('enterprise_id', '=', a.id).execute();
    const after = await everyValue(handle);
    expect(ours(after)).toHaveLength(4);
    expect(ours(after).every((row) => row.startsWith(b.id))).toBe(true);
    expect(after).toHaveLength(before.length - 4);
  });
});
