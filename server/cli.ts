import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { loadConfig } from '#server/config.ts';
import type { Config } from '#server/config.ts';
import { createDeps, prepareDatabase } from '#server/bootstrap.ts';
import { startServer } from '#server/main.ts';
import type { Actor } from '#server/platform/audit.ts';
import { AppError } from '#server/platform/errors.ts';
import type { Deps } from '#server/platform/deps.ts';
import { loadDemoDistrict } from '#server/demo/demo.ts';
import { listUnits, resolveUnit } from '#server/modules/org/org.service.ts';
import { createUser, resetUserPassword } from '#server/modules/users/users.service.ts';
import { ROLES } from '#common/permissions.ts';
import type { Role } from '#common/permissions.ts';
import { backupDatabase, backupPostgres, restoreDatabase, restorePostgres } from '#server/db/backup.ts';
import { parsePlanFromFile } from '#server/modules/plans/plans.service.ts';
import { importEnterprises } from '#server/modules/enterprises/enterprises.import.ts';
import type { EnterpriseImportPreview } from '#common/contracts/enterprises.ts';
import { safeFileName, UPLOAD_LIMIT_BYTES } from '#server/platform/upload.ts';
import { importMonthlyReports } from '#server/modules/monitoring/monitoring.import.ts';
import { importAnnualData, importQualifications } from '#server/modules/cultivation/cultivation.import.ts';
import type { CultivationImportResult } from '#common/contracts/cultivation.ts';
import type { ImportPreview } from '#common/contracts/monitoring.ts';

const HELP = `用法：npx kejing <命令> [选项]

  serve [--demo]              启动平台（--demo：空库时载入演示辖区，演示模式）
  migrate                     创建或升级数据库结构与辖区单位（不含账号和演示数据）
  demo                        向空数据库载入演示辖区的账号和数据
  user add --username U --name N --role R [--role R2] [--unit UNIT]... [--password-stdin]
                              新建账号（UNIT 为单位名称或代码；管理员、局领导默认为局机关）
  user reset-password --username U [--password-stdin]
                              重置密码（未给出则生成一个并显示一次）
  import enterprises FILE [--dry-run]
                              导入企业名录（.xlsx，表头见导入模板）；--dry-run 只校验不写入。
                              有任何错误时一条也不导入，逐行列出错误
  import monthly FILE [--dry-run]
                              导入企业月度报表（.xlsx，含可选的「产品产量」工作表）；校验与网页上传相同，
                              有任何错误时一条也不导入；--dry-run 只校验不写入
  import annual FILE [--dry-run]
                              导入企业年度数据（.xlsx，表头见年度数据模板，金额按表头单位换算）；
                              有任何错误时一条也不导入；--dry-run 只校验不写入
  import qualifications FILE [--dry-run]
                              导入企业资质（高企、科技型中小企业、专精特新等）；规则同上
  plan parse FILE [--json]    解析工作要点通知（.txt 或 .docx）：--json 输出结构（标题、主要目标、分组、
                              事项与目标候选），否则输出摘要；不写数据库
  backup FILE                 备份（SQLite：VACUUM INTO 一致性副本；PostgreSQL：pg_dump 自定义格式），写入时也可执行
  restore FILE                从备份恢复并校验审计链（SQLite：有服务正在使用数据库时拒绝；PostgreSQL：请先停止服务）
  audit verify                校验审计链，指出被篡改、插入或删除的记录

通用选项：--as USERNAME  以该用户身份记录审计（默认记为 cli）
环境变量：DATABASE_URL（默认 ./data/kejing.db）、PORT、HOST、AUDIT_KEY_FILE，详见 README。`;

type Io = { out: (s: string) => void; err: (s: string) => void; stdin: () => Promise<string> };

const defaultIo: Io = {
  out: (s) => process.stdout.write(`${s}\n`),
  err: (s) => process.stderr.write(`${s}\n`),
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

class UsageError extends Error {}

/** Runs one CLI command; returns the process exit code. Exported for tests. */
export async function runCli(argv: string[], config: Config = loadConfig(), io: Io = defaultIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest, config);
      case 'migrate': {
        const { values } = parse(rest, {});
        return await withDeps(config, async (deps) => {
          await prepareDatabase(deps, await actorFor(deps, values.as as string | undefined));
          io.out('数据库结构与辖区单位已是最新。');
          return 0;
        });
      }
      case 'demo':
        return await withDeps(config, async (deps) => {
          await prepareDatabase(deps);
          const { loaded } = await loadDemoDistrict(deps);
          if (!loaded) {
            io.err('数据库中已有账号，未载入演示数据（演示数据只载入空数据库）。');
            return 1;
          }
          io.out('已载入演示辖区。');
          return 0;
        });
      case 'user':
        return await user(rest, config, io);
      case 'import':
        return await importCommand(rest, config, io);
      case 'plan':
        return await planCommand(rest, io);
      case 'backup':
        return await backup(rest, config, io);
      case 'restore':
        return await restore(rest, config, io);
      case 'audit':
        return await audit(rest, config, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(HELP);
        return command === undefined ? 1 : 0;
      default:
        throw new UsageError(`未知命令：${command}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${HELP}`);
      return 2;
    }
    if (error instanceof AppError) {
      io.err(`错误：${error.message}`);
      return 1;
    }
    io.err(`错误：${(error as Error).message}`);
    return 1;
  }
}

async function withDeps(config: Config, fn: (deps: Deps) => Promise<number>): Promise<number> {
  const deps = createDeps(config);
  try {
    return await fn(deps);
  } finally {
    await deps.close();
  }
}

type ParsedArgs = { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] };

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args, options: { as: { type: 'string' }, ...options }, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * Changes made from the CLI are audited as `cli`, or as the user named by --as (taken from the
 * parsed options, so `--as=NAME` and `--as NAME` mean the same).
 */
async function actorFor(deps: Deps, username: string | undefined): Promise<Actor> {
  if (!username) return { kind: 'cli', userId: null, name: 'cli', activeUnitId: null, ip: null, requestId: null };
  const row = await deps.db.selectFrom('users').select(['id', 'username']).where('username', '=', username).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', `--as 指定的用户 ${username} 不存在`);
  const unit = await deps.db.selectFrom('user_units').select('unit_id').where('user_id', '=', row.id).orderBy('is_primary', 'desc').executeTakeFirst();
  return { kind: 'cli', userId: row.id, name: row.username, activeUnitId: unit?.unit_id ?? null, ip: null, requestId: null };
}

async function serve(args: string[], config: Config): Promise<number> {
  const { values } = parse(args, { demo: { type: 'boolean', default: false } });
  const server = await startServer(config, { demo: !!values.demo, demoInChildProcess: ranAsCommand });
  await new Promise<void>((resolve) => {
    const stop = () => {
      void server.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

async function user(args: string[], config: Config, io: Io): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parse(rest, {
    username: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', multiple: true },
    unit: { type: 'string', multiple: true },
    'password-stdin': { type: 'boolean', default: false },
  });
  const username = values.username as string | undefined;
  if (!username) throw new UsageError('缺少 --username');
  const password = values['password-stdin'] ? (await io.stdin()).replace(/\r?\n$/, '') : undefined;
  return withDeps(config, async (deps) => {
    await prepareDatabase(deps);
    const actor = await actorFor(deps, values.as as string | undefined);
    if (sub === 'add') {
      const name = values.name as string | undefined;
      const roles = (values.role as string[] | undefined) ?? [];
      if (!name) throw new UsageError('缺少 --name');
      if (roles.length === 0) throw new UsageError(`缺少 --role（可选：${ROLES.join(', ')}）`);
      const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
      if (bad.length) throw new UsageError(`未知角色：${bad.join(', ')}（可选：${ROLES.join(', ')}）`);
      const units = await listUnits(deps.db);
      let unitNames = (values.unit as string[] | undefined) ?? [];
      if (unitNames.length === 0) {
        if (!roles.some((r) => r === 'admin' || r === 'leader')) throw new UsageError('缺少 --unit（单位名称或代码）');
        unitNames = [units.find((u) => u.kind === 'bureau')!.code];
      }
      const unitIds = unitNames.map((text) => {
        const unit = resolveUnit(units, text);
        if (!unit) throw new AppError('NOT_FOUND', `单位 ${text} 不存在（请用单位全称或统计代码）`);
        return unit.id;
      });
      const result = await createUser(deps, actor, { username, displayName: name, roles: roles as Role[], unitIds, password });
      io.out(`已创建账号 ${result.user.username}（${result.user.displayName}）。`);
      if (result.initialPassword) io.out(`初始密码（仅显示一次，首次登录须修改）：${result.initialPassword}`);
      return 0;
    }
    if (sub === 'reset-password') {
      const row = await deps.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
      if (!row) throw new AppError('NOT_FOUND', `用户 ${username} 不存在`);
      const result = await resetUserPassword(deps, actor, row.id, password);
      io.out(`已重置 ${username} 的密码并解除锁定。`);
      if (result.initialPassword) io.out(`新密码（仅显示一次，登录后须修改）：${result.initialPassword}`);
      return 0;
    }
    throw new UsageError(`未知的 user 子命令：${sub ?? ''}`);
  });
}

/** An import command's FILE, read and checked like an upload, with --dry-run and --as. */
function importArguments(args: string[]): { upload: { fileName: string; buffer: Buffer }; dryRun: boolean; as: string | undefined } {
  const { values, positionals } = parse(args, { 'dry-run': { type: 'boolean', default: false } });
  const file = positionals[0];
  if (!file) throw new UsageError('缺少要导入的文件路径');
  if (!fs.existsSync(file)) throw new AppError('NOT_FOUND', `文件 ${file} 不存在`);
  const size = fs.statSync(file).size;
  if (size > UPLOAD_LIMIT_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `文件过大（${Math.round(size / 1024 / 1024)} MB），上限 20 MB`);
  return {
    upload: { fileName: safeFileName(path.basename(file)), buffer: fs.readFileSync(file) },
    dryRun: !!values['dry-run'],
    as: values.as as string | undefined,
  };
}

/**
 * `import monthly FILE`: the monthly reports, with the web upload's validation, all-or-nothing
 * commit and warning evaluation, over the whole district; --as names the audit actor.
 */
async function importMonthlyCommand(args: string[], config: Config, io: Io): Promise<number> {
  const { upload, dryRun, as } = importArguments(args);
  return withDeps(config, async (deps) => {
    await prepareDatabase(deps);
    const actor = await actorFor(deps, as);
    const print = (p: ImportPreview) => {
      io.out(`工作表「${p.sheet ?? ''}」（表头第 ${p.headerRow ?? '-'} 行）：${p.rows} 行，${p.enterprises} 家企业，报告期 ${p.periods.join('、') || '无'}${p.productSheet ? `；产品产量 ${p.productRows} 行` : ''}`);
      for (const c of p.columns) io.out(`  ${c.column} 列「${c.header}」→ ${c.indicator}.${c.valueColumn}，单位 ${c.unit}${c.unitFromHeader ? '' : '（表头未注明，按默认单位）'}`);
      io.out(`新增 ${p.changes.inserted}，更新 ${p.changes.replaced}，清除 ${p.changes.removed}，不变 ${p.changes.unchanged}；错误 ${p.errorCount}，提示 ${p.warningCount}`);
      for (const problem of p.problems) {
        const where = [problem.sheet ? `「${problem.sheet}」` : '', problem.row ? `第 ${problem.row} 行` : '', problem.column ? `${problem.column} 列` : ''].join('');
        (problem.level === 'error' ? io.err : io.out)(`  ${problem.level === 'error' ? '错误' : '提示'} ${where}：${problem.message}`);
      }
    };
    try {
      const result = await importMonthlyReports(deps, { scope: { kind: 'all' }, actor }, upload, { dryRun, source: 'cli' });
      print(result);
      if (result.errorCount > 0) {
        io.err('有错误，未写入。');
        return 1;
      }
      io.out(dryRun ? '校验通过（--dry-run，未写入）。' : '已导入，预警已重新评估。');
      return 0;
    } catch (error) {
      if (error instanceof AppError && error.code === 'VALIDATION' && typeof error.details === 'object' && error.details !== null && 'problems' in error.details) {
        print(error.details as ImportPreview);
        io.err(`错误：${error.message}`);
        return 1;
      }
      throw error;
    }
  });
}

/**
 * `import enterprises FILE`: the same validation and all-or-nothing commit as the web upload.
 * The CLI is an operator's tool and works on the whole district; --as names the audit actor.
 */
async function importCommand(args: string[], config: Config, io: Io): Promise<number> {
  const [kind, ...rest] = args;
  if (kind === 'monthly') return importMonthlyCommand(rest, config, io);
  if (kind === 'annual' || kind === 'qualifications') return importCultivationCommand(kind, rest, config, io);
  if (kind !== 'enterprises') throw new UsageError(`未知的导入类型：${kind ?? ''}（可选：enterprises、monthly、annual、qualifications）`);
  const { upload, dryRun, as } = importArguments(rest);
  return withDeps(config, async (deps) => {
    await prepareDatabase(deps);
    const actor = await actorFor(deps, as);
    try {
      const result = await importEnterprises(deps, { scope: { kind: 'all' }, actor }, upload, { dryRun });
      printImport(io, result);
      io.out(dryRun ? '校验通过（--dry-run，未写入）。' : '已导入。');
      return 0;
    } catch (error) {
      if (error instanceof AppError && error.code === 'VALIDATION' && isPreview(error.details)) {
        printImport(io, error.details);
        io.err(`错误：${error.message}`);
        return 1;
      }
      throw error;
    }
  });
}

/**
 * `import annual FILE` / `import qualifications FILE`: cultivation's imports with the web upload's
 * validation and all-or-nothing commit, over the whole district.
 */
async function importCultivationCommand(kind: 'annual' | 'qualifications', args: string[], config: Config, io: Io): Promise<number> {
  const { upload, dryRun, as } = importArguments(args);
  return withDeps(config, async (deps) => {
    await prepareDatabase(deps);
    const ctx = { scope: { kind: 'all' } as const, actor: await actorFor(deps, as) };
    const run = kind === 'annual' ? importAnnualData : importQualifications;
    const print = (r: CultivationImportResult) => {
      io.out(`工作表「${r.sheet}」：${r.rows} 行数据；新增 ${r.creates}，更新 ${r.updates}，无变化 ${r.unchanged}；错误 ${r.errorCount}，提示 ${r.warningCount}。`);
      if (r.columns.length) io.out(`识别的列：${r.columns.join('、')}`);
      if (r.ignoredColumns.length) io.out(`未使用的列：${r.ignoredColumns.join('、')}`);
      const where = (x: { row: number | null; column: string | null; cell: string | null }) => (x.row === null ? (x.column ? `「${x.column}」：` : '') : `第 ${x.row} 行${x.column ? `「${x.column}」${x.cell ? `（${x.cell}）` : ''}` : ''}：`);
      for (const e of r.errors) io.err(`  错误 ${where(e)}${e.message}`);
      for (const w of r.warnings) io.out(`  提示 ${where(w)}${w.message}`);
      if (r.errorCount > r.errors.length) io.err(`  ……另有 ${r.errorCount - r.errors.length} 处错误未列出`);
    };
    try {
      const result = await run(deps, ctx, upload, { dryRun });
      print(result);
      if (result.errorCount > 0) {
        io.err('有错误，未写入。');
        return 1;
      }
      io.out(dryRun ? '校验通过（--dry-run，未写入）。' : '已导入。');
      return 0;
    } catch (error) {
      if (error instanceof AppError && error.code === 'VALIDATION' && isPreview(error.details)) {
        print(error.details as unknown as CultivationImportResult);
        io.err(`错误：${error.message}`);
        return 1;
      }
      throw error;
    }
  });
}

function isPreview(value: unknown): value is EnterpriseImportPreview {
  return typeof value === 'object' && value !== null && 'errors' in value && 'sheet' in value;
}

function printImport(io: Io, p: EnterpriseImportPreview): void {
  io.out(`工作表「${p.sheet}」：${p.rows} 行数据；新增 ${p.creates}，更新 ${p.updates}，无变化 ${p.unchanged}；错误 ${p.errorCount}，提示 ${p.warningCount}。`);
  if (p.ignoredColumns.length) io.out(`未使用的列：${p.ignoredColumns.join('、')}`);
  for (const s of p.skippedRows) io.out(`  第 ${s.row} 行：${s.reason}`);
  const where = (x: { row: number | null; cell: string | null; column: string | null }) => (x.row === null ? '' : `第 ${x.row} 行${x.column ? `「${x.column}」${x.cell ? `（${x.cell}）` : ''}` : ''}：`);
  for (const e of p.errors) io.err(`  错误 ${where(e)}${e.message}`);
  for (const w of p.warnings) io.out(`  提示 ${where(w)}${w.message}`);
  if (p.errorCount > p.errors.length) io.err(`  ……另有 ${p.errorCount - p.errors.length} 处错误未列出`);
}

/** `plan parse FILE [--json]`: the parser's reading of a notice, without touching the database. */
async function planCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'parse') throw new UsageError(`未知的 plan 子命令：${sub ?? ''}`);
  const { values, positionals } = parse(rest, { json: { type: 'boolean', default: false } });
  const file = positionals[0];
  if (!file) throw new UsageError('缺少通知文件路径（.txt 或 .docx）');
  if (!fs.existsSync(file)) throw new AppError('NOT_FOUND', `文件 ${file} 不存在`);
  const { plan } = await parsePlanFromFile({ fileName: path.basename(file), buffer: fs.readFileSync(file) });
  if (values.json) {
    io.out(JSON.stringify(plan, null, 2));
    return 0;
  }
  const items = plan.groups.reduce((n, g) => n + g.items.length, 0);
  const targets = plan.mainTargets.length + plan.groups.reduce((n, g) => n + g.items.reduce((m, i) => m + i.targets.length, 0), 0);
  io.out(`${plan.title ?? '（无标题）'}${plan.issuer ? ` · ${plan.issuer}` : ''}${plan.date ? ` · ${plan.date}` : ''}`);
  io.out(`主要目标 ${plan.mainTargets.length} 项；${plan.groups.length} 个部分，${items} 项工作要点；目标候选共 ${targets} 个。`);
  for (const group of plan.groups) {
    io.out(`${group.label ? `${group.label}、` : ''}${group.title}`);
    for (const item of group.items) io.out(`  ${item.label ? `${item.label}. ` : ''}${item.title}${item.targets.length ? `（目标 ${item.targets.length}）` : ''}`);
  }
  return 0;
}

async function backup(args: string[], config: Config, io: Io): Promise<number> {
  const { positionals } = parse(args, {});
  const file = positionals[0];
  if (!file) throw new UsageError('缺少备份文件路径');
  const result = config.database.dialect === 'postgres' ? await backupPostgres(config.database.url, path.resolve(file)) : await backupDatabase(config.database.file, path.resolve(file));
  io.out(`已备份到 ${result.file}（${(result.bytes / 1024).toFixed(0)} KB），包含审计链至第 ${result.auditHeadSeq} 条。`);
  return 0;
}

async function restore(args: string[], config: Config, io: Io): Promise<number> {
  const { positionals } = parse(args, {});
  const file = positionals[0];
  if (!file) throw new UsageError('缺少备份文件路径');
  if (!fs.existsSync(file)) throw new AppError('NOT_FOUND', `备份文件 ${file} 不存在`);
  const target = config.database;
  const result = target.dialect === 'postgres' ? await restorePostgres(path.resolve(file), target.url) : await restoreDatabase(path.resolve(file), target);
  io.out(`已从 ${file} 恢复到 ${target.dialect === 'postgres' ? '所配置的 PostgreSQL 数据库' : target.file}，审计链至第 ${result.auditHeadSeq} 条。`);
  return withDeps(config, async (deps) => {
    const verification = await deps.audit.verify(deps.db);
    io.out(verification.ok ? `审计链校验通过（${verification.records} 条）。` : `警告：审计链校验未通过：\n${verification.problems.map((p) => `  ${p.message}`).join('\n')}`);
    return verification.ok ? 0 : 1;
  });
}

async function audit(args: string[], config: Config, io: Io): Promise<number> {
  const [sub] = args;
  if (sub !== 'verify') throw new UsageError(`未知的 audit 子命令：${sub ?? ''}`);
  return withDeps(config, async (deps) => {
    const result = await deps.audit.verify(deps.db);
    if (result.ok) {
      io.out(`审计链完整：共 ${result.records} 条记录，检查点第 ${result.headSeq} 条。`);
      return 0;
    }
    io.err(`审计链校验失败（共 ${result.records} 条记录，检查点第 ${result.headSeq} 条）：`);
    for (const problem of result.problems) io.err(`  - ${problem.message}`);
    return 3;
  });
}

// True when this process is the `kejing` command itself, so `serve` can run `demo` in a child
// process by starting the same entry script again (see startServer).
const ranAsCommand = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/server/cli.ts') || process.env.KEJING_CLI === '1';

if (ranAsCommand) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      if (process.argv[2] !== 'serve') process.exit(code);
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
