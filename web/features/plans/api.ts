import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  milestoneBodySchema,
  MyItems,
  noteBodySchema,
  ParsedPlan,
  PlanDetail,
  PlanItemDetail,
  PlanItemUpdateBody,
  PlanParseResult,
  PlanSummary,
  progressReportBodySchema,
  Unreported,
} from '#common/contracts/plans.ts';
import { downloadFile, http, upload } from '#web/lib/http.ts';

/** Server calls of the work plan (工作要点): reading a notice, the tree, items, reports, 督办. */

export type { MyItems, ParsedPlan, PlanDetail, PlanItemDetail, PlanParseResult, PlanSummary, Unreported };
export type ProgressReportBody = z.input<typeof progressReportBodySchema>;
export type MilestoneBody = z.input<typeof milestoneBodySchema>;
export type NoteBody = z.input<typeof noteBodySchema>;

export const PLANS_KEY = ['plans'] as const;

const id = (value: string) => encodeURIComponent(value);

export function parsePlanText(text: string): Promise<PlanParseResult> {
  return http.post<PlanParseResult>('/api/plans/parse', { text });
}

export function parsePlanFile(file: File): Promise<PlanParseResult> {
  return upload<PlanParseResult>('/api/plans/parse-file', file, {});
}

export function savePlan(body: { text: string; fileName: string | null; plan: ParsedPlan; year?: number }): Promise<PlanDetail> {
  return http.post<PlanDetail>('/api/plans', body);
}

export function usePlans() {
  return useQuery({ queryKey: [...PLANS_KEY, 'list'], queryFn: async ({ signal }) => (await http.get<{ items: PlanSummary[] }>('/api/plans', undefined, signal)).items });
}

export function usePlan(planId: string, period: string | undefined) {
  return useQuery({ queryKey: [...PLANS_KEY, 'detail', planId, period ?? ''], queryFn: ({ signal }) => http.get<PlanDetail>(`/api/plans/${id(planId)}`, { period }, signal) });
}

export function usePlanSource(planId: string, enabled: boolean) {
  return useQuery({ queryKey: [...PLANS_KEY, 'source', planId], enabled, queryFn: ({ signal }) => http.get<{ text: string; fileName: string | null }>(`/api/plans/${id(planId)}/source`, undefined, signal) });
}

export function deletePlan(planId: string): Promise<void> {
  return http.delete<void>(`/api/plans/${id(planId)}`);
}

export function useUnreported(planId: string, period: string | undefined) {
  return useQuery({ queryKey: [...PLANS_KEY, 'unreported', planId, period ?? ''], queryFn: ({ signal }) => http.get<Unreported>(`/api/plans/${id(planId)}/unreported`, { period }, signal) });
}

export function remindUnreported(planId: string, period: string): Promise<{ created: number }> {
  return http.post<{ created: number }>(`/api/plans/${id(planId)}/remind?period=${encodeURIComponent(period)}`, {});
}

export function useMyItems(period: string | undefined) {
  return useQuery({ queryKey: [...PLANS_KEY, 'mine', period ?? ''], queryFn: ({ signal }) => http.get<MyItems>('/api/plans/my-items', { period }, signal) });
}

export function useItem(itemId: string, period: string | undefined) {
  return useQuery({ queryKey: [...PLANS_KEY, 'item', itemId, period ?? ''], queryFn: ({ signal }) => http.get<PlanItemDetail>(`/api/plans/items/${id(itemId)}`, { period }, signal) });
}

export function updateItem(itemId: string, body: PlanItemUpdateBody): Promise<PlanItemDetail> {
  return http.patch<PlanItemDetail>(`/api/plans/items/${id(itemId)}`, body);
}

export function createSubItem(parentId: string, title: string): Promise<PlanItemDetail> {
  return http.post<PlanItemDetail>('/api/plans/items', { parentId, title });
}

export function addMilestone(itemId: string, body: MilestoneBody): Promise<PlanItemDetail> {
  return http.post<PlanItemDetail>(`/api/plans/items/${id(itemId)}/milestones`, body);
}

export function updateMilestone(milestoneId: string, body: Partial<MilestoneBody>): Promise<PlanItemDetail> {
  return http.patch<PlanItemDetail>(`/api/plans/milestones/${id(milestoneId)}`, body);
}

export function deleteMilestone(milestoneId: string): Promise<PlanItemDetail> {
  return http.delete<PlanItemDetail>(`/api/plans/milestones/${id(milestoneId)}`);
}

export function submitReport(itemId: string, body: ProgressReportBody): Promise<PlanItemDetail> {
  return http.post<PlanItemDetail>(`/api/plans/items/${id(itemId)}/reports`, body);
}

export function reviewReport(reportId: string, decision: 'approve' | 'return', note?: string): Promise<PlanItemDetail> {
  return http.post<PlanItemDetail>(`/api/plans/reports/${id(reportId)}/review`, { decision, ...(note ? { note } : {}) });
}

export function attachFile(reportId: string, file: File): Promise<PlanItemDetail> {
  return upload<PlanItemDetail>(`/api/plans/reports/${id(reportId)}/files`, file, {});
}

export function downloadAttachment(fileId: string, fileName: string): Promise<void> {
  return downloadFile(`/api/plans/files/${id(fileId)}`, undefined, fileName);
}

export function addNote(itemId: string, body: NoteBody): Promise<PlanItemDetail> {
  return http.post<PlanItemDetail>(`/api/plans/items/${id(itemId)}/notes`, body);
}
