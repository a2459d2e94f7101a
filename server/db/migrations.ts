import type { Migration } from 'kysely';
import * as foundation from '#server/db/migrations/2026-11-27-0001-foundation.ts';

/**
 * Every migration, by its dated name, in order. Listed statically (not read from the folder at
 * run time) so the same code runs under tsx, Vitest and any bundler.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '2026-11-27-0001-foundation': foundation,
};
