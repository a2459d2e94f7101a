import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  Drilldown,
  FigureDimension,
  Figures,
  FormBody,
  ForecastTable,
  ImportPreview,
  MonitoringSettings,
  Report,
  ReportedImport,
  Summary,
  Trend,
  Warning,
  formSchema,
  periodsSchema,
  reportedListSchema,
  warningListQuerySchema,
  warningListSchema,
} from '#common/contracts/monitoring.ts';
import type { IndicatorCode, ReportedIndicatorCode } from '#common/indicators.ts';
import { downloadFile, http, upload, type UploadProgress } from '#web/lib/http.ts';

/** Server calls of industrial economy monitoring (工业经济运行监测): figures, imports, warnings. */

export type { Drilldown, Figures, ForecastTable, ImportPreview, MonitoringSettings, Report, Summary, Trend, Warning };
export type Periods = z.infer<typeof periodsSchema>;
export type MonthlyForm = z.infer<typeof formSchema>;
export type ReportedList = z.infer<typeof reportedListSchema>;
export type { ReportedImport };
export type WarningList = z.infer<typeof warningListSchema>;
export type WarningQuery = Partial<Omit<z.input<typeof warningListQuerySchema>, 'page' | 'pageSize'>> & { page?: number; pageSize?: number };

export const MONITORING_KEY = ['monitoring'] as const;

/** Which figure a drill-down or chart asks for. */
export type FigureRef = { period: string; indicator: IndicatorCode; dimension: FigureDimension; key?: string | undefined };

export function usePeriods() {
  return useQuery({ queryKey: [...MONITORING_KEY, 'periods'], queryFn: ({ signal }) => http.get<Periods>('/api/monitoring/periods', undefined, signal) });
}

export function useSummary(period: string | null) {
  return useQuery({
    queryKey: [...MONITORING_KEY, 'summary', period],
    queryFn: ({ signal }) => http.get<Summary>('/api/monitoring/summary', { period }, signal),
    enabled: !!period,
    placeholderData: keepPreviousData,
  });
}

export function useFigures(ref: Omit<FigureRef, 'key'> | null) {
  return useQuery({
    queryKey: [...MONITORING_KEY, 'figures', ref],
    queryFn: ({ signal }) => http.get<Figures>('/api/monitoring/figures', ref!, signal),
    enabled: !!ref,
    placeholderData: keepPreviousData,
  });
}

export function exportFigures(ref: Omit<FigureRef, 'key'>): Promise<void> {
  return downloadFile('/api/monitoring/figures/export', ref, '分组数据.xlsx');
}

export function useDrilldown(ref: FigureRef | null) {
  return useQuery({
    queryKey: [...MONITORING_KEY, 'drilldown', ref],
    queryFn: ({ signal }) => http.get<Drilldown>('/api/monitoring/drilldown', ref!, signal),
    enabled: !!ref,
  });
}

export function exportDrilldown(ref: FigureRef): Promise<void> {
  return downloadFile('/api/monitoring/drilldown/export', ref, '企业明细.xlsx');
}

export type TrendRef = { year: number; indicator: IndicatorCode; dimension?: FigureDimension; key?: string | undefined };

export function useTrend(ref: TrendRef | null) {
  return useQuery({
    queryKey: [...MONITORING_KEY, 'trend', ref],
    queryFn: ({ signal }) => http.get<Trend>('/api/monitoring/trend', ref!, signal),
    enabled: !!ref,
    placeholderData: keepPreviousData,
  });
}

export function exportTrend(ref: TrendRef): Promise<void> {
  return downloadFile('/api/monitoring/trend/export', ref, '逐月增速.xlsx');
}

export function useForecast(ref: { period: string; indicator: IndicatorCode; targetGrowthPct?: number | undefined } | null) {
  return useQuery({
    queryKey: [...MONITORING_KEY, 'forecast', ref],
    queryFn: ({ signal }) => http.get<ForecastTable>('/api/monitoring/forecast', ref!, signal),
    enabled: !!ref,
    placeholderData: keepPreviousData,
  });
}

export function listReports(query: { period: string; search?: string; town?: string; page: number; pageSize: number }, signal?: AbortSignal) {
  return http.get<{ items: Report[]; total: number }>('/api/monitoring/reports', query, signal);
}

export function useMonthlyForm(enterpriseId: string | null, period: string | null) {
  return useQuery({
    queryKey: [...MONITORING_KEY, 'form', enterpriseId, period],
    queryFn: ({ signal }) => http.get<MonthlyForm>('/api/monitoring/form', { enterpriseId, period }, signal),
    enabled: !!enterpriseId && !!period,
  });
}

export function submitMonthlyForm(body: FormBody): Promise<ImportPreview> {
  return http.post<ImportPreview>('/api/monitoring/form', body);
}

/** `headers` carries the upload's progress token (see WorkbookImport). */
export function importMonthly(file: File, dryRun: boolean, onProgress?: (progress: UploadProgress) => void, headers?: Record<string, string>): Promise<ImportPreview> {
  return upload<ImportPreview>('/api/monitoring/imports', file, { query: { dryRun }, onProgress, headers });
}

export function downloadAnnotated(file: File): Promise<Headers> {
  return upload('/api/monitoring/imports/annotated', file, { as: 'download', fallbackName: '月报_检查结果.xlsx' });
}

export function downloadTemplate(): Promise<void> {
  return downloadFile('/api/monitoring/imports/template', undefined, '月度报表导入模板.xlsx');
}

export function useReported(year: number) {
  return useQuery({ queryKey: [...MONITORING_KEY, 'reported', year], queryFn: ({ signal }) => http.get<ReportedList>('/api/monitoring/reported', { year }, signal) });
}

/** A workbook of published figures (指标 | 报告期 | 数值 | 来源 | 备注), recorded all or none. */
export function importReported(file: File): Promise<ReportedImport> {
  return upload<ReportedImport>('/api/monitoring/reported/import', file, { query: { dryRun: false } });
}

export function addReported(body: { code: ReportedIndicatorCode; period: string; value: string; source: string; note?: string | null }): Promise<ReportedList> {
  return http.post<ReportedList>('/api/monitoring/reported', body);
}

export function listWarnings(query: WarningQuery, signal?: AbortSignal): Promise<WarningList> {
  return http.get<WarningList>('/api/monitoring/warnings', query, signal);
}

export function useWarnings(query: WarningQuery) {
  return useQuery({ queryKey: [...MONITORING_KEY, 'warnings', query], queryFn: ({ signal }) => listWarnings(query, signal), placeholderData: keepPreviousData });
}

export function updateWarning(id: string, body: { status: Warning['status']; note?: string | null }): Promise<Warning> {
  return http.patch<Warning>(`/api/monitoring/warnings/${encodeURIComponent(id)}`, body);
}

export function useSettings() {
  return useQuery({ queryKey: [...MONITORING_KEY, 'settings'], queryFn: ({ signal }) => http.get<MonitoringSettings>('/api/monitoring/settings', undefined, signal) });
}

export function saveSettings(body: MonitoringSettings): Promise<MonitoringSettings> {
  return http.put<MonitoringSettings>('/api/monitoring/settings', body);
}

export function downloadAnalysisReport(period: string, format: 'docx' | 'pdf'): Promise<void> {
  return downloadFile('/api/monitoring/analysis-report', { period, format }, `月度工业经济运行分析.${format}`);
}
