// The shop's code, not Pulse's: fill the product page from the catalog, then mark it up
// for Pulse (data-pulse-item for auto-tracking, item-id for the widget).
// The product comes from Pulse's copy of the catalog (pulse('item', id)): the worker fetches
// catalog.json anyway, and the shop serves it uncached, so a fetch here would be a second
// download of the same file on every product page. Only if pulse.js cannot load does the page
// fetch the catalog itself: the shop's own page never depends on Pulse.
const id = new URLSearchParams(location.search).get('id') ?? '1';

/** Resolves once pulse.js has replaced the queue stub (pulse() returns promises from then on). */
function pulseLoaded() {
  if (window.pulse?.loaded) return Promise.resolve(true);
  const script = document.querySelector('script[src$="/pulse.js"]');
  if (!script) return Promise.resolve(false);
  return new Promise((resolve) => {
    script.addEventListener('load', () => resolve(window.pulse?.loaded === true), { once: true });
    script.addEventListener('error', () => resolve(false), { once: true });
  });
}

async function findItem() {
  if (await pulseLoaded()) {
    try {
      return await window.pulse('item', id);
    } catch (error) {
      console.warn('Pulse could not read the catalog; fetching it here:', error);
    }
  }
  const items = await (await fetch('catalog.json')).json();
  return items.find((candidate) => candidate.id === id);
}

const item = await findItem();
document.getElementById('title').textContent = item ? item.title : 'Not found';
document.getElementById('details').textContent = item ? `${item.year} · ${item.categories.join(', ')} · ${item.price.toFixed(2)}` : '';
document.title = `Reel Corner — ${item ? item.title : 'not found'}`;
if (item) {
  document.getElementById('product').dataset.pulseItem = id;
  document.getElementById('add-to-cart').dataset.pulseItem = id;
  document.getElementById('similar').setAttribute('item-id', id);
}
