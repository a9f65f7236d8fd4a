import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchCatalog } from './catalog-fetch.ts';

const good = [{ id: 'a', title: 'A', text: 'A film.', categories: ['Drama'], year: 2000, popularity: 3 }];
const bodies: Record<string, [number, string]> = {
  '/good.json': [200, JSON.stringify({ items: good })],
  '/garbled.json': [200, '[{"id": "a"'],
  '/bad-row.json': [200, JSON.stringify([...good, { id: 'b', title: '', text: 'B', categories: [], year: 2000 }])],
};

test('fetchCatalog: validated items, and a CatalogError that says what is wrong', async () => {
  const server = createServer((request, response) => {
    const [status, body] = bodies[request.url ?? ''] ?? [404, 'not found'];
    response.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    assert.deepEqual(await fetchCatalog(`${base}/good.json`), good);
    const fails = async (path: string, pattern: RegExp) =>
      assert.rejects(fetchCatalog(`${base}${path}`), (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.equal(error.name, 'CatalogError');
        assert.match(error.message, pattern);
        return true;
      });
    await fails('/missing.json', /^catalog http:\/\/127\.0\.0\.1:\d+\/missing\.json: HTTP 404$/);
    await fails('/garbled.json', /garbled\.json is not valid JSON/);
    await fails('/bad-row.json', /catalog row 1 \(id "b"\): field "title"/);
  } finally {
    server.close();
  }
});
