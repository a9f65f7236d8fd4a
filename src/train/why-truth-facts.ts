/**
 * A second, independent reading of a headline against the raw events, for the truth report:
 * it shares no code with the claim checker (src/slm/grounding.ts) or the facts it reads
 * (src/core/history-facts.ts, profile.ts) — it recomputes each item's weight from the events
 * with the documented rules (docs: profile.ts header; a dismissal −1, else the latest verdict —
 * a like +1, a dislike −1 or a rating (stars − 3) / 2 —, else views .25, clicks .5, carts 1,
 * purchases 1.5, capped at 1.5; only `rating` events are ratings) and
 * re-derives every fact a sentence states. Where the two disagree, one of them is wrong, and
 * the report says so.
 */
import type { CatalogItem, PulseEvent } from '../core/types.ts';

interface Row {
  item: CatalogItem;
  weight: number;
  rating: number | undefined;
  /** The latest verdict is a like (then `rating` is undefined). */
  liked: boolean;
  carted: boolean;
  bought: boolean;
}

const IMPLICIT: Record<string, number> = { view: 0.25, click: 0.5, cart: 1, purchase: 1.5 };

function rows(history: readonly PulseEvent[], lookup: (id: string) => CatalogItem | undefined): Row[] {
  const byItem = new Map<string, PulseEvent[]>();
  for (const e of history) byItem.set(e.itemId, [...(byItem.get(e.itemId) ?? []), e]);
  const out: Row[] = [];
  for (const [id, events] of byItem) {
    const item = lookup(id);
    if (!item) continue;
    // The latest verdict: the last like, dislike or rating at the greatest time.
    let verdict: PulseEvent | undefined;
    let implicit = 0;
    for (const e of events) {
      if ((e.type === 'like' || e.type === 'dislike' || (e.type === 'rating' && e.value !== undefined)) && (verdict === undefined || e.ts >= verdict.ts)) verdict = e;
      implicit += IMPLICIT[e.type] ?? 0;
    }
    const rating = verdict?.type === 'rating' ? verdict.value : undefined;
    const liked = verdict?.type === 'like';
    const disliked = verdict?.type === 'dislike';
    const dismissed = events.some((e) => e.type === 'dismiss');
    const weight = dismissed ? -1 : liked ? 1 : disliked ? -1 : rating !== undefined ? (rating - 3) / 2 : Math.min(1.5, implicit);
    const bought = events.some((e) => e.type === 'purchase');
    out.push({ item, weight, rating, liked: liked && !dismissed, bought, carted: !bought && events.some((e) => e.type === 'cart') });
  }
  return out;
}

const split = (list: string): string[] => list.split(/, and |, | and /);

/** Every problem the independent reading finds in `text` (empty: all true). */
export function independentProblems(text: string, history: readonly PulseEvent[], lookup: (id: string) => CatalogItem | undefined): string[] {
  const all = rows(history, lookup);
  const liked = all.filter((r) => r.weight > 0);
  const likedWeight = liked.reduce((a, r) => a + r.weight, 0);
  const catCount = (c: string) => liked.filter((r) => r.item.categories.includes(c)).length;
  const catShare = (c: string) => liked.filter((r) => r.item.categories.includes(c)).reduce((a, r) => a + r.weight, 0) / likedWeight;
  const likedCats = [...new Set(liked.flatMap((r) => r.item.categories))];
  const majority = likedCats.filter((c) => catCount(c) * 2 > liked.length).sort((a, b) => catShare(b) - catShare(a));
  const dated = liked.filter((r) => r.item.year !== null);
  const decadeHolds = (d: string) => dated.filter((r) => `${Math.floor(r.item.year! / 10) * 10}s` === d).length * 2 > dated.length;
  const ratings = all.flatMap((r) => (r.rating === undefined ? [] : [r.rating]));
  const mean = ratings.reduce((a, b) => a + b, 0) / Math.max(1, ratings.length);
  const hasHabit = ratings.length >= 3 && new Set(ratings).size > 1;
  const avoidable = (c: string) => {
    const push = all.filter((r) => r.weight < 0 && r.item.categories.includes(c)).reduce((a, r) => a - r.weight, 0);
    const pull = liked.filter((r) => r.item.categories.includes(c)).reduce((a, r) => a + r.weight, 0);
    return push > pull && !majority.includes(c);
  };
  const quotes: string[] = [];
  const slotted = text.replace(/“([^”]*)”|"([^"]*)"/g, (_m, a: string | undefined, b: string | undefined) => `@${quotes.push((a ?? b ?? '').replace(/…$/, '').toLowerCase()) - 1}@`);
  const problems: string[] = [];
  const leaning: string[] = [];
  const titlesSeen = new Set<Row>();
  const findRow = (q: string) => all.find((r) => r.item.title.toLowerCase() === q || r.item.title.toLowerCase().replace(/\s+/g, ' ').startsWith(q));
  const habitFigure = (kind: string, fig: string) => {
    if (!hasHabit) return problems.push(`${kind}: no rating habit (${ratings.length} ratings)`);
    if (Math.abs(Number(fig) - mean) > 0.05 + 1e-9) return problems.push(`${kind}: ${fig}★ is not the mean ${mean.toFixed(2)}`);
    if (kind === 'generous' && mean < 4) problems.push(`generous with mean ${mean.toFixed(2)}`);
    if (kind === 'sparing' && mean > 3.2) problems.push(`sparing with mean ${mean.toFixed(2)}`);
    return 0;
  };
  for (const s of slotted.trim().split(/(?<=[.!?])\s+/)) {
    let m: RegExpExecArray | null;
    if ((m = /^Leans towards ([^@]+?)(?:, (?:mostly|often) from the (\d{4}s))?\.$/.exec(s))) {
      const named = split(m[1]!);
      leaning.push(...named);
      for (const c of named) if (!likedCats.includes(c)) problems.push(`leaning: ${c} is no liked item's`);
      if (new Set(named).size !== named.length) problems.push('leaning: a repeat');
      for (const c of majority) if (!named.includes(c)) problems.push(`leaning: ${c} (${catCount(c)}/${liked.length} liked) left out`);
      const firstOther = named.findIndex((c) => !majority.includes(c));
      if (firstOther >= 0 && named.slice(firstOther).some((c) => majority.includes(c))) problems.push('leaning: a shared category named after another');
      const leftOut = likedCats.filter((c) => !named.includes(c));
      const heaviest = Math.max(0, ...leftOut.map(catShare));
      for (const c of named) if (!majority.includes(c) && likedCats.includes(c) && catShare(c) + 1e-9 < heaviest) problems.push(`leaning: ${c} named over a heavier category`);
      if (m[2] && !decadeHolds(m[2])) problems.push(`era: ${m[2]} is not most liked titles' decade`);
    } else if ((m = /^Picks titles (?:mostly|often) from the (\d{4}s)\.$/.exec(s))) {
      if (!decadeHolds(m[1]!)) problems.push(`era: ${m[1]} is not most liked titles' decade`);
    } else if ((m = /^Favourites include (.+)\.$/.exec(s))) {
      const parts = m[1]!.split(/, and |, | and /);
      for (const part of parts) {
        const p = /^@(\d+)@(?: \(([^()]*)\))?$/.exec(part);
        if (!p) {
          problems.push(`favourites: “${part}” is not a title`);
          continue;
        }
        const row = findRow(quotes[Number(p[1])]!);
        if (!row) {
          problems.push(`favourites: “${quotes[Number(p[1])]}” not in the history`);
          continue;
        }
        if (titlesSeen.has(row)) problems.push(`favourites: ${row.item.title} twice`);
        titlesSeen.add(row);
        if (row.weight < 0.5) problems.push(`favourites: ${row.item.title} has weight ${row.weight}`);
        const note = p[2];
        if (note === undefined) continue;
        if (/★$/.test(note) && Number(note.slice(0, -1)) !== row.rating) problems.push(`favourites: ${row.item.title} ${note} vs ${row.rating}`);
        else if (/^\d{4}$/.test(note) && Number(note) !== row.item.year) problems.push(`favourites: ${row.item.title} year ${note}`);
        else if (note === 'added to cart' && (row.rating !== undefined || row.liked || !row.carted)) problems.push(`favourites: ${row.item.title} not carted`);
        else if (note === 'bought' && (row.rating !== undefined || row.liked || !row.bought)) problems.push(`favourites: ${row.item.title} not bought`);
        else if (note === 'liked' && !row.liked) problems.push(`favourites: ${row.item.title} not liked (a like event)`);
        else if (!/★$|^\d{4}$|^added to cart$|^bought$|^liked$/.test(note)) problems.push(`favourites: unread note (${note})`);
      }
    } else if ((m = /^Tends to avoid ([^@]+)\.$/.exec(s)) || (m = /^Nothing liked yet; steers away from ([^@]+)\.$/.exec(s))) {
      if (s.startsWith('Nothing') && liked.length > 0) problems.push('nothing liked, but some are');
      for (const c of split(m[1]!)) if (!avoidable(c) || leaning.includes(c)) problems.push(`avoids: ${c} is not pushed away`);
    } else if ((m = /^Rates generously \((\d(?:\.\d)?)★ on average\)\.$/.exec(s))) habitFigure('generous', m[1]!);
    else if ((m = /^Rates sparingly \((\d(?:\.\d)?)★ on average\), so high marks stand out\.$/.exec(s))) habitFigure('sparing', m[1]!);
    else if ((m = /^Averages (\d(?:\.\d)?)★ per rating\.$/.exec(s))) habitFigure('average', m[1]!);
    else if (s === 'Nothing liked yet.') {
      if (liked.length > 0) problems.push('nothing liked, but some are');
    } else if (s === 'No preferences known yet.') {
      if (all.some((r) => r.weight !== 0)) problems.push('no preferences, but some are known');
    } else problems.push(`unread sentence: ${s}`);
  }
  return problems;
}
