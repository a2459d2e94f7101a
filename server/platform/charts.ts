import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';
import type * as EChartsCore from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';

/**
 * Charts for documents made on the server (the monthly analysis report): ECharts' server-side
 * SVG renderer, no browser and no canvas. The web app draws its charts with web/components/Chart.tsx.
 */

let echartsReady: Promise<typeof EChartsCore> | null = null;

/**
 * ECharts with the pieces the reports use, imported at the first chart rather than at start-up
 * (≈ 20 MB of resident memory a server at rest would otherwise carry).
 */
function loadEcharts(): Promise<typeof EChartsCore> {
  return (echartsReady ??= (async () => {
    const [core, charts, components, renderers] = await Promise.all([
      import('echarts/core'),
      import('echarts/charts'),
      import('echarts/components'),
      import('echarts/renderers'),
    ]);
    core.use([charts.BarChart, charts.LineChart, components.GridComponent, components.LegendComponent, components.TitleComponent, renderers.SVGRenderer]);
    return core;
  })());
}

/** Chinese text in server-made charts: the CJK font installed with LibreOffice and Chromium. */
export const CHART_FONT = '"WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", sans-serif';

/** Renders an ECharts option to an SVG document (no animation; the text in `CHART_FONT`). */
export async function renderChartSvg(option: EChartsCoreOption, width = 640, height = 320): Promise<string> {
  const { init } = await loadEcharts();
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: CHART_FONT }, backgroundColor: '#ffffff', ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The Chromium (or Chrome) executable on PATH, or null. */
export function findChromium(): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
      const candidate = path.join(dir, name);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/**
 * Rasterises SVG charts to PNG (twice their size, for print) with headless Chromium: the PNG a
 * .docx carries beside an SVG for readers without SVG support — LibreOffice among them, so the
 * PDF shows the PNG. Null where Chromium is not installed; callers then fall back to a blank.
 */
export async function svgsToPng(svgs: readonly { svg: string; width: number; height: number }[]): Promise<Buffer[] | null> {
  const chromium = findChromium();
  if (!chromium || svgs.length === 0) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kejing-chart-'));
  try {
    const out: Buffer[] = [];
    for (const [i, chart] of svgs.entries()) {
      const html = path.join(dir, `chart${i}.html`);
      const png = path.join(dir, `chart${i}.png`);
      fs.writeFileSync(html, `<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0;background:#fff">${chart.svg}</body></html>`);
      await new Promise<void>((resolve, reject) => {
        execFile(
          chromium,
          [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--hide-scrollbars',
            '--force-device-scale-factor=2',
            `--window-size=${Math.max(chart.width, 400)},${Math.max(chart.height, 200)}`,
            `--user-data-dir=${path.join(dir, 'profile')}`,
            `--screenshot=${png}`,
            pathToFileURL(html).href,
          ],
          { timeout: 60_000, env: { ...process.env, HOME: dir } },
          (error) => (error ? reject(error) : resolve()),
        );
      });
      if (!fs.existsSync(png)) return null;
      out.push(fs.readFileSync(png));
    }
    return out;
  } catch {
    return null;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A 1×1 white PNG: the fallback image when no rasteriser is installed. */
export function blankPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (buf: Buffer) => {
    let crc = 0xffffffff;
    for (const byte of buf) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, 255, 255, 255]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
