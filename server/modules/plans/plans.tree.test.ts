import { describe, expect, it } from 'vitest';
import { computeTree, rollUp } from '#server/modules/plans/plans.tree.ts';
import type { TreeInput } from '#server/modules/plans/plans.tree.ts';

const node = (id: string, parentId: string | null, over: Partial<TreeInput> = {}): TreeInput => ({
  id,
  parentId,
  status: 'in_progress',
  progress: 0,
  weight: '1',
  rollup: 'average',
  overdueMilestones: 0,
  missingReports: 0,
  ...over,
});

describe('progress roll-up', () => {
  it('a parent averages its children, and the grandparent averages the parents', () => {
    const tree = computeTree(
      [node('g', null), node('i1', 'g'), node('i2', 'g'), node('s1', 'i1', { progress: 100 }), node('s2', 'i1', { progress: 50 }), node('i2x', 'i2', { progress: 30 })],
      50,
    );
    expect(tree.get('i1')!.progress).toBe(75);
    expect(tree.get('i2')!.progress).toBe(30);
    expect(tree.get('g')!.progress).toBe(52.5);
  });

  it('weighted roll-up follows the children’s weights', () => {
    const tree = computeTree([node('p', null, { rollup: 'weighted' }), node('a', 'p', { progress: 100, weight: '3' }), node('b', 'p', { progress: 0, weight: '1' })], 50);
    expect(tree.get('p')!.progress).toBe(75);
  });

  it('a parent’s own progress is ignored once it has children; a done child counts as 100', () => {
    const tree = computeTree([node('p', null, { progress: 90 }), node('a', 'p', { progress: 20, status: 'done' }), node('b', 'p', { progress: 40 })], 50);
    expect(tree.get('p')!.progress).toBe(70);
  });

  it('all-zero weights fall back to the plain mean', () => {
    expect(rollUp('weighted', [{ progress: 10, weight: 0 }, { progress: 30, weight: 0 }])).toBe(20);
  });
});

describe('traffic lights', () => {
  it('green on pace, yellow more than 15 points behind or unreported, red more than 30 behind or overdue', () => {
    const tree = computeTree(
      [
        node('ok', null, { progress: 45 }),
        node('behind', null, { progress: 30 }),
        node('silent', null, { progress: 50, missingReports: 1 }),
        node('far', null, { progress: 10 }),
        node('overdue', null, { progress: 90, overdueMilestones: 1 }),
        node('done', null, { status: 'done', overdueMilestones: 1 }),
        node('paused', null, { status: 'suspended' }),
      ],
      50,
    );
    expect(Object.fromEntries([...tree].map(([id, f]) => [id, f.light]))).toEqual({
      ok: 'green',
      behind: 'yellow',
      silent: 'yellow',
      far: 'red',
      overdue: 'red',
      done: 'green',
      paused: 'grey',
    });
  });

  it('a parent shows its worst child; suspended children do not colour it', () => {
    const tree = computeTree([node('p', null), node('a', 'p', { progress: 60 }), node('b', 'p', { progress: 20 }), node('c', 'p', { status: 'suspended' })], 50);
    expect(tree.get('p')!.light).toBe('yellow');
  });
});
