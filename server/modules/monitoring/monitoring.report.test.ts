import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv } from '#tests/support/test-env.ts';
import type { TestEnv } from '#tests/support/test-env.ts';
import { libreOfficePath, required } from '#tests/support/components.ts';

/** The text of one entry of a .docx (a zip), read from its central directory. */
function docxEntry(buffer: Buffer, name: string): string {
  const eocd = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = buffer.readUInt32LE(eocd + 16);
  const count = buffer.readUInt16LE(eocd + 10);
  for (let i = 0; i < count; i++) {
    const method = buffer.readUInt16LE(at + 10);
    const size = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extra = buffer.readUInt16LE(at + 30);
    const comment = buffer.readUInt16LE(at + 32);
    const local = buffer.readUInt32LE(at + 42);
    const entry = buffer.toString('utf8', at + 46, at + 46 + nameLength);
    if (entry === name) {
      const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
      const data = buffer.subarray(start, start + size);
      return (method === 0 ? data : inflateRawSync(data)).toString('utf8');
    }
    at += 46 + nameLength + extra + comment;
  }
  throw new Error(`no ${name} in the docx`);
}

// The demo district (template database): a real month of figures to report on. SQLite only:
// the report reads through the same service the figure tests cover on both databases.
describe('月度工业经济运行分析', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv('sqlite');
  });
  afterAll(async () => {
    await env.close();
  });

  it('is a Word document with the headline figures, the tables by town, chain and industry, charts, warnings and forecast', async () => {
    const client = await env.login('leader');
    const response = await client.get('/api/monitoring/analysis-report?period=2022-06&format=docx');
    expect(response.statusCode, response.body.slice(0, 200)).toBe(200);
    expect(response.headers['content-type']).toContain('wordprocessingml');
    expect(decodeURIComponent(String(response.headers['content-disposition']))).toContain('2022年1-6月工业经济运行分析.docx');
    const xml = docxEntry(response.rawPayload, 'word/document.xml');
    for (const text of ['工业经济运行分析', '一、总体运行情况', '规上工业增加值（可比价）增长9.2%', '三、分镇街情况', '何店镇', '四、分产业链情况', '专汽及零部件', '五、分行业情况', '六、预警情况', '七、全年预测', '计算口径']) {
      expect(xml, text).toContain(text);
    }
    // Two charts, each an SVG with a PNG beside it.
    expect(xml.match(/<pic:pic /g)?.length).toBe(2);
    expect(xml).toContain('svgBlip');
  });

  it('lists enterprise warnings only within the caller\'s scope', async () => {
    const xicheng = await env.login('xicheng');
    const xml = docxEntry((await xicheng.get('/api/monitoring/analysis-report?period=2022-06')).rawPayload, 'word/document.xml');
    const hedianWarnings = (await (await env.login('hedian')).get('/api/monitoring/warnings?period=2022-06&level=red&pageSize=200')).json().items.filter(
      (w: { subject: { kind: string } }) => w.subject.kind === 'enterprise',
    );
    for (const w of hedianWarnings) expect(xml).not.toContain(w.subject.name);
  });

  it.runIf(libreOfficePath() !== null || required('LIBREOFFICE'))('converts to PDF with LibreOffice headless', async () => {
    const client = await env.login('leader');
    const response = await client.get('/api/monitoring/analysis-report?period=2022-06&format=pdf');
    expect(response.statusCode, response.body.slice(0, 200)).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(response.rawPayload.length).toBeGreaterThan(20_000);
  }, 120_000);
});
