import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv } from '#tests/support/test-env.ts';
import type { Client, TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { buildEnterprise } from '#tests/support/factories.ts';
import type { BuiltEnterprise } from '#tests/support/factories.ts';
import { upload } from '#tests/support/upload.ts';
import { fingerprint } from '#tests/proofs/fixtures.ts';
import { MONTHLY_FIXTURE_ENTERPRISES, MONTHLY_FIXTURES, oversizeUpload, zipBomb } from '#tests/fixtures/monthly/generate.ts';

/**
 * The monthly-report workbook corpus (tests/fixtures/monthly/, made by its generate.ts), through
 * the HTTP import API as a town user: every broken file answers a 4xx with a Chinese message
 * saying what is wrong and writes nothing; every awkward but valid file imports the same known
 * values.
 */

const CJK = /[\u4e00-\u9fff]/;
const IMPORT = '/api/monitoring/imports?dryRun=false';

/** `problem`: the one error the preview must name, by row and column (the others are refused whole). */
type Refusal = { file: string; content?: () => Buffer; status: number; message: RegExp; problem?: { row: number; column: string; message: RegExp } };

const REFUSALS: Refusal[] = [
  { file: 'refuse-wrong-headers.xlsx', status: 400, message: /没有找到月度报表的表头.*统一社会信用代码/ },
  { file: 'refuse-text-in-numbers.xlsx', status: 400, message: /未导入任何数据/, problem: { row: 3, column: 'D', message: /不是数值/ } },
  { file: 'refuse-formula-without-result.xlsx', status: 400, message: /未导入任何数据/, problem: { row: 3, column: 'D', message: /没有保存计算结果/ } },
  { file: 'refuse-empty-sheet.xlsx', status: 400, message: /工作簿是空的/ },
  { file: 'refuse-headers-only.xlsx', status: 400, message: /下面没有数据行/ },
  { file: 'refuse-duplicate-rows.xlsx', status: 400, message: /未导入任何数据/, problem: { row: 4, column: 'A', message: /与第 2 行重复/ } },
  { file: 'refuse-unknown-enterprise.xlsx', status: 400, message: /未导入任何数据/, problem: { row: 3, column: 'A', message: /企业名录中没有/ } },
  { file: 'refuse-january.xlsx', status: 400, message: /未导入任何数据/, problem: { row: 2, column: 'C', message: /1–2月合并报送，请填 2022年1-2月/ } },
  { file: 'refuse-not-xlsx.xlsx', status: 400, message: /\.xlsx/ },
  { file: 'refuse-old-format.xls', status: 400, message: /旧版 Excel（\.xls）/ },
  { file: 'refuse-truncated.xlsx', status: 400, message: /不完整或已损坏/ },
  { file: 'zip bomb (built at run time)', content: zipBomb, status: 400, message: /压缩炸弹/ },
  { file: 'over 20 MB (built at run time)', content: oversizeUpload, status: 413, message: /20 MB/ },
];

/** In the indicator's unit, as the API's figures give them: every valid file holds these. */
const EXPECTED = {
  a: { output_value: ['1200', '1000'], revenue: ['800', '700'], employees: ['120', null] },
  b: { output_value: ['300', '400'], revenue: ['250', '260'], employees: ['45', null] },
} as const;

const VALID: { file: string; sheet: string; headerRow: number; units?: Record<string, string> }[] = [
  { file: 'valid-basic.xlsx', sheet: '月报', headerRow: 1 },
  { file: 'valid-title-rows.xlsx', sheet: '月报', headerRow: 4 },
  { file: 'valid-two-row-header.xlsx', sheet: '月报', headerRow: 2 },
  { file: 'valid-merged-header.xlsx', sheet: '月报', headerRow: 2 },
  { file: 'valid-formulas.xlsx', sheet: '月报', headerRow: 1 },
  { file: 'valid-units-in-headers.xlsx', sheet: '月报', headerRow: 1, units: { D: '万元', E: '万元', F: '元', G: '元', H: '人' } },
  { file: 'valid-totals-row.xlsx', sheet: '月报', headerRow: 1 },
  { file: 'valid-second-sheet.xlsx', sheet: '月报', headerRow: 1 },
  { file: 'valid-libreoffice.xlsx', sheet: '月报', headerRow: 1 },
];

const read = (name: string) => fs.readFileSync(path.join(MONTHLY_FIXTURES, name));

describe.each(testDialects())('monthly workbook corpus on %s', (dialect) => {
  let env: TestEnv;
  let town: Client;
  const built: Record<'a' | 'b', BuiltEnterprise> = {} as Record<'a' | 'b', BuiltEnterprise>;

  beforeAll(async () => {
    env = await createTestEnv(dialect);
    for (const key of ['a', 'b'] as const) built[key] = await buildEnterprise(env.deps.db, { ...MONTHLY_FIXTURE_ENTERPRISES[key], town: '何店镇', aboveScale: true });
    town = await env.login('hedian');
  });
  afterAll(async () => {
    await env.close();
  });

  /** Stored values of the two fixture enterprises for 2022-06, in the indicator's unit. */
  const stored = async () => {
    const rows = await env.deps.db
      .selectFrom('monitoring_values')
      .select(['enterprise_id', 'indicator', 'current_value', 'previous_value'])
      .where('period', '=', '2022-06')
      .where('enterprise_id', 'in', [built.a.id, built.b.id])
      .execute();
    const inUnit = (v: unknown) => (v === null ? null : String(Number(v) / 1000));
    const out: Record<string, Record<string, [string | null, string | null]>> = { a: {}, b: {} };
    for (const r of rows) out[r.enterprise_id === built.a.id ? 'a' : 'b']![r.indicator] = [inUnit(r.current_value), inUnit(r.previous_value)];
    return out;
  };

  it.each(REFUSALS)('refuses $file with a Chinese message and a 4xx, writing nothing', async (refusal) => {
    const before = await fingerprint(env.deps.db);
    const content = refusal.content ? refusal.content() : read(refusal.file);
    const response = await upload(env, town, IMPORT, refusal.content ? 'monthly.xlsx' : refusal.file, content);
    expect(response.statusCode, response.body).toBe(refusal.status);
    const error = response.json().error;
    expect(error.message).toMatch(CJK);
    expect(error.message).toMatch(refusal.message);
    if (refusal.problem) {
      const { row, column, message } = refusal.problem;
      // The one error the file was made with, and no other.
      const errors = error.details.problems.filter((p: { level: string }) => p.level === 'error');
      expect(errors).toEqual([expect.objectContaining({ row, column, message: expect.stringMatching(message) })]);
    }
    expect(await fingerprint(env.deps.db)).toEqual(before);
  });

  it.each(VALID)('imports $file with the expected values', async ({ file, sheet, headerRow, units }) => {
    await env.deps.db.deleteFrom('monitoring_values').where('enterprise_id', 'in', [built.a.id, built.b.id]).execute();
    await env.deps.db.deleteFrom('monitoring_reports').where('enterprise_id', 'in', [built.a.id, built.b.id]).execute();
    const response = await upload(env, town, IMPORT, file, read(file));
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ committed: true, errorCount: 0, sheet, headerRow, rows: 2, periods: ['2022-06'], enterprises: 2 });
    expect(body.changes).toMatchObject({ inserted: 6 });
    for (const [column, unit] of Object.entries(units ?? {})) {
      expect(body.columns).toEqual(expect.arrayContaining([expect.objectContaining({ column, unit, unitFromHeader: true })]));
    }
    expect(await stored()).toEqual(EXPECTED);
  });
});
