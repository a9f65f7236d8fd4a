import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { ModelFileList } from '../core/model-files.ts';
import { AssetCache } from './asset-cache.ts';

const BASE = 'https://shop.example/vendor/pulse/models';
const sha = (bytes: Uint8Array | ArrayBuffer) => createHash('sha256').update(new Uint8Array(bytes)).digest('hex');

/** Cache Storage's Cache, in memory: the few methods the asset cache calls, with their semantics. */
class MemoryCache {
  entries = new Map<string, { body: ArrayBuffer; headers: Headers }>();
  failPut: Error | null = null;
  async match(key: RequestInfo | URL) {
    const hit = this.entries.get(String(key));
    return hit ? new Response(hit.body.slice(0), { headers: hit.headers }) : undefined;
  }
  async put(key: RequestInfo | URL, response: Response) {
    if (this.failPut) throw this.failPut;
    this.entries.set(String(key), { body: await response.arrayBuffer(), headers: response.headers });
  }
  async delete(key: RequestInfo | URL) {
    return this.entries.delete(key instanceof Request ? key.url : String(key));
  }
  async keys() {
    return [...this.entries.keys()].map((url) => new Request(url));
  }
}

function site(files: Record<string, Uint8Array>) {
  const served = new Map(Object.entries(files));
  const list: ModelFileList = { format: 'pulse-model-files', version: 1, files: {} };
  for (const [name, bytes] of served) list.files[name] = { bytes: bytes.length, sha256: sha(bytes) };
  const requests: string[] = [];
  const network: typeof fetch = async (input, init) => {
    const url = new Request(input, init).url;
    requests.push(`${init?.method ?? 'GET'} ${url.slice(BASE.length + 1)}`);
    if (url === `${BASE}/files.json`) return Response.json(list);
    const body = served.get(url.slice(BASE.length + 1));
    return body ? new Response(body.slice(), { headers: { 'Content-Type': 'application/octet-stream' } }) : new Response(null, { status: 404 });
  };
  return { served, list, requests, network };
}

function cacheFor(s: ReturnType<typeof site>, cache: MemoryCache | null) {
  return new AssetCache({ modelsUrl: BASE, network: s.network, openCache: async () => cache as unknown as Cache, sha256: async (b) => sha(b) });
}

const weights = new Uint8Array(3000).map((_, i) => i % 251);

test('a second visit reads listed files from the cache: no request but the list', async () => {
  const s = site({ 'pulse-movielens/thought-space.bin': weights });
  const cache = new MemoryCache();
  const first = cacheFor(s, cache);
  const a = new Uint8Array(await (await first.fetch(`${BASE}/pulse-movielens/thought-space.bin`)).arrayBuffer());
  assert.deepEqual(a, weights);
  assert.deepEqual(first.progress(), { ...first.progress(), bytesDone: 3000, bytesTotal: 3000, fromNetwork: 3000, fromCache: 0, files: 1, filesDone: 1, cache: 'on' });
  s.requests.length = 0;
  const second = cacheFor(s, cache);
  const b = new Uint8Array(await (await second.fetch(`${BASE}/pulse-movielens/thought-space.bin`)).arrayBuffer());
  assert.deepEqual(b, weights);
  assert.deepEqual(s.requests, ['GET files.json']);
  assert.equal(second.progress().fromCache, 3000);
  assert.equal(second.progress().fromNetwork, 0);
});

test('a corrupt cached copy is reported and replaced from the network, never returned', async () => {
  const s = site({ 'use-lite/group1-shard1of2': weights });
  const cache = new MemoryCache();
  await (await cacheFor(s, cache).fetch(`${BASE}/use-lite/group1-shard1of2`)).arrayBuffer();
  const [key] = cache.entries.keys();
  cache.entries.get(key!)!.body = new Uint8Array(3000).buffer; // bit rot / a tampered entry
  const again = cacheFor(s, cache);
  const bytes = new Uint8Array(await (await again.fetch(`${BASE}/use-lite/group1-shard1of2`)).arrayBuffer());
  assert.deepEqual(bytes, weights);
  assert.match(again.progress().issues.join('\n'), /cached copy does not match its hash/);
  assert.equal(sha(cache.entries.get(key!)!.body), s.list.files['use-lite/group1-shard1of2']!.sha256, 'the good copy is cached again');
});

test('a changed file (new hash in the list) is fetched again and the old copy dropped', async () => {
  const s = site({ 'pulse-slm/onnx/model.onnx': weights });
  const cache = new MemoryCache();
  await (await cacheFor(s, cache).fetch(`${BASE}/pulse-slm/onnx/model.onnx`)).arrayBuffer();
  const updated = weights.map((b) => b ^ 1);
  s.served.set('pulse-slm/onnx/model.onnx', updated);
  s.list.files['pulse-slm/onnx/model.onnx'] = { bytes: updated.length, sha256: sha(updated) };
  const bytes = new Uint8Array(await (await cacheFor(s, cache).fetch(`${BASE}/pulse-slm/onnx/model.onnx`)).arrayBuffer());
  assert.deepEqual(bytes, updated);
  assert.equal(cache.entries.size, 1);
});

test('a quota error costs the cache, not the model', async () => {
  const s = site({ 'pulse-movielens/items.vectors.bin': weights });
  const cache = new MemoryCache();
  cache.failPut = new DOMException('full', 'QuotaExceededError');
  const assets = cacheFor(s, cache);
  const bytes = new Uint8Array(await (await assets.fetch(`${BASE}/pulse-movielens/items.vectors.bin`)).arrayBuffer());
  assert.deepEqual(bytes, weights);
  assert.match(assets.progress().issues[0]!, /storage quota exceeded; not cached/);
});

test('a server file that is not the listed one is used (the loader judges it) but never cached', async () => {
  const s = site({ 'pulse-movielens/thought-space.bin': weights });
  s.served.set('pulse-movielens/thought-space.bin', new Uint8Array(10));
  const cache = new MemoryCache();
  const assets = cacheFor(s, cache);
  assert.equal((await (await assets.fetch(`${BASE}/pulse-movielens/thought-space.bin`)).arrayBuffer()).byteLength, 10);
  assert.equal(cache.entries.size, 0);
  assert.match(assets.progress().issues[0]!, /does not match files\.json/);
});

test('unlisted and foreign URLs pass through; HEAD of a listed file needs no request; no list, no cache', async () => {
  const s = site({ 'pulse-slm/onnx/model_quantized.onnx': weights });
  const assets = cacheFor(s, new MemoryCache());
  assert.equal((await assets.fetch(`${BASE}/pulse-slm/onnx/model_fp16.onnx`)).status, 404);
  const head = await assets.fetch(`${BASE}/pulse-slm/onnx/model_quantized.onnx`, { method: 'HEAD' });
  assert.equal(head.headers.get('Content-Length'), '3000');
  assert.deepEqual(s.requests, ['GET files.json', 'GET pulse-slm/onnx/model_fp16.onnx']);

  const bare = site({});
  const unlisted: typeof fetch = async (input, init) => (String(input).endsWith('files.json') ? new Response(null, { status: 404 }) : bare.network(input, init));
  const off = new AssetCache({ modelsUrl: BASE, network: unlisted, openCache: async () => null, sha256: async (b) => sha(b) });
  assert.equal((await off.fetch(`${BASE}/x.bin`)).status, 404);
  assert.equal(off.progress().cache, 'off');
  assert.match(off.progress().reason!, /no files\.json/);
});
