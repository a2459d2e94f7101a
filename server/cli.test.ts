import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmptyDatabase, testDialects } from '#tests/support/databases.ts';
import type { TestDatabase } from '#tests/support/databases.ts';
import { loadConfig } from '#server/config.ts';
import type { Config } from '#server/config.ts';
import { createDeps } from '#server/bootstrap.ts';
import { runCli } from '#server/cli.ts';
import { DEMO_ACCOUNTS } from '#server/demo/demo.accounts.ts';
import { login } from '#server/modules/auth/auth.service.ts';
import type { Deps } from '#server/platform/deps.ts';
import { systemActor } from '#server/platform/audit.ts';
import { nowIso } from '#server/platform/ids.ts';

const configFor = (database: Pick<TestDatabase, 'url' | 'auditKeyFile'>): Config =>
  loadConfig({ DATABASE_URL: database.url, AUDIT_KEY_FILE: database.auditKeyFile, LOG_LEVEL: 'silent' });

/** Runs one CLI command against a configuration and captures what it prints. */
async function cli(config: Config, argv: string[], stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, config, { out: (s) => out.push(s), err: (s) => err.push(s), stdin: async () => stdin });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function withDeps<T>(config: Config, fn: (deps: Deps) => Promise<T>): Promise<T> {
  const deps = createDeps(config);
  try {
    return await fn(deps);
  } finally {
    await deps.close();
  }
}

const count = (deps: Deps, table: 'users' | 'units' | 'audit_log') =>
  deps.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));

const unitNameOf = (deps: Deps, username: string) =>
  deps.db
    .selectFrom('users as u')
    .innerJoin('user_units as uu', 'uu.user_id', 'u.id')
    .innerJoin('units as n', 'n.id', 'uu.unit_id')
    .select('n.name')
    .where('u.username', '=', username)
    .executeTakeFirstOrThrow()
    .then((r) => r.name);

const lastAudit = (deps: Deps, action: string) =>
  deps.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq', 'desc').executeTakeFirstOrThrow();

/** Adds an account from the CLI (cheaper than loading the whole demo district). */
async function addUser(config: Config, username: string, role: string, unit: string) {
  const result = await cli(config, ['user', 'add', '--username', username, '--name', username, '--role', role, '--unit', unit, '--password-stdin'], 'Zengdu#2026');
  expect(result.code).toBe(0);
}

describe.each(testDialects())('kejing CLI on %s', (dialect) => {
  let database: TestDatabase;
  let config: Config;
  beforeEach(async () => {
    database = await createEmptyDatabase(dialect);
    config = configFor(database);
  });
  afterEach(async () => {
    await database.drop();
  });

  describe('migrate and demo', () => {
    it('migrate creates the schema and the district’s units, no accounts; running it again changes nothing', async () => {
      const first = await cli(config, ['migrate']);
      expect(first).toMatchObject({ code: 0, out: '数据库结构与辖区单位已是最新。' });
      expect(fs.existsSync(config.auditKeyFile)).toBe(true);
      await withDeps(config, async (deps) => {
        expect(await count(deps, 'users')).toBe(0);
        const units = await deps.db.selectFrom('units').select(['name', 'active', 'aliases']).execute();
        expect(units.map((u) => u.name)).toEqual(expect.arrayContaining(['曾都区科学技术和经济信息化局', '运行科', '涢水街道', '湖北曾都经济开发区']));
        expect(units.find((u) => u.name === '随州市经济开发区')?.active).toBe(0);
        expect(JSON.parse(units.find((u) => u.name === '涢水街道')!.aliases)).toEqual(['城南新区街道']);
      });

      const records = await withDeps(config, (deps) => count(deps, 'audit_log'));
      expect((await cli(config, ['migrate'])).code).toBe(0);
      expect(await withDeps(config, (deps) => count(deps, 'audit_log'))).toBe(records);
    });

    it('demo loads the demo accounts into an empty database, and refuses a second time saying why', async () => {
      const first = await cli(config, ['demo']);
      expect(first).toMatchObject({ code: 0, out: '已载入演示辖区。' });
      expect(await withDeps(config, (deps) => count(deps, 'users'))).toBe(DEMO_ACCOUNTS.length);

      const second = await cli(config, ['demo']);
      expect(second.code).not.toBe(0);
      expect(second.err).toContain('数据库中已有账号，未载入演示数据');
      expect(await withDeps(config, (deps) => count(deps, 'users'))).toBe(DEMO_ACCOUNTS.length);
    });
  });

  describe('user add', () => {
    it('takes the password from stdin; the account signs in with it', async () => {
      const result = await cli(config, ['user', 'add', '--username', 'wang', '--name', '王五', '--role', 'town', '--unit', '何店镇', '--password-stdin'], 'Zengdu#2026\n');
      expect(result).toMatchObject({ code: 0, out: '已创建账号 wang（王五）。' });
      await withDeps(config, async (deps) => {
        const signedIn = await login(deps, 'wang', 'Zengdu#2026', { ip: null, userAgent: null, requestId: null });
        expect(signedIn.principal.scope).toMatchObject({ kind: 'town' });
        expect(await unitNameOf(deps, 'wang')).toBe('何店镇');
      });
    });

    it.each([
      ['its name', '何店镇', '何店镇'],
      ['its statistical code', '421303102', '何店镇'],
      ['a former name (2021 codes)', '城南新区街道', '涢水街道'],
      ['a former name of the development zone', '曾都区新型工业基地', '湖北曾都经济开发区'],
    ])('finds the unit by %s', async (_, unit, expected) => {
      expect((await cli(config, ['user', 'add', '--username', 'wang', '--name', '王五', '--role', 'town', '--unit', unit])).code).toBe(0);
      expect(await withDeps(config, (deps) => unitNameOf(deps, 'wang'))).toBe(expected);
    });

    it('puts an administrator in the bureau by default and shows the generated password once', async () => {
      const result = await cli(config, ['user', 'add', '--username', 'boss', '--name', '局管理员', '--role', 'admin']);
      expect(result.code).toBe(0);
      expect(result.out).toMatch(/初始密码（仅显示一次，首次登录须修改）：\S{12}/);
      expect(await withDeps(config, (deps) => unitNameOf(deps, 'boss'))).toBe('曾都区科学技术和经济信息化局');
    });

    it('exits 2 with the choices for an unknown role or a missing option, and 1 for an unknown unit', async () => {
      const role = await cli(config, ['user', 'add', '--username', 'wang', '--name', '王五', '--role', 'mayor', '--unit', '何店镇']);
      expect(role.code).toBe(2);
      expect(role.err).toContain('未知角色：mayor（可选：admin, leader, section, town, enterprise, innovation）');
      expect((await cli(config, ['user', 'add', '--name', '王五', '--role', 'town'])).code).toBe(2);
      expect((await cli(config, ['user', 'add', '--username', 'wang', '--name', '王五', '--role', 'town', '--bogus'])).code).toBe(2);

      const unit = await cli(config, ['user', 'add', '--username', 'wang', '--name', '王五', '--role', 'town', '--unit', '火星镇']);
      expect(unit.code).toBe(1);
      expect(unit.err).toContain('单位 火星镇 不存在');
      expect(await withDeps(config, (deps) => count(deps, 'users'))).toBe(0);
    });

    it('audits as cli, or as the user named by --as (either spelling)', async () => {
      await addUser(config, 'admin', 'admin', '曾都区科学技术和经济信息化局');
      const adminId = await withDeps(config, async (deps) => (await deps.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id);

      await cli(config, ['user', 'add', '--username', 'plain', '--name', '甲', '--role', 'town', '--unit', '何店镇']);
      expect(await withDeps(config, (deps) => lastAudit(deps, 'user.create'))).toMatchObject({ actor_kind: 'cli', actor_name: 'cli', actor_id: null });

      for (const [i, argv] of [['--as', 'admin'], ['--as=admin']].entries()) {
        expect((await cli(config, ['user', 'add', '--username', `as${i}`, '--name', '乙', '--role', 'town', '--unit', '何店镇', ...argv])).code).toBe(0);
        expect(await withDeps(config, (deps) => lastAudit(deps, 'user.create'))).toMatchObject({ actor_kind: 'cli', actor_name: 'admin', actor_id: adminId });
      }

      const ghost = await cli(config, ['user', 'add', '--username', 'x1', '--name', '丙', '--role', 'town', '--unit', '何店镇', '--as', 'ghost']);
      expect(ghost.code).toBe(1);
      expect(ghost.err).toContain('--as 指定的用户 ghost 不存在');
    });

    it('reset-password unlocks the account and prints a new password once', async () => {
      await addUser(config, 'hedian', 'town', '何店镇');
      const result = await cli(config, ['user', 'reset-password', '--username', 'hedian']);
      expect(result.code).toBe(0);
      const password = /新密码（仅显示一次，登录后须修改）：(\S+)/.exec(result.out)?.[1];
      expect(password).toBeDefined();
      await withDeps(config, async (deps) => {
        expect((await login(deps, 'hedian', password!, { ip: null, userAgent: null, requestId: null })).principal.mustChangePassword).toBe(true);
      });
      expect((await cli(config, ['user', 'reset-password', '--username', 'ghost'])).code).toBe(1);
    });
  });

  describe('audit verify', () => {
    it('exits 0 on an untouched chain and non-zero, naming the record, after tampering', async () => {
      await addUser(config, 'hedian', 'town', '何店镇');
      const ok = await cli(config, ['audit', 'verify']);
      expect(ok.code).toBe(0);
      expect(ok.out).toMatch(/^审计链完整：共 \d+ 条记录/);

      await withDeps(config, (deps) => deps.db.updateTable('audit_log').set({ actor_name: 'nobody' }).where('seq', '=', 5).execute());
      const bad = await cli(config, ['audit', 'verify']);
      expect(bad.code).not.toBe(0);
      expect(bad.err).toContain('第 5 条审计记录被篡改或伪造');
    });
  });

  describe('unknown commands', () => {
    it('exits 2 with the usage text', async () => {
      const result = await cli(config, ['frobnicate']);
      expect(result.code).toBe(2);
      expect(result.err).toContain('未知命令：frobnicate');
      expect(result.err).toContain('用法：npx kejing');
    });
  });
});

describe('kejing backup and restore (SQLite)', () => {
  let database: TestDatabase & { dir: string };
  let config: Config;
  beforeEach(async () => {
    database = await createEmptyDatabase('sqlite');
    config = configFor(database);
    await addUser(config, 'admin', 'admin', '曾都区科学技术和经济信息化局');
    await addUser(config, 'hedian', 'town', '何店镇');
  });
  afterEach(async () => {
    await database.drop();
  });

  const tables = ['units', 'users', 'user_units', 'user_roles', 'role_permissions', 'settings', 'audit_log'] as const;
  const countsOf = (file: string) => {
    const db = new SQLite(file, { readonly: true });
    try {
      return Object.fromEntries(tables.map((t) => [t, (db.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n]));
    } finally {
      db.close();
    }
  };
  /** One audited write: a settings row and its audit record in one transaction. */
  const write = (deps: Deps, key: string) =>
    deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('settings').values({ key, value: '1', updated_at: nowIso() }).execute();
      await deps.audit.append(trx, systemActor('writer'), { action: 'setting.set', entityType: 'setting', entityId: key });
    });

  it('takes a consistent copy while writes go on, and restores it into a fresh place with the chain intact', async () => {
    const backupFile = path.join(database.dir, 'backups', 'kejing-backup.db');
    const writer = createDeps(config);
    let stop = false;
    let written = 0;
    const background = (async () => {
      while (!stop) {
        await write(writer, `bg-${written++}`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    try {
      for (let i = 0; i < 5; i++) await write(writer, `before-${i}`);
      // A writer holds an open transaction while the backup reads: the copy must neither wait
      // for it nor contain its uncommitted rows.
      await writer.db.transaction().execute(async (trx) => {
        await trx.insertInto('settings').values({ key: 'in-flight', value: '1', updated_at: nowIso() }).execute();
        await writer.audit.append(trx, systemActor('writer'), { action: 'setting.set', entityType: 'setting', entityId: 'in-flight' });
        const backup = await cli(config, ['backup', backupFile]);
        expect(backup.code).toBe(0);
        expect(backup.out).toMatch(/已备份到 .*kejing-backup\.db（\d+ KB），包含审计链至第 \d+ 条。/);
      });
      for (let i = 0; i < 5; i++) await write(writer, `after-${i}`);
    } finally {
      stop = true;
      await background;
      await writer.close();
    }

    const backedUp = countsOf(backupFile);
    expect(backedUp.settings).toBeGreaterThanOrEqual(5);

    const restoreDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kejing-restore-'));
    try {
      const restoredFile = path.join(restoreDir, 'restored.db');
      const restoredConfig = configFor({ url: restoredFile, auditKeyFile: database.auditKeyFile });
      const restore = await cli(restoredConfig, ['restore', backupFile]);
      expect(restore.code).toBe(0);
      expect(restore.out).toContain('审计链校验通过');

      expect(countsOf(restoredFile)).toEqual(backedUp);
      expect((await cli(restoredConfig, ['audit', 'verify'])).code).toBe(0);
      await withDeps(restoredConfig, async (deps) => {
        const keys = (await deps.db.selectFrom('settings').select('key').execute()).map((r) => r.key);
        expect(keys).not.toContain('in-flight');
        const audited = await deps.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'setting.set').execute();
        expect(audited.map((r) => r.entity_id).sort()).toEqual(keys.sort());
      });
    } finally {
      fs.rmSync(restoreDir, { recursive: true, force: true });
    }
  });

  it('refuses to overwrite an existing backup file', async () => {
    const file = path.join(database.dir, 'exists.db');
    fs.writeFileSync(file, 'keep me');
    const result = await cli(config, ['backup', file]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('已存在');
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('refuses to restore while a live server holds the database, and ignores a stale lock', async () => {
    const backupFile = path.join(database.dir, 'backup.db');
    expect((await cli(config, ['backup', backupFile])).code).toBe(0);
    await withDeps(config, (deps) => write(deps, 'after-backup'));
    const lockFile = `${database.url}.server.pid`;

    fs.writeFileSync(lockFile, String(process.pid));
    const refused = await cli(config, ['restore', backupFile]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`平台服务（进程 ${process.pid}）正在使用该数据库，请先停止服务再恢复`);
    expect(await withDeps(config, (deps) => deps.db.selectFrom('settings').select('key').where('key', '=', 'after-backup').executeTakeFirst())).toBeDefined();

    const exited = spawnSync(process.execPath, ['-e', '']);
    fs.writeFileSync(lockFile, String(exited.pid));
    expect((await cli(config, ['restore', backupFile])).code).toBe(0);
    expect(await withDeps(config, (deps) => deps.db.selectFrom('settings').select('key').where('key', '=', 'after-backup').executeTakeFirst())).toBeUndefined();
  });
});

describe.each(testDialects().filter((d) => d === 'postgres'))('kejing backup and restore on %s (pg_dump / pg_restore)', (dialect) => {
  it('dumps the database, refuses to overwrite the dump, and restores it into an empty database with the chain intact', async () => {
    const source = await createEmptyDatabase(dialect);
    const target = await createEmptyDatabase(dialect);
    try {
      const config = configFor(source);
      await addUser(config, 'hedian', 'town', '何店镇');
      const file = path.join(source.dir, 'kejing.dump');
      const backup = await cli(config, ['backup', file]);
      expect(backup.code, backup.err).toBe(0);
      expect(backup.out).toMatch(/已备份到 .*kejing\.dump（\d+ KB），包含审计链至第 \d+ 条。/);
      expect((await cli(config, ['backup', file])).err).toContain('已存在');

      // The target shares the source's audit key, as an operator restores key and database together.
      const restoredConfig = configFor({ url: target.url, auditKeyFile: source.auditKeyFile });
      const restore = await cli(restoredConfig, ['restore', file]);
      expect(restore.code, restore.err).toBe(0);
      expect(restore.out).toContain('审计链校验通过');
      const [before, after] = await Promise.all([withDeps(config, (deps) => count(deps, 'audit_log')), withDeps(restoredConfig, (deps) => count(deps, 'audit_log'))]);
      expect(after).toBe(before);
      expect(await withDeps(restoredConfig, (deps) => unitNameOf(deps, 'hedian'))).toBe('何店镇');
    } finally {
      await target.drop();
      await source.drop();
    }
  });
});
