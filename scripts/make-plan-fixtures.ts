// Generates tests/fixtures/plans/zengdu-2022-excerpt.docx: an excerpt of the 2022 seed notice as
// a bureau clerk would type it in Word — one paragraph per paragraph, the notice title broken
// over two lines, a number split across runs, full-width item numbers restarting per group.
// Run after changing it: npx tsx scripts/make-plan-fixtures.ts (the output is committed).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AlignmentType, Document, Packer, Paragraph, TextRun } from 'docx';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PLAN_DOCX_FIXTURE = path.resolve(repoRoot, 'tests/fixtures/plans/zengdu-2022-excerpt.docx');

// Official-document fonts (GB/T 9704): title in 方正小标宋简体, body in 仿宋_GB2312, 三号 (16 pt).
const TITLE_FONT = '方正小标宋简体';
const BODY_FONT = '仿宋_GB2312';
const BODY_SIZE = 32; // half-points

function title(...lines: string[]): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    children: lines.map((text, index) => new TextRun({ text, font: TITLE_FONT, size: 44, break: index > 0 ? 1 : 0 })),
  });
}

/** A body paragraph; several strings become several runs, as Word splits them while editing. */
function body(...runs: string[]): Paragraph {
  return new Paragraph({
    indent: { firstLine: 640 },
    children: runs.map((text) => new TextRun({ text, font: BODY_FONT, size: BODY_SIZE })),
  });
}

function right(text: string): Paragraph {
  return new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text, font: BODY_FONT, size: BODY_SIZE })] });
}

const paragraphs = [
  title('随州市曾都区科学技术和经济信息化局'),
  title('关于印发《曾都区 2022 年度科技和经信', '工作要点》的通知'),
  new Paragraph({ children: [new TextRun({ text: '各镇、街道、管委会经发办，局机关各股室，区科技创新促进中心：', font: BODY_FONT, size: BODY_SIZE })] }),
  body('现将《曾都区 2022 年度科技和经信工作要点》印发给你们，请结合实际，认真贯彻执行。'),
  right('随州市曾都区科学技术和经济信息化局'),
  right('2022年2月11日'),
  title('曾都区2022年度科技和经信工作要点'),
  body(
    '主要目标：通过创新型县（市、区）验收评审，力争全年建设省级新型研发机构 3 个以上，认定高新技术企业 30 家，高新技术产业增加值同比增长 1',
    '2%以上。全区规模以上工业产值增幅超过 13%，增加值增长 10%左右，新增规上工业企业 20 家，确保全区工业经济运行在合理区间。',
  ),
  body('一、围绕目标任务抓运行调度'),
  body(
    '1．抓好首季开局。按照“四能四则”（能开则开、能早则早、能多则多、能快则快）要求，计划前排、工作前推、进度前赶。',
    '抓好节后开工调度，提前做好企业用能、用工等要素保障，组织企业迅速恢复生产，确保一季度规上工业增加值增长 12%。',
  ),
  body('2．抓好任务分解。根据省、市、区任务要求，层层分解目标至各地、各企业。强化目标督办，实施排序通报、分片督导。'),
  body('二、围绕做多做强抓企业培育'),
  body(
    '1．实施中小企业成长工程。建立企业培育梯队，着力推动企业进规升级、规模壮大。',
    '力争新增规模以上工业企业 20 家、产值过亿元企业 10 家、过十亿元企业 2 家，支持程力集团产值突破 100 亿元。',
  ),
  body('2．实施专精特新培育工程。全年力争认定国家级专精特新小巨人 2 家以上，省级“隐形冠军”2家以上，省级“专精特新”小巨人 5家以上。'),
  new Paragraph({ children: [new TextRun({ text: '抄报：区委、区人大常委会、区政府、区政协，市科技局、市经信局', font: BODY_FONT, size: 28 })] }),
];

const document = new Document({ sections: [{ children: paragraphs }] });
writeFileSync(PLAN_DOCX_FIXTURE, await Packer.toBuffer(document));
console.log(`wrote ${path.relative(repoRoot, PLAN_DOCX_FIXTURE)}`);
