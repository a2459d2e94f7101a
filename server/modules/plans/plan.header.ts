// The covering notice around a work plan: issuing body, notice title (关于印发《…》的通知),
// addressees, the date under the signature, the plan's own title, and the 抄报/抄送 trailer.
// Finds where the plan's body starts and ends; everything outside is not part of the plan.
import { endsSentence, isShortLine, matchGroupMarker, matchItemMarker, matchSectionLabel, type Layout } from './plan.layout.ts';
import { compact, joinLines, parseDateLine, type PlanLine } from './plan.text.ts';

/** The header fields of a notice and the range of lines holding the plan itself. */
export interface PlanHeader {
  readonly title: string | null;
  readonly noticeTitle: string | null;
  readonly issuer: string | null;
  readonly date: string | null;
  readonly bodyStart: number;
  readonly bodyEnd: number;
}

// A notice title starts with 关于 near the top and ends with the document type, within a few
// lines (it is often split: `关于印发《曾都区 2022 年度科技和经信` / `工作要点》的通知`).
const NOTICE_START = /^关于/u;
const NOTICE_END = /(?:通知|意见|决定|通报|批复|函)$/u;
const NOTICE_SEARCH_LINES = 12;
const TITLE_MAX_LINES = 4;
// An issuing body on a line of its own: Chinese name ending in an organisation word; a red-head
// `…文件` is the same body.
const ORGANISATION =
  /^[\p{Script=Han}（）()·]{2,40}?(?:局|委员会|委|政府|办公室|办公厅|厅|部|中心|院|公司|管委会|办|处|所|站)(?:文件)?$/u;
// The plan's own title ends with the kind of document it is.
const TITLE_END = /(?:要点|计划|方案|安排|意见|规划|纲要|措施|细则|办法|清单|任务|思路|报告|总结|通知)$/u;
// Distribution lists after the plan: 抄报：区委…, 抄送：…, 印发：…
const TRAILER = /^(?:抄报|抄送|印发|主送|分送|报送|发送)\s*[：:]/u;

function startsStructure(text: string): boolean {
  return (
    matchGroupMarker(text) !== null ||
    matchSectionLabel(text) !== null ||
    matchItemMarker(text, 'arabic-dot') !== null ||
    matchItemMarker(text, 'paren-han') !== null
  );
}

function organisation(text: string): string | null {
  return ORGANISATION.test(text) ? text.replace(/文件$/u, '') : null;
}

function findNoticeTitle(lines: readonly PlanLine[]): { start: number; end: number; text: string } | null {
  const limit = Math.min(lines.length, NOTICE_SEARCH_LINES);
  for (let start = 0; start < limit; start++) {
    if (!NOTICE_START.test(lines[start]?.text ?? '')) continue;
    for (let end = start + 1; end <= Math.min(lines.length, start + TITLE_MAX_LINES); end++) {
      const text = joinLines(lines.slice(start, end).map((line) => line.text));
      if (NOTICE_END.test(text)) return { start, end, text };
      if (/[。；！？]/u.test(text)) break;
    }
  }
  return null;
}

/** Where the lines from `from` on spell `title` (spacing and line breaks aside). */
function findTitleLines(lines: readonly PlanLine[], title: string, from: number): { start: number; end: number; text: string } | null {
  const wanted = compact(title);
  for (let start = from; start < lines.length; start++) {
    let joined = '';
    for (let end = start + 1; end <= Math.min(lines.length, start + TITLE_MAX_LINES); end++) {
      joined += compact(lines[end - 1]?.text ?? '');
      if (joined === wanted) return { start, end, text: joinLines(lines.slice(start, end).map((line) => line.text)) };
      if (!wanted.startsWith(joined)) break;
    }
  }
  return null;
}

/**
 * A plan without a covering notice starts with its title: one to four lines without sentence
 * punctuation ending in 要点, 计划, 方案 …, or a single short first line followed by more text.
 */
function findOwnTitle(lines: readonly PlanLine[], from: number, layout: Layout): { end: number; text: string } | null {
  for (let end = from + 1; end <= Math.min(lines.length, from + TITLE_MAX_LINES); end++) {
    const last = lines[end - 1];
    if (!last || startsStructure(last.text) || parseDateLine(last.text)) break;
    const text = joinLines(lines.slice(from, end).map((line) => line.text));
    if (/[。！？；，：]/u.test(text)) break;
    if (TITLE_END.test(text)) return { end, text };
  }
  const first = lines[from];
  const titleLike =
    first && !startsStructure(first.text) && !/[。！？；，：]/u.test(first.text) && !parseDateLine(first.text) && from + 1 < lines.length;
  const short = first && (layout.wrapped ? isShortLine(first, layout) && first.width <= 0.75 * layout.wrapWidth : first.width <= 80);
  return titleLike && short ? { end: from + 1, text: first.text } : null;
}

/**
 * Read the covering notice and the plan's title, and say which lines are the plan's body.
 * With a notice (`关于印发《X》的通知`) the title is X as repeated above the plan (or X itself
 * when the plan does not repeat it); the issuer is the body named above the notice title or
 * signing it; the date is the date-only line under the signature. A plan without notice may
 * still end with a signature and date; both are taken out of the body.
 */
export function readHeader(lines: readonly PlanLine[], layout: Layout): PlanHeader {
  let title: string | null = null;
  let noticeTitle: string | null = null;
  let issuer: string | null = null;
  let date: string | null = null;
  let bodyStart = 0;
  let bodyEnd = lines.findIndex((line, index) => index > 0 && TRAILER.test(line.text));
  if (bodyEnd < 0) bodyEnd = lines.length;

  const notice = findNoticeTitle(lines);
  if (notice) {
    noticeTitle = notice.text;
    issuer = lines.slice(0, notice.start).map((line) => organisation(line.text)).find((name) => name !== null) ?? null;
    const dateIndex = lines.findIndex((line, index) => index >= notice.end && parseDateLine(line.text) !== null);
    if (dateIndex >= 0) {
      date = parseDateLine(lines[dateIndex]?.text ?? '');
      issuer ??= organisation(lines[dateIndex - 1]?.text ?? '');
    }
    const named = /《(.+?)》/u.exec(noticeTitle)?.[1] ?? null;
    const repeated = named ? findTitleLines(lines, named, dateIndex >= 0 ? dateIndex + 1 : notice.end) : null;
    title = repeated?.text ?? (named ? joinLines([named]) : null);
    bodyStart = repeated?.end ?? (dateIndex >= 0 ? dateIndex + 1 : notice.end);
  } else {
    const first = lines[0];
    const headIssuer = first && lines.length > 2 ? organisation(first.text) : null;
    const from = headIssuer ? 1 : 0;
    const own = findOwnTitle(lines, from, layout);
    if (own) {
      title = own.text;
      issuer = headIssuer;
      bodyStart = own.end;
      const dated = parseDateLine(lines[bodyStart]?.text ?? '');
      if (dated) {
        date = dated;
        bodyStart += 1;
      }
    }
  }

  // A signature and date closing the plan: `随州市曾都区科学技术和经济信息化局` / `2022 年 2 月 11 日`.
  const closingDate = bodyEnd > bodyStart ? parseDateLine(lines[bodyEnd - 1]?.text ?? '') : null;
  if (closingDate) {
    date ??= closingDate;
    bodyEnd -= 1;
    const signer = bodyEnd > bodyStart ? organisation(lines[bodyEnd - 1]?.text ?? '') : null;
    const previous = lines[bodyEnd - 2];
    if (signer && (!previous || endsSentence(previous.text) || layout.wrapped === false)) {
      issuer ??= signer;
      bodyEnd -= 1;
    }
  }
  return { title, noticeTitle, issuer, date, bodyStart, bodyEnd: Math.max(bodyStart, bodyEnd) };
}
