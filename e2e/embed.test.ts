/**
 * The example shop (e2e/shop, plain HTML) integrating Pulse by script tag only, in real
 * Chromium: real module worker, real IndexedDB, WebGPU on SwiftShader. The shop serves the
 * Pulse build from its own folder /vendor/pulse/, and every request must stay on its origin.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { PulseStatus } from '../src/client/api.ts';
import type { CatalogItem, RecommendResult } from '../src/core/types.ts';
import { ENGINE_TERMS } from './engine-terms.ts';
import { openBrowser, type Session } from './harness.ts';
import { eventually, historyKeys, pulseEvents, recordPulseEvents, shownCards, storedHistory, widgetSettled, type ShopWindow } from './embed-shop.ts';
import { serveShop, type ShopServer } from './shop-server.ts';

/** Aladdin, The Lion King, Finding Nemo, Shrek, Toy Story 2. */
const FAMILY_FILMS = ['588', '364', '6377', '4306', '3114'];

let shop: ShopServer;
let session: Session;
let catalog: Map<string, CatalogItem>;

before(async () => {
  shop = await serveShop();
  session = await openBrowser();
  const items = (await (await fetch(`${shop.url}/catalog.json`)).json()) as CatalogItem[];
  catalog = new Map(items.map((item) => [item.id, item]));
});

after(async () => {
  await session?.close();
  await shop?.close();
});

const pulse = (page: Page, command: string, ...args: unknown[]) =>
  page.evaluate(([c, a]) => (window as unknown as ShopWindow).pulse(c as string, ...(a as unknown[])), [command, args] as const);

async function openShop(page: Page, path = '/', waitUntil: 'load' | 'domcontentloaded' = 'load'): Promise<void> {
  await recordPulseEvents(page);
  await page.goto(`${shop.url}${path}`, { waitUntil });
}

function offOrigin(requests: readonly string[]): string[] {
  return requests.filter((url) => !url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== shop.url);
}

test('widgets render from one script tag, share one worker, and nothing leaves the shop', async () => {
  const page = await session.newPage();
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  await openShop(page);
  await pulse(page, 'forget');
  assert.equal(await widgetSettled(page, '#for-you'), 'ready');
  // What was fetched for the first list (the SLM and USE-lite load only after it, when idle).
  const forTheFirstList = [...session.requests];
  assert.equal(await widgetSettled(page, '#shop-cards'), 'ready');

  const cards = await shownCards(page, '#for-you');
  assert.equal(cards.length, 6);
  for (const card of cards) {
    const item = catalog.get(card.id)!;
    assert.equal(card.title, item.title);
    assert.equal(card.alt, item.title, 'images carry the title as alt text');
    assert.equal(card.href, `${shop.url}/product.html?id=${card.id}`);
    assert.ok(card.why.length > 0, 'every card says why');
  }
  const listRoles = await page.evaluate(() => document.querySelector('#for-you')!.shadowRoot!.querySelector('[part~="list"]')!.getAttribute('role'));
  assert.equal(listRoles, 'list');

  // The shop's own template: cards in the light DOM, filled as text.
  const shopCards = await page.$$eval('#shop-cards [data-pulse-cards] .shop-card', (links) =>
    links.map((a) => ({ href: a.getAttribute('href'), title: a.querySelector('[data-pulse-field="title"]')!.textContent })),
  );
  assert.equal(shopCards.length, 3);
  for (const card of shopCards) assert.match(card.href ?? '', /product\.html\?id=/);

  assert.equal(workers.length, 1, `two widgets, one worker: ${workers.join(', ')}`);
  assert.match(workers[0]!, /\/vendor\/pulse\/pulse\/assets\/worker-/, 'the worker comes from next to pulse.js');

  const events = await pulseEvents(page);
  assert.deepEqual(events.filter((e) => e.type === 'pulse:ready').map((e) => e.target).sort(), ['for-you', 'shop-cards']);
  const recs = events.filter((e) => e.type === 'pulse:recommendations' && e.target === 'for-you');
  assert.ok(recs.length >= 1);
  assert.equal((recs.at(-1)!.detail as { strategy: string }).strategy, 'popular');

  const status = (await pulse(page, 'status')) as PulseStatus;
  assert.equal(status.state, 'ready', status.error ?? '');
  // SwiftShader here: the automatic choice passes over a software adapter for wasm.
  assert.equal(status.backend, 'wasm', status.fallbackReasons.join('; '));

  await page.screenshot({ path: 'test-results/embed-shop.png', fullPage: true });

  // Keyboard: arrows move between cards.
  await page.locator('#for-you [data-item-id]').first().focus();
  await page.keyboard.press('ArrowRight');
  const focused = await page.evaluate(() => (document.querySelector('#for-you')!.shadowRoot!.activeElement as HTMLElement | null)?.dataset.itemId);
  assert.equal(focused, cards[1]!.id);

  assert.deepEqual(offOrigin(session.requests), []);
  assert.ok(!forTheFirstList.some((url) => url.endsWith('/vendor/pulse/models/use-lite/model.json')), 'vectors from the file: no sentence encoder before the first list');
  assert.ok(!forTheFirstList.some((url) => /\/pulse-slm\/|ort-wasm/.test(url)), 'no language model or ONNX Runtime before the first list');
  assert.deepEqual(session.errors, []);
  await page.close();
});

test('a click on a recommendation is stored, then the link is followed', async () => {
  const page = await session.newPage();
  await openShop(page);
  await pulse(page, 'forget');
  await widgetSettled(page, '#for-you');
  const [first] = await shownCards(page, '#for-you');
  await page.locator(`#for-you [data-item-id="${first!.id}"]`).click();
  await page.waitForURL(`**/product.html?id=${first!.id}`);
  await page.waitForFunction(() => (window as unknown as ShopWindow).pulse?.loaded);
  await eventually(async () => (await historyKeys(page)).includes(`click:${first!.id}`), `the click on ${first!.id}`, 5000);
  assert.deepEqual(session.errors, []);
  await page.close();
});

test('calls queued before pulse.js has loaded are not lost', async () => {
  const page = await session.newPage();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/vendor/pulse/pulse.js', async (route) => {
    await gate;
    await route.continue();
  });
  // The load event waits for async scripts, so only the DOM can be waited for here.
  await openShop(page, '/cart.html', 'domcontentloaded');
  const queued = await page.evaluate(() => {
    const w = window as unknown as ShopWindow;
    void w.pulse('forget');
    void w.pulse('track', { type: 'view', itemId: '1' });
    void w.pulse('track', [{ type: 'cart', itemId: '2571' }, { type: 'purchase', itemId: '858' }]);
    return { queued: w.pulse.q?.length, loaded: Boolean(w.pulse.loaded) };
  });
  assert.deepEqual(queued, { queued: 3, loaded: false }, 'the stub queued them');
  release();
  await page.waitForFunction(() => (window as unknown as ShopWindow).pulse.loaded);
  // The queue runs in order (forget first), each call after the previous one settles.
  const expected = ['view:1', 'cart:2571', 'purchase:858'];
  await eventually(async () => JSON.stringify(await historyKeys(page)) === JSON.stringify(expected), 'the queued events');
  assert.deepEqual(await historyKeys(page), expected);
  await page.unroute('**/vendor/pulse/pulse.js');
  await page.close();
});

test('product page: the view and cart add are auto-tracked; the widget leaves the product out', async () => {
  const first = await session.newPage();
  await openShop(first, '/product.html?id=1');
  await first.waitForFunction(() => (window as unknown as ShopWindow).pulse?.loaded);
  await pulse(first, 'forget');
  // A new page rather than a reload: the first one's worker, closed with it, cannot add its
  // requests to the count below.
  await first.close();
  const from = session.requests.length;
  const page = await session.newPage();
  await openShop(page, '/product.html?id=1');
  assert.equal(await widgetSettled(page, '#similar'), 'ready');
  // The page fills itself from Pulse's copy of the catalog (pulse('item', id)): catalog.json,
  // served uncached, is fetched once per visit, by the worker, and no other file twice.
  const counts = new Map<string, number>();
  for (const url of session.requests.slice(from)) counts.set(url, (counts.get(url) ?? 0) + 1);
  assert.deepEqual([...counts].filter(([url, n]) => n > 1 && !url.startsWith('data:') && !url.startsWith('blob:')), [], 'no file fetched twice in one visit');
  assert.equal(counts.get(`${shop.url}/catalog.json`), 1, 'the catalog, once');
  assert.equal(await page.textContent('#title'), 'Toy Story', 'the product, from pulse("item", id)');
  const cards = await shownCards(page, '#similar');
  assert.equal(cards.length, 4);
  assert.ok(cards.every((card) => card.id !== '1'), 'the product on screen is not recommended');
  // The Thought Space ranks what co-watchers of Toy Story chose (behaviour, not a text match):
  // family films among them, where the popularity list has none.
  const family = cards.filter((card) => catalog.get(card.id)!.categories.some((c) => c === 'Animation' || c === 'Children'));
  assert.ok(family.length >= 2, `near Toy Story: ${cards.map((c) => c.title).join(', ')}`);
  assert.ok(cards.some((card) => card.why.includes('Toy Story')), 'explained by the product on screen');
  // The widget's visible text names no engine part or option (issue 12).
  // The shadow tree's own text (heading, status, built-in cards) and any cards the shop slotted in.
  const widgetText = await page.evaluate(() => {
    const host = document.querySelector<HTMLElement>('#similar')!;
    return `${host.shadowRoot?.querySelector<HTMLElement>('section')?.innerText ?? ''}\n${host.innerText}`;
  });
  assert.match(widgetText, /Because you viewed “Toy Story/);
  for (const term of ENGINE_TERMS) assert.doesNotMatch(widgetText, term, `the widget shows ${term}: ${widgetText}`);

  await page.click('#add-to-cart');
  await eventually(async () => (await historyKeys(page)).includes('cart:1'), 'the cart event');
  // A view from the page before the reload may land after the forget; what counts is which.
  assert.deepEqual([...new Set(await historyKeys(page))], ['view:1', 'cart:1']);
  assert.deepEqual(session.errors, []);
  await page.close();
});

test("a second tab's events are seen: the first tab's widget re-ranks", async () => {
  const first = await session.newPage();
  await openShop(first);
  await pulse(first, 'forget');
  await widgetSettled(first, '#for-you');
  await first.waitForFunction(() => {
    const recs = (window as unknown as ShopWindow).pulseEvents.filter((e) => e.type === 'pulse:recommendations' && e.target === 'for-you');
    return (recs.at(-1)?.detail as { strategy: string } | undefined)?.strategy === 'popular';
  });

  const second = await session.newPage();
  await openShop(second, '/cart.html');
  await second.waitForFunction(() => (window as unknown as ShopWindow).pulse?.loaded);
  // The shop's Like buttons send `like` (docs/embed.md), not a 5★ rating.
  await pulse(second, 'track', FAMILY_FILMS.map((itemId) => ({ type: 'like', itemId })));
  assert.deepEqual((await historyKeys(second)).filter((key) => key.startsWith('like:')), FAMILY_FILMS.map((id) => `like:${id}`));

  await first.waitForFunction(
    () => {
      const recs = (window as unknown as ShopWindow).pulseEvents.filter((e) => e.type === 'pulse:recommendations' && e.target === 'for-you');
      return (recs.at(-1)?.detail as { strategy: string } | undefined)?.strategy === 'personal';
    },
    null,
    { timeout: 60_000 },
  );
  const cards = await shownCards(first, '#for-you');
  assert.ok(cards.every((card) => !FAMILY_FILMS.includes(card.id)), 'rated films are not recommended again');
  assert.ok(cards.some((card) => /Because you liked “/.test(card.why)), cards.map((c) => c.why).join(' | '));
  assert.ok(cards.every((card) => !/★/.test(card.why)), `a like has no stars: ${cards.map((c) => c.why).join(' | ')}`);
  await second.close();
  await first.close();
});

test('consent false: events stay in memory, the widget still uses them, nothing is written', async () => {
  const context = await session.browser.newContext();
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  const page = await context.newPage();
  await page.addInitScript(() => {
    // The shop's consent banner said no before pulse.js loaded.
    const w = window as unknown as { pulse: (...args: unknown[]) => void; [k: string]: unknown };
    w.pulse = function (...args: unknown[]) {
      ((w.pulse as unknown as { q: unknown[] }).q ??= []).push(args);
    };
    w.pulse('consent', false);
  });
  await openShop(page);
  await widgetSettled(page, '#for-you');
  await pulse(page, 'track', FAMILY_FILMS.map((itemId) => ({ type: 'rating', itemId, value: 5 })));
  await page.waitForFunction(() => {
    const recs = (window as unknown as ShopWindow).pulseEvents.filter((e) => e.type === 'pulse:recommendations' && e.target === 'for-you');
    return (recs.at(-1)?.detail as { strategy: string } | undefined)?.strategy === 'personal';
  });
  assert.equal((await storedHistory(page)).length, 5);
  const databases = await page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name));
  assert.deepEqual(databases, [], 'no IndexedDB database was even created');

  // Consent given: this page's events move to the device; forget then clears everything.
  await pulse(page, 'consent', true);
  assert.deepEqual(await page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name)), ['pulse']);
  const reloaded = await context.newPage();
  await reloaded.goto(`${shop.url}/cart.html`);
  await reloaded.waitForFunction(() => (window as unknown as ShopWindow).pulse?.loaded);
  assert.equal((await storedHistory(reloaded)).length, 5, 'another page of the shop sees them now');
  await pulse(reloaded, 'forget');
  assert.deepEqual(await storedHistory(page), []);
  assert.deepEqual(offOrigin(requests), []);
  await context.close();
});

test('catalog text is shown as text: a title with markup stays characters', async () => {
  const page = await session.newPage();
  await page.route('**/catalog.json', async (route) => {
    const response = await route.fetch();
    const items = (await response.json()) as CatalogItem[];
    const hostile = items.map((item) => ({ ...item, title: `<img src=x onerror="window.pwned=1"><b>${item.title}</b>`, url: 'javascript:window.pwned=2' }));
    await route.fulfill({ response, json: hostile });
  });
  await openShop(page);
  await pulse(page, 'forget');
  await widgetSettled(page, '#for-you');
  const cards = await shownCards(page, '#for-you');
  assert.ok(cards.length > 0);
  for (const card of cards) {
    assert.match(card.title, /^<img src=x onerror="window\.pwned=1"><b>.+<\/b>$/);
    assert.equal(card.href, null, 'a javascript: URL never becomes a link');
  }
  const injected = await page.evaluate(() => document.querySelector('#for-you')!.shadowRoot!.querySelectorAll('b, img[src="x"]').length);
  assert.equal(injected, 0);
  await page.locator('#for-you [data-item-id]').first().click();
  assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
  await page.close();
});

test('a widget below the fold loads nothing until it is scrolled into view', async () => {
  const page = await session.newPage();
  await page.setViewportSize({ width: 800, height: 200 });
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  // The cart page, with its widget pushed far below the fold.
  await page.route('**/cart.html', async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('<pulse-recs', '<div style="height: 3000px"></div><pulse-recs');
    await route.fulfill({ response, body });
  });
  await openShop(page, '/cart.html');
  await page.waitForFunction(() => (window as unknown as ShopWindow).pulse?.loaded);
  await page.waitForTimeout(500);
  assert.equal(await page.getAttribute('pulse-recs', 'state'), 'idle');
  assert.equal(workers.length, 0, 'no worker before a widget is seen');
  await page.locator('pulse-recs').scrollIntoViewIfNeeded();
  assert.equal(await widgetSettled(page, 'pulse-recs'), 'ready');
  assert.equal(workers.length, 1);
  await page.close();
});

test("nothing left to recommend: the empty state, in the shop's own words", async () => {
  const page = await session.newPage();
  const few = ['1', '588', '364'];
  await page.route('**/catalog.json', async (route) => {
    const response = await route.fetch();
    const items = (await response.json()) as CatalogItem[];
    await route.fulfill({ response, json: items.filter((item) => few.includes(item.id)) });
  });
  await page.route('**/cart.html', async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('</pulse-recs>', '<span slot="empty">Your cart has it all.</span></pulse-recs>');
    await route.fulfill({ response, body });
  });
  await openShop(page, '/cart.html');
  await page.waitForFunction(() => (window as unknown as ShopWindow).pulse?.loaded);
  await pulse(page, 'forget');
  await pulse(page, 'track', few.map((itemId) => ({ type: 'dismiss', itemId })));
  await page.waitForFunction(() => document.querySelector('pulse-recs')?.getAttribute('state') === 'empty', null, { timeout: 60_000 });
  const shown = await page.evaluate(() => {
    const root = document.querySelector('pulse-recs')!.shadowRoot!;
    const slot = root.querySelector<HTMLSlotElement>('[part~="status"] slot')!;
    return { items: root.querySelectorAll('[part~="item"]').length, text: slot.assignedNodes().map((n) => n.textContent).join('') };
  });
  assert.deepEqual(shown, { items: 0, text: 'Your cart has it all.' });
  await pulse(page, 'forget');
  await page.close();
});

test('a missing catalog shows the error state and says why', async () => {
  const page = await session.newPage();
  const before = session.errors.length;
  await page.route('**/catalog.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await openShop(page);
  assert.equal(await widgetSettled(page, '#for-you'), 'error');
  const shown = await page.evaluate(() => document.querySelector('#for-you')!.shadowRoot!.querySelector('[part~="status"]')!.textContent);
  assert.match(shown ?? '', /unavailable/);
  const error = (await pulseEvents(page)).find((e) => e.type === 'pulse:error' && e.target === 'for-you');
  assert.match((error?.detail as { message: string }).message, /CatalogError: catalog .*catalog\.json: HTTP 404/);
  assert.ok(session.errors.slice(before).some((e) => /HTTP 404/.test(e)), 'reported on the console too');
  session.errors.length = before;
  await page.close();
});

test('the ES module API: createPulse from the self-hosted runtime, without the script tag', async () => {
  const page = await session.newPage();
  await page.goto(`${shop.url}/esm.html`);
  await page.waitForFunction(() => document.querySelectorAll('#picks li').length === 5, null, { timeout: 180_000 });
  const result = await page.evaluate(async (films) => {
    const client = (window as unknown as { shopPulse: import('../src/client/api.ts').PulseClient }).shopPulse;
    await client.track(films.map((itemId) => ({ type: 'rating' as const, itemId, value: 5 })));
    const ranked = await client.recommend({ k: 5 });
    return { strategy: ranked.strategy, ids: ranked.items.map((item) => item.id), persistent: client.persistent() };
  }, FAMILY_FILMS);
  assert.equal(result.strategy, 'personal');
  assert.equal(result.ids.length, 5);
  assert.equal(result.persistent, false);
  assert.ok(result.ids.every((id) => !FAMILY_FILMS.includes(id)));
  assert.equal(typeof (await page.evaluate(() => (window as { pulse?: unknown }).pulse)), 'undefined', 'no pulse.js on this page');
  await page.close();
});

test('across every test above: no request left the shop origin, no console errors', () => {
  assert.deepEqual(offOrigin(session.requests), []);
  assert.ok(session.requests.length > 0);
  assert.deepEqual(session.errors, []);
});

test('data-slm="off": the shop gets evidence-based whys and never loads the language model', async () => {
  const page = await session.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  await page.route('**/cart.html', async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('data-catalog="/catalog.json"', 'data-catalog="/catalog.json" data-slm="off"');
    await route.fulfill({ response, body });
  });
  await openShop(page, '/cart.html');
  await page.waitForFunction(() => (window as unknown as ShopWindow).pulse?.loaded);
  await pulse(page, 'forget');
  await pulse(page, 'track', ['1', '588', '364'].map((itemId) => ({ type: 'rating', itemId, value: 5 })));
  assert.equal(await widgetSettled(page, 'pulse-recs'), 'ready');
  const status = (await pulse(page, 'ready')) as PulseStatus;
  assert.equal(status.slm.state, 'off', status.slm.reason ?? '');
  const result = (await pulse(page, 'recommend', { k: 3 })) as RecommendResult;
  assert.equal(result.rationale?.source, 'evidence');
  assert.deepEqual(requests.filter((path) => path.includes('pulse-slm') || path.includes('slm.json')), [], 'no model file was asked for');
  await pulse(page, 'forget');
  await page.close();
});
