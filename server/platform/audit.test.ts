import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv, unitIdOf } from '#tests/support/test-env.ts';
import type { TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { runCli } from '#server/cli.ts';
import { systemActor } from '#server/platform/audit.ts';
import { newId, nowIso } from '#server/platform/ids.ts';

/** Captures what a CLI command prints. */
function captureIo(stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s), stdin: async () => stdin } };
}

describe.each(testDialects())('tamper-evident audit log on %s', (dialect) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await createTestEnv(dialect);
  });
  afterEach(async () => {
    await env.close();
  });

  const db = () => env.deps.db;
  const auditCount = async () => Number((await db().selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const headSeq = async () => Number((await db().selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq);
  const lastSeq = async () => Number((await db().selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow()).m);
  const verify = () => env.deps.audit.verify(db());
  const cliVerify = async () => {
    const capture = captureIo();
    const code = await runCli(['audit', 'verify'], env.config, capture.io);
    return { code, out: capture.out.join('\n'), err: capture.err.join('\n') };
  };

  describe('a change and its audit record commit or vanish together', () => {
    it('leaves neither the row nor the record when the change fails after appending', async () => {
      const records = await auditCount();
      const head = await headSeq();
      const failing = db()
        .transaction()
        .execute(async (trx) => {
          await trx.insertInto('settings').values({ key: 'probe', value: '1', updated_at: nowIso() }).execute();
          await env.deps.audit.append(trx, systemActor('test'), { action: 'setting.set', entityType: 'setting', entityId: 'probe', after: '1' });
          throw new Error('the change fails after its audit record was written');
        });
      await expect(failing).rejects.toThrow('the change fails');

      expect(await db().selectFrom('settings').select('key').where('key', '=', 'probe').executeTakeFirst()).toBeUndefined();
      expect(await auditCount()).toBe(records);
      expect(await headSeq()).toBe(head);
      expect((await verify()).ok).toBe(true);
    });

    it('rolls both back when the database itself refuses the change (a duplicate username)', async () => {
      const records = await auditCount();
      const user = (username: string) => ({
        id: newId(),
        username,
        display_name: '重复',
        password_hash: 'x',
        must_change_password: 1,
        disabled: 0,
        failed_logins: 0,
        locked_until: null,
        password_changed_at: null,
        enterprise_id: null,
        phone: null,
        created_at: nowIso(),
        updated_at: nowIso(),
      });
      const failing = db()
        .transaction()
        .execute(async (trx) => {
          await trx.insertInto('users').values(user('probe-user')).execute();
          await env.deps.audit.append(trx, systemActor('test'), { action: 'user.create', entityType: 'user', after: { username: 'probe-user' } });
          await trx.insertInto('users').values(user('admin')).execute();
        });
      await expect(failing).rejects.toThrow();

      expect(await db().selectFrom('users').select('id').where('username', '=', 'probe-user').executeTakeFirst()).toBeUndefined();
      expect(await auditCount()).toBe(records);
      expect((await verify()).ok).toBe(true);
    });

    it('continues the chain without a gap after a rolled-back append', async () => {
      const head = await headSeq();
      await db()
        .transaction()
        .execute(async (trx) => {
          await env.deps.audit.append(trx, systemActor('test'), { action: 'probe.rolled_back', entityType: 'probe' });
          throw new Error('rollback');
        })
        .catch(() => undefined);
      await db()
        .transaction()
        .execute((trx) => env.deps.audit.append(trx, systemActor('test'), { action: 'probe.kept', entityType: 'probe' }));
      expect(await lastSeq()).toBe(head + 1);
      expect(await verify()).toMatchObject({ ok: true, headSeq: head + 1, records: head + 1 });
    });
  });

  describe('audit verify', () => {
    it('passes an untouched chain, from the service and from the CLI', async () => {
      const result = await verify();
      expect(result).toEqual({ ok: true, records: await headSeq(), headSeq: await headSeq(), problems: [] });
      expect(result.records).toBeGreaterThan(3);
      const cli = await cliVerify();
      expect(cli.code).toBe(0);
      expect(cli.out).toContain(`审计链完整：共 ${result.records} 条记录`);
    });

    it('catches an edited record and names it', async () => {
      await db().updateTable('audit_log').set({ after_json: '{"forged":true}' }).where('seq', '=', 2).execute();
      const result = await verify();
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual([{ seq: 2, kind: 'altered', message: '第 2 条审计记录被篡改或伪造（校验码不符）' }]);

      const cli = await cliVerify();
      expect(cli.code).not.toBe(0);
      expect(cli.err).toContain('第 2 条审计记录被篡改或伪造');
    });

    it('catches an edited actor or time, not only the payload', async () => {
      await db().updateTable('audit_log').set({ actor_name: 'someone-else' }).where('seq', '=', 3).execute();
      await db().updateTable('audit_log').set({ at: '2020-01-01T00:00:00.000Z' }).where('seq', '=', 4).execute();
      expect((await verify()).problems.map((p) => [p.seq, p.kind])).toEqual([
        [3, 'altered'],
        [4, 'altered'],
      ]);
    });

    it('catches a deleted first record', async () => {
      await db().deleteFrom('audit_log').where('seq', '=', 1).execute();
      const result = await verify();
      expect(result.problems).toEqual([expect.objectContaining({ seq: 1, kind: 'missing', message: '第 1 条审计记录缺失（被删除）' })]);
      expect((await cliVerify()).err).toContain('第 1 条审计记录缺失');
    });

    it('catches a deleted middle record', async () => {
      await db().deleteFrom('audit_log').where('seq', '=', 3).execute();
      const result = await verify();
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual([expect.objectContaining({ seq: 3, kind: 'missing', message: '第 3 条审计记录缺失（被删除）' })]);
      const cli = await cliVerify();
      expect(cli.code).not.toBe(0);
      expect(cli.err).toContain('第 3 条审计记录缺失');
    });

    it('catches deleted newest records through the head checkpoint', async () => {
      const head = await headSeq();
      await db().deleteFrom('audit_log').where('seq', '=', head).execute();
      const result = await verify();
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual([
        expect.objectContaining({ seq: head, kind: 'truncated', message: `最新的 1 条审计记录被删除（检查点为第 ${head} 条，现存最后一条为第 ${head - 1} 条）` }),
      ]);
      const cli = await cliVerify();
      expect(cli.code).not.toBe(0);
      expect(cli.err).toContain('最新的 1 条审计记录被删除');

      await db().deleteFrom('audit_log').where('seq', '=', head - 1).execute();
      expect((await verify()).problems[0]?.message).toContain('最新的 2 条审计记录被删除');
    });

    it('catches a forged record inserted after the last one', async () => {
      const head = await db().selectFrom('audit_head').select(['seq', 'mac']).executeTakeFirstOrThrow();
      const seq = Number(head.seq) + 1;
      await db()
        .insertInto('audit_log')
        .values({
          seq,
          id: newId(),
          at: nowIso(),
          actor_kind: 'user',
          actor_id: null,
          actor_name: 'admin',
          active_unit_id: null,
          action: 'user.create',
          entity_type: 'user',
          entity_id: 'forged',
          before_json: null,
          after_json: '{"username":"backdoor"}',
          ip: null,
          request_id: null,
          prev_mac: head.mac,
          mac: 'f'.repeat(64),
        })
        .execute();
      const result = await verify();
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual(expect.arrayContaining([expect.objectContaining({ seq, kind: 'altered' })]));
      expect((await cliVerify()).err).toContain(`第 ${seq} 条审计记录被篡改或伪造`);
    });

    it('catches a record replaced by a forged one in the middle', async () => {
      const original = await db().selectFrom('audit_log').selectAll().where('seq', '=', 3).executeTakeFirstOrThrow();
      await db().deleteFrom('audit_log').where('seq', '=', 3).execute();
      await db()
        .insertInto('audit_log')
        .values({ ...original, seq: 3, id: newId(), actor_name: 'someone-else' })
        .execute();
      expect((await verify()).problems).toEqual([expect.objectContaining({ seq: 3, kind: 'altered' })]);
    });
  });

  describe('concurrent writers', () => {
    it('twenty users created at once produce one contiguous, valid chain', async () => {
      const admin = await env.login('admin');
      const unitId = await unitIdOf(env, '何店镇');
      const before = await headSeq();
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => admin.post('/api/users', { username: `parallel-${i}`, displayName: `并发${i}`, roles: ['town'], unitIds: [unitId] })),
      );
      expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(200));

      const seqs = (await db().selectFrom('audit_log').select('seq').where('action', '=', 'user.create').where('seq', '>', before).orderBy('seq').execute()).map((r) => Number(r.seq));
      expect(seqs).toHaveLength(20);
      expect(await headSeq()).toBe(before + 20);
      expect(await verify()).toMatchObject({ ok: true, records: before + 20, problems: [] });
    });

    it('parallel transactions appending directly serialise on the head', async () => {
      const before = await headSeq();
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          db()
            .transaction()
            .execute(async (trx) => {
              await trx.insertInto('settings').values({ key: `parallel-${i}`, value: String(i), updated_at: nowIso() }).execute();
              await env.deps.audit.append(trx, systemActor('test'), { action: 'setting.set', entityType: 'setting', entityId: `parallel-${i}` });
            }),
        ),
      );
      const seqs = (await sql<{ seq: number }>`select seq from audit_log where seq > ${before} order by seq`.execute(db())).rows.map((r) => Number(r.seq));
      expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => before + 1 + i));
      expect((await verify()).ok).toBe(true);
    });
  });
});
