import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fetchOnce } from './fetch-once.ts';
import { prefetchThoughtSpace } from './model-prefetch.ts';

const M = 'http://shop/models/space';

/** A network that answers from a map and counts what it was asked. */
function network(files: Record<string, string>) {
  const asked: string[] = [];
  const fetchFn = (async (url: string | URL) => {
    asked.push(String(url));
    const body = files[String(url)];
    return body === undefined ? new Response('', { status: 404 }) : new Response(body, { status: 200 });
  }) as typeof fetch;
  return { asked, fetchFn };
}

const FOLDER = {
  [`${M}/thought-space.json`]: JSON.stringify({ bin: 'thought-space.bin', itemVectors: 'items.vectors.json' }),
  [`${M}/items.vectors.json`]: JSON.stringify({ bin: 'items.vectors.bin' }),
  [`${M}/thought-space.bin`]: 'weights',
  [`${M}/items.vectors.bin`]: 'vectors',
  [`${M}/blend.json`]: JSON.stringify({ ease: { bin: 'ease.bin' } }),
  [`${M}/ease.bin`]: 'ease',
};

const settle = () => new Promise((done) => setTimeout(done, 10));

test('every file the manifests name is requested once, before anyone asks, and handed to its reader', async () => {
  const { asked, fetchFn } = network(FOLDER);
  const early = prefetchThoughtSpace(M, fetchOnce(fetchFn), fetchFn);
  await settle();
  assert.deepEqual([...asked].sort(), Object.keys(FOLDER).sort());
  assert.equal(await (await early.take(`${M}/thought-space.bin`)!).text(), 'weights');
  assert.equal(await (await early.take(`${M}/ease.bin`)!).text(), 'ease');
  // One reader each: a second take is the reader's own fetch.
  assert.equal(early.take(`${M}/ease.bin`), undefined);
  // Manifests stay with the shared reader (fetch-once.ts), which the loader reads them through.
  assert.equal(early.take(`${M}/thought-space.json`), undefined);
});

test('a folder without a blend costs one 404, which its reader gets as it is', async () => {
  const { [`${M}/blend.json`]: _blend, [`${M}/ease.bin`]: _ease, ...noBlend } = FOLDER;
  const { asked, fetchFn } = network(noBlend);
  const early = prefetchThoughtSpace(M, fetchOnce(fetchFn), fetchFn);
  await settle();
  assert.equal(asked.filter((url) => url.includes('blend') || url.includes('ease')).length, 1);
  assert.equal((await early.take(`${M}/blend.json`)!).status, 404);
});

test('a file its reader asked for before the prefetch reached it is not requested again', async () => {
  const { asked, fetchFn } = network(FOLDER);
  const early = prefetchThoughtSpace(M, fetchOnce(fetchFn), fetchFn);
  // Asked at once: the manifests are still being read, so the reader fetches it itself.
  assert.equal(early.take(`${M}/thought-space.bin`), undefined);
  await settle();
  assert.equal(asked.filter((url) => url === `${M}/thought-space.bin`).length, 0);
});

test('an unreadable manifest prefetches nothing it names: the loader reports it', async () => {
  const { asked, fetchFn } = network({ ...FOLDER, [`${M}/thought-space.json`]: 'not json' });
  prefetchThoughtSpace(M, fetchOnce(fetchFn), fetchFn);
  await settle();
  assert.ok(!asked.includes(`${M}/thought-space.bin`));
  assert.ok(!asked.includes(`${M}/items.vectors.bin`));
});
