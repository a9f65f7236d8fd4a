/**
 * Top-k selection over a score array, in O(n log k) with a min-heap.
 * Ties break towards the lower index so results are deterministic across backends
 * whose scores agree; NaN and -Infinity never win a slot.
 */
export interface Ranked {
  index: number;
  score: number;
}

function worse(a: Ranked, b: Ranked): boolean {
  return a.score < b.score || (a.score === b.score && a.index > b.index);
}

export function topK(scores: ArrayLike<number>, k: number, skip?: (index: number) => boolean): Ranked[] {
  const limit = Math.max(0, Math.floor(k));
  if (limit === 0) return [];
  const heap: Ranked[] = [];
  const siftDown = (start: number) => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < heap.length && worse(heap[l]!, heap[w]!)) w = l;
      if (r < heap.length && worse(heap[r]!, heap[w]!)) w = r;
      if (w === i) return;
      [heap[i], heap[w]] = [heap[w]!, heap[i]!];
      i = w;
    }
  };
  for (let index = 0; index < scores.length; index++) {
    const score = scores[index]!;
    if (!(score > -Infinity) || skip?.(index)) continue;
    const entry = { index, score };
    if (heap.length < limit) {
      heap.push(entry);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (worse(heap[0]!, entry)) {
      heap[0] = entry;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}
