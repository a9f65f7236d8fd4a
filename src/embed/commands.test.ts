import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PulseClient } from '../client/api.ts';
import { runCommand } from './commands.ts';
import { readScriptConfig } from './config.ts';
import { createHost } from './host.ts';
import type { Host } from './host.ts';
import type { EmbedRuntime } from './runtime.ts';

const PAGE = 'https://shop.example/';

/** A real host whose runtime module is a recording fake; `loads` counts module loads. */
function fakeHost(): { host: Host; calls: string[]; loads: () => number } {
  const calls: string[] = [];
  let loads = 0;
  const client = {
    track: async (event: unknown) => void calls.push(`track ${JSON.stringify(event)}`),
    consent: async (granted: boolean) => void calls.push(`consent ${granted}`),
    forget: async () => void calls.push('forget'),
    history: async () => [],
    on: () => () => {},
  } as unknown as PulseClient;
  const load = async (url: string) => {
    loads++;
    calls.push(`load ${url}`);
    return { startEmbed: async (): Promise<EmbedRuntime> => ({ client, config, item: async () => undefined }) };
  };
  const config = readScriptConfig({ catalog: '/c.json' }, 'https://shop.example/vendor/pulse/pulse.js', PAGE);
  return { host: createHost(config, () => PAGE, load), calls, loads: () => loads };
}

test('consent before Pulse has started is remembered without loading anything', async () => {
  const { host, calls, loads } = fakeHost();
  await runCommand(host, 'consent', [false]);
  assert.equal(host.config.consent, false);
  assert.equal(loads(), 0);
  await runCommand(host, 'track', [{ type: 'view', itemId: '1' }]);
  await runCommand(host, 'consent', [true]);
  assert.deepEqual(calls, ['load https://shop.example/vendor/pulse/pulse/runtime.js', 'track {"type":"view","itemId":"1"}', 'consent true']);
  assert.equal(loads(), 1, 'one runtime, however many commands');
});

test('bad commands are rejected with errors that say what is expected', async () => {
  const { host } = fakeHost();
  await assert.rejects(runCommand(host, 'trak', []), /unknown Pulse command "trak" \(known: init, track/);
  await assert.rejects(runCommand(host, 'consent', ['yes']), /needs true or false; got "yes"/);
  await assert.rejects(runCommand(host, 'on', ['change', () => {}]), /name must be "status" or "history"/);
});

test('init applies before start and is refused after it', async () => {
  const { host } = fakeHost();
  await runCommand(host, 'init', [{ catalog: '/other.json' }]);
  assert.equal(host.config.catalogUrl, 'https://shop.example/other.json');
  await runCommand(host, 'forget', []);
  await assert.rejects(runCommand(host, 'init', [{ catalog: '/late.json' }]), /must come before any other command/);
});

test('item reads the catalog entry from the runtime and names a bad id', async () => {
  const { host, calls } = fakeHost();
  assert.equal(await runCommand(host, 'item', ['1']), undefined);
  assert.deepEqual(calls, ['load https://shop.example/vendor/pulse/pulse/runtime.js']);
  await assert.rejects(runCommand(host, 'item', [42]), /needs a non-empty string id; got 42/);
});
