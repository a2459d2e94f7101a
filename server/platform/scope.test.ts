import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv, unitIdOf, userIdOf } from '#tests/support/test-env.ts';
import type { TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { loadPrincipal } from '#server/modules/auth/auth.principal.ts';
import { AppError } from '#server/platform/errors.ts';
import { newId, nowIso } from '#server/platform/ids.ts';
import { assertInScope, inScope } from '#server/platform/scope.ts';
import type { Scope } from '#server/platform/scope.ts';

describe.each(testDialects())('data scope on %s', (dialect) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await createTestEnv(dialect);
  });
  afterEach(async () => {
    await env.close();
  });

  const scopeOf = async (username: string): Promise<Scope> => {
    const principal = await loadPrincipal(env.deps.db, await userIdOf(env, username), null, { kind: 'token', tokenId: 'test' }, false);
    return principal!.scope;
  };
  /** Units as if each were a record owned by itself: the town column is the unit's own id. */
  const visibleUnits = async (scope: Scope) =>
    (await env.deps.db.selectFrom('units').select('name').where(inScope(scope, { town: 'id' })).execute()).map((u) => u.name).sort();

  describe('inScope: the SQL condition every scoped list uses', () => {
    it('keeps a town principal to its own town: other towns never appear', async () => {
      const names = await visibleUnits(await scopeOf('hedian'));
      expect(names).toEqual(['何店镇']);
      expect(names).not.toContain('西城街道');
    });

    it('covers the units below the town as well', async () => {
      const hedianId = await unitIdOf(env, '何店镇');
      const now = nowIso();
      await env.deps.db
        .insertInto('units')
        .values({ id: newId(), code: 'TEST-HD-PARK', name: '何店镇工业园', short_name: null, kind: 'zone', parent_id: hedianId, aliases: '[]', sort_order: 999, active: 1, created_at: now, updated_at: now })
        .execute();
      expect(await visibleUnits(await scopeOf('hedian'))).toEqual(['何店镇', '何店镇工业园'].sort());
      expect(await visibleUnits(await scopeOf('xicheng'))).toEqual(['西城街道']);
    });

    it('lets an all-towns principal see every row', async () => {
      const total = await env.deps.db.selectFrom('units').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect(await visibleUnits(await scopeOf('yunxing'))).toHaveLength(Number(total.n));
    });

    it('yields nothing where the table has no column for the scope kind, or the scope is empty', async () => {
      expect(await visibleUnits(await scopeOf('qiye'))).toEqual([]);
      expect(await visibleUnits({ kind: 'town', unitIds: [] })).toEqual([]);
      expect(await visibleUnits({ kind: 'enterprise', enterpriseId: null })).toEqual([]);
    });
  });

  describe('assertInScope: a single record outside the scope answers 404', () => {
    it('passes a record of the town and refuses another town’s as not found', async () => {
      const scope = await scopeOf('hedian');
      expect(() => assertInScope(scope, { townId: scope.kind === 'town' ? scope.unitIds[0]! : '' })).not.toThrow();

      const xicheng = await unitIdOf(env, '西城街道');
      let error: unknown;
      try {
        assertInScope(scope, { townId: xicheng }, '企业');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404, message: '企业不存在或无权访问' });
      expect(() => assertInScope(scope, { townId: null })).toThrow('记录不存在或无权访问');
    });

    it('holds an enterprise account to its own enterprise, and an unattached one to nothing', () => {
      expect(() => assertInScope({ kind: 'enterprise', enterpriseId: 'e1' }, { enterpriseId: 'e1' })).not.toThrow();
      expect(() => assertInScope({ kind: 'enterprise', enterpriseId: 'e1' }, { enterpriseId: 'e2' })).toThrow(AppError);
      expect(() => assertInScope({ kind: 'enterprise', enterpriseId: null }, { enterpriseId: null })).toThrow(AppError);
      expect(() => assertInScope({ kind: 'all' }, { townId: 'anything' })).not.toThrow();
    });
  });

  describe('the scope a signed-in user is told about', () => {
    it('lists only the town’s own unit ids for a town user', async () => {
      const me = (await (await env.login('hedian')).get('/api/auth/me')).json();
      expect(me.scope).toEqual({ kind: 'town', unitIds: [await unitIdOf(env, '何店镇')] });
      const other = (await (await env.login('xicheng')).get('/api/auth/me')).json();
      expect(other.scope).toEqual({ kind: 'town', unitIds: [await unitIdOf(env, '西城街道')] });
    });

    it('is every town for the bureau and its sections, and the own enterprise for an enterprise account', async () => {
      for (const username of ['admin', 'leader', 'yunxing', 'chuangxin']) {
        expect((await (await env.login(username)).get('/api/auth/me')).json().scope, username).toEqual({ kind: 'all' });
      }
      const qiye = (await (await env.login('qiye')).get('/api/auth/me')).json();
      expect(qiye.scope).toEqual({ kind: 'enterprise', enterpriseId: qiye.enterpriseId });
    });
  });
});
