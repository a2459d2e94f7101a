import type { Migration } from 'kysely';
import * as foundation from '#server/db/migrations/2026-11-27-0001-foundation.ts';
import * as enterprises from '#server/db/migrations/2026-11-27-0002-enterprises.ts';
import * as monitoring from '#server/db/migrations/2026-11-27-0003-monitoring.ts';
import * as cultivation from '#server/db/migrations/2026-11-27-0004-cultivation.ts';
import * as plansTargets from '#server/db/migrations/2026-11-27-0005-plans-targets.ts';
import * as dataVersion from '#server/db/migrations/2026-11-27-0006-data-version.ts';
import * as cultivationGrants from '#server/db/migrations/2026-11-27-0007-cultivation-grants.ts';
import * as idempotency from '#server/db/migrations/2026-11-27-0008-idempotency.ts';
import * as cultivationEvidenceAdverse from '#server/db/migrations/2026-11-27-0009-cultivation-evidence-adverse.ts';
import * as accessVersion from '#server/db/migrations/2026-11-27-0010-access-version.ts';
import * as monitoringValuesByPeriod from '#server/db/migrations/2026-11-27-0011-monitoring-values-by-period.ts';

/**
 * Every migration, by its dated name, in order. Listed statically (not read from the folder at
 * run time) so the same code runs under tsx, Vitest and any bundler.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '2026-11-27-0001-foundation': foundation,
  '2026-11-27-0002-enterprises': enterprises,
  '2026-11-27-0003-monitoring': monitoring,
  '2026-11-27-0004-cultivation': cultivation,
  '2026-11-27-0005-plans-targets': plansTargets,
  '2026-11-27-0006-data-version': dataVersion,
  '2026-11-27-0007-cultivation-grants': cultivationGrants,
  '2026-11-27-0008-idempotency': idempotency,
  '2026-11-27-0009-cultivation-evidence-adverse': cultivationEvidenceAdverse,
  '2026-11-27-0010-access-version': accessVersion,
  '2026-11-27-0011-monitoring-values-by-period': monitoringValuesByPeriod,
};
