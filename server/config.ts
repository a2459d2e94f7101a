import path from 'node:path';
import { z } from 'zod';

/**
 * The only reader of process.env. Everything else receives a `Config`.
 * Bad values fail fast at start-up, listing every offending key.
 */
const boolish = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const envSchema = z.object({
  DATABASE_URL: z.string().min(1).default('./data/kejing.db'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  AUDIT_KEY_FILE: z.string().min(1).optional(),
  DISTRICT_FILE: z.string().min(1).default('config/district.zengdu.json'),
  INCLUDE_CITY_DEV_ZONE: boolish.default(false),
  DEMO_MODE: boolish.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().positive().default(12),
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().positive().default(15),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).default(8),
  PASSWORD_MIN_CLASSES: z.coerce.number().int().min(1).max(4).default(3),
  TRUST_PROXY: boolish.default(false),
  WEB_DIST: z.string().default('dist/web'),
  NODE_ENV: z.string().optional(),
  // Test-only crash hook (issue 6 §3): `commit` or `commit:N` kills the process with SIGKILL as
  // the Nth transaction (default the first) is about to commit. Honoured only under NODE_ENV=test.
  KEJING_TEST_CRASH_AT: z
    .string()
    .regex(/^commit(:[1-9][0-9]{0,8})?$/, 'commit 或 commit:N')
    .optional(),
});

export type Config = {
  database: DatabaseTarget;
  port: number;
  host: string;
  auditKeyFile: string;
  districtFile: string;
  includeCityDevZone: boolean;
  demoMode: boolean;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  session: { idleMinutes: number; absoluteHours: number };
  login: { maxFailures: number; lockMinutes: number; rateLimitPerMinute: number };
  passwordPolicy: { minLength: number; minClasses: number };
  trustProxy: boolean;
  webDist: string;
  /** Test-only: SIGKILL just before the Nth commit (null in every real deployment). */
  crashAtCommit: number | null;
};

export type DatabaseTarget =
  | { dialect: 'sqlite'; file: string }
  | { dialect: 'postgres'; url: string };

/** `postgres://…` selects PostgreSQL; a path or `sqlite:` URL selects the embedded file. */
export function parseDatabaseUrl(value: string): DatabaseTarget {
  if (/^postgres(ql)?:\/\//i.test(value)) return { dialect: 'postgres', url: value };
  const file = value.replace(/^sqlite:(\/\/)?/i, '');
  return { dialect: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) };
}

/** Where the audit chain's key lives: outside the database, shared by CLI and server. */
export function defaultAuditKeyFile(database: DatabaseTarget): string {
  if (database.dialect === 'sqlite' && database.file !== ':memory:') return `${database.file}.key`;
  return path.resolve('data/audit.key');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const keys = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`配置有误，请检查环境变量 — ${keys}`);
  }
  const e = parsed.data;
  // A crash hook left in a real environment must stop start-up, not lie in wait.
  if (e.KEJING_TEST_CRASH_AT && e.NODE_ENV !== 'test') {
    throw new Error('配置有误，请检查环境变量 — KEJING_TEST_CRASH_AT 仅供测试使用（需 NODE_ENV=test），生产环境请删除');
  }
  const database = parseDatabaseUrl(e.DATABASE_URL);
  return {
    database,
    port: e.PORT,
    host: e.HOST,
    auditKeyFile: path.resolve(e.AUDIT_KEY_FILE ?? defaultAuditKeyFile(database)),
    districtFile: path.resolve(e.DISTRICT_FILE),
    includeCityDevZone: e.INCLUDE_CITY_DEV_ZONE,
    demoMode: e.DEMO_MODE,
    logLevel: e.LOG_LEVEL,
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    login: { maxFailures: e.LOGIN_MAX_FAILURES, lockMinutes: e.LOGIN_LOCK_MINUTES, rateLimitPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE },
    passwordPolicy: { minLength: e.PASSWORD_MIN_LENGTH, minClasses: e.PASSWORD_MIN_CLASSES },
    trustProxy: e.TRUST_PROXY,
    webDist: path.resolve(e.WEB_DIST),
    crashAtCommit: e.KEJING_TEST_CRASH_AT ? Number(e.KEJING_TEST_CRASH_AT.split(':')[1] ?? 1) : null,
    ...overrides,
  };
}
