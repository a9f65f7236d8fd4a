import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fetchOnce } from './fetch-once.ts';

/** A network that answers from a map and counts what it was asked. */
function network(files: Record<string, { status: number; body: string }>) {
  const asked: string[] = [];
  const fetchFn = (async (url: string | URL) => {
    asked.push(String(url));
    const file = files[String(url)] ?? { status: 404, body: '' };
    return new Response(file.body, { status: file.status });
  }) as typeof fetch;
  return { asked, fetchFn };
}

test('a manifest read twice, even at once, is requested once and each reader gets the whole body', async () => {
  const { asked, fetchFn } = network({ '/m/thought-space.json': { status: 200, body: '{"dims":64}' } });
  const read = fetchOnce(fetchFn);
  const [a, b] = await Promise.all([read('/m/thought-space.json'), read('/m/thought-space.json')]);
  const c = await read('/m/thought-space.json');
  assert.deepEqual(await Promise.all([a.json(), b.json(), c.json()]), [{ dims: 64 }, { dims: 64 }, { dims: 64 }]);
  assert.deepEqual(asked, ['/m/thought-space.json']);
});

test('a failed read is passed on with its status and asked again next time', async () => {
  const files = { '/m/slm.json': { status: 503, body: 'busy' } };
  const { asked, fetchFn } = network(files);
  const read = fetchOnce(fetchFn);
  const first = await read('/m/slm.json');
  assert.equal(first.status, 503);
  assert.equal(await first.text(), 'busy');
  files['/m/slm.json'] = { status: 200, body: '{"model":"pulse-slm"}' };
  assert.deepEqual(await (await read('/m/slm.json')).json(), { model: 'pulse-slm' });
  assert.equal(asked.length, 2);
});

test('a network error rejects and is not kept', async () => {
  let calls = 0;
  const read = fetchOnce((async () => {
    calls += 1;
    if (calls === 1) throw new TypeError('Failed to fetch');
    return new Response('{}');
  }) as typeof fetch);
  await assert.rejects(read('/m/a.json'), /Failed to fetch/);
  assert.deepEqual(await (await read('/m/a.json')).json(), {});
});
