import { sql } from 'kysely';
import type { Deps } from '#server/platform/deps.ts';
import { loadDistrictConfig } from '#server/modules/org/org.district.ts';

/** True when the database answers a trivial query. */
export async function databaseAnswers(deps: Deps): Promise<boolean> {
  try {
    await sql`select 1`.execute(deps.db);
    return true;
  } catch {
    return false;
  }
}

let districtName: string | null = null;

/** What the login page shows before anyone signs in: the district, demo mode, the password policy. */
export function platformInfo(deps: Deps) {
  districtName ??= loadDistrictConfig(deps.config.districtFile).district.name;
  return { name: '科经信工作平台', district: districtName, demoMode: deps.config.demoMode, passwordPolicy: deps.config.passwordPolicy };
}
