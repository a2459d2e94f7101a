import type { Kysely } from 'kysely';
import { checkIndustryCode } from '#common/industry.ts';
import { orgCodeCheckCharacter, usccCheckCharacter } from '#common/uscc.ts';
import type { Database } from '#server/db/schema.ts';
import { bumpDataVersion } from '#server/platform/data-version.ts';
import { newId } from '#server/platform/ids.ts';

/**
 * Bulk insertion of ready-made enterprises, for the demo district and the tests' factory (one
 * path for both, DESIGN.md). No validation and no audit: callers build valid records and record
 * one audit entry for the batch themselves.
 */

export type EnterpriseSeed = {
  uscc: string;
  name: string;
  townId: string;
  industryCode: string;
  chainIds?: string[];
  groupId?: string | null;
  registrationDate?: string | null;
  address?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  tags?: string[];
  /** 规上 spells, oldest first; the last may be open (no toPeriod). */
  spells?: { fromPeriod: string; fromReason: string; toPeriod?: string | null; toReason?: string | null }[];
  usccWarnings?: string[];
};

/**
 * A USCC that passes both checks, from the registering authority prefix (91 企业 + county
 * 421303 曾都区) and an 8-character 组织机构代码 body of digits and USCC letters.
 */
export function composeUscc(body8: string, prefix = '91421303'): string {
  const first17 = `${prefix}${body8}${orgCodeCheckCharacter(body8)}`;
  return `${first17}${usccCheckCharacter(first17)}`;
}

export async function insertEnterpriseSeeds(db: Kysely<Database>, seeds: readonly EnterpriseSeed[], now: string): Promise<string[]> {
  const ids: string[] = [];
  const enterprises = [];
  const chains: { enterprise_id: string; chain_id: string }[] = [];
  const tags: { enterprise_id: string; tag: string }[] = [];
  const spells = [];
  for (const seed of seeds) {
    const id = newId();
    ids.push(id);
    const industry = checkIndustryCode(seed.industryCode);
    const spellList = seed.spells ?? [];
    enterprises.push({
      id,
      uscc: seed.uscc,
      name: seed.name,
      town_id: seed.townId,
      industry_code: industry.code,
      industry_division: industry.division,
      industry_group: industry.group,
      group_id: seed.groupId ?? null,
      registration_date: seed.registrationDate ?? null,
      address: seed.address ?? null,
      contact_name: seed.contactName ?? null,
      contact_phone: seed.contactPhone ?? null,
      above_scale: spellList.some((s) => !s.toPeriod) ? 1 : 0,
      uscc_warnings: JSON.stringify(seed.usccWarnings ?? []),
      industry_warnings: JSON.stringify(industry.warnings),
      created_at: now,
      updated_at: now,
    });
    for (const chainId of new Set(seed.chainIds ?? [])) chains.push({ enterprise_id: id, chain_id: chainId });
    for (const tag of new Set(seed.tags ?? [])) tags.push({ enterprise_id: id, tag });
    for (const s of spellList) {
      spells.push({
        id: newId(),
        enterprise_id: id,
        from_period: s.fromPeriod,
        from_reason: s.fromReason,
        to_period: s.toPeriod ?? null,
        to_reason: s.toPeriod ? (s.toReason ?? '退库') : null,
        created_at: now,
        updated_at: now,
      });
    }
  }
  // Batches stay well under SQLite's and PostgreSQL's bound-parameter limits.
  for (let i = 0; i < enterprises.length; i += 200) await db.insertInto('enterprises').values(enterprises.slice(i, i + 200)).execute();
  for (let i = 0; i < chains.length; i += 1000) await db.insertInto('enterprise_chains').values(chains.slice(i, i + 1000)).execute();
  for (let i = 0; i < tags.length; i += 1000) await db.insertInto('enterprise_tags').values(tags.slice(i, i + 1000)).execute();
  for (let i = 0; i < spells.length; i += 500) await db.insertInto('enterprise_scale_history').values(spells.slice(i, i + 500)).execute();
  // New members of the figures' groups (ADR 0008).
  await bumpDataVersion(db, 'monitoring');
  return ids;
}
