/**
 * Turns histories into the padded integer arrays the sequence models read. Pure (no tfjs), so
 * training, scoring and the worker build exactly the same inputs.
 *
 * Token 0 is padding; item index i (row i of the catalog) is token i + 1. Sequences are
 * left-padded so the newest event always sits in the last column.
 */

/** One user's events, oldest first: catalog indices and a small integer "signal" per event. */
export interface EncodedHistory {
  items: Int32Array;
  /** Rating / event-type bucket per event (see signalBucket); 0 is reserved for padding. */
  signals: Int32Array;
}

/**
 * Star ratings 0.5–5 → buckets 1–10; other event types get their own buckets after them, so
 * the behaviour tower can learn that a 1-star rating is not a purchase.
 */
export const SIGNAL_BUCKETS = 17;
/** The stars a like stands for wherever a model reads stars (the towers' signal buckets). */
export const LIKE_STARS = 5;
/**
 * The stars a dislike stands for there: 1★, what the demo's Dislike button stored before the
 * event existed and the mark profile.ts weighs a dislike as (−1). Not the dismissal bucket: the
 * shipped towers were trained on MovieLens ratings only, so that bucket's embedding never learnt.
 */
export const DISLIKE_STARS = 1;
const EVENT_BUCKET: Record<string, number> = { view: 11, click: 12, cart: 13, purchase: 14, dismiss: 15, rating: 16 };

export function signalBucket(type: string, value: number | undefined): number {
  // A like is the top rating's bucket: the towers were trained on MovieLens stars, where a like
  // is what 5★ means, so they read it without retraining (docs/history.md).
  if (type === 'like') return signalBucket('rating', LIKE_STARS);
  if (type === 'dislike') return signalBucket('rating', DISLIKE_STARS);
  if (type === 'rating' && value !== undefined && Number.isFinite(value)) {
    return Math.min(10, Math.max(1, Math.round(value * 2)));
  }
  return EVENT_BUCKET[type] ?? EVENT_BUCKET.view!;
}

export interface InputBatch {
  batch: number;
  len: number;
  /** [batch × len] tokens (item + 1, 0 = padding). */
  tokens: Int32Array;
  signals: Int32Array;
  /** [batch × len] 1 for a real event, 0 for padding. */
  valid: Float32Array;
}

/** The last `len` events of each history, left-padded (for scoring: the output at column len−1). */
export function inputBatch(histories: readonly EncodedHistory[], len: number): InputBatch {
  const batch = histories.length;
  const tokens = new Int32Array(batch * len);
  const signals = new Int32Array(batch * len);
  const valid = new Float32Array(batch * len);
  histories.forEach((h, b) => {
    const n = Math.min(len, h.items.length);
    const start = h.items.length - n;
    for (let k = 0; k < n; k++) {
      const col = len - n + k;
      tokens[b * len + col] = h.items[start + k]! + 1;
      signals[b * len + col] = h.signals[start + k]!;
      valid[b * len + col] = 1;
    }
  });
  return { batch, len, tokens, signals, valid };
}

export interface TrainingBatch extends InputBatch {
  /** [batch × len] the next item's token at each column (0 = no target here). */
  targets: Int32Array;
  /** For column c of row b, the index in the user's full history of the event at c (−1 = padding). */
  eventIndex: Int32Array;
}

/**
 * Next-item training pairs over the most recent `len` events: the event in each column
 * predicts the next one; the newest event has no next item (target 0) but stays in, because
 * its step is the behaviour view of "history + latest choice" that the *why* loss aligns.
 * `lossWindow` keeps targets only in the last columns.
 */
export function trainingBatch(histories: readonly EncodedHistory[], len: number, lossWindow = len): TrainingBatch {
  return pairBatch(histories, len, false, (col) => col >= len - 1 - lossWindow);
}

/**
 * Next-item pairs as SASRec trains them: the inputs are every event but the newest, right-aligned,
 * and column c's target is the event after it, so the *last* column (the one scoring reads) is
 * trained too. (trainingBatch keeps the newest event in without a target, for the *why* loss;
 * a SASRec trained that way never fits the position embedding that scoring uses.)
 * Histories longer than len + 1 keep their newest len + 1 events; see historyWindows for the rest.
 */
export function nextItemBatch(histories: readonly EncodedHistory[], len: number): TrainingBatch {
  return pairBatch(histories, len, true, () => true);
}

/**
 * What both builders share: each history's newest `len` inputs (all but the newest event when
 * `dropNewest`), right-aligned; column col's target is the event after its input, where there is
 * one and `trained(col)` says so.
 */
function pairBatch(histories: readonly EncodedHistory[], len: number, dropNewest: boolean, trained: (col: number) => boolean): TrainingBatch {
  const batch = histories.length;
  const tokens = new Int32Array(batch * len);
  const signals = new Int32Array(batch * len);
  const valid = new Float32Array(batch * len);
  const targets = new Int32Array(batch * len);
  const eventIndex = new Int32Array(batch * len).fill(-1);
  histories.forEach((h, b) => {
    const n = h.items.length;
    if (n < 2) return;
    const end = dropNewest ? n - 1 : n;
    const kept = Math.min(len, end);
    const start = end - kept;
    for (let k = 0; k < kept; k++) {
      const col = len - kept + k;
      const at = b * len + col;
      tokens[at] = h.items[start + k]! + 1;
      signals[at] = h.signals[start + k]!;
      valid[at] = 1;
      eventIndex[at] = start + k;
      if (start + k + 1 < n && trained(col)) targets[at] = h.items[start + k + 1]! + 1;
    }
  });
  return { batch, len, tokens, signals, valid, targets, eventIndex };
}

/**
 * A history cut into windows of at most len + 1 events, newest first, overlapping by one event,
 * so that with nextItemBatch every transition of the history is trained exactly once per epoch
 * (not only the newest len, which for MovieLens' median of 71 ratings would drop a third).
 */
export function historyWindows(h: EncodedHistory, len: number): EncodedHistory[] {
  const out: EncodedHistory[] = [];
  for (let end = h.items.length; end >= 2; end -= len) {
    const start = Math.max(0, end - len - 1);
    out.push({ items: h.items.subarray(start, end), signals: h.signals.subarray(start, end) });
    if (start === 0) break;
  }
  return out;
}
