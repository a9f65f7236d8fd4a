import { seededRandom } from '../../core/random.ts';
import { composePreference } from '../../core/evidence-composer.ts';
import type { CatalogItem, Interaction, PulseEvent } from '../../core/types.ts';
import { buildPreferenceMessages } from '../../slm/prompt.ts';
import { renderChat } from './chat-format.ts';
import { groundingFacts, type GroundingFacts } from '../../slm/grounding.ts';

/**
 * The shipped SLM's training data: for windows of real shopper histories, the chat the worker
 * will send (buildPreferenceMessages, rendered by the model's chat template) followed by the
 * teacher's preference statement (composePreference) as the assistant turn.
 *
 * Windows, not whole prefixes: the prompt lists only the most recent items, so a target
 * written from hundreds of older ratings would teach the model to invent what it cannot see.
 * Each example's history is the `length` events before some point in a user's timeline, with
 * `length` up to the prompt's item budget, so the answer is grounded in what the prompt shows.
 */

/**
 * MovieLens holds only ratings, but a shopper's history also has views, clicks, carts,
 * purchases and dismissals (the demo records views and dismissals). So that the model has seen
 * every action the prompt can name, a seeded share of ratings is re-expressed as the implicit
 * event that plausibly stands for it: a high rating as a purchase or cart, a low one as a
 * dismissal, any as a view or click; some ratings get a view just before. The teacher reads the
 * same transformed events, so prompt and target never disagree. No `dislike` is made here (the
 * shipped model predates the event): the prompt shows a dislike as a dismissal instead
 * (prompt.ts), whose weight and teacher target are the same.
 */
export function diversifyEvents(timeline: readonly PulseEvent[], random: () => number): PulseEvent[] {
  const out: PulseEvent[] = [];
  for (const event of timeline) {
    if (event.type !== 'rating' || event.value === undefined) {
      out.push(event);
      continue;
    }
    const roll = random();
    const stars = event.value;
    const { itemId, ts } = event;
    if (roll < 0.12) out.push({ type: 'view', itemId, ts: ts - 1 }, event);
    else if (roll < 0.2 && stars >= 4) out.push({ type: random() < 0.5 ? 'purchase' : 'cart', itemId, ts });
    else if (roll < 0.28 && stars <= 2) out.push({ type: 'dismiss', itemId, ts });
    else if (roll < 0.33) out.push({ type: random() < 0.5 ? 'view' : 'click', itemId, ts });
    else out.push(event);
  }
  return out;
}

export interface CorpusExample {
  user: string;
  /** The prompt as rendered, ending with the assistant turn's opening (generation prompt). */
  prompt: string;
  /** The teacher's answer, followed by the turn end the model must learn to emit. */
  answer: string;
  /** What the history lets a rationale name, as the worker's grounding reads it. */
  facts: GroundingFacts;
  /** The window itself, for the truth report's own recomputation of the facts. */
  history: PulseEvent[];
}

export interface CorpusOptions {
  /** Windows drawn per user. */
  windowsPerUser: number;
  /** Longest window, in events (the prompt shows at most 12 distinct items). */
  maxWindow: number;
  /** Share of users held out (for perplexity), by a seeded shuffle. */
  heldOutShare: number;
  seed: number;
}

export interface PreferenceCorpus {
  train: CorpusExample[];
  heldOut: CorpusExample[];
}

export function groupByUser(interactions: readonly Interaction[]): Map<string, Interaction[]> {
  const byUser = new Map<string, Interaction[]>();
  for (const event of interactions) {
    let list = byUser.get(event.user);
    if (!list) byUser.set(event.user, (list = []));
    list.push(event);
  }
  for (const list of byUser.values()) list.sort((a, b) => a.ts - b.ts || a.itemId.localeCompare(b.itemId));
  return byUser;
}

export function buildPreferenceCorpus(
  byUser: ReadonlyMap<string, readonly Interaction[]>,
  catalog: readonly CatalogItem[],
  options: CorpusOptions,
): PreferenceCorpus {
  const indexOf = new Map(catalog.map((item, i) => [item.id, i] as const));
  const lookup = (id: string): CatalogItem | undefined => {
    const i = indexOf.get(id);
    return i === undefined ? undefined : catalog[i];
  };
  const knownCategories = [...new Set(catalog.flatMap((item) => item.categories))];
  const random = seededRandom(options.seed);
  const users = [...byUser.keys()].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  for (let i = users.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [users[i], users[j]] = [users[j]!, users[i]!];
  }
  const heldOutCount = Math.round(users.length * options.heldOutShare);
  const heldOutUsers = new Set(users.slice(0, heldOutCount));

  const corpus: PreferenceCorpus = { train: [], heldOut: [] };
  for (const user of users) {
    const timeline = byUser.get(user)!.filter((e) => indexOf.has(e.itemId));
    if (timeline.length === 0) continue;
    for (let w = 0; w < options.windowsPerUser; w++) {
      const length = 1 + Math.floor(random() * Math.min(options.maxWindow, timeline.length));
      const end = length + Math.floor(random() * (timeline.length - length + 1));
      const window: PulseEvent[] = timeline.slice(end - length, end).map(({ type, itemId, value, ts }) => ({ type, itemId, value, ts }));
      const history = diversifyEvents(window, random);
      const messages = buildPreferenceMessages(history, lookup);
      const example: CorpusExample = {
        user,
        prompt: renderChat(messages, true),
        answer: `${composePreference(history, { catalog, indexOf })}<|im_end|>`,
        facts: groundingFacts(history, lookup, knownCategories),
        history,
      };
      (heldOutUsers.has(user) ? corpus.heldOut : corpus.train).push(example);
    }
  }
  return corpus;
}
