import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PulseClient } from '../client/api.ts';
import { readScriptConfig } from './config.ts';
import { createHost, type LoadRuntime } from './host.ts';
import type { EmbedRuntime } from './runtime.ts';

const PAGE = 'https://shop.example/';
// What scripts/embed-build.ts defines in a real pulse.js.
(globalThis as { __PULSE_WORKER_FILE__?: string }).__PULSE_WORKER_FILE__ = 'assets/worker-AbCd1234.js';

/** A host whose runtime and worker are recording fakes; the runtime hands `takeWorker` back to the test. */
function fakeHost(options: { failLoad?: boolean } = {}) {
  const spawned: string[] = [];
  const terminated: string[] = [];
  let take: (() => Worker | null) | undefined;
  const load: LoadRuntime = async () => {
    if (options.failLoad) throw new Error('404');
    return {
      startEmbed: async (config, _page, takeWorker): Promise<EmbedRuntime> => {
        take = takeWorker;
        return { client: {} as PulseClient, config, item: async () => undefined };
      },
    };
  };
  const spawn = (url: string) => {
    spawned.push(url);
    return { url, terminate: () => terminated.push(url) } as unknown as Worker;
  };
  const config = readScriptConfig({ catalog: '/c.json' }, 'https://shop.example/vendor/pulse/pulse.js', PAGE);
  return { host: createHost(config, () => PAGE, load, spawn), spawned, terminated, take: () => take!() };
}

test('the worker starts once, from next to pulse.js, and the client takes it over once', async () => {
  const { host, spawned, take } = fakeHost();
  host.startWorker();
  host.startWorker();
  assert.deepEqual(spawned, ['https://shop.example/vendor/pulse/pulse/assets/worker-AbCd1234.js']);
  await host.runtime();
  assert.equal((take() as unknown as { url: string }).url, spawned[0]);
  assert.equal(take(), null, 'never two clients on one worker');
});

test('once the client has started its own engine, no worker is started beside it', async () => {
  const { host, spawned, take } = fakeHost();
  await host.runtime();
  assert.equal(take(), null);
  host.startWorker();
  assert.deepEqual(spawned, []);
});

test('a runtime that cannot load takes its early worker down with it', async () => {
  const { host, spawned, terminated } = fakeHost({ failLoad: true });
  host.startWorker();
  await assert.rejects(host.runtime(), /could not load/);
  assert.deepEqual(terminated, spawned);
});
