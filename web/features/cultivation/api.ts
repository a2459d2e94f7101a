import { useQuery } from '@tanstack/react-query';
import type {
  AdverseRecordBody,
  AdverseRecordView,
  AnnualData,
  AnnualDataBody,
  Candidate,
  CultivationImportResult,
  Evaluation,
  EvidenceFile,
  Ladder,
  Pool,
  PoolRung,
  Qualification,
  QualificationBody,
  QualificationKind,
  QualificationStatus,
} from '#common/contracts/cultivation.ts';
import { downloadFile, http, upload, type UploadProgress } from '#web/lib/http.ts';

/** Server calls of cultivation (培育梯队): ladder, pools, eligibility, register, annual data, imports. */

export type { AdverseRecordView, AnnualData, Candidate, EvidenceFile, CultivationImportResult, Evaluation, Ladder, Pool, PoolRung, Qualification };

export const CULTIVATION_KEY = ['cultivation'] as const;
const id = (value: string) => encodeURIComponent(value);

export function useLadder(asOf: string | undefined, town: string | undefined) {
  return useQuery({ queryKey: [...CULTIVATION_KEY, 'ladder', asOf ?? '', town ?? ''], queryFn: ({ signal }) => http.get<Ladder>('/api/cultivation/ladder', { asOf, town }, signal) });
}

export type PoolQuery = { asOf?: string | undefined; town?: string | undefined; outcome?: string | undefined; page: number; pageSize: number };

export function usePool(rung: PoolRung, query: PoolQuery) {
  return useQuery({ queryKey: [...CULTIVATION_KEY, 'pool', rung, query], queryFn: ({ signal }) => http.get<Pool>(`/api/cultivation/pools/${rung}`, query, signal) });
}

export function exportPool(rung: PoolRung, query: { asOf?: string | undefined; town?: string | undefined }): Promise<void> {
  return downloadFile(`/api/cultivation/pools/${rung}/export`, query, '培育库.xlsx');
}

export function exportPoolList(rung: PoolRung, query: { asOf?: string | undefined; town?: string | undefined }): Promise<void> {
  return downloadFile(`/api/cultivation/pools/${rung}/list`, query, '培育对象清单.docx');
}

export function useEligibility(enterpriseId: string, asOf: string | undefined) {
  return useQuery({
    queryKey: [...CULTIVATION_KEY, 'eligibility', enterpriseId, asOf ?? ''],
    queryFn: ({ signal }) => http.get<Evaluation[]>(`/api/enterprises/${id(enterpriseId)}/eligibility`, { asOf }, signal),
  });
}

export type QualificationQuery = { enterpriseId?: string | undefined; kind?: QualificationKind | undefined; status?: QualificationStatus | undefined; town?: string | undefined; page: number; pageSize: number };

export function useQualifications(query: QualificationQuery) {
  return useQuery({ queryKey: [...CULTIVATION_KEY, 'qualifications', query], queryFn: ({ signal }) => http.get<{ items: Qualification[]; total: number }>('/api/cultivation/qualifications', query, signal) });
}

export function useExpiring(asOf: string | undefined) {
  return useQuery({
    queryKey: [...CULTIVATION_KEY, 'expiring', asOf ?? ''],
    queryFn: ({ signal }) => http.get<{ asOf: string; items: { qualification: Qualification; threshold: number }[] }>('/api/cultivation/qualifications/expiring', { asOf }, signal),
  });
}

export function createQualification(body: QualificationBody): Promise<Qualification> {
  return http.post<Qualification>('/api/cultivation/qualifications', body);
}

export function revokeQualification(qualificationId: string, body: { revokedOn: string; reason: string }): Promise<Qualification> {
  return http.post<Qualification>(`/api/cultivation/qualifications/${id(qualificationId)}/revoke`, body);
}

export function useAnnualData(enterpriseId: string) {
  return useQuery({
    queryKey: [...CULTIVATION_KEY, 'annual', enterpriseId],
    queryFn: ({ signal }) => http.get<{ items: AnnualData[]; total: number }>('/api/cultivation/annual-data', { enterpriseId, pageSize: 20 }, signal),
  });
}

export type MonitoringOffer = { year: number; period: string | null; operatingRevenue: string | null; rdExpense: string | null };

/** December's cumulative monitoring figures for a year, offered on the form (never merged by themselves). */
export function useMonitoringOffer(enterpriseId: string, year: number | undefined) {
  return useQuery({
    queryKey: [...CULTIVATION_KEY, 'offer', enterpriseId, year ?? 0],
    enabled: !!year,
    queryFn: ({ signal }) => http.get<MonitoringOffer>(`/api/enterprises/${id(enterpriseId)}/annual-offer`, { year }, signal),
  });
}

export function saveAnnualData(body: AnnualDataBody): Promise<AnnualData> {
  return http.put<AnnualData>('/api/cultivation/annual-data', body);
}

export type ImportKind = 'annual-data' | 'qualifications';

export function importFile(kind: ImportKind, file: File, dryRun: boolean, onProgress?: (p: UploadProgress) => void): Promise<CultivationImportResult> {
  return upload<CultivationImportResult>(`/api/cultivation/${kind}/import`, file, { query: { dryRun: dryRun ? 'true' : 'false' }, onProgress });
}

export function downloadTemplate(kind: ImportKind): Promise<void> {
  return downloadFile(`/api/cultivation/${kind}/import-template`, undefined, kind === 'annual-data' ? '企业年度数据导入模板.xlsx' : '企业资质导入模板.xlsx');
}

// ---- Evidence files of a qualification, and adverse records of an enterprise -------------------

export function useEvidenceFiles(qualificationId: string) {
  return useQuery({
    queryKey: [...CULTIVATION_KEY, 'files', qualificationId],
    queryFn: ({ signal }) => http.get<{ items: EvidenceFile[] }>(`/api/cultivation/qualifications/${id(qualificationId)}/files`, undefined, signal),
  });
}

export function uploadEvidence(qualificationId: string, file: File): Promise<EvidenceFile> {
  return upload<EvidenceFile>(`/api/cultivation/qualifications/${id(qualificationId)}/files`, file, {});
}

export function downloadEvidence(file: EvidenceFile): Promise<void> {
  return downloadFile(`/api/cultivation/files/${id(file.id)}`, undefined, file.fileName);
}

export function deleteEvidence(fileId: string): Promise<{ ok: true }> {
  return http.delete<{ ok: true }>(`/api/cultivation/files/${id(fileId)}`);
}

export function useAdverseRecords(enterpriseId: string) {
  return useQuery({
    queryKey: [...CULTIVATION_KEY, 'adverse', enterpriseId],
    queryFn: ({ signal }) => http.get<{ items: AdverseRecordView[] }>(`/api/enterprises/${id(enterpriseId)}/adverse-records`, undefined, signal),
  });
}

export function createAdverseRecord(enterpriseId: string, body: AdverseRecordBody): Promise<AdverseRecordView> {
  return http.post<AdverseRecordView>(`/api/enterprises/${id(enterpriseId)}/adverse-records`, body);
}

export function deleteAdverseRecord(recordId: string): Promise<{ ok: true }> {
  return http.delete<{ ok: true }>(`/api/cultivation/adverse-records/${id(recordId)}`);
}
