import type { Db } from '#server/db/client.ts';
import type { MetricRegistry } from '#server/platform/metrics.ts';

// Monthly monitoring figures cultivation reads — 工业总产值 for the 亿元 / 十亿元 enterprises,
// December's 营业收入 and 研发费用 offered beside the annual form — belong to the monitoring
// module. Cultivation never imports monitoring (ADR 0006): app.ts, the composition root,
// provides this narrow port. It is kept beside the deps' metric registry (one per app's deps, so
// tests and the benchmark each get their own) rather than in a global.

/** One enterprise's 本年累计 of an indicator in a period, in thousandths of the indicator's unit (ADR 0005). */
export type PeriodValue = { enterpriseId: string; current: bigint };

/** The reported values of one indicator ('output_value', 'revenue', 'rd_expense') in a period 'YYYY-MM', of every enterprise or one. */
export type MonitoringValuesPort = (db: Db, period: string, indicator: string, enterpriseId?: string) => Promise<PeriodValue[]>;

const ports = new WeakMap<MetricRegistry, MonitoringValuesPort>();

/** Called in app.ts with monitoring's reader. */
export function provideMonitoringValues(registry: MetricRegistry, port: MonitoringValuesPort): void {
  ports.set(registry, port);
}

/** The port for these deps, or null when no module provides monitoring values. */
export function monitoringValuesPort(registry: MetricRegistry): MonitoringValuesPort | null {
  return ports.get(registry) ?? null;
}

/** 1亿元 and 10亿元 in thousandths of 千元 (工业总产值 is reported in 千元): 1亿元 = 100 000 千元. */
export const OUTPUT_BOUNDS = { over100m: 100_000n * 1000n, over1b: 1_000_000n * 1000n } as const;
