import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  Bulletin,
  bulletinBodySchema,
  MetricSourceInfo,
  MyQuotas,
  QuotaView,
  Ranking,
  RankingBody,
  RankingResult,
  Target,
  TargetDetail,
  TargetSettings,
  targetUpdateBodySchema,
} from '#common/contracts/targets.ts';
import { downloadFile, http } from '#web/lib/http.ts';

/** Server calls of targets: bindings, manual figures, decomposition, rankings and bulletins. */

export type { Bulletin, MetricSourceInfo, MyQuotas, QuotaView, Ranking, RankingBody, RankingResult, Target, TargetDetail, TargetSettings };
export type TargetUpdateBody = z.input<typeof targetUpdateBodySchema>;
export type BulletinBody = z.input<typeof bulletinBodySchema>;

export const TARGETS_KEY = ['targets'] as const;

const id = (value: string) => encodeURIComponent(value);

export function useTargets(query: { year?: number | undefined; planId?: string | undefined; period?: string | undefined }) {
  return useQuery({ queryKey: [...TARGETS_KEY, 'list', query], queryFn: ({ signal }) => http.get<{ period: string; items: Target[] }>('/api/targets', query, signal) });
}

export function useTarget(targetId: string, period: string | undefined) {
  return useQuery({ queryKey: [...TARGETS_KEY, 'detail', targetId, period ?? ''], queryFn: ({ signal }) => http.get<TargetDetail>(`/api/targets/${id(targetId)}`, { period }, signal) });
}

export function useMetricSources() {
  return useQuery({
    queryKey: [...TARGETS_KEY, 'sources'],
    staleTime: 5 * 60_000,
    queryFn: async ({ signal }) => (await http.get<{ items: MetricSourceInfo[] }>('/api/targets/metric-sources', undefined, signal)).items,
  });
}

export function useMyQuotas(period: string | undefined, year: number | undefined) {
  return useQuery({ queryKey: [...TARGETS_KEY, 'mine', period ?? '', year ?? 0], queryFn: ({ signal }) => http.get<MyQuotas>('/api/targets/quotas/mine', { period, year }, signal) });
}

export function updateTarget(targetId: string, body: TargetUpdateBody): Promise<TargetDetail> {
  return http.patch<TargetDetail>(`/api/targets/${id(targetId)}`, body);
}

export function bindTarget(targetId: string, kind: 'none' | 'metric' | 'manual', sourceId: string | null): Promise<TargetDetail> {
  return http.put<TargetDetail>(`/api/targets/${id(targetId)}/binding`, { kind, sourceId });
}

export function addManualValue(targetId: string, body: { period: string; townId?: string | null; value: string; evidence: string }): Promise<TargetDetail> {
  return http.post<TargetDetail>(`/api/targets/${id(targetId)}/values`, body);
}

export function setQuotas(targetId: string, quotas: { townId: string; value: string; base?: string | null; note?: string | null }[]): Promise<QuotaView> {
  return http.put<QuotaView>(`/api/targets/${id(targetId)}/quotas`, { quotas });
}

export function useTargetSettings() {
  return useQuery({ queryKey: [...TARGETS_KEY, 'settings'], queryFn: ({ signal }) => http.get<TargetSettings>('/api/targets/settings', undefined, signal) });
}

export function saveTargetSettings(settings: TargetSettings): Promise<TargetSettings> {
  return http.put<TargetSettings>('/api/targets/settings', settings);
}

export function useRankings(year?: number) {
  return useQuery({ queryKey: [...TARGETS_KEY, 'rankings', year ?? 0], queryFn: async ({ signal }) => (await http.get<{ items: Ranking[] }>('/api/targets/rankings', { year }, signal)).items });
}

export function createRanking(body: RankingBody): Promise<Ranking> {
  return http.post<Ranking>('/api/targets/rankings', body);
}

export function updateRanking(rankingId: string, body: RankingBody): Promise<Ranking> {
  return http.put<Ranking>(`/api/targets/rankings/${id(rankingId)}`, body);
}

export function useRankingResult(rankingId: string | undefined, period: string | undefined) {
  return useQuery({
    queryKey: [...TARGETS_KEY, 'ranking', rankingId ?? '', period ?? ''],
    enabled: !!rankingId,
    queryFn: ({ signal }) => http.get<RankingResult>(`/api/targets/rankings/${id(rankingId!)}/result`, { period }, signal),
  });
}

export function useBulletins(rankingId: string | undefined) {
  return useQuery({
    queryKey: [...TARGETS_KEY, 'bulletins', rankingId ?? ''],
    queryFn: async ({ signal }) => (await http.get<{ items: Bulletin[] }>('/api/targets/bulletins', { rankingId }, signal)).items,
  });
}

export function generateBulletin(body: BulletinBody): Promise<Bulletin> {
  return http.post<Bulletin>('/api/targets/bulletins', body);
}

export function downloadBulletin(bulletinId: string, format: 'docx' | 'pdf', townId?: string): Promise<void> {
  return downloadFile(`/api/targets/bulletins/${id(bulletinId)}/${format}`, { townId }, `排序通报.${format}`);
}
