import { AlignmentType, BorderStyle, Document, Packer, PageOrientation, Paragraph, Table, TableCell, TableRow, TextRun, VerticalAlign, WidthType } from 'docx';
import { LADDER_RUNG_LABELS, OUTCOME_LABELS } from '#common/contracts/cultivation.ts';
import type { PoolRung } from '#common/contracts/cultivation.ts';
import { writeXlsx } from '#server/platform/excel.ts';
import type { ExportColumn } from '#server/platform/excel.ts';
import type { Deps } from '#server/platform/deps.ts';
import type { Scope } from '#server/platform/scope.ts';
import type { RankedEvaluation } from '#server/modules/cultivation/cultivation.eligibility.ts';
import { defaultAsOf, detailOf, poolCandidates } from '#server/modules/cultivation/cultivation.service.ts';
import type { PopulationMember } from '#server/modules/cultivation/cultivation.service.ts';
import { ruleSetInForce } from '#server/modules/cultivation/rules/registry.ts';

// Exports of a candidate pool: the whole ranked pool as xlsx, and the one-page Word list
// 培育对象清单 for a meeting (the closest candidates that fit on one A4 landscape page).

type Entry = { member: PopulationMember; evaluation: RankedEvaluation };

const dateZh = (date: string) => `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;

function unmetText(e: RankedEvaluation): string {
  return e.criteria
    .filter((c) => c.met === false && !c.group.includes('直接'))
    .map((c) => c.label)
    .join('；');
}

function gapText(e: RankedEvaluation, limit = Infinity): string {
  return e.gaps
    .slice(0, limit)
    .map((g) => g.message)
    .join('；');
}

const COLUMNS: ExportColumn<Entry & { rank: number }>[] = [
  { header: '排名', width: 6, value: (r) => r.rank },
  { header: '企业名称', width: 34, value: (r) => r.member.enterprise.name },
  { header: '统一社会信用代码', width: 22, value: (r) => r.member.enterprise.uscc },
  { header: '所属镇街', width: 14, value: (r) => r.member.enterprise.town_name },
  { header: '评估结论', width: 10, value: (r) => OUTCOME_LABELS[r.evaluation.outcome] },
  { header: '得分', width: 8, value: (r) => (r.evaluation.score ?? (r.evaluation.scoreRange ? `${r.evaluation.scoreRange.min}–${r.evaluation.scoreRange.max}` : null)) },
  { header: '未满足条件', width: 40, value: (r) => unmetText(r.evaluation) },
  { header: '需补充数据', width: 30, value: (r) => r.evaluation.missing.join('、') },
  { header: '需评审事项', width: 30, value: (r) => r.evaluation.criteria.filter((c) => c.basis === 'review').map((c) => c.label).join('；') },
  { header: '差距与建议', width: 80, value: (r) => gapText(r.evaluation) },
];

/** The ranked pool of a rung as a workbook (all candidates in scope), with the rule set named. */
/** The ranked pool with each candidate's full evaluation (texts), for the exports. */
async function detailedPool(deps: Deps, scope: Scope, rung: PoolRung, asOf: string, townId?: string | null): Promise<Entry[]> {
  const pool = await poolCandidates(deps, scope, rung, asOf, townId);
  return pool.map((c) => ({ member: c.member, evaluation: detailOf(c.member, rung, asOf) }));
}

export async function exportPoolXlsx(deps: Deps, scope: Scope, rung: PoolRung, asOf: string = defaultAsOf(deps), townId?: string | null): Promise<Buffer> {
  const pool = await detailedPool(deps, scope, rung, asOf, townId);
  const set = ruleSetInForce(rung, asOf);
  const about = [
    ['培育对象', LADDER_RUNG_LABELS[rung]],
    ['评估基准日', asOf],
    ['数据年度', String(Number(asOf.slice(0, 4)) - 1)],
    ['依据', set ? `${set.title}（${set.documents.map((d) => d.number ?? d.title).join('、')}）` : '基准日无现行有效标准'],
    ['说明', '本表为平台依据企业年度数据的初步筛查结果，正式认定以主管部门评审为准；"默认满足"的合规条件（无不良记录）仍需核实。'],
  ];
  return writeXlsx<unknown>([
    { name: '培育库', columns: COLUMNS as ExportColumn<unknown>[], rows: pool.map((entry, i) => ({ ...entry, rank: i + 1 })) },
    { name: '说明', columns: [{ header: '项目', width: 14, value: (r) => (r as string[])[0] }, { header: '内容', width: 100, value: (r) => (r as string[])[1] }], rows: about },
  ]);
}

/** Rows that fit one A4 landscape page with the title and note. */
export const DOCX_ROWS = 15;

const FONT = { eastAsia: '仿宋_GB2312', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
const run = (text: string, size = 21, bold = false) => new TextRun({ text, font: FONT, size, bold });
const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const borders = { top: border, bottom: border, left: border, right: border };

function cell(text: string, width: number, options: { bold?: boolean; center?: boolean } = {}) {
  return new TableCell({
    width: { size: width, type: WidthType.PERCENTAGE },
    borders,
    verticalAlign: VerticalAlign.CENTER,
    margins: { top: 30, bottom: 30, left: 60, right: 60 },
    children: [new Paragraph({ alignment: options.center ? AlignmentType.CENTER : AlignmentType.LEFT, children: [run(text, 18, options.bold)] })],
  });
}

const clip = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/**
 * 培育对象清单: one A4 landscape page per rung — title, basis, the closest candidates (up to
 * DOCX_ROWS) with their outcome and main gap, and how many more the full list holds.
 */
export async function exportPoolDocx(deps: Deps, scope: Scope, rung: PoolRung, asOf: string = defaultAsOf(deps), townId?: string | null): Promise<Buffer> {
  const pool = await poolCandidates(deps, scope, rung, asOf, townId);
  const set = ruleSetInForce(rung, asOf);
  const shown = pool.slice(0, DOCX_ROWS).map((c) => ({ member: c.member, evaluation: detailOf(c.member, rung, asOf) }));
  const header = new TableRow({
    tableHeader: true,
    children: [cell('序号', 6, { bold: true, center: true }), cell('企业名称', 28, { bold: true, center: true }), cell('镇街', 10, { bold: true, center: true }), cell('结论', 9, { bold: true, center: true }), cell('主要差距与建议', 47, { bold: true, center: true })],
  });
  const rows = shown.map(
    (entry, i) =>
      new TableRow({
        cantSplit: true,
        children: [
          cell(String(i + 1), 6, { center: true }),
          cell(clip(entry.member.enterprise.name, 24), 28),
          cell(entry.member.enterprise.town_name, 10, { center: true }),
          cell(OUTCOME_LABELS[entry.evaluation.outcome], 9, { center: true }),
          cell(clip(gapText(entry.evaluation, 2) || (entry.evaluation.missing.length ? `需补充：${entry.evaluation.missing.slice(0, 3).join('、')}` : '各项条件已满足，待评审或申报'), 70), 47),
        ],
      }),
  );
  const more = pool.length > shown.length ? `另有 ${pool.length - shown.length} 家候选企业，详见培育库导出表。` : '';
  const document = new Document({
    creator: '科经信工作平台',
    title: `${LADDER_RUNG_LABELS[rung]}培育对象清单`,
    sections: [
      {
        properties: { page: { size: { orientation: PageOrientation.LANDSCAPE }, margin: { top: 1000, bottom: 900, left: 1100, right: 1100 } } },
        children: [
          new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 120 }, children: [new TextRun({ text: `${LADDER_RUNG_LABELS[rung]}培育对象清单`, font: { eastAsia: '方正小标宋简体', ascii: 'Times New Roman', hAnsi: 'Times New Roman' }, size: 36 })] }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 160 },
            children: [run(`评估基准日 ${dateZh(asOf)} · 数据年度 ${Number(asOf.slice(0, 4)) - 1} 年 · 依据：${set ? set.title : '无现行有效标准'} · 候选 ${pool.length} 家`, 20)],
          }),
          new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...rows] }),
          new Paragraph({ spacing: { before: 120 }, children: [run(`${more}本清单为平台依据企业年度数据的初步筛查结果，按接近程度排序；正式认定以主管部门评审为准。`, 18)] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
