import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv, unitIdOf } from '#tests/support/test-env.ts';
import type { Client, TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';

type AuditItem = { action: string; actorName: string; activeUnit: { id: string; name: string } | null; before: unknown; after: unknown };

describe.each(testDialects())('active unit of a seconded official on %s', (dialect) => {
  let env: TestEnv;
  let xiheId: string;
  let yunxingId: string;
  beforeEach(async () => {
    env = await createTestEnv(dialect);
    xiheId = await unitIdOf(env, '淅河镇');
    yunxingId = await unitIdOf(env, '运行科');
  });
  afterEach(async () => {
    await env.close();
  });

  const lastAudit = async (action: string) => {
    const admin = await env.login('admin');
    return (await admin.get(`/api/audit?action=${action}&actor=jiediao`)).json<{ items: AuditItem[] }>().items[0];
  };

  it('starts in the primary unit with that town’s scope and lists both units', async () => {
    const jiediao = await env.login('jiediao');
    const me = (await jiediao.get('/api/auth/me')).json();
    expect(me.activeUnit).toMatchObject({ id: xiheId, name: '淅河镇' });
    expect(me.units.map((u: { name: string }) => u.name).sort()).toEqual(['淅河镇', '运行科'].sort());
    expect(me.scope).toEqual({ kind: 'town', unitIds: [xiheId] });
  });

  it('switches to the bureau section, whose scope is every town, and keeps it for the session', async () => {
    const jiediao = await env.login('jiediao');
    const switched = await jiediao.post('/api/auth/active-unit', { unitId: yunxingId });
    expect(switched.statusCode).toBe(200);
    expect(switched.json()).toMatchObject({ activeUnit: { id: yunxingId, name: '运行科' }, scope: { kind: 'all' } });
    expect((await jiediao.get('/api/auth/me')).json()).toMatchObject({ activeUnit: { id: yunxingId }, scope: { kind: 'all' } });

    const back = await jiediao.post('/api/auth/active-unit', { unitId: xiheId });
    expect(back.json()).toMatchObject({ activeUnit: { id: xiheId }, scope: { kind: 'town', unitIds: [xiheId] } });
  });

  it('records the switch, and later changes carry the unit the official now works in', async () => {
    const jiediao = await env.login('jiediao');
    await createToken(jiediao, '淅河镇期间');
    expect((await lastAudit('api_token.create'))?.activeUnit).toEqual({ id: xiheId, name: '淅河镇' });

    await jiediao.post('/api/auth/active-unit', { unitId: yunxingId });
    expect(await lastAudit('session.switch_unit')).toMatchObject({ before: { unitId: xiheId }, after: { unitId: yunxingId } });

    await createToken(jiediao, '运行科期间');
    expect((await lastAudit('api_token.create'))?.activeUnit).toEqual({ id: yunxingId, name: '运行科' });
  });

  it('answers 404 for a unit the user does not belong to, and stays where it was', async () => {
    const jiediao = await env.login('jiediao');
    for (const unitId of [await unitIdOf(env, '何店镇'), 'no-such-unit']) {
      const response = await jiediao.post('/api/auth/active-unit', { unitId });
      expect(response.statusCode).toBe(404);
      expect(response.json().error).toEqual({ code: 'NOT_FOUND', message: '单位不存在或无权访问' });
    }
    expect((await jiediao.get('/api/auth/me')).json().activeUnit.id).toBe(xiheId);
  });
});

async function createToken(client: Client, name: string): Promise<void> {
  expect((await client.post('/api/auth/tokens', { name })).statusCode).toBe(200);
}
