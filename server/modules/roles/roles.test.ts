import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv } from '#tests/support/test-env.ts';
import type { Client, TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';

type RoleTable = { roles: { role: string; permissions: string[] }[] };

const FORBIDDEN = { code: 'FORBIDDEN', message: '您没有执行此操作的权限' };

describe.each(testDialects())('roles and permissions on %s', (dialect) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await createTestEnv(dialect);
  });
  afterEach(async () => {
    await env.close();
  });

  const permissionsOf = async (admin: Client, role: string) =>
    (await admin.get('/api/roles')).json<RoleTable>().roles.find((r) => r.role === role)!.permissions;

  describe('the server refuses what a role does not grant', () => {
    it('refuses a town user the administration pages', async () => {
      const hedian = await env.login('hedian');
      for (const url of ['/api/users', '/api/audit', '/api/login-log', '/api/roles', '/api/sessions']) {
        const response = await hedian.get(url);
        expect(response.statusCode, url).toBe(403);
        expect(response.json().error).toEqual(FORBIDDEN);
      }
      expect((await hedian.put('/api/roles/town', { permissions: ['users.manage'] })).statusCode).toBe(403);
    });

    it('lets each demo role reach what its default grants allow', async () => {
      expect((await (await env.login('leader')).get('/api/audit')).statusCode).toBe(200);
      expect((await (await env.login('leader')).get('/api/users')).statusCode).toBe(200);
      expect((await (await env.login('leader')).post('/api/users', {})).statusCode).toBe(403);
      expect((await (await env.login('yunxing')).get('/api/units')).statusCode).toBe(200);
      expect((await (await env.login('yunxing')).get('/api/users')).statusCode).toBe(403);
      expect((await (await env.login('qiye')).get('/api/units')).statusCode).toBe(403);
    });
  });

  describe('an administrator edits the grants', () => {
    it('revoking audit.read from 局领导 takes effect on the leader’s open session, and granting it back restores it', async () => {
      const admin = await env.login('admin');
      const leader = await env.login('leader');
      const without = (await permissionsOf(admin, 'leader')).filter((p) => p !== 'audit.read');

      const revoked = await admin.put('/api/roles/leader', { permissions: without });
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json<RoleTable>().roles.find((r) => r.role === 'leader')!.permissions).not.toContain('audit.read');
      expect((await leader.get('/api/audit')).json().error).toEqual(FORBIDDEN);
      expect((await leader.get('/api/auth/me')).json().permissions).not.toContain('audit.read');

      expect((await admin.put('/api/roles/leader', { permissions: [...without, 'audit.read'] })).statusCode).toBe(200);
      expect((await leader.get('/api/audit')).statusCode).toBe(200);
    });

    it('granting users.read to 镇街 opens the user list to a town user', async () => {
      const admin = await env.login('admin');
      const hedian = await env.login('hedian');
      expect((await hedian.get('/api/users')).statusCode).toBe(403);
      await admin.put('/api/roles/town', { permissions: [...(await permissionsOf(admin, 'town')), 'users.read'] });
      expect((await hedian.get('/api/users')).statusCode).toBe(200);
    });

    it('cannot strip the administrator role of managing roles and users', async () => {
      const admin = await env.login('admin');
      const response = await admin.put('/api/roles/admin', { permissions: ['org.read'] });
      expect(response.statusCode).toBe(200);
      expect(await permissionsOf(admin, 'admin')).toEqual(expect.arrayContaining(['roles.manage', 'users.manage']));
      expect((await admin.get('/api/roles')).statusCode).toBe(200);
      expect((await admin.get('/api/users')).statusCode).toBe(403);
      expect((await admin.put('/api/roles/admin', { permissions: ['users.read'] })).statusCode).toBe(200);
      expect((await admin.get('/api/users')).statusCode).toBe(200);
    });

    it('refuses an unknown permission or role and changes nothing', async () => {
      const admin = await env.login('admin');
      const before = await permissionsOf(admin, 'town');
      const unknown = await admin.put('/api/roles/town', { permissions: ['org.read', 'payroll.approve'] });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.message).toBe('未知的权限：payroll.approve');
      expect(await permissionsOf(admin, 'town')).toEqual(before);
      expect((await admin.put('/api/roles/superuser', { permissions: [] })).json().error.code).toBe('VALIDATION');
    });

    it('audits the change with the grants before and after', async () => {
      const admin = await env.login('admin');
      const before = await permissionsOf(admin, 'innovation');
      expect(before).toContain('enterprises.read');
      await admin.put('/api/roles/innovation', { permissions: ['org.read'] });
      const [record] = (await admin.get('/api/audit?action=role.update')).json<{ items: { entityId: string; before: string[]; after: string[]; actorName: string }[] }>().items;
      expect(record).toMatchObject({ entityId: 'innovation', actorName: 'admin', before, after: ['org.read'] });
    });
  });
});
