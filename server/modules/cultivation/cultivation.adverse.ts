import type { AdverseKind, AdverseRecordBody, AdverseRecordView } from '#common/contracts/cultivation.ts';
import type { AdverseRecordsTable } from '#server/db/schema.ts';
import type { Deps } from '#server/platform/deps.ts';
import { AppError, notFound } from '#server/platform/errors.ts';
import { newId, nowIso } from '#server/platform/ids.ts';
import type { Scope } from '#server/platform/scope.ts';
import type { CultivationContext } from '#server/modules/cultivation/cultivation.service.ts';
import { deleteAdverseRow, findAdverseRow, findEnterprise, insertAdverseRow, listAdverseRows } from '#server/modules/cultivation/cultivation.repo.ts';

// 不良记录: what the platform knows against an enterprise's compliance conditions (a major
// accident, a listing as abnormal or dishonest, …). The engine reads them (the service's
// `adverseForEngine`); each rule decides which kinds count within which window (criteria.md §2–§3,
// ADR 0007).

function present(row: AdverseRecordsTable): AdverseRecordView {
  return { id: row.id, enterpriseId: row.enterprise_id, kind: row.kind as AdverseKind, occurredOn: row.occurred_on, description: row.description, source: row.source, createdAt: row.created_at };
}

/** The enterprise's adverse records, newest first (out of scope: 404). */
export async function listAdverseRecords(deps: Deps, scope: Scope, enterpriseId: string): Promise<{ items: AdverseRecordView[] }> {
  const enterprise = await findEnterprise(deps.db, scope, enterpriseId);
  if (!enterprise) throw notFound('企业');
  return { items: (await listAdverseRows(deps.db, scope, enterprise.id)).map(present) };
}

/** Records an adverse record against an enterprise in scope; audited in the same transaction. */
export async function createAdverseRecord(deps: Deps, ctx: CultivationContext, enterpriseId: string, body: AdverseRecordBody): Promise<AdverseRecordView> {
  const enterprise = await findEnterprise(deps.db, ctx.scope, enterpriseId);
  if (!enterprise) throw notFound('企业');
  const now = nowIso(deps.now());
  if (body.occurredOn > now.slice(0, 10)) throw new AppError('VALIDATION', '发生日期不能晚于今天', [{ field: 'occurredOn', message: '发生日期不能晚于今天' }]);
  const row: AdverseRecordsTable = { id: newId(), enterprise_id: enterprise.id, kind: body.kind, occurred_on: body.occurredOn, description: body.description, source: body.source, created_by: ctx.actor.userId, created_at: now };
  await deps.db.transaction().execute(async (trx) => {
    await insertAdverseRow(trx, row);
    await deps.audit.append(trx, ctx.actor, {
      action: 'cultivation.adverse.create',
      entityType: 'adverse_record',
      entityId: row.id,
      after: { enterpriseId: enterprise.id, enterprise: enterprise.name, kind: body.kind, occurredOn: body.occurredOn, description: body.description, source: body.source },
    });
  });
  return present(row);
}

/** Removes an adverse record (entered in error, or cleared by the authority); audited with what it was. */
export async function deleteAdverseRecord(deps: Deps, ctx: CultivationContext, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await findAdverseRow(trx, ctx.scope, id);
    if (!row) throw notFound('不良记录');
    await deleteAdverseRow(trx, id);
    await deps.audit.append(trx, ctx.actor, {
      action: 'cultivation.adverse.delete',
      entityType: 'adverse_record',
      entityId: id,
      before: { enterpriseId: row.enterprise_id, enterprise: row.enterprise_name, kind: row.kind, occurredOn: row.occurred_on, description: row.description, source: row.source },
    });
  });
}
