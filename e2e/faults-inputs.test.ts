/**
 * Fault classes of what comes in, in real Chromium on the demo: hostile and sparse events,
 * forget ordering, bad recommend()/explain() options, a catalog title with bidi overrides,
 * and storage faults (an old tab blocking the upgrade, the database deleted under the page, a
 * newer schema on the device). Each asserts a typed error or the right `status().history`,
 * recommendations still coming, and no uncaught error. One browser, one build, three loads.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openBrowser, openDemo, serveBuild, type Served, type Session } from './harness.ts';

let server: Served;
let session: Session;

before(async () => {
  server = await serveBuild();
  session = await openBrowser();
});

after(async () => {
  await session?.close();
  await server?.close();
});

/** Runs `call` in the page and returns how it failed: the error's name and message, or null. */
async function failure(page: Page, call: string): Promise<{ name: string; message: string } | null> {
  return page.evaluate(async (source) => {
    try {
      await (0, eval)(source);
      return null;
    } catch (error) {
      return { name: (error as Error).name, message: (error as Error).message };
    }
  }, call);
}

const SPOOF = 'Toy Story\u202Egnp.exe';

test('hostile input: typed errors, bounded messages, ordered forget, and titles that cannot spoof', { timeout: 300_000 }, async () => {
  const page = await session.newPage();
  // A catalog title with a right-to-left override (the item text, and so its vectors, unchanged).
  await page.route('**/catalog/movielens.json', async (route) => {
    const response = await route.fetch();
    const items = (await response.json()) as Array<{ id: string; title: string }>;
    items.find((item) => item.id === '1')!.title = SPOOF;
    await route.fulfill({ response, json: items });
  });
  await openDemo(page, server.url);
  await page.evaluate(() => window.pulse.forget());
  await page.evaluate(() =>
    window.pulse.track([
      { type: 'rating', itemId: '1', value: 5 },
      { type: 'rating', itemId: '588', value: 5 },
      { type: 'view', itemId: '364' },
    ]),
  );

  // Sparse and hostile events: refused whole, the history untouched.
  const sparse = await failure(page, 'window.pulse.track(new Array(1000))');
  assert.equal(sparse?.name, 'EventError');
  assert.match(sparse!.message, /^event 0: the batch has a hole/);
  const hole = await failure(page, "window.pulse.track([{ type: 'view', itemId: '2' }, , { type: 'view', itemId: '3' }])");
  assert.match(hole?.message ?? '', /^event 1: .*hole/);
  const huge = await failure(page, "window.pulse.track({ type: 'view', itemId: '2', ['k'.repeat(1 << 20)]: 'v'.repeat(1 << 20) })");
  assert.equal(huge?.name, 'EventError');
  assert.ok(huge!.message.length < 400, `a ${huge!.message.length}-character message`);
  const date = await failure(page, 'window.pulse.track(new Date())');
  assert.match(date?.message ?? '', /must be a plain object/);
  assert.deepEqual(
    (await page.evaluate(() => window.pulse.history())).map((event) => event.itemId),
    ['1', '588', '364'],
  );

  // Bad options: a TypeError or RangeError naming the option.
  for (const [call, name, pattern] of [
    ['window.pulse.recommend({ k: NaN })', 'RangeError', /option "k" must be a whole number from 1 to 100/],
    ['window.pulse.recommend({ k: -1 })', 'RangeError', /option "k"/],
    ['window.pulse.recommend({ k: 0.5 })', 'RangeError', /option "k"/],
    ['window.pulse.recommend({ k: Infinity })', 'RangeError', /option "k"/],
    ['window.pulse.recommend({ exclude: 42 })', 'TypeError', /option "exclude" must be an array/],
    ['window.pulse.recommend({ context: "x" })', 'TypeError', /option "context" must be an array of events/],
    ["window.pulse.recommend({ ['u'.repeat(1 << 20)]: 1 })", 'TypeError', /^recommend\(\): unknown option "u{40}…" \(known: /],
    ['window.pulse.explain(42)', 'TypeError', /explain\(itemId\): itemId must be a string/],
  ] as const) {
    const error = await failure(page, call);
    assert.equal(error?.name, name, `${call}: ${JSON.stringify(error)}`);
    assert.match(error!.message, pattern);
    assert.ok(error!.message.length < 300, `${call}: a ${error!.message.length}-character message`);
  }
  const nullOptions = await page.evaluate(() => window.pulse.recommend(null as never));
  assert.equal(nullOptions.items.length, 10, 'recommend(null) means the defaults');

  // Operations run as issued: nothing tracked before a forget survives it.
  const kept = await page.evaluate(async () => {
    const pulse = window.pulse;
    await Promise.all([pulse.track({ type: 'purchase', itemId: '2' }), pulse.forget(), pulse.track({ type: 'view', itemId: '3' })]);
    return (await pulse.history()).map((event) => event.itemId);
  });
  assert.deepEqual(kept, ['3']);

  // The spoofing title renders isolated and without its override, here and in the rail.
  const rendered = await page.evaluate((spoof) => {
    const card = document.querySelector('.card[data-item-id="1"] .card__title');
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let leaks = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) if (/[\u202A-\u202E\u2066-\u2069]/.test(node.nodeValue ?? '')) leaks++;
    for (const element of document.body.querySelectorAll('*')) {
      for (const attribute of element.attributes) if (/[\u202A-\u202E\u2066-\u2069]/.test(attribute.value)) leaks++;
    }
    return {
      card: card ? { isolated: card.querySelector('bdi') !== null, text: card.textContent } : null,
      leaks,
      spoofShown: document.body.textContent?.includes(spoof) ?? false,
    };
  }, SPOOF);
  assert.ok(rendered.card, 'the card of the item with the spoofing title is on the first page');
  assert.equal(rendered.card.isolated, true);
  assert.equal(rendered.card.text, 'Toy Storygnp.exe');
  assert.equal(rendered.leaks, 0, 'no bidi control anywhere in the page text or attributes');
  assert.equal(rendered.spoofShown, false);
  assert.deepEqual(session.errors, []);
  await page.close();
});

/** A page of the shop's origin that runs no Pulse: another tab, as far as IndexedDB can tell. */
async function otherTab(): Promise<Page> {
  const page = await session.newPage();
  await page.goto(`${server.url}/catalog/movielens.json`);
  return page;
}

const historyStatus = (page: Page) => page.evaluate(() => window.pulse.status().history);

/**
 * Waits until the page's history is back on the device (every call is a chance to retry; on a
 * busy machine a bound may pass once more) and returns the stored item ids then.
 */
async function onDevice(page: Page): Promise<string[]> {
  for (let tries = 0; tries < 120; tries++) {
    const ids = await page.evaluate(async () => {
      const stored = (await window.pulse.history()).map((event) => event.itemId);
      return window.pulse.status().history.storage === 'device' ? stored : null;
    });
    if (ids !== null) return ids;
    await page.waitForTimeout(500);
  }
  throw new Error(`the history never came back to the device: ${JSON.stringify(await historyStatus(page))}`);
}

test('storage faults: a blocked upgrade, a deleted database and a newer schema never stop recommendations', { timeout: 400_000 }, async () => {
  const tab = await otherTab();
  // An old tab: the version-1 database, held open with no versionchange handler.
  await tab.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const deleting = indexedDB.deleteDatabase('pulse');
        deleting.onsuccess = () => {
          const open = indexedDB.open('pulse', 1);
          open.onupgradeneeded = () => open.result.createObjectStore('events', { autoIncrement: true }).createIndex('ts', 'ts');
          open.onsuccess = () => {
            (window as unknown as { oldDb: IDBDatabase }).oldDb = open.result;
            resolve();
          };
          open.onerror = () => reject(open.error);
        };
      }),
  );

  const page = await session.newPage();
  await openDemo(page, server.url);
  await page.evaluate(() => window.pulse.track({ type: 'rating', itemId: '1', value: 5 }));
  const blocked = await historyStatus(page);
  assert.equal(blocked.storage, 'memory');
  assert.ok(['blocked', 'timeout'].includes(blocked.degraded?.code ?? ''), JSON.stringify(blocked));
  const whileBlocked = await page.evaluate(() => window.pulse.recommend());
  assert.equal(whileBlocked.items.length, 10);
  assert.equal(whileBlocked.strategy, 'personal', 'ranked on the events kept in memory');

  // The old tab closes: the page takes the database back, with the event, without a reload.
  await tab.evaluate(() => (window as unknown as { oldDb: IDBDatabase }).oldDb.close());
  assert.deepEqual(await onDevice(page), ['1'], 'the event kept in memory is on the device now');
  assert.equal((await page.evaluate(() => window.pulse.recommend())).strategy, 'personal');

  // Another tab (or "clear site data") deletes the database: the page opens it again at once.
  await tab.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const deleting = indexedDB.deleteDatabase('pulse');
        deleting.onsuccess = () => resolve();
        deleting.onerror = () => reject(deleting.error);
      }),
  );
  await page.evaluate(() => window.pulse.track({ type: 'rating', itemId: '588', value: 5 }));
  assert.deepEqual(await onDevice(page), ['588']);
  assert.equal((await historyStatus(page)).resetDetected, true, 'the wipe is reported');
  const afterDelete = await page.evaluate(() => window.pulse.recommend());
  assert.equal(afterDelete.items.length, 10);

  // A newer schema on the device: memory service, recommendations, and forget erases it.
  await page.close();
  await tab.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const deleting = indexedDB.deleteDatabase('pulse');
        deleting.onsuccess = () => {
          const open = indexedDB.open('pulse', 99);
          open.onupgradeneeded = () => {
            open.result.createObjectStore('events', { autoIncrement: true }).createIndex('ts', 'ts');
            open.transaction!.objectStore('events').add({ type: 'view', itemId: '364', ts: Date.now() });
          };
          open.onsuccess = () => {
            open.result.close();
            resolve();
          };
          open.onerror = () => reject(open.error);
        };
      }),
  );
  const newer = await session.newPage();
  await openDemo(newer, server.url);
  await newer.evaluate(() => window.pulse.track({ type: 'rating', itemId: '1', value: 5 }));
  const degraded = await historyStatus(newer);
  assert.equal(degraded.storage, 'memory');
  assert.equal(degraded.degraded?.code, 'version', JSON.stringify(degraded));
  const onNewer = await newer.evaluate(() => window.pulse.recommend());
  assert.equal(onNewer.items.length, 10);
  assert.equal(onNewer.strategy, 'personal');
  await newer.evaluate(() => window.pulse.forget());
  const left = await tab.evaluate(
    () =>
      new Promise<{ version: number; events: number }>((resolve, reject) => {
        const open = indexedDB.open('pulse');
        open.onsuccess = () => {
          const db = open.result;
          const count = db.transaction('events').objectStore('events').count();
          count.onsuccess = () => {
            db.close();
            resolve({ version: db.version, events: count.result });
          };
        };
        open.onerror = () => reject(open.error);
      }),
  );
  assert.deepEqual(left, { version: 99, events: 0 }, 'the newer database is erased, not downgraded');
  assert.deepEqual(await newer.evaluate(() => window.pulse.history()), []);
  // The other tab is a JSON file; its only console line is the browser's own favicon 404.
  assert.deepEqual(session.errors.filter((error) => !error.startsWith(tab.url())), []);
  await newer.close();
  await tab.close();
});
