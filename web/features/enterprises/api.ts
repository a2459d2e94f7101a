import { useQuery } from '@tanstack/react-query';
import type {
  Chain,
  EnterpriseCreateBody,
  EnterpriseDetail,
  EnterpriseFilter,
  EnterpriseImportPreview,
  EnterpriseListItem,
  EnterpriseListQuery,
  EnterpriseUpdateBody,
} from '#common/contracts/enterprises.ts';
import { downloadFile, http, upload, type UploadProgress } from '#web/lib/http.ts';

/** Server calls of the enterprise registry (一企一档): list, detail, form, import, export. */

export type { Chain, EnterpriseDetail, EnterpriseImportPreview, EnterpriseListItem };
export type EnterpriseQuery = Partial<EnterpriseListQuery>;
export type EnterprisePage = { items: EnterpriseListItem[]; total: number };

export const ENTERPRISES_KEY = ['enterprises'] as const;
export const CHAINS_KEY = ['chains'] as const;

export function listEnterprises(query: EnterpriseQuery, signal?: AbortSignal): Promise<EnterprisePage> {
  return http.get<EnterprisePage>('/api/enterprises', query, signal);
}

export function getEnterprise(id: string, signal?: AbortSignal): Promise<EnterpriseDetail> {
  return http.get<EnterpriseDetail>(`/api/enterprises/${encodeURIComponent(id)}`, undefined, signal);
}

export function useEnterprise(id: string) {
  return useQuery({ queryKey: [...ENTERPRISES_KEY, 'detail', id], queryFn: ({ signal }) => getEnterprise(id, signal) });
}

export function createEnterprise(body: EnterpriseCreateBody): Promise<EnterpriseDetail> {
  return http.post<EnterpriseDetail>('/api/enterprises', body);
}

export function updateEnterprise(id: string, body: EnterpriseUpdateBody): Promise<EnterpriseDetail> {
  return http.patch<EnterpriseDetail>(`/api/enterprises/${encodeURIComponent(id)}`, body);
}

export function exportEnterprises(filter: Partial<EnterpriseFilter>): Promise<void> {
  return downloadFile('/api/enterprises/export', filter, '企业名录.xlsx');
}

export function downloadImportTemplate(): Promise<void> {
  return downloadFile('/api/enterprises/import-template', undefined, '企业名录导入模板.xlsx');
}

async function listChains(signal?: AbortSignal): Promise<Chain[]> {
  return (await http.get<{ items: Chain[] }>('/api/chains', undefined, signal)).items;
}

/** The district's chains: configuration, fetched once. */
export function useChains() {
  return useQuery({ queryKey: CHAINS_KEY, queryFn: ({ signal }) => listChains(signal), staleTime: 10 * 60_000 });
}

export function useEnterpriseTags() {
  return useQuery({
    queryKey: [...ENTERPRISES_KEY, 'tags'],
    queryFn: async ({ signal }) => (await http.get<{ items: { tag: string; count: number }[] }>('/api/enterprises/tags', undefined, signal)).items,
    staleTime: 60_000,
  });
}

export function useEnterpriseGroups() {
  return useQuery({
    queryKey: [...ENTERPRISES_KEY, 'groups'],
    queryFn: async ({ signal }) => (await http.get<{ items: { id: string; name: string; count: number }[] }>('/api/enterprise-groups', undefined, signal)).items,
    staleTime: 60_000,
  });
}

/** Checks (dryRun) or commits a roster workbook; a file with errors is refused with the preview in `details`. */
/** `headers` carries the upload's progress token (see WorkbookImport). */
export function importEnterprises(file: File, dryRun: boolean, onProgress?: (p: UploadProgress) => void, headers?: Record<string, string>): Promise<EnterpriseImportPreview> {
  return upload<EnterpriseImportPreview>('/api/enterprises/import', file, { query: { dryRun }, onProgress, headers });
}

/** Downloads the uploaded workbook with its problems marked (the file a clerk corrects). */
export async function downloadAnnotated(file: File): Promise<void> {
  await upload('/api/enterprises/import/annotated', file, { as: 'download', fallbackName: file.name.replace(/\.xlsx$/i, '') + '-错误标注.xlsx' });
}
