/**
 * `npm start`: builds the demo and serves it on http://127.0.0.1:5173/.
 *   npm start -- --catalog <folder made by pulse build>
 * also serves that folder at /shop/ and prints the demo's URL on it (`?catalog=/shop/`).
 */
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, preview } from 'vite';
import { runCli, UsageError } from '../src/build/cli-run.ts';
import { SHOP_CONFIG_FILE } from '../src/embed/config.ts';

const ROOT = resolve(import.meta.dirname, '..');
const USAGE = `Usage: npm start [-- options]

Builds the demo storefront and serves it on 127.0.0.1.
  --catalog <folder>   a folder made by pulse build: served at /shop/, the demo opened on it
  --port <n>           default 5173
  --no-build           serve the last build
  -h, --help           show this text`;

await runCli({
  name: 'start',
  usage: USAGE,
  options: { catalog: { type: 'string' }, port: { type: 'string', default: '5173' }, 'no-build': { type: 'boolean', default: false } },
  async run({ values }) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port must be a port number; got ${values.port}`);
    const catalog = values.catalog as string | undefined;
    if (catalog && !existsSync(join(catalog, SHOP_CONFIG_FILE))) {
      throw new UsageError(`${catalog} has no ${SHOP_CONFIG_FILE}: make it with npm run pulse -- build --feed <file> --out ${catalog}`);
    }
    if (!values['no-build']) await build({ root: ROOT, logLevel: 'warn' });
    const shop = join(ROOT, 'dist', 'shop');
    rmSync(shop, { recursive: true, force: true });
    if (catalog) cpSync(catalog, shop, { recursive: true });
    const server = await preview({ root: ROOT, preview: { host: '127.0.0.1', port, strictPort: true } });
    const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port}/`;
    console.log(catalog ? `the demo on ${catalog}: ${url}?catalog=/shop/` : `the demo: ${url}`);
  },
});
