/**
 * Negatives for the sampled protocols (1 positive + N negatives): N distinct items drawn
 * uniformly from the items the user has not interacted with (history and target excluded).
 * Drawn once per case from the run's seed, so every model is ranked against the same items.
 */
export function drawNegatives(itemCount: number, count: number, excluded: ReadonlySet<number>, random: () => number): Int32Array {
  const available = itemCount - [...excluded].filter((i) => i >= 0 && i < itemCount).length;
  const want = Math.min(count, Math.max(0, available));
  const chosen = new Set<number>();
  if (want > available / 2) {
    // Dense request: shuffle the candidates rather than rejection-sample forever.
    const candidates: number[] = [];
    for (let i = 0; i < itemCount; i++) if (!excluded.has(i)) candidates.push(i);
    for (let i = 0; i < want; i++) {
      const j = i + Math.floor(random() * (candidates.length - i));
      [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
    }
    return Int32Array.from(candidates.slice(0, want));
  }
  const out = new Int32Array(want);
  let filled = 0;
  while (filled < want) {
    const i = Math.floor(random() * itemCount);
    if (excluded.has(i) || chosen.has(i)) continue;
    chosen.add(i);
    out[filled++] = i;
  }
  return out;
}
