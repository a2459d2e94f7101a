import { z } from 'zod';

export const UNIT_KINDS = ['bureau', 'section', 'center', 'street', 'town', 'zone'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const UNIT_KIND_LABELS: Record<UnitKind, string> = {
  bureau: '局机关',
  section: '股室',
  center: '事业单位',
  street: '街道',
  town: '镇',
  zone: '开发区',
};

/** Streets, towns and development zones: the units that own enterprises (镇街). */
export const TOWN_KINDS: readonly UnitKind[] = ['street', 'town', 'zone'];

export const unitSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  shortName: z.string().nullable(),
  kind: z.enum(UNIT_KINDS),
  parentId: z.string().nullable(),
  aliases: z.array(z.string()),
  active: z.boolean(),
});
export type Unit = z.infer<typeof unitSchema>;

export const unitListSchema = z.object({ items: z.array(unitSchema) });

export const unitRefSchema = z.object({ id: z.string(), name: z.string() });
export type UnitRef = z.infer<typeof unitRefSchema>;
