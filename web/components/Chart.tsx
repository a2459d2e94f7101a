import { useEffect, useRef, useState } from 'react';
import { Alert, Spin } from 'antd';
import type * as EChartsCoreModule from 'echarts/core';
import type { ComposeOption, ECharts } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import type {
  DatasetComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
} from 'echarts/components';

/** The chart kinds and parts the platform registers; add one here before a page uses it. */
export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | DatasetComponentOption
  | GridComponentOption
  | LegendComponentOption
  | TitleComponentOption
  | TooltipComponentOption
>;

type EChartsCore = typeof EChartsCoreModule;

let loading: Promise<EChartsCore> | null = null;

/**
 * THE only ECharts import of the web app. ECharts is loaded on first use, through `echarts/core`
 * with only the parts below registered, so it never weighs on the login page or on pages
 * without charts.
 */
function loadEcharts(): Promise<EChartsCore> {
  loading ??= Promise.all([import('echarts/core'), import('echarts/charts'), import('echarts/components'), import('echarts/renderers')]).then(
    ([core, charts, components, renderers]) => {
      core.use([
        charts.BarChart,
        charts.LineChart,
        charts.PieChart,
        components.DatasetComponent,
        components.GridComponent,
        components.LegendComponent,
        components.TitleComponent,
        components.TooltipComponent,
        renderers.CanvasRenderer,
      ]);
      return core;
    },
  );
  return loading;
}

export interface ChartProps {
  option: ChartOption;
  height?: number | string;
  loading?: boolean;
  /** Screen-reader text saying what the chart shows (the canvas itself says nothing). */
  ariaLabel: string;
  /** A click on a bar, point or slice: which category (by index) of which series. */
  onItemClick?: (item: ChartItem) => void;
}

/** What a click on a chart element identifies. */
export interface ChartItem {
  name: string;
  dataIndex: number;
  seriesName: string | undefined;
}

export function Chart({ option, height = 320, loading: dataLoading = false, ariaLabel, onItemClick }: ChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const instance = useRef<ECharts | null>(null);
  const [failed, setFailed] = useState(false);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | null = null;
    loadEcharts()
      .then((echarts) => {
        if (disposed || !container.current) return;
        instance.current = echarts.init(container.current, undefined, { renderer: 'canvas' });
        observer = new ResizeObserver(() => instance.current?.resize());
        observer.observe(container.current);
        setReady(true);
      })
      .catch(() => setFailed(true));
    return () => {
      disposed = true;
      observer?.disconnect();
      instance.current?.dispose();
      instance.current = null;
    };
  }, []);

  useEffect(() => {
    if (ready) instance.current?.setOption(option, { notMerge: true });
  }, [ready, option]);

  useEffect(() => {
    const chart = instance.current;
    if (!ready || !chart || !onItemClick) return;
    const handler = (params: { name?: string; dataIndex?: number; seriesName?: string }) =>
      onItemClick({ name: params.name ?? '', dataIndex: params.dataIndex ?? 0, seriesName: params.seriesName });
    chart.on('click', handler);
    return () => {
      chart.off('click', handler);
    };
  }, [ready, onItemClick]);

  if (failed) return <Alert type="error" showIcon title="图表加载失败，请刷新页面重试" />;
  return (
    <Spin spinning={!ready || dataLoading}>
      <div ref={container} role="img" aria-label={ariaLabel} style={{ width: '100%', height }} />
    </Spin>
  );
}
