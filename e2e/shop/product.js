// The shop's code, not Pulse's: fill the product page from the catalog, then mark it up
// for Pulse (data-pulse-item for auto-tracking, item-id for the widget).
const id = new URLSearchParams(location.search).get('id') ?? '1';
const items = await (await fetch('catalog.json')).json();
const item = items.find((candidate) => candidate.id === id);
document.getElementById('title').textContent = item ? item.title : 'Not found';
document.getElementById('details').textContent = item ? `${item.year} · ${item.categories.join(', ')} · ${item.price.toFixed(2)}` : '';
document.title = `Reel Corner — ${item ? item.title : 'not found'}`;
if (item) {
  document.getElementById('product').dataset.pulseItem = id;
  document.getElementById('add-to-cart').dataset.pulseItem = id;
  document.getElementById('similar').setAttribute('item-id', id);
}
