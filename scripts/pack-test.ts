/**
 * `npm run test:pack`: the package as a shop installs it. `npm pack` makes the tarball; an
 * empty project installs it (`npm install <tarball>`, from the npm cache where it can, the
 * registry otherwise); the package's own `npx pulse build` turns the committed kitchen feed
 * into public/shop/; a Vite app that imports only the package's public entry points
 * ('pulse-recs', 'pulse-recs/element', 'pulse-recs/vite') is built and opened in Chromium,
 * where it ranks with the ESM API and shows <pulse-recs>; a plain page with only the script
 * tag runs from the same folder. Kept out of `npm test`: the install
 * alone takes minutes on a small machine. The app is built with this repository's Vite (the
 * same version an app would install), rooted in the app, so every import resolves from the
 * app's node_modules.
 *   npm run test:pack [-- --keep] [-- --no-pack (reuse the last tarball)]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { build, preview } from 'vite';
import { openBrowser } from '../e2e/harness.ts';

const ROOT = resolve(import.meta.dirname, '..');
const keep = process.argv.includes('--keep');
const work = mkdtempSync(join(tmpdir(), 'pulse-pack-'));
const step = (what: string) => console.error(`\n== ${what}`);
const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });

try {
  step('npm pack (prepack builds dist/)');
  run('npm', ['pack', '--pack-destination', work, ...(process.argv.includes('--no-pack') && existsSync(join(ROOT, 'dist', 'pulse.js')) ? ['--ignore-scripts'] : [])], ROOT);
  const tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);

  step(`an empty project installs ${tarball}`);
  const app = join(work, 'app');
  mkdirSync(join(app, 'src'), { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'kitchen-shop', private: true, type: 'module' }, null, 2));
  writeFileSync(join(app, '.npmrc'), 'onnxruntime-node-install=skip\n');
  const t0 = performance.now();
  run('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], app);
  console.error(`installed in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

  step('npx pulse build (the bin of the installed package)');
  run('npx', ['--no-install', 'pulse', 'build', '--feed', join(ROOT, 'e2e', 'fixtures', 'kitchen-feed.tsv'), '--out', 'public/shop'], app);

  step('a Vite app on the package');
  writeFileSync(join(app, 'vite.config.js'), "import { pulseVite } from 'pulse-recs/vite';\nexport default { plugins: [pulseVite()] };\n");
  writeFileSync(
    join(app, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Kitchen</title></head>\n' +
      '<body><pulse-recs id="recs" k="3"></pulse-recs><script type="module" src="/src/main.js"></script></body></html>\n',
  );
  writeFileSync(
    join(app, 'src', 'main.js'),
    `import { createPulse, shopOptions, formatPrice } from 'pulse-recs';
import { definePulseRecs } from 'pulse-recs/element';

definePulseRecs({ config: '/shop/pulse.config.json' });
const pulse = createPulse({ ...(await shopOptions('/shop/')), backend: 'wasm', dbName: 'pack-test' });
try {
  await pulse.ready;
  await pulse.track([{ type: 'view', itemId: 'k08' }, { type: 'view', itemId: 'k09' }]);
  const result = await pulse.recommend({ k: 5 });
  const items = new Map((await pulse.catalog()).map((item) => [item.id, item]));
  document.body.dataset.result = JSON.stringify({
    ranker: result.ranker,
    items: result.items.map((r) => ({ id: r.id, title: items.get(r.id).title, price: formatPrice(items.get(r.id).price, items.get(r.id).currency, 'en'), why: r.why.text })),
    status: pulse.status(),
  });
} catch (error) {
  document.body.dataset.result = JSON.stringify({ error: String(error) });
}
`,
  );
  // The script-tag way, from the same folder: a plain page Vite copies from public/ as is.
  writeFileSync(
    join(app, 'public', 'shop', 'tag.html'),
    '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Tag</title>\n' +
      '<script async src="/shop/pulse.js"></script></head><body><pulse-recs id="recs" k="2"></pulse-recs></body></html>\n',
  );
  await build({ root: app, logLevel: 'warn' });
  const server = await preview({ root: app, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0 } });
  const url = server.resolvedUrls!.local[0]!;
  const session = await openBrowser({ webgpu: false });
  try {
    const page = await session.newPage();
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset.result !== undefined, null, { timeout: 180_000 });
    const result = JSON.parse((await page.evaluate(() => document.body.dataset.result))!) as {
      error?: string;
      ranker: string;
      items: { id: string; title: string; price: string; why: string }[];
      status: { thoughtSpace: { state: string }; slm: { state: string } };
    };
    assert.equal(result.error, undefined, result.error);
    console.error(result.items.map((i) => `  ${i.title} (${i.price}) — ${i.why}`).join('\n'));
    assert.equal(result.ranker, 'text-similarity');
    assert.equal(result.items.length, 5);
    for (const item of result.items) assert.match(item.why, /^Because you viewed/);
    assert.match(result.items[0]!.price, /^€/);
    assert.equal(result.status.slm.state, 'off');
    await page.waitForFunction(() => document.querySelector('#recs')?.getAttribute('state') === 'ready', null, { timeout: 120_000 });
    const cards = await page.evaluate(() => [...document.querySelector('#recs')!.shadowRoot!.querySelectorAll('[part~="why"]')].map((e) => e.textContent));
    assert.equal(cards.length, 3, 'the element from pulse-recs/element shows cards');
    const tag = await session.newPage();
    await tag.goto(`${url}shop/tag.html`);
    await tag.waitForFunction(() => document.querySelector('#recs')?.getAttribute('state') === 'ready', null, { timeout: 120_000 });
    const tagCards = await tag.evaluate(() => [...document.querySelector('#recs')!.shadowRoot!.querySelectorAll('[part~="why"]')].map((e) => e.textContent));
    assert.deepEqual(tagCards, ['Popular in this shop', 'Popular in this shop'], 'the script-tag folder made by the installed bin');
    const foreign = session.requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).hostname !== '127.0.0.1');
    assert.deepEqual(foreign, []);
    assert.deepEqual(session.requests.filter((u) => /pulse-movielens|pulse-slm|\.onnx/.test(u)), []);
    assert.deepEqual(session.errors, []);
    console.error('\npack test passed: the installed package built a shop folder and ranked in a Vite app');
  } finally {
    await session.close();
    await server.close();
  }
} finally {
  if (keep) console.error(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
