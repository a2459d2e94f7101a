// The plan tree's arithmetic, pure: progress rolls up from children (plain mean or weighted by
// each child's weight), and traffic lights compare progress with the time elapsed, overdue
// milestones and missing reports; a parent shows its worst child.
import type { PlanLight, PlanRollup } from '#common/contracts/plans.ts';

export type TreeInput = {
  id: string;
  parentId: string | null;
  status: string;
  /** The node's own progress 0–100 (used where it has no children). */
  progress: number;
  weight: string;
  rollup: PlanRollup;
  overdueMilestones: number;
  /** Assigned units without a report for the period. */
  missingReports: number;
};

export type TreeFigures = { progress: number; light: PlanLight };

/** Lights from worst to best; grey (suspended) counts only when every child is suspended. */
const SEVERITY: Record<PlanLight, number> = { red: 3, yellow: 2, green: 1, grey: 0 };

/**
 * Rolled-up progress (one decimal) and light of every node. `expectedProgress` is the share of
 * the plan year elapsed at the end of the period (0–100): a leaf more than 30 points behind it
 * is red, more than 15 behind (or with an assigned unit not reported) yellow; an overdue
 * milestone makes it red; a done item is green whatever its dates.
 */
export function computeTree(nodes: readonly TreeInput[], expectedProgress: number): Map<string, TreeFigures> {
  const children = new Map<string | null, TreeInput[]>();
  for (const node of nodes) {
    const list = children.get(node.parentId) ?? [];
    list.push(node);
    children.set(node.parentId, list);
  }
  const out = new Map<string, TreeFigures>();
  const visit = (node: TreeInput): TreeFigures => {
    const kids = children.get(node.id) ?? [];
    let figures: TreeFigures;
    if (kids.length === 0) figures = leafFigures(node, expectedProgress);
    else {
      const results = kids.map((kid) => ({ kid, figures: visit(kid) }));
      figures = { progress: rollUp(node.rollup, results.map((r) => ({ progress: r.figures.progress, weight: Number(r.kid.weight) }))), light: worst(results.map((r) => r.figures.light)) };
      if (node.status === 'suspended') figures.light = 'grey';
      else if (node.overdueMilestones > 0) figures.light = 'red';
    }
    out.set(node.id, figures);
    return figures;
  };
  for (const root of children.get(null) ?? []) visit(root);
  return out;
}

function leafFigures(node: TreeInput, expected: number): TreeFigures {
  const progress = node.status === 'done' ? 100 : clamp(node.progress);
  if (node.status === 'suspended') return { progress, light: 'grey' };
  if (node.status === 'done' || progress >= 100) return { progress, light: 'green' };
  if (node.overdueMilestones > 0) return { progress, light: 'red' };
  const gap = expected - progress;
  if (gap > 30) return { progress, light: 'red' };
  if (gap > 15 || node.missingReports > 0) return { progress, light: 'yellow' };
  return { progress, light: 'green' };
}

/** The mean of the children's progress, or weighted by their weights (all-zero weights: the mean). */
export function rollUp(method: PlanRollup, children: readonly { progress: number; weight: number }[]): number {
  if (children.length === 0) return 0;
  const totalWeight = children.reduce((sum, c) => sum + (Number.isFinite(c.weight) && c.weight > 0 ? c.weight : 0), 0);
  if (method === 'weighted' && totalWeight > 0) {
    return round1(children.reduce((sum, c) => sum + c.progress * (c.weight > 0 ? c.weight : 0), 0) / totalWeight);
  }
  return round1(children.reduce((sum, c) => sum + c.progress, 0) / children.length);
}

export function worst(lights: readonly PlanLight[]): PlanLight {
  const live = lights.filter((l) => l !== 'grey');
  if (live.length === 0) return lights.length ? 'grey' : 'green';
  return live.reduce((a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a));
}

function clamp(value: number): number {
  return Math.max(0, Math.min(100, value));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
