// Reads a work-plan notice (text pasted, extracted from .docx or PDF) into its structure:
// header, overview, main targets, groups of numbered work points, and target candidates.
import type { ParsedPlan, PlanGroup, PlanItem, PlanTarget } from '#common/contracts/plans.ts';
import { readHeader } from './plan.header.ts';
import {
  ITEM_STYLES,
  detectLayout,
  endsParagraph,
  inlineMainTargetsAt,
  isHeadingLine,
  matchGroupMarker,
  matchItemMarker,
  matchSectionLabel,
  type ItemStyle,
  type Layout,
  type Marker,
} from './plan.layout.ts';
import { extractTargets } from './plan.targets.ts';
import { displayWidth, joinLines, toPlanLines, type PlanLine } from './plan.text.ts';

/** Lines gathered into paragraphs as they come; `closed` ends the open paragraph at its line. */
interface Block {
  paragraphs: string[];
  open: string[];
  last: PlanLine | null;
  closed: boolean;
}

interface NumberedBlock {
  number: number;
  label: string;
  block: Block;
}

interface GroupDraft extends NumberedBlock {
  head: Block;
  items: NumberedBlock[];
  style: ItemStyle | null;
}

/** Where the lines go: before the groups (overview, main targets) or into a group. */
type Mode = 'preamble' | 'overviewSection' | 'mainTargets' | 'group';

interface ReadState {
  mode: Mode;
  overview: Block;
  mainTargets: Block[];
  /** A numbered list before the first group: main targets when groups follow, else items. */
  preGroupList: NumberedBlock[];
  /** A numbered list under a 主要目标 label or heading. */
  mainTargetList: NumberedBlock[];
  groups: GroupDraft[];
  current: Block;
  lastGroupNumber: number;
  /** The last item number per style across the plan, for numbering that continues across groups. */
  lastItemNumber: Map<ItemStyle, number>;
}

function newBlock(): Block {
  return { paragraphs: [], open: [], last: null, closed: false };
}

function flush(block: Block): void {
  if (block.open.length > 0) block.paragraphs.push(joinLines(block.open));
  block.open = [];
  block.closed = false;
}

function addLine(block: Block, line: PlanLine, layout: Layout, closeAfter = false): void {
  if (block.last && block.open.length > 0 && (block.closed || endsParagraph(block.last, layout))) flush(block);
  block.open.push(line.text);
  block.last = line;
  block.closed = closeAfter;
}

function paragraphsOf(block: Block): string[] {
  flush(block);
  return block.paragraphs.filter((paragraph) => paragraph !== '');
}

/**
 * Start a block with the text after a marker or label; a short heading closes its paragraph at
 * once. Shortness is judged on the whole line, marker included, as the page showed it.
 */
function startBlock(rest: string, line: PlanLine, layout: Layout): Block {
  const block = newBlock();
  if (rest !== '') addLine(block, { text: rest, width: displayWidth(rest) }, layout, isHeadingLine(rest, line.width, layout));
  return block;
}

// A marker is accepted when its number follows on: the next number, one more if the author
// skipped one, or 1 (restarting). This keeps a wrapped line that happens to start with `2.`
// or `二、` inside its sentence.
function follows(number: number, last: number): boolean {
  return number > last && number <= last + 2;
}

function matchNextItem(text: string, state: ReadState, group: GroupDraft | null, list: NumberedBlock[]): { style: ItemStyle; marker: Marker } | null {
  const styles = group?.style ? [group.style] : ITEM_STYLES;
  for (const style of styles) {
    const marker = matchItemMarker(text, style);
    if (!marker) continue;
    const lastInBlock = (group ? group.items : list).at(-1)?.number;
    const continuing = state.lastItemNumber.get(style) ?? 0;
    const ok = lastInBlock === undefined ? marker.number === 1 || (group !== null && marker.number === continuing + 1) : follows(marker.number, lastInBlock);
    if (ok) return { style, marker };
  }
  return null;
}

/** Stripped of its trailing punctuation, a title as a heading shows it. */
function headingText(text: string): string {
  return text.replace(/[\s：:，、；。]+$/u, '');
}

function readLine(line: PlanLine, state: ReadState, layout: Layout): void {
  const groupMarker = matchGroupMarker(line.text);
  if (groupMarker && (state.lastGroupNumber === 0 || follows(groupMarker.number, state.lastGroupNumber))) {
    state.lastGroupNumber = groupMarker.number;
    // `一、总体要求` and `二、主要目标` are the opening sections written as groups.
    const section = matchSectionLabel(headingText(groupMarker.rest));
    if (section?.section === 'overview' && state.groups.length === 0) {
      state.mode = 'overviewSection';
      state.current = state.overview;
      if (section.rest !== '') addLine(state.overview, { text: section.rest, width: displayWidth(section.rest) }, layout);
      return;
    }
    if (section?.section === 'mainTargets' && state.groups.length === 0) {
      state.mode = 'mainTargets';
      state.current = startBlock(section.rest, line, layout);
      state.mainTargets.push(state.current);
      return;
    }
    const head = startBlock(groupMarker.rest, line, layout);
    state.groups.push({ number: groupMarker.number, label: groupMarker.label, block: head, head, items: [], style: null });
    state.mode = 'group';
    state.current = head;
    return;
  }

  const group = state.mode === 'group' ? (state.groups.at(-1) ?? null) : null;
  if (state.mode !== 'overviewSection') {
    const list = state.mode === 'mainTargets' ? state.mainTargetList : state.preGroupList;
    const item = matchNextItem(line.text, state, group, list);
    if (item) {
      const entry = { number: item.marker.number, label: item.marker.label, block: startBlock(item.marker.rest, line, layout) };
      state.current = entry.block;
      if (group) {
        group.style = item.style;
        group.items.push(entry);
        state.lastItemNumber.set(item.style, item.marker.number);
      } else {
        list.push(entry);
        if (state.mode === 'mainTargets') state.mainTargets.push(entry.block);
      }
      return;
    }
  }

  if (state.mode === 'preamble' || state.mode === 'mainTargets') {
    const label = matchSectionLabel(line.text);
    if (label?.section === 'overview') {
      state.mode = 'preamble';
      state.current = state.overview;
      addLine(state.overview, line, layout, label.rest === '');
      return;
    }
    if (label?.section === 'mainTargets') {
      state.mode = 'mainTargets';
      state.current = startBlock(label.rest, line, layout);
      state.mainTargets.push(state.current);
      return;
    }
  }
  addLine(state.current, line, layout);
}

/** The text up to the first 。 (or ！？; failing those ；：), without it. */
function titleOf(paragraph: string): string {
  const sentence = /^(.*?)[。！？]/u.exec(paragraph) ?? /^(.*?)[；：]/u.exec(paragraph);
  return headingText(sentence?.[1] ?? paragraph);
}

function toItem(number: number, label: string, paragraphs: string[]): PlanItem {
  const text = paragraphs.join('\n');
  return { number, label, title: titleOf(paragraphs[0] ?? ''), text, targets: extractTargets(text) };
}

function toGroup(draft: GroupDraft): PlanGroup {
  const [heading = '', ...more] = paragraphsOf(draft.head);
  const title = titleOf(heading);
  // What follows the heading's first sentence, and paragraphs before the first numbered item,
  // stay in the group as an unnumbered item (number 0) rather than being lost.
  const end = /[。！？]/u.exec(heading);
  const intro = [end ? heading.slice(end.index + 1).trim() : '', ...more].filter((paragraph) => paragraph !== '');
  const items = draft.items.map((item) => toItem(item.number, item.label, paragraphsOf(item.block)));
  if (intro.length > 0) items.unshift(toItem(0, '', intro));
  return { number: draft.number, label: draft.label, title, items };
}

function mainTargetsOf(paragraphs: readonly string[]): PlanTarget[] {
  return paragraphs.flatMap((paragraph) => extractTargets(paragraph, { everySentence: true }));
}

/**
 * Parse the text of a work-plan notice. Pure and total: any text gives a plan (possibly with
 * no groups); nothing of the plan's body is dropped — text that fits no section stays in the
 * overview, in a group's unnumbered item or in an item's text. The covering notice's addressees
 * and body, page numbers and the 抄报 trailer are not part of the plan and are left out.
 */
export function parsePlanText(text: string): ParsedPlan {
  const lines = toPlanLines(text);
  const layout = detectLayout(lines);
  const header = readHeader(lines, layout);
  const overview = newBlock();
  const state: ReadState = {
    mode: 'preamble',
    overview,
    mainTargets: [],
    preGroupList: [],
    mainTargetList: [],
    groups: [],
    current: overview,
    lastGroupNumber: 0,
    lastItemNumber: new Map(),
  };
  for (const line of lines.slice(header.bodyStart, header.bodyEnd)) readLine(line, state, layout);

  // `…贡献。主要目标是：…` inside an overview paragraph: the rest is the main targets.
  const overviewParagraphs: string[] = [];
  const inlineTargets: string[] = [];
  for (const paragraph of paragraphsOf(state.overview)) {
    const inline = inlineMainTargetsAt(paragraph);
    if (inline.at < 0) overviewParagraphs.push(paragraph);
    else {
      overviewParagraphs.push(paragraph.slice(0, inline.at));
      inlineTargets.push(paragraph.slice(inline.rest));
    }
  }
  const listIsTargets = state.groups.length > 0 || state.mainTargets.length > 0 || inlineTargets.length > 0;
  const mainTargets = [
    ...mainTargetsOf(inlineTargets),
    ...state.mainTargets.flatMap((block) => mainTargetsOf(paragraphsOf(block))),
    ...(listIsTargets ? state.preGroupList.flatMap((entry) => mainTargetsOf(paragraphsOf(entry.block))) : []),
  ];
  const groups = state.groups.map(toGroup);
  if (!listIsTargets && state.preGroupList.length > 0) {
    groups.unshift({
      number: 0,
      label: '',
      title: '',
      items: state.preGroupList.map((entry) => toItem(entry.number, entry.label, paragraphsOf(entry.block))),
    });
  }
  return {
    title: header.title,
    noticeTitle: header.noticeTitle,
    issuer: header.issuer,
    date: header.date,
    overview: overviewParagraphs.join('\n'),
    mainTargets,
    groups,
  };
}
