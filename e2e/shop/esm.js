// The ES module way in, for shops with their own scripts or a bundler: createPulse from the
// self-hosted runtime (docs/embed.md, "ES modules"). Memory-only history, loaded on demand.
import { createPulse } from '/vendor/pulse/pulse/runtime.js';

// ?slm-device=webgpu (or wasm) says where the language model should run; without it Pulse picks.
const slmDevice = new URLSearchParams(location.search).get('slm-device');
const client = createPulse({
  catalogUrl: '/catalog.json',
  modelsUrl: '/vendor/pulse/models',
  dbName: 'staff-picks',
  consent: false,
  lazy: true,
  ...(slmDevice ? { slm: { device: slmDevice } } : {}),
});
window.shopPulse = client;

const titles = new Map((await client.catalog()).map((item) => [item.id, item.title]));
const { items } = await client.recommend({ k: 5 });
document.getElementById('picks').replaceChildren(
  ...items.map((rec) => {
    const li = document.createElement('li');
    li.textContent = `${titles.get(rec.id)} — ${rec.why.text}`;
    return li;
  }),
);
