import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import ExcelJS from 'exceljs';
import { usccCheckCharacter } from '#common/uscc.ts';
import { createTestEnv } from '#tests/support/test-env.ts';
import type { Client, TestEnv } from '#tests/support/test-env.ts';
import { testDialects } from '#tests/support/databases.ts';
import { fixture, multipart } from '#tests/support/upload.ts';
import { makeZip } from '#tests/support/zip.ts';
import { fingerprint, loadFixtures } from '#tests/proofs/fixtures.ts';
import type { ProofFixtures } from '#tests/proofs/fixtures.ts';
import { recordCorpus } from '#tests/proofs/results.ts';

/**
 * The hostile-input corpus (issue 6 §2). Each case is declared:
 * - must refuse: a 4xx with a Chinese message, never a 5xx, and nothing written (every business
 *   table's rows hashed before and after the refusals);
 * - must keep verbatim: stored exactly, read back exactly, and in an xlsx export a cell that
 *   starts with = + - @ is text, not a formula.
 */

type Sender = { as: string; method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string | ((fx: ProofFixtures) => string) };
type Payload =
  | { json: unknown | ((fx: ProofFixtures) => unknown) }
  | { raw: string | Buffer; contentType: string }
  | { file: { name: string; content: Buffer | (() => Buffer); field?: string } }
  | { none: true };
type RefuseCase = { name: string; surface: string } & Sender & Payload & { status?: number };

const CJK = /[\u4e00-\u9fff]/;
const NUL = '\u0000';
const LONE_HIGH = '\ud800';
const LONE_LOW = '\udfff';

let serial = 0;
/** A valid USCC not in the demo data (the 17 characters vary by a serial). */
function freshUscc(): string {
  serial += 1;
  const first17 = `91421303MA${String(700000 + serial).padStart(7, '0')}`;
  return first17 + usccCheckCharacter(first17);
}
const enterprise = (over: Record<string, unknown>) => (fx: ProofFixtures) => ({ uscc: freshUscc(), name: '探针企业有限公司', townId: fx.towns.hedian, industryCode: '3311', ...over });

function deepJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

async function minimalXlsx(rows: string[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Sheet1');
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const ENT = '/api/enterprises';
const planItem = (fx: ProofFixtures) => fx.records.planItem.find((r) => r.owners.length === 0)!.id;
const qualification = (fx: ProofFixtures) => fx.records.qualification[0]!.id;
const warning = (fx: ProofFixtures) => fx.records.warning[0]!.id;

const REFUSE: RefuseCase[] = [
  // ---- malformed structure and wrong types (JSON bodies)
  { name: 'not JSON at all', surface: 'json', as: 'admin', method: 'POST', url: ENT, raw: '{"name": 探针', contentType: 'application/json' },
  { name: 'empty JSON body', surface: 'json', as: 'admin', method: 'POST', url: ENT, raw: '', contentType: 'application/json' },
  { name: 'body is an array', surface: 'json', as: 'admin', method: 'POST', url: ENT, json: [] },
  { name: 'body is a string', surface: 'json', as: 'admin', method: 'POST', url: ENT, raw: '"企业"', contentType: 'application/json' },
  { name: 'body is null', surface: 'json', as: 'admin', method: 'POST', url: ENT, raw: 'null', contentType: 'application/json' },
  { name: 'name is a number', surface: 'json', as: 'admin', method: 'POST', url: ENT, json: enterprise({ name: 123 }) },
  { name: 'name is an object', surface: 'json', as: 'admin', method: 'POST', url: ENT, json: enterprise({ name: { $gt: '' } }) },
  { name: 'name is an array', surface: 'json', as: 'admin', method: 'POST', url: ENT, json: enterprise({ name: ['甲', '乙'] }) },
  { name: 'aboveScale is a string', surface: 'json', as: 'admin', method: 'POST', url: ENT, json: enterprise({ aboveScale: 'yes' }) },
  { name: 'chainIds is not an array', surface: 'json', as: 'admin', method: 'POST', url: ENT, json: enterprise({ chainIds: 'all' }) },
  { name: 'name missing', surface: 'json', as: 'admin', method: 'POST', url: ENT, json: (fx: ProofFixtures) => ({ uscc: freshUscc(), townId: fx.towns.hedian, industryCode: '3311' }) },
  { name: 'uscc missing', surface: 'json', as: 'admin', method: 'POST', url: ENT, json: (fx: ProofFixtures) => ({ name: '探针', townId: fx.towns.hedian, industryCode: '3311' }) },
  { name: 'progress out of range', surface: 'json', as: 'admin', method: 'POST', url: (fx) => `/api/plans/items/${planItem(fx)}/reports`, json: { period: '2026-10', progress: 101, text: '进展' } },
  { name: 'progress is a float string', surface: 'json', as: 'admin', method: 'PATCH', url: (fx) => `/api/plans/items/${planItem(fx)}`, json: { progress: '50.5' } },
  { name: 'warning status not in the list', surface: 'json', as: 'admin', method: 'PATCH', url: (fx) => `/api/monitoring/warnings/${warning(fx)}`, json: { status: 'deleted' } },
  { name: 'role permissions not known', surface: 'json', as: 'admin', method: 'PUT', url: '/api/roles/leader', json: { permissions: ['everything'] } },
  { name: 'user with unknown role', surface: 'json', as: 'admin', method: 'POST', url: '/api/users', json: { username: 'probe1', displayName: '探针', roles: ['root'], unitIds: [], password: 'Kejing-Probe-2026!' } },
  { name: 'settings value is NaN text', surface: 'json', as: 'admin', method: 'PUT', url: '/api/monitoring/settings', json: { targetGrowthPct: 'NaN' } },
  { name: '__proto__ in body', surface: 'json', as: 'admin', method: 'POST', url: ENT, raw: '{"__proto__":{"isAdmin":true},"name":"探针"}', contentType: 'application/json' },
  { name: 'constructor.prototype in body', surface: 'json', as: 'admin', method: 'POST', url: ENT, raw: '{"constructor":{"prototype":{"isAdmin":true}},"name":"探针"}', contentType: 'application/json' },
  // ---- sizes over the limits
  { name: 'name of 100 000 characters', surface: 'size', as: 'admin', method: 'POST', url: ENT, json: enterprise({ name: '企'.repeat(100_000) }) },
  { name: 'body over the 1 MB limit', surface: 'size', as: 'admin', method: 'POST', url: ENT, json: enterprise({ address: 'x'.repeat(1_100_000) }), status: 413 },
  { name: 'chainIds with 10 000 entries', surface: 'size', as: 'admin', method: 'POST', url: ENT, json: enterprise({ chainIds: Array.from({ length: 10_000 }, (_, i) => `c${i}`) }) },
  { name: 'plan item links with 5 000 entries', surface: 'size', as: 'admin', method: 'PATCH', url: (fx) => `/api/plans/items/${planItem(fx)}`, json: { links: Array.from({ length: 5_000 }, () => ({ kind: 'target', refId: 'x', label: 'y' })) } },
  { name: 'JSON nested 5 000 deep', surface: 'size', as: 'admin', method: 'POST', url: ENT, raw: deepJson(5_000), contentType: 'application/json' },
  { name: 'JSON nested 100 000 deep', surface: 'size', as: 'admin', method: 'POST', url: ENT, raw: deepJson(100_000), contentType: 'application/json' },
  { name: 'token name of 10 000 characters', surface: 'size', as: 'admin', method: 'POST', url: '/api/auth/tokens', json: { name: 'T'.repeat(10_000) } },
  { name: 'search of 10 000 characters', surface: 'size', as: 'admin', method: 'GET', url: `${ENT}?search=${'企'.repeat(10_000)}`, none: true },
  // ---- NUL and lone surrogates, in every kind of text field
  { name: 'NUL in enterprise name', surface: 'unicode', as: 'admin', method: 'POST', url: ENT, json: enterprise({ name: `探针${NUL}企业` }) },
  { name: 'NUL in enterprise address (update)', surface: 'unicode', as: 'admin', method: 'PATCH', url: (fx) => `${ENT}/${fx.enterpriseOf.hedian}`, json: { address: `何店镇${NUL}1号` } },
  { name: 'lone high surrogate in enterprise name', surface: 'unicode', as: 'admin', method: 'POST', url: ENT, json: enterprise({ name: `探针${LONE_HIGH}企业` }) },
  { name: 'lone low surrogate in contact name', surface: 'unicode', as: 'admin', method: 'PATCH', url: (fx) => `${ENT}/${fx.enterpriseOf.hedian}`, json: { contactName: `张${LONE_LOW}` } },
  { name: 'NUL in qualification note', surface: 'unicode', as: 'admin', method: 'PATCH', url: (fx) => `/api/cultivation/qualifications/${qualification(fx)}`, json: { note: `备注${NUL}` } },
  { name: 'lone surrogate in qualification number', surface: 'unicode', as: 'admin', method: 'PATCH', url: (fx) => `/api/cultivation/qualifications/${qualification(fx)}`, json: { number: `GR${LONE_HIGH}2025` } },
  { name: 'NUL in revoke reason', surface: 'unicode', as: 'admin', method: 'POST', url: (fx) => `/api/cultivation/qualifications/${qualification(fx)}/revoke`, json: { revokedOn: '2026-01-05', reason: `原因${NUL}` } },
  { name: 'NUL in warning note', surface: 'unicode', as: 'admin', method: 'PATCH', url: (fx) => `/api/monitoring/warnings/${warning(fx)}`, json: { status: 'acknowledged', note: `已知悉${NUL}` } },
  { name: 'lone surrogate in warning note', surface: 'unicode', as: 'admin', method: 'PATCH', url: (fx) => `/api/monitoring/warnings/${warning(fx)}`, json: { status: 'acknowledged', note: `已知悉${LONE_LOW}` } },
  { name: 'NUL in API token name', surface: 'unicode', as: 'admin', method: 'POST', url: '/api/auth/tokens', json: { name: `脚本${NUL}` } },
  { name: 'lone surrogate in API token name', surface: 'unicode', as: 'admin', method: 'POST', url: '/api/auth/tokens', json: { name: `脚本${LONE_HIGH}` } },
  { name: 'NUL in user display name', surface: 'unicode', as: 'admin', method: 'POST', url: '/api/users', json: (fx: ProofFixtures) => ({ username: 'probe2', displayName: `探${NUL}针`, roles: ['town'], unitIds: [fx.towns.hedian], password: 'Kejing-Probe-2026!' }) },
  { name: 'lone surrogate in user display name (update)', surface: 'unicode', as: 'admin', method: 'PATCH', url: (fx) => `/api/users/${fx.userId}`, json: { displayName: `探${LONE_LOW}针` } },
  { name: 'NUL in username at login', surface: 'unicode', as: 'anonymous', method: 'POST', url: '/api/auth/login', json: { username: `admin${NUL}`, password: 'kejing-demo' } },
  { name: 'lone surrogate in password at login', surface: 'unicode', as: 'anonymous', method: 'POST', url: '/api/auth/login', json: { username: 'admin', password: `kejing-demo${LONE_HIGH}` } },
  { name: 'NUL in plan item title', surface: 'unicode', as: 'admin', method: 'PATCH', url: (fx) => `/api/plans/items/${planItem(fx)}`, json: { title: `标题${NUL}` } },
  { name: 'lone surrogate in plan item text', surface: 'unicode', as: 'admin', method: 'PATCH', url: (fx) => `/api/plans/items/${planItem(fx)}`, json: { text: `内容${LONE_HIGH}` } },
  { name: 'NUL in progress report', surface: 'unicode', as: 'admin', method: 'POST', url: (fx) => `/api/plans/items/${planItem(fx)}/reports`, json: { period: '2026-10', progress: 10, text: `进展${NUL}` } },
  { name: 'NUL in pasted plan text', surface: 'unicode', as: 'admin', method: 'POST', url: '/api/plans/parse', json: { text: `一、工作要点${NUL}` } },
  { name: 'NUL in target evidence', surface: 'unicode', as: 'admin', method: 'POST', url: (fx) => `/api/targets/${fx.targetId}/values`, json: { period: '2022-06', value: '1', evidence: `批复${NUL}` } },
  { name: 'NUL in reported-indicator note', surface: 'unicode', as: 'admin', method: 'POST', url: '/api/monitoring/reported', json: { code: 'industrial_va_growth', period: '2022-06', value: '5.1', source: '统计局', note: `备注${NUL}` } },
  { name: 'NUL in search query', surface: 'unicode', as: 'admin', method: 'GET', url: `${ENT}?search=%00`, none: true },
  { name: 'NUL in audit filter', surface: 'unicode', as: 'admin', method: 'GET', url: '/api/audit?actor=%00', none: true },
  { name: 'raw JSON escape \\u0000 in name', surface: 'unicode', as: 'admin', method: 'POST', url: ENT, raw: '{"uscc":"91421303MA4K00000X","name":"a\\u0000b","townId":"x","industryCode":"3311"}', contentType: 'application/json' },
  { name: 'raw JSON escape \\ud800 in token name', surface: 'unicode', as: 'admin', method: 'POST', url: '/api/auth/tokens', raw: '{"name":"a\\ud800b"}', contentType: 'application/json' },
  // ---- malformed dates and periods
  { name: 'period 2022-13', surface: 'period', as: 'admin', method: 'GET', url: '/api/monitoring/summary?period=2022-13', none: true },
  { name: 'period 2022-00', surface: 'period', as: 'admin', method: 'GET', url: '/api/monitoring/summary?period=2022-00', none: true },
  { name: 'period with SQL', surface: 'period', as: 'admin', method: 'GET', url: `/api/monitoring/figures?period=${encodeURIComponent("2022-06' OR '1'='1")}`, none: true },
  { name: 'period is words', surface: 'period', as: 'admin', method: 'GET', url: '/api/monitoring/trend?year=abcd', none: true },
  { name: 'period 2026-01 for a progress report (1–2月 merged)', surface: 'period', as: 'admin', method: 'POST', url: (fx) => `/api/plans/items/${planItem(fx)}/reports`, json: { period: '2026-01', progress: 10, text: '进展' } },
  { name: 'form period 9999-99', surface: 'period', as: 'qiye', method: 'POST', url: '/api/monitoring/form', json: (fx: ProofFixtures) => ({ enterpriseId: fx.qiyeEnterpriseId, period: '9999-99', values: {} }) },
  { name: 'date 2025-02-30', surface: 'date', as: 'admin', method: 'PATCH', url: (fx) => `/api/cultivation/qualifications/${qualification(fx)}`, json: { grantedOn: '2025-02-30' } },
  { name: 'date 2025-13-01', surface: 'date', as: 'admin', method: 'POST', url: (fx) => `/api/cultivation/qualifications/${qualification(fx)}/revoke`, json: { revokedOn: '2025-13-01', reason: '原因' } },
  { name: 'date is words', surface: 'date', as: 'admin', method: 'POST', url: (fx) => `/api/plans/items/${planItem(fx)}/milestones`, json: { title: '节点', dueDate: 'tomorrow' } },
  { name: 'asOf 2025-02-29', surface: 'date', as: 'admin', method: 'GET', url: '/api/cultivation/ladder?asOf=2025-02-29', none: true },
  { name: 'year 1999 for annual data', surface: 'date', as: 'admin', method: 'PUT', url: '/api/cultivation/annual-data', json: (fx: ProofFixtures) => ({ enterpriseId: fx.enterpriseOf.hedian, year: 1999 }) },
  // ---- bad identifiers (USCC)
  // A failed check character is only a warning by design (common/uscc.ts: early pilot codes are legal).
  { name: 'USCC of 19 characters', surface: 'uscc', as: 'admin', method: 'POST', url: ENT, json: enterprise({ uscc: '91421303MA4K000001X' }) },
  { name: 'USCC with letters in the region code', surface: 'uscc', as: 'admin', method: 'POST', url: ENT, json: enterprise({ uscc: '9142AB03MA4K00000X' }) },
  { name: 'USCC of 17 characters', surface: 'uscc', as: 'admin', method: 'POST', url: ENT, json: enterprise({ uscc: '91421303MA4K00000' }) },
  { name: 'USCC with letters never used (I O Z S V)', surface: 'uscc', as: 'admin', method: 'POST', url: ENT, json: enterprise({ uscc: '91421303MAIOZSV00X' }) },
  { name: 'USCC is SQL', surface: 'uscc', as: 'admin', method: 'POST', url: ENT, json: enterprise({ uscc: "' OR 1=1 --" }) },
  { name: 'USCC empty', surface: 'uscc', as: 'admin', method: 'POST', url: ENT, json: enterprise({ uscc: '' }) },
  // ---- wrong content types
  { name: 'JSON route sent text/plain', surface: 'content-type', as: 'admin', method: 'POST', url: ENT, raw: '{"name":"探针"}', contentType: 'text/plain' },
  { name: 'JSON route sent a form', surface: 'content-type', as: 'admin', method: 'POST', url: ENT, raw: 'name=%E6%8E%A2', contentType: 'application/x-www-form-urlencoded' },
  { name: 'JSON route sent multipart', surface: 'content-type', as: 'admin', method: 'POST', url: ENT, file: { name: 'a.xlsx', content: Buffer.from('PK') } },
  { name: 'upload route sent JSON', surface: 'content-type', as: 'admin', method: 'POST', url: `${ENT}/import?dryRun=false`, json: { file: 'a.xlsx' } },
  { name: 'upload route sent XML', surface: 'content-type', as: 'admin', method: 'POST', url: '/api/monitoring/imports?dryRun=false', raw: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', contentType: 'application/xml' },
  // ---- uploads: not xlsx, truncated, zip bombs, oversized, odd names
  { name: 'text file named .xlsx', surface: 'upload', as: 'admin', method: 'POST', url: `${ENT}/import?dryRun=false`, file: { name: 'roster.xlsx', content: fixture('refuse-not-xlsx.xlsx') } },
  { name: 'old .xls workbook', surface: 'upload', as: 'admin', method: 'POST', url: `${ENT}/import?dryRun=false`, file: { name: 'roster.xls', content: fixture('refuse-old-format.xls') } },
  { name: 'truncated xlsx', surface: 'upload', as: 'admin', method: 'POST', url: `${ENT}/import?dryRun=false`, file: { name: 'roster.xlsx', content: fixture('refuse-truncated.xlsx') } },
  { name: 'zip-bomb xlsx (fixture)', surface: 'upload', as: 'admin', method: 'POST', url: `${ENT}/import?dryRun=false`, file: { name: 'roster.xlsx', content: fixture('refuse-zip-bomb.xlsx') } },
  { name: 'xlsx whose entry lies about its size', surface: 'upload', as: 'admin', method: 'POST', url: '/api/monitoring/imports?dryRun=false', file: { name: 'monthly.xlsx', content: () => makeZip([{ name: '[Content_Types].xml', data: Buffer.from('<Types/>') }, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(50_000_000, 0x20), declaredSize: 1000 }]) } },
  { name: 'xlsx with overlapping entries', surface: 'upload', as: 'admin', method: 'POST', url: '/api/cultivation/qualifications/import?dryRun=false', file: { name: 'q.xlsx', content: () => makeZip([{ name: '[Content_Types].xml', data: Buffer.from('<Types/>') }, { name: 'xl/workbook.xml', data: Buffer.alloc(1000, 0x20) }], { overlapLast: true }) } },
  { name: 'docx zip bomb', surface: 'upload', as: 'admin', method: 'POST', url: '/api/plans/parse-file', file: { name: 'plan.docx', content: () => makeZip([{ name: '[Content_Types].xml', data: Buffer.from('<Types/>') }, { name: 'word/document.xml', data: Buffer.alloc(200_000_000, 0x20) }]) } },
  { name: 'truncated docx', surface: 'upload', as: 'admin', method: 'POST', url: '/api/plans/parse-file', file: { name: 'plan.docx', content: () => makeZip([{ name: 'word/document.xml', data: Buffer.from('<w:document>一、工作要点</w:document>') }]).subarray(0, 40) } },
  { name: 'upload over 20 MB', surface: 'upload', as: 'admin', method: 'POST', url: `${ENT}/import?dryRun=false`, file: { name: 'big.xlsx', content: () => Buffer.alloc(21 * 1024 * 1024, 0x41) }, status: 413 },
  { name: 'multipart with no file', surface: 'upload', as: 'admin', method: 'POST', url: `${ENT}/import?dryRun=false`, raw: '------x\r\nContent-Disposition: form-data; name="note"\r\n\r\nhi\r\n------x--\r\n', contentType: 'multipart/form-data; boundary=----x' },
  { name: 'multipart cut off mid-part', surface: 'upload', as: 'admin', method: 'POST', url: `${ENT}/import?dryRun=false`, raw: '------x\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nPK\u0003\u0004', contentType: 'multipart/form-data; boundary=----x' },
  { name: 'traversal file name, not a workbook', surface: 'upload', as: 'admin', method: 'POST', url: `${ENT}/import?dryRun=false`, file: { name: '../../../etc/passwd', content: Buffer.from('root:x:0:0') } },
  { name: 'roster with a formula instead of a value', surface: 'upload', as: 'admin', method: 'POST', url: `${ENT}/import?dryRun=false`, file: { name: 'roster.xlsx', content: fixture('refuse-formula-without-result.xlsx') } },
  { name: 'roster with wrong headers', surface: 'upload', as: 'admin', method: 'POST', url: `${ENT}/import?dryRun=false`, file: { name: 'roster.xlsx', content: fixture('refuse-wrong-headers.xlsx') } },
  { name: 'roster with NUL and a lone surrogate in cells', surface: 'upload', as: 'admin', method: 'POST', url: `${ENT}/import?dryRun=false`, file: { name: 'roster.xlsx', content: () => Buffer.alloc(0) } },
  // The remaining workbook uploads: the annotated-file routes and the annual-data import.
  { name: 'annotated roster of a truncated xlsx', surface: 'upload', as: 'admin', method: 'POST', url: `${ENT}/import/annotated`, file: { name: 'roster.xlsx', content: fixture('refuse-truncated.xlsx') } },
  { name: 'annotated monthly reports of a zip bomb', surface: 'upload', as: 'admin', method: 'POST', url: '/api/monitoring/imports/annotated', file: { name: 'monthly.xlsx', content: fixture('refuse-zip-bomb.xlsx') } },
  { name: 'annual data: text file named .xlsx', surface: 'upload', as: 'admin', method: 'POST', url: '/api/cultivation/annual-data/import?dryRun=false', file: { name: 'annual.xlsx', content: fixture('refuse-not-xlsx.xlsx') } },
  { name: 'annual data: traversal file name, wrong headers', surface: 'upload', as: 'admin', method: 'POST', url: '/api/cultivation/annual-data/import?dryRun=false', file: { name: '..\\..\\windows\\win.ini.xlsx', content: fixture('refuse-wrong-headers.xlsx') } },
];

/** Cases whose upload body is built asynchronously (ExcelJS). */
async function prepare(cases: RefuseCase[]): Promise<void> {
  const nulRoster = cases.find((c) => c.name === 'roster with NUL and a lone surrogate in cells');
  if (nulRoster && 'file' in nulRoster) {
    const xlsx = await minimalXlsx([
      ['统一社会信用代码', '企业名称', '所属镇街', '国民经济行业代码'],
      [freshUscc(), `探针${LONE_HIGH}企业`, '何店镇', '3311'],
    ]);
    nulRoster.file.content = xlsx;
  }
}

/** Text that must come back exactly as sent: it is data, not markup, code or a formula. */
const VERBATIM: { name: string; value: string }[] = [
  { name: 'SQL: quote and DROP', value: "探针'); DROP TABLE enterprises;--" },
  { name: 'SQL: tautology', value: "' OR '1'='1' -- 探针" },
  { name: 'SQL: comment and semicolon', value: '探针/* x */; SELECT * FROM users' },
  { name: 'SQL: backslash escape', value: '探针\\\'; --' },
  { name: 'SQL: LIKE wildcards', value: '探针%_[^]' },
  { name: 'HTML: script tag', value: '<script>alert("探针")</script>' },
  { name: 'HTML: img onerror', value: '<img src=x onerror=alert(1)>探针' },
  { name: 'HTML: attribute break-out', value: '"><svg/onload=alert(1)>探针' },
  { name: 'HTML: entities stay literal', value: '&lt;b&gt;探针&amp;&#x27;' },
  { name: 'template injection', value: '{{7*7}}${7*7}<%= 7*7 %>探针' },
  { name: 'RTL override', value: '探针\u202Excod.exe\u202C' },
  { name: 'Arabic and Hebrew', value: 'شركة 探针 חברה' },
  { name: 'combining marks (decomposed é, Zalgo)', value: 'Cafe\u0301 Z\u0351\u0352a\u0308\u0335 探针' },
  { name: 'zero-width joiner and spaces', value: '探\u200B针\u200D企\uFEFF业' },
  { name: 'emoji with ZWJ and skin tone', value: '🚀科技👨‍👩‍👧👍🏽有限公司' },
  { name: 'CJK extension B (4-byte)', value: '𠀀𪚥𠮷探针' },
  { name: 'full-width look-alikes', value: '＝ＳＵＭ（Ａ１）探针' },
  { name: 'tab and newline inside text', value: '探针\t第一行\n第二行' },
  { name: 'formula =', value: '=1+2' },
  { name: 'formula = HYPERLINK', value: '=HYPERLINK("http://evil.example","点我")' },
  { name: 'formula +', value: '+SUM(1,2)' },
  { name: 'formula -', value: '-2+3' },
  { name: 'formula @', value: '@SUM(1,2)' },
  { name: 'formula DDE', value: "=cmd|' /C calc'!A0" },
  { name: 'path traversal as text', value: '../../../etc/passwd' },
  { name: 'percent-encoding as text', value: '%00%0d%0a%27探针' },
  { name: 'JSON as text', value: '{"__proto__":{"admin":true}}' },
];

type Surface = { field: string; formula: boolean };
/** The enterprise text fields each verbatim value is stored in, and whether the roster export shows it. */
const ENTERPRISE_FIELDS: Surface[] = [
  { field: 'name', formula: true },
  { field: 'address', formula: true },
  { field: 'contactName', formula: true },
];

describe.each(testDialects())('hostile input (%s)', (dialect) => {
  let env: TestEnv;
  let fx: ProofFixtures;
  const clients = new Map<string, Client>();
  const figures = { cases: 0, refused: 0, kept: 0, serverErrors: 0 };
  const started = Date.now();

  beforeAll(async () => {
    env = await createTestEnv(dialect);
    fx = await loadFixtures(env.deps.db);
    for (const u of ['admin', 'qiye']) clients.set(u, await env.login(u));
    await prepare(REFUSE);
  });
  afterAll(async () => {
    recordCorpus(dialect, { ...figures, ms: Date.now() - started });
    await env?.close();
  });

  const send = async (c: RefuseCase): Promise<LightMyRequestResponse> => {
    const client = c.as === 'anonymous' ? env.anonymous() : clients.get(c.as)!;
    const url = typeof c.url === 'function' ? c.url(fx) : c.url;
    const headers: Record<string, string> = { ...(client.cookie ? { cookie: client.cookie } : {}), ...(client.csrfToken ? { 'x-csrf-token': client.csrfToken } : {}) };
    if ('json' in c) {
      const body = typeof c.json === 'function' ? (c.json as (f: ProofFixtures) => unknown)(fx) : c.json;
      return env.app.inject({ method: c.method, url, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    }
    if ('raw' in c) return env.app.inject({ method: c.method, url, headers: { ...headers, 'content-type': c.contentType }, payload: c.raw });
    if ('file' in c) {
      const content = typeof c.file.content === 'function' ? c.file.content() : c.file.content;
      const { payload, contentType } = multipart(c.file.name, content, c.file.field);
      return env.app.inject({ method: c.method, url, headers: { ...headers, 'content-type': contentType }, payload });
    }
    return env.app.inject({ method: c.method, url, headers });
  };

  it(`refuses each of the ${REFUSE.length} malformed inputs with a Chinese 4xx and writes nothing`, async () => {
    expect(REFUSE.length).toBeGreaterThanOrEqual(60);
    const before = await fingerprint(env.deps.db);
    const wrong: string[] = [];
    for (const c of REFUSE) {
      const response = await send(c);
      figures.cases += 1;
      figures.refused += 1;
      const status = response.statusCode;
      if (status >= 500) figures.serverErrors += 1;
      let message = '';
      try {
        message = response.json<{ error: { message: string } }>().error.message;
      } catch {
        message = '';
      }
      const ok = c.status ? status === c.status : status >= 400 && status < 500;
      if (!ok || !CJK.test(message)) wrong.push(`[${c.surface}] ${c.name}: ${status} ${response.body.slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
    const after = await fingerprint(env.deps.db);
    const changed = Object.keys(before).filter((t) => before[t] !== after[t]);
    expect(changed, 'tables written by refused requests').toEqual([]);
  }, 180_000);

  it(`keeps ${VERBATIM.length} hostile texts verbatim in ${ENTERPRISE_FIELDS.length} enterprise fields, in the API and in the xlsx export (no formulas)`, async () => {
    const admin = clients.get('admin')!;
    const wrong: string[] = [];
    const created: { id: string; uscc: string; value: string }[] = [];
    for (const [i, v] of VERBATIM.entries()) {
      const body = { uscc: freshUscc(), name: `${v.value}`, townId: fx.towns.hedian, industryCode: '3311', address: v.value, contactName: v.value.slice(0, 50) };
      // Names are unique: the same hostile name twice is a conflict, so the index keeps them apart where needed.
      const response = await admin.post('/api/enterprises', body);
      figures.cases += 1;
      figures.kept += 1;
      if (response.statusCode >= 500) figures.serverErrors += 1;
      if (response.statusCode !== 200) {
        wrong.push(`${v.name}: create answered ${response.statusCode} ${response.body.slice(0, 200)}`);
        continue;
      }
      const id = response.json<{ id: string }>().id;
      created.push({ id, uscc: body.uscc, value: v.value });
      const back = (await admin.get(`/api/enterprises/${id}`)).json<Record<string, unknown>>();
      for (const f of ENTERPRISE_FIELDS) {
        const expected = f.field === 'contactName' ? v.value.slice(0, 50) : v.value;
        if (back[f.field] !== expected) wrong.push(`${v.name} (#${i}): ${f.field} came back ${JSON.stringify(back[f.field])}, sent ${JSON.stringify(expected)}`);
      }
      // Stored exactly: the row itself, not only the API's reading of it.
      const row = await env.deps.db.selectFrom('enterprises').select(['name']).where('id', '=', id).executeTakeFirstOrThrow();
      if (row.name !== v.value) wrong.push(`${v.name}: stored as ${JSON.stringify(row.name)}`);
    }

    // The roster export: each hostile value is text (never a formula) and reads back as sent,
    // or with the leading apostrophe that neutralises a formula.
    const exported = await admin.get('/api/enterprises/export');
    expect(exported.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const header = Array.from(sheet.getRow(1).values as unknown[], (h) => String(h ?? ''));
    const usccCol = header.findIndex((h) => h.includes('信用代码'));
    const nameCol = header.findIndex((h) => h.includes('企业名称'));
    expect(usccCol).toBeGreaterThan(0);
    const byUscc = new Map<string, ExcelJS.Row>();
    sheet.eachRow((row) => void byUscc.set(String(row.getCell(usccCol).value ?? ''), row));
    let formulaCells = 0;
    sheet.eachRow((row) => row.eachCell((cell) => {
      if (cell.type === ExcelJS.ValueType.Formula || (typeof cell.value === 'object' && cell.value !== null && 'formula' in cell.value)) formulaCells += 1;
    }));
    if (formulaCells > 0) wrong.push(`export holds ${formulaCells} formula cells`);
    for (const c of created) {
      const row = byUscc.get(c.uscc);
      if (!row) {
        wrong.push(`export lacks ${c.uscc}`);
        continue;
      }
      const cell = row.getCell(nameCol);
      const text = typeof cell.value === 'string' ? cell.value : JSON.stringify(cell.value);
      const neutralised = /^[=+\-@\t\r]/.test(c.value) ? `'${c.value}` : c.value;
      if (text !== neutralised) wrong.push(`export name for ${JSON.stringify(c.value)} reads ${JSON.stringify(text)}`);
    }
    expect(wrong).toEqual([]);
  }, 180_000);

  it('keeps hostile text verbatim in other text fields (plan item title, qualification note, API token name)', async () => {
    const admin = clients.get('admin')!;
    const wrong: string[] = [];
    const samples = VERBATIM.filter((v) => /SQL: quote|HTML: script|RTL|combining|emoji|CJK|formula =$|formula @/.test(v.name));
    const item = planItem(fx);
    const q = qualification(fx);
    for (const v of samples) {
      const checks: [string, () => Promise<unknown>, string][] = [
        ['plan item title', async () => {
          await admin.patch(`/api/plans/items/${item}`, { title: v.value });
          return (await admin.get(`/api/plans/items/${item}`)).json<{ item?: { title: string }; title?: string }>();
        }, 'title'],
        ['qualification note', async () => (await admin.patch(`/api/cultivation/qualifications/${q}`, { note: v.value })).json(), 'note'],
        ['API token name', async () => (await admin.post('/api/auth/tokens', { name: v.value })).json(), 'name'],
      ];
      for (const [what, run, field] of checks) {
        figures.cases += 1;
        figures.kept += 1;
        const body = await run();
        const found = findField(body, field);
        if (found !== v.value) wrong.push(`${what} ← ${v.name}: came back ${JSON.stringify(found)}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});

/** The first value of a field anywhere in a JSON body. */
function findField(value: unknown, field: string): unknown {
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = findField(v, field);
      if (found !== undefined) return found;
    }
  } else if (value && typeof value === 'object') {
    if (field in value) return (value as Record<string, unknown>)[field];
    for (const v of Object.values(value)) {
      const found = findField(v, field);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
