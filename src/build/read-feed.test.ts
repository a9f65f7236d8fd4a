import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFeed } from './read-feed.ts';
import { FeedError, formatProblem, summarizeProblems } from './feed-problem.ts';
import { parsePrice } from './product.ts';

const KITCHEN = new URL('../../e2e/fixtures/kitchen-feed.tsv', import.meta.url);

test('the committed Merchant Center TSV: 42 rows, the 2 out of stock skipped, prices in EUR', () => {
  const feed = readFeed(readFileSync(KITCHEN, 'utf8'), 'kitchen-feed.tsv');
  assert.equal(feed.format, 'tsv');
  assert.equal(feed.rows, 42);
  assert.equal(feed.items.length, 40);
  assert.deepEqual(feed.skipped.map((p) => [p.line, p.field, p.reason]), [
    [7, 'availability', 'out of stock'],
    [23, 'availability', 'out of stock'],
  ]);
  const skillet = feed.items[0]!;
  assert.equal(skillet.id, 'k01');
  assert.equal(skillet.price, 39.9);
  assert.equal(skillet.currency, 'EUR');
  assert.equal(skillet.year, null);
  assert.equal(skillet.url, '/products/cast-iron-skillet-26-cm');
  assert.deepEqual(skillet.categories, ['Frying Pans', 'Cookware']);
  assert.match(skillet.text, /^Cast Iron Skillet 26 cm\. Frying Pans, Cookware\. Pre-seasoned/);
  assert.ok(!('image' in skillet), 'an empty image_link is no image');
  // preorder is orderable
  assert.ok(feed.items.some((item) => item.id === 'k41'));
});

test('CSV: quoted fields across lines keep their start line; every bad row names line and field', () => {
  const csv = [
    'id,title,description,price,availability',
    '1,Kettle,"A kettle,',
    'with a whistle",20 USD,in stock',
    '2,,no title,5 USD,in stock',
    '3,Mug,A mug,cheap,in stock',
    '4,Pot,A pot,12.00 USD,maybe',
    '1,Kettle again,dup,3 USD,in stock',
    '5,Pan,A pan,"1,299.50 USD",in stock',
    '6,Bowl,A bowl,3,in stock,extra',
  ].join('\n');
  const feed = readFeed(csv, 'shop.csv', { currency: 'GBP' });
  assert.equal(feed.format, 'csv');
  assert.deepEqual(feed.items.map((i) => [i.id, i.price, i.currency]), [['1', 20, 'USD'], ['5', 1299.5, 'USD']]);
  assert.equal(feed.items[0]!.text, 'Kettle. A kettle, with a whistle');
  assert.deepEqual(feed.skipped.map(formatProblem), [
    'shop.csv:4: field "title" missing title',
    'shop.csv:5: field "price" bad price ("cheap" is not a price like "12.99 USD")',
    'shop.csv:6: field "availability" unknown availability ("maybe" is not "in stock", "out of stock", "preorder" or "backorder")',
    'shop.csv:7: field "id" duplicate id ("1" is already on line 2)',
    'shop.csv:9: more fields than the header (6 fields, the header has 5: a delimiter inside an unquoted value?)',
  ]);
  assert.deepEqual(summarizeProblems(feed.skipped), ['1 × bad price', '1 × duplicate id', '1 × missing title', '1 × more fields than the header', '1 × unknown availability']);
});

test('prices: currency before or after, decimal commas, a default currency', () => {
  assert.deepEqual(parsePrice('USD 3.5'), { price: 3.5, currency: 'USD' });
  assert.deepEqual(parsePrice('12,99 eur'), { price: 12.99, currency: 'EUR' });
  assert.deepEqual(parsePrice('7', 'CHF'), { price: 7, currency: 'CHF' });
  assert.deepEqual(parsePrice('7'), { price: 7 });
  assert.ok('problem' in parsePrice('USD 3 EUR'));
});

test('Merchant Center XML (RSS, g: namespace, CDATA, entities)', () => {
  const xml = `<?xml version="1.0"?>
<rss xmlns:g="http://base.google.com/ns/1.0" version="2.0"><channel><title>Shop</title>
<item>
  <g:id>A1</g:id><title><![CDATA[Tea & Toast Set]]></title>
  <g:description>Two cups &amp; a rack</g:description>
  <g:product_type>Home &gt; Tableware</g:product_type>
  <g:price>19.00 EUR</g:price><g:availability>in_stock</g:availability>
  <link>https://shop.example/a1</link>
</item>
<item>
  <g:id>A2</g:id><title>Gone</title><g:availability>out_of_stock</g:availability>
</item>
</channel></rss>`;
  const feed = readFeed(xml, 'feed.xml');
  assert.equal(feed.format, 'merchant-xml');
  assert.deepEqual(feed.items.map((i) => [i.id, i.title, i.categories, i.price, i.currency, i.url]), [['A1', 'Tea & Toast Set', ['Tableware'], 19, 'EUR', 'https://shop.example/a1']]);
  assert.equal(feed.items[0]!.text, 'Tea & Toast Set. Tableware. Two cups & a rack');
  assert.deepEqual(feed.skipped.map((p) => [p.line, p.reason]), [[10, 'out of stock']]);
});

test("Shopify products.json: lowest variant price, the shop's relative product URL, sold out skipped", () => {
  const json = JSON.stringify(
    {
      products: [
        { id: 101, title: 'Apron', handle: 'linen-apron', body_html: '<p>Linen <b>apron</b></p>', product_type: 'Textiles', variants: [{ price: '30.00', available: true }, { price: '25.00', available: false }], images: [{ src: '/cdn/apron.jpg' }] },
        { id: 102, title: 'Towel', handle: 'towel', variants: [{ price: '9.00', available: false }] },
        { id: 103, title: 'Mitt', handle: 'mitt', variants: [{ price: 'n/a' }] },
      ],
    },
    null,
    2,
  );
  const feed = readFeed(json, 'products.json', { currency: 'CAD' });
  assert.equal(feed.format, 'shopify-json');
  assert.deepEqual(feed.items, [
    { id: '101', title: 'Apron', text: 'Apron. Textiles. Linen apron', categories: ['Textiles'], year: null, price: 25, currency: 'CAD', url: '/products/linen-apron', image: '/cdn/apron.jpg' },
  ]);
  assert.deepEqual(feed.skipped.map((p) => [p.line, p.field, p.reason]), [
    [25, 'variants', 'out of stock'],
    [36, 'variants[].price', 'bad price'],
  ]);
});

test('Pulse catalog JSON: rows validated by the catalog schema, lines named; a syntax error is file:line, not the file', () => {
  const json = '[\n  {"id": "a", "title": "A", "text": "A thing", "categories": []},\n  {"id": "b", "title": "B", "text": "", "categories": []},\n  {"id": "c", "title": "C", "text": "C", "categories": [], "available": false}\n]';
  const feed = readFeed(json, 'catalog.json');
  assert.equal(feed.format, 'pulse-json');
  assert.deepEqual(feed.items.map((i) => i.id), ['a']);
  assert.deepEqual(feed.skipped.map((p) => [p.line, p.field, p.reason]), [[3, 'text', 'bad text'], [4, 'available', 'out of stock']]);
  const broken = '[\n  {"id": "a",\n   "title": "A" "text": "x"}\n]';
  assert.throws(() => readFeed(broken, 'broken.json'), (error: unknown) => {
    assert.ok(error instanceof FeedError);
    assert.equal(error.line, 3);
    assert.match(error.message, /^broken\.json:3: not valid JSON at column 17/);
    assert.doesNotMatch(error.message, /"title"/, 'the file is not echoed');
    return true;
  });
});

test('a feed with nothing usable, or no id column, stops with the reason', () => {
  assert.throws(() => readFeed('title,price\nA,1\n', 'x.csv'), /x\.csv:1: no id column/);
  assert.throws(() => readFeed('id,title,availability\n1,A,out of stock\n', 'y.csv'), /y\.csv: no usable products: all 1 rows were skipped/);
});
