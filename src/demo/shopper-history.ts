/**
 * The page's view of the shopper's history: the events (read through the client only)
 * and each item's derived state. Writes show at once (optimistic) and are reconciled
 * with what IndexedDB holds; "changed" drives the UI, "committed" drives re-ranking,
 * which must only run once the worker can read the new event.
 */
import type { PulseClient } from '../client/api.ts';
import type { EventInput, PulseEvent } from '../core/types.ts';
import { EMPTY_STATE, deriveItemStates } from './item-state.ts';
import type { ItemState } from './item-state.ts';
import { nextTask } from './next-task.ts';

type Listener = () => void;

function eventKey(event: PulseEvent): string {
  return `${event.ts}|${event.type}|${event.itemId}|${event.value ?? ''}`;
}

export class ShopperHistory {
  private stored: PulseEvent[] = [];
  /** Sent to `track` but not yet confirmed; shown so a click feels instant. */
  private readonly pending = new Set<PulseEvent>();
  private merged: PulseEvent[] = [];
  private states = new Map<string, ItemState>();
  private readonly changed = new Set<Listener>();
  private readonly committed = new Set<Listener>();
  private loading: Promise<void> | null = null;
  private reloadAgain = false;
  private loadedOnce = false;

  constructor(
    private readonly pulse: PulseClient,
    private readonly onError: (message: string, error: unknown) => void,
  ) {
    // Fires for this tab's writes and for other tabs' (BroadcastChannel in the store).
    pulse.on('history', () => {
      void this.reload().then(() => this.emit(this.committed));
    });
  }

  /** Oldest first, including writes still in flight. */
  events(): readonly PulseEvent[] {
    return this.merged;
  }

  state(itemId: string): Readonly<ItemState> {
    return this.states.get(itemId) ?? EMPTY_STATE;
  }

  /** False until the first read finished (the panel shows "loading" until then). */
  loaded(): boolean {
    return this.loadedOnce;
  }

  onChange(listener: Listener): () => void {
    this.changed.add(listener);
    return () => this.changed.delete(listener);
  }

  onCommit(listener: Listener): () => void {
    this.committed.add(listener);
    return () => this.committed.delete(listener);
  }

  /** Reads the stored history; concurrent calls share one read plus at most one more. */
  reload(): Promise<void> {
    if (this.loading) {
      this.reloadAgain = true;
      return this.loading;
    }
    this.loading = (async () => {
      do {
        this.reloadAgain = false;
        try {
          this.stored = await this.pulse.history();
          // The panels redraw in a task of their own, not inside IndexedDB's completion event.
          await nextTask();
          this.loadedOnce = true;
          this.recompute();
        } catch (error) {
          this.onError('Could not read your history', error);
        }
      } while (this.reloadAgain);
    })().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  /** Tracks one event; resolves once it is stored (rejections are reported, not thrown). */
  async record(input: EventInput): Promise<void> {
    // The timestamp is fixed here so the optimistic copy and the stored one are the same event.
    const event: PulseEvent = { ...input, ts: Date.now() };
    this.pending.add(event);
    this.recompute();
    try {
      await this.pulse.track(event);
    } catch (error) {
      this.onError('Could not save that to your history', error);
      return;
    } finally {
      this.pending.delete(event);
      await this.reload();
    }
    this.emit(this.committed);
  }

  async forget(): Promise<void> {
    await this.pulse.forget();
    this.pending.clear();
    await this.reload();
    this.emit(this.committed);
  }

  private recompute(): void {
    const seen = new Set(this.stored.map(eventKey));
    const extra = [...this.pending].filter((event) => !seen.has(eventKey(event)));
    this.merged = extra.length === 0 ? this.stored : [...this.stored, ...extra].sort((a, b) => a.ts - b.ts);
    this.states = deriveItemStates(this.merged);
    this.emit(this.changed);
  }

  private emit(listeners: Set<Listener>): void {
    for (const listener of listeners) listener();
  }
}
