/**
 * The demo storefront: wires the Pulse client (the only way this page touches the
 * history, the worker or the models) to the browse grid, the recommendations rail,
 * the privacy panel and the engine status.
 */
// The package's public entry, as a shop's own page would import it ('pulse-recs').
import { createPulse, shopOptions, type CatalogItem, type PulseClient } from '../index.ts';
import './styles.css';
import { loadingStatus } from '../worker/protocol.ts';
import { backendFromQuery } from './backend-param.ts';
import { showCatalogError, showCatalogLoading } from './catalog-placeholder.ts';
import { CatalogView } from './catalog-view.ts';
import { DetailPanel } from './detail-panel.ts';
import { errorMessage } from './format.ts';
import { eventFor, isRepeat } from './item-actions.ts';
import type { ItemAction } from './item-actions.ts';
import { PrivacyPanel } from './privacy-panel.ts';
import { RecsRail } from './recs-rail.ts';
import { nextTask } from './next-task.ts';
import { ShopperHistory } from './shopper-history.ts';
import { slmFromQuery } from './slm-param.ts';
import { shopFolderFromQuery } from '../client/shop-options.ts';
import { SlmStatusLine } from './slm-status.ts';
import { StatusPanel } from './status-panel.ts';
import { showToast } from './toasts.ts';

declare global {
  interface Window {
    /** The live client, for tests and curious shoppers (same declaration as e2e/harness.ts). */
    pulse: PulseClient;
  }
}

const CATALOG_URL = '/catalog/movielens.json';
const MODELS_URL = '/models';

const body = document.body;
body.dataset.pulseState = 'loading';
showCatalogLoading();

const choice = backendFromQuery(location.search);
const status = new StatusPanel(choice);
const slmChoice = slmFromQuery(location.search);
const slmLine = new SlmStatusLine(slmChoice.ignored);

let pulse: PulseClient;
try {
  // ?thoughtSpace=off shows the text-similarity ranker the Thought Space replaces.
  const thoughtSpace = new URLSearchParams(location.search).get('thoughtSpace') === 'off' ? false : undefined;
  // ?catalog=/folder/ (made by pulse build) runs the demo on that shop's catalog and models.
  const shopFolder = shopFolderFromQuery(location.search, location.href);
  const shop = shopFolder ? await shopOptions(shopFolder) : null;
  pulse = createPulse({ catalogUrl: CATALOG_URL, modelsUrl: MODELS_URL, backend: choice.backend, slm: slmChoice.options, thoughtSpace, ...shop });
} catch (error) {
  // Without a client nothing else can work; say so everywhere instead of leaving blanks.
  const message = errorMessage(error);
  body.dataset.pulseState = 'error';
  status.showReadyError(message);
  status.render({ ...loadingStatus(choice.backend ?? 'webgpu', false), state: 'error', error: message });
  showCatalogError(message);
  throw error;
}
window.pulse = pulse;
const client = pulse;
// The worker fetches and parses the catalog; this page gets one copy, as soon as it is there.
const catalog: Promise<readonly CatalogItem[]> = client.catalog();
// The worker is starting; the panels are built in the next task, so that this module's
// evaluation and their first render are two short tasks rather than one long one.
await nextTask();

const history = new ShopperHistory(client, (what, error) => showToast(`${what}: ${errorMessage(error)}`, 'error'));
const privacy = new PrivacyPanel(client, history, showToast);
/** One lookup for every panel, built in tasks of its own after the copy arrives (decoding it is several). */
const catalogById: Promise<ReadonlyMap<string, CatalogItem>> = catalog.then(async (items) => {
  const byId = new Map<string, CatalogItem>();
  for (let start = 0; start < items.length; start += 2000) {
    await nextTask();
    for (const item of items.slice(start, start + 2000)) byId.set(item.id, item);
  }
  return byId;
});
catalogById.catch(() => {});

function act(item: CatalogItem, action: ItemAction, card: HTMLElement | null): void {
  if (action.kind === 'view') {
    if (!card) return;
    // A second click on the open movie closes it (and is not another view).
    if (detail.openItemId() === item.id) {
      detail.close(true);
      return;
    }
    detail.open(item, card, 'row');
  } else if (isRepeat(action, history.state(item.id))) {
    return;
  }
  void history.record(eventFor(item.id, action));
  if (action.kind === 'dismiss') showToast(`Got it — you won't be offered “${item.title}”.`);
}

const detail = new DetailPanel(client, history, (item, action) => act(item, action, null));
const rail = new RecsRail(
  client,
  catalogById,
  (item, anchor) => {
    if (detail.openItemId() === item.id) return;
    detail.open(item, anchor, 'after');
    void history.record(eventFor(item.id, { kind: 'view' }));
  },
  (result) => status.showRecommend(result),
  (reason) => slmLine.showHeadlineReason(reason),
);
// Any change to the history — this page, another tab, or a direct `pulse.track` — re-ranks.
client.on('history', () => rail.refreshSoon());

const renderStatus = (): void => status.render(client.status());
client.on('status', renderStatus);
// The SLM's headline replaces the evidence one in place (recs-rail.ts). The sentence encoder
// that steers the Thought Space loads after the first list: once it has, re-rank steered.
let unsteered = client.status().thoughtSpace.unsteered;
client.on('status', () => {
  const now = client.status();
  slmLine.render(now.slm);
  if (unsteered !== null && now.thoughtSpace.unsteered === null && now.thoughtSpace.state === 'ready') rail.refreshSoon();
  unsteered = now.thoughtSpace.unsteered;
});
slmLine.render(client.status().slm);
renderStatus();
client.ready.then(
  () => {
    renderStatus();
    body.dataset.pulseState = 'ready';
  },
  (error: unknown) => {
    status.showReadyError(errorMessage(error));
    renderStatus();
    body.dataset.pulseState = 'error';
  },
);

// The first page of cards first; the history panel's titles in the next task; CatalogView
// prepares search and the other orders in slices after that.
Promise.all([catalog, catalogById]).then(
  async ([items, byId]) => {
    await nextTask();
    new CatalogView(items, byId, history, {
      onAction: (item, action, card) => act(item, action, card),
      beforeRender: () => {
        if (detail.element.closest('#catalog-grid')) detail.close();
      },
    });
    await nextTask();
    privacy.setCatalog(byId);
  },
  (error: unknown) => showCatalogError(errorMessage(error)),
);

void history.reload();
