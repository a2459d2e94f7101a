import { z } from 'zod';
import { pagingQuerySchema } from '#common/contracts/paging.ts';

export const auditRecordSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorKind: z.string(),
  actorName: z.string(),
  activeUnit: z.object({ id: z.string(), name: z.string() }).nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
});

export const auditQuerySchema = pagingQuerySchema.extend({
  actor: z.string().trim().max(64).optional(),
  action: z.string().trim().max(64).optional(),
  entityType: z.string().trim().max(64).optional(),
  entityId: z.string().trim().max(64).optional(),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').optional(),
});

export const loginRecordSchema = z.object({
  id: z.string(),
  at: z.string(),
  username: z.string(),
  success: z.boolean(),
  reason: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});

export const loginLogQuerySchema = pagingQuerySchema.extend({
  username: z.string().trim().max(64).optional(),
  success: z.enum(['true', 'false']).optional(),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').optional(),
});

export const auditVerificationSchema = z.object({
  ok: z.boolean(),
  records: z.number().int(),
  headSeq: z.number().int(),
  problems: z.array(z.object({ seq: z.number().int(), kind: z.string(), message: z.string() })),
});
