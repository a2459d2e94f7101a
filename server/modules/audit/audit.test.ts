import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv, unitIdOf } from '#tests/support/test-env.ts';
import type { Client, TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { DEMO_PASSWORD } from '#server/demo/demo.accounts.ts';

type AuditItem = {
  seq: number;
  at: string;
  actorKind: string;
  actorName: string;
  activeUnit: { id: string; name: string } | null;
  action: string;
  entityType: string;
  entityId: string | null;
  ip: string | null;
  requestId: string | null;
};
type Page = { items: AuditItem[]; total: number };

/** The Beijing calendar date of a UTC instant, shifted by whole days: what the date filter takes. */
const beijingDate = (instant: string, offsetDays = 0) => new Date(Date.parse(instant) + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe.each(testDialects())('audit log pages on %s', (dialect) => {
  let env: TestEnv;
  let admin: Client;
  beforeEach(async () => {
    env = await createTestEnv(dialect);
    admin = await env.login('admin');
  });
  afterEach(async () => {
    await env.close();
  });

  const list = async (query = '') => (await admin.get(`/api/audit?${query}`)).json<Page>();

  it('records who changed what, from where, in which unit, under which request id', async () => {
    const login = await env.attemptLogin('hedian', DEMO_PASSWORD, '10.9.8.7');
    const hedian = env.client({ cookie: `kejing_session=${login.cookies.find((c) => c.name === 'kejing_session')!.value}`, csrfToken: login.json().csrfToken, remoteAddress: '10.9.8.7' });
    const response = await hedian.post('/api/auth/tokens', { name: '对接' });

    const [record] = (await list('action=api_token.create')).items;
    expect(record).toMatchObject({
      actorKind: 'user',
      actorName: 'hedian',
      activeUnit: { id: await unitIdOf(env, '何店镇'), name: '何店镇' },
      entityType: 'api_token',
      entityId: response.json().id,
      ip: '10.9.8.7',
      requestId: response.headers['x-request-id'],
    });
    expect(Date.parse(record!.at)).not.toBeNaN();
  });

  it('lists newest first and filters by action (underscores included), action prefix, actor and entity', async () => {
    const hedian = await env.login('hedian');
    await hedian.post('/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Zengdu#2026' });
    await admin.put('/api/roles/innovation', { permissions: ['org.read'] });

    const all = await list();
    expect(all.items.map((r) => r.seq)).toEqual([...all.items.map((r) => r.seq)].sort((a, b) => b - a));

    const changed = await list('action=user.change_password');
    expect(changed.items.map((r) => [r.action, r.actorName])).toEqual([['user.change_password', 'hedian']]);

    const userActions = await list('action=user.&pageSize=200');
    expect(userActions.total).toBeGreaterThan(1);
    expect(userActions.items.every((r) => r.action.startsWith('user.'))).toBe(true);

    const byAdmin = (await list('actor=admin')).items;
    expect(byAdmin[0]?.action).toBe('role.update');
    expect(byAdmin.every((r) => r.actorName === 'admin')).toBe(true);
    expect((await list('entityType=role&entityId=innovation')).items[0]?.action).toBe('role.update');
    expect((await list('action=user.change%25')).total).toBe(0);
  });

  it('filters by Beijing calendar dates', async () => {
    const { items, total } = await list('pageSize=200');
    const newest = items[0]!.at;
    const oldest = items[items.length - 1]!.at;
    expect((await list(`from=${beijingDate(oldest)}&to=${beijingDate(newest)}`)).total).toBe(total);
    expect((await list(`from=${beijingDate(newest, 1)}`)).total).toBe(0);
    expect((await list(`to=${beijingDate(oldest, -1)}`)).total).toBe(0);
  });

  it('pages without overlap', async () => {
    const first = await list('pageSize=5&page=1');
    const second = await list('pageSize=5&page=2');
    expect(first.items).toHaveLength(5);
    expect(second.items[0]!.seq).toBe(first.items[4]!.seq - 1);
  });

  it('exports the filtered log as xlsx', async () => {
    const response = await admin.get('/api/audit/export?action=unit.');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    expect(response.headers['content-disposition']).toContain("filename*=UTF-8''%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97.xlsx");
    expect(response.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('offers the chain check to administrators, and it reports tampering', async () => {
    expect((await admin.get('/api/audit/verify')).json()).toMatchObject({ ok: true, problems: [] });
    await env.deps.db.updateTable('audit_log').set({ entity_id: 'changed' }).where('seq', '=', 2).execute();
    expect((await admin.get('/api/audit/verify')).json()).toMatchObject({ ok: false, problems: [{ seq: 2, kind: 'altered' }] });
    expect((await (await env.login('hedian')).get('/api/audit/verify')).statusCode).toBe(403);
  });
});
