import { createHash } from 'node:crypto';
import type { EvidenceFile, EvidenceFileType } from '#common/contracts/cultivation.ts';
import { QUALIFICATION_KIND_LABELS } from '#common/contracts/cultivation.ts';
import type { QualificationFilesTable } from '#server/db/schema.ts';
import type { Deps } from '#server/platform/deps.ts';
import { AppError, notFound } from '#server/platform/errors.ts';
import { newId, nowIso } from '#server/platform/ids.ts';
import type { Scope } from '#server/platform/scope.ts';
import { inspectZipDirectory, safeFileName, UPLOAD_LIMIT_BYTES } from '#server/platform/upload.ts';
import type { UploadedFile } from '#server/platform/upload.ts';
import type { CultivationContext } from '#server/modules/cultivation/cultivation.service.ts';
import { deleteFileRow, findFileRow, findQualificationRow, insertFileRow, listFileRows } from '#server/modules/cultivation/cultivation.repo.ts';
import type { FileMeta } from '#server/modules/cultivation/cultivation.repo.ts';

// Evidence files of a qualification (certificate scans, award notices): pdf, jpg, png or ofd.
// The bytes are kept in the database so a backup carries them with the record they prove (ADR
// 0007). Access follows the qualification: whoever reaches the enterprise reaches its files.

export const EVIDENCE_MIME: Record<EvidenceFileType, string> = { pdf: 'application/pdf', jpg: 'image/jpeg', png: 'image/png', ofd: 'application/ofd' };

const EXTENSIONS: Record<string, EvidenceFileType> = { pdf: 'pdf', jpg: 'jpg', jpeg: 'jpg', png: 'png', ofd: 'ofd' };
const ALLOWED = '可上传 PDF、JPG、PNG 或 OFD 文件';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * What the bytes are, whatever the name says: a PDF header, a JPEG SOI marker, the PNG
 * signature, or a zip container holding OFD.xml (GB/T 33190). Null when none of them.
 */
export function sniffEvidenceType(buffer: Buffer): EvidenceFileType | null {
  if (buffer.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (buffer.length >= 3 && buffer[0] === 0xff && buffer[1] === 0xd8 && buffer[2] === 0xff) return 'jpg';
  if (buffer.subarray(0, 8).equals(PNG_MAGIC)) return 'png';
  if (buffer.subarray(0, 4).equals(ZIP_MAGIC)) {
    try {
      // The container is only read, never inflated: the directory walk is all that is needed.
      const entries = inspectZipDirectory(buffer);
      if (entries.some((e) => e.name === 'OFD.xml')) return 'ofd';
    } catch {
      return null;
    }
  }
  return null;
}

/** Checks an upload: size, a known extension, and contents that are what the extension says. */
export function checkEvidenceFile(file: UploadedFile): { fileName: string; fileType: EvidenceFileType } {
  if (file.buffer.length > UPLOAD_LIMIT_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `文件过大，上限 ${UPLOAD_LIMIT_BYTES / 1024 / 1024} MB`);
  if (file.buffer.length === 0) throw new AppError('BAD_FILE', '上传的文件是空的（0 字节），请重新选择文件');
  const fileName = safeFileName(file.fileName, '');
  const extension = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const claimed = EXTENSIONS[extension];
  if (!claimed) throw new AppError('BAD_FILE', `不支持的文件类型${extension ? ` .${extension}` : ''}：${ALLOWED}`);
  const actual = sniffEvidenceType(file.buffer);
  if (actual !== claimed) {
    throw new AppError('BAD_FILE', actual ? `文件内容是 ${actual.toUpperCase()}，与扩展名 .${extension} 不符，请核对后重新上传` : `文件内容不是有效的 ${claimed.toUpperCase()} 文件（可能已损坏或被改了扩展名）：${ALLOWED}`);
  }
  return { fileName, fileType: actual };
}

function present(row: FileMeta): EvidenceFile {
  return { id: row.id, qualificationId: row.qualification_id, fileName: row.file_name, fileType: row.file_type as EvidenceFileType, size: Number(row.size), sha256: row.sha256, createdAt: row.created_at };
}

/** 证明材料: the files of a qualification in scope (out of scope: 404). */
export async function listEvidenceFiles(deps: Deps, scope: Scope, qualificationId: string): Promise<{ items: EvidenceFile[] }> {
  const qualification = await findQualificationRow(deps.db, scope, qualificationId);
  if (!qualification) throw notFound('资质记录');
  return { items: (await listFileRows(deps.db, qualificationId)).map(present) };
}

/**
 * Attaches a file to a qualification in scope. The scope is checked before the file is looked
 * at, so an out-of-scope caller learns nothing about it. Audited in the same transaction.
 */
export async function attachEvidenceFile(deps: Deps, ctx: CultivationContext, qualificationId: string, file: UploadedFile): Promise<EvidenceFile> {
  const qualification = await findQualificationRow(deps.db, ctx.scope, qualificationId);
  if (!qualification) throw notFound('资质记录');
  const { fileName, fileType } = checkEvidenceFile(file);
  const row: QualificationFilesTable = {
    id: newId(),
    qualification_id: qualification.id,
    file_name: fileName,
    file_type: fileType,
    mime: EVIDENCE_MIME[fileType],
    size: file.buffer.length,
    sha256: createHash('sha256').update(file.buffer).digest('hex'),
    content: file.buffer,
    created_by: ctx.actor.userId,
    created_at: nowIso(deps.now()),
  };
  await deps.db.transaction().execute(async (trx) => {
    await insertFileRow(trx, row);
    await deps.audit.append(trx, ctx.actor, {
      action: 'cultivation.evidence.attach',
      entityType: 'qualification_file',
      entityId: row.id,
      after: { qualificationId: qualification.id, enterprise: qualification.enterprise_name, kind: QUALIFICATION_KIND_LABELS[qualification.kind as keyof typeof QUALIFICATION_KIND_LABELS], fileName, fileType, size: row.size, sha256: row.sha256 },
    });
  });
  const { content: _content, ...meta } = row;
  return present(meta);
}

/** One file's bytes, for download; out of scope or unknown: 404. */
export async function getEvidenceFile(deps: Deps, scope: Scope, id: string): Promise<{ fileName: string; mime: string; buffer: Buffer }> {
  const row = await findFileRow(deps.db, scope, id);
  if (!row) throw notFound('证明材料');
  return { fileName: row.file_name, mime: row.mime, buffer: Buffer.from(row.content) };
}

/** Removes a file of a qualification in scope; audited with what it was. */
export async function deleteEvidenceFile(deps: Deps, ctx: CultivationContext, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await findFileRow(trx, ctx.scope, id);
    if (!row) throw notFound('证明材料');
    await deleteFileRow(trx, id);
    await deps.audit.append(trx, ctx.actor, {
      action: 'cultivation.evidence.delete',
      entityType: 'qualification_file',
      entityId: id,
      before: { qualificationId: row.qualification_id, enterprise: row.enterprise_name, fileName: row.file_name, fileType: row.file_type, size: Number(row.size), sha256: row.sha256 },
    });
  });
}
