import type { Deps } from '#server/platform/deps.ts';

/**
 * The registry of metric sources (DESIGN: "targets measure monitoring figures and cultivation
 * counts"). A module that can measure something registers a source here at start-up
 * (`server/app.ts`); the targets module reads actual values only through the registry, so it
 * never imports the modules it measures and no cycle arises.
 */

/** What a figure is: a growth rate in %, a count, an amount in `unit`, or a share in %. */
export const METRIC_KINDS = ['growth', 'count', 'amount', 'share'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

/**
 * Where a figure comes from, for people choosing a binding: computed from enterprise reports
 * (monitoring), published by the statistics bureau and entered as reported (增加值增速 …),
 * counted over a register (新增规上, 高企认定 …), or kept by the platform's own work (报送及时率).
 */
export const METRIC_ORIGINS = ['computed', 'reported', 'register', 'work'] as const;
export type MetricOrigin = (typeof METRIC_ORIGINS)[number];

/** The period and scope asked for: `townId` null or absent is the whole district. */
export type MetricQuery = { period: string; townId?: string | null };

/**
 * One figure. `value` is a canonical decimal string in the source's unit (a growth or a share
 * in percent: '12.5' is 12.5%), null when there is no data for the period. Growth sources should
 * give `current` and `previous` (the cumulative values the rate compares) where they have them,
 * so a target can show the increment and check a decomposition's bases.
 */
export type MetricValue = {
  value: string | null;
  current?: string | null;
  previous?: string | null;
  /** Anything that explains the figure (enterprises counted, the rows behind it). */
  detail?: unknown;
};

/** A year-end forecast of the figure, with the method in words (`同口径企业上年进度`). */
export type MetricForecast = { value: string | null; method: string };

export type MetricSource = {
  /** Stable id, `<module>.<what>` (`monitoring.output_value_growth`). */
  id: string;
  label: string;
  /** '%' for growth and share; 家, 个, 亿元 … otherwise. */
  unit: string;
  kind: MetricKind;
  origin: MetricOrigin;
  /** Whether `compute` answers per town (a decomposition can then be measured town by town). */
  byTown: boolean;
  /**
   * The figure is a level at the period's end (valid totals: 有效高企数), not accumulated over
   * the year, so a target bound to it is not paced by time progress.
   */
  stock?: boolean;
  /** One line shown where the source is chosen (how it is computed, what not to use it for). */
  note?: string;
  compute: (deps: Deps, query: MetricQuery) => Promise<MetricValue>;
  /** The year-end forecast, where the module forecasts (monitoring does). */
  forecast?: (deps: Deps, query: MetricQuery) => Promise<MetricForecast>;
};

/** What the web lists: a source without its functions. */
export type MetricSourceInfo = Omit<MetricSource, 'compute' | 'forecast'> & { forecasts: boolean };

export type MetricRegistry = {
  /** Adds a source; registering the same id again replaces it (buildApp may run twice on one deps). */
  register: (source: MetricSource) => void;
  get: (id: string) => MetricSource | undefined;
  list: () => MetricSourceInfo[];
};

export function createMetricRegistry(): MetricRegistry {
  const sources = new Map<string, MetricSource>();
  return {
    register: (source) => {
      if (!/^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$/.test(source.id)) throw new Error(`metric source id must be <module>.<what>: ${source.id}`);
      sources.set(source.id, source);
    },
    get: (id) => sources.get(id),
    list: () =>
      [...sources.values()].map(({ compute: _compute, forecast, ...info }) => ({ ...info, forecasts: forecast !== undefined })),
  };
}
