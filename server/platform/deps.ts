import type { Config } from '#server/config.ts';
import type { Db, Dialect } from '#server/db/client.ts';
import type { AuditLog } from '#server/platform/audit.ts';
import type { MetricRegistry } from '#server/platform/metrics.ts';
import type { RegistryChanges } from '#server/platform/registry-changes.ts';

/** What services are given. No module reaches for globals or process.env. */
export type Deps = {
  config: Config;
  db: Db;
  dialect: Dialect;
  audit: AuditLog;
  /** The clock, injectable so expiry can be tested without sleeping. */
  now: () => Date;
  version: string;
  /** Metric sources the modules register at start-up (app.ts); targets read through it. */
  metrics: MetricRegistry;
  /** Listeners to enterprise registry writes (monitoring re-evaluates its warnings); filled in app.ts. */
  registryChanges: RegistryChanges;
};
