/**
 * The contrast rule for "but": valences before the first "but" are halved and those after
 * it are multiplied by 1.5.
 *
 * The reference finds the position of each valence by value (`list.index`) while it edits
 * the list, and this port reproduces the result exactly. For the k-th valence v, the
 * reference re-weights the first position that currently holds a value equal to v. That is
 * position k unless an earlier position has an equal value, for example after "lol but
 * okay" halves lol's 1.8 to 0.9, which equals okay's 0.9: okay's turn then halves lol
 * again and okay is never multiplied.
 *
 * The reference scans the list for each valence, which is quadratic. Here each distinct
 * value keeps a min-heap of the positions holding it, so the rule costs O(n log n) in the
 * worst case (many equal values) and O(n) when the nonzero values are distinct.
 */
import { AFTER_BUT_FACTOR, BEFORE_BUT_FACTOR } from './constants.ts';

/** Applies the rule in place when `lower` contains "but". `sentiments[i]` belongs to `lower[i]`. */
export function applyButRule(lower: readonly string[], sentiments: number[]): void {
  const butIndex = lower.indexOf('but');
  if (butIndex < 0) return;

  // Zero keeps its value under both factors, so zeros never change the list.
  const positionsByValue = new Map<number, number[]>();
  for (let k = 0; k < sentiments.length; k++) {
    const value = sentiments[k];
    if (value === 0) continue;
    // Positions after k are untouched so far, so position k still has its original value.
    const heap = heapFor(positionsByValue, value);
    heapPush(heap, k);
    const first = heapPop(heap);
    if (first === butIndex) {
      heapPush(heap, first);
      continue;
    }
    const weighted = value * (first < butIndex ? BEFORE_BUT_FACTOR : AFTER_BUT_FACTOR);
    sentiments[first] = weighted;
    heapPush(heapFor(positionsByValue, weighted), first);
  }
}

function heapFor(heaps: Map<number, number[]>, value: number): number[] {
  let heap = heaps.get(value);
  if (heap === undefined) {
    heap = [];
    heaps.set(value, heap);
  }
  return heap;
}

function heapPush(heap: number[], position: number): void {
  let child = heap.length;
  heap.push(position);
  while (child > 0) {
    const parent = (child - 1) >> 1;
    if (heap[parent] <= position) break;
    heap[child] = heap[parent];
    child = parent;
  }
  heap[child] = position;
}

function heapPop(heap: number[]): number {
  const top = heap[0];
  const last = heap.pop() as number;
  if (heap.length === 0) return top;
  let parent = 0;
  const length = heap.length;
  for (;;) {
    let child = 2 * parent + 1;
    if (child >= length) break;
    if (child + 1 < length && heap[child + 1] < heap[child]) child++;
    if (heap[child] >= last) break;
    heap[parent] = heap[child];
    parent = child;
  }
  heap[parent] = last;
  return top;
}
