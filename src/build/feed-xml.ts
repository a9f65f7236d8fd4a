/**
 * Google Merchant Center XML feeds (RSS 2.0 `<item>` or Atom `<entry>`, fields in the
 * `g:` namespace or bare). Not a general XML parser: a product feed is a flat list of
 * records of text elements, which is all this reads — each child element's text (CDATA and
 * the five XML entities plus numeric ones decoded), keyed by its local name.
 */
import { FeedError, lineAt } from './feed-problem.ts';
import type { DelimitedRecord } from './delimited.ts';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXmlText(raw: string): string {
  return raw
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, cdata: string) => cdata.replace(/&/g, '\u0000amp;'))
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\u0000amp;/g, '&')
    .trim();
}

/** Each `<item>`/`<entry>` as a record of its children's text, with the line it starts on. */
export function parseFeedXml(text: string, file: string): DelimitedRecord[] {
  if (!/<(rss|feed|channel)[\s>]/.test(text)) throw new FeedError(file, 'not a Merchant Center XML feed: expected <rss> with <item>s or an Atom <feed> with <entry>s');
  const records: DelimitedRecord[] = [];
  const block = /<(item|entry)(\s[^>]*)?>([\s\S]*?)<\/\1>/g;
  // Lines counted incrementally: a feed of 100k items must not rescan from the start each time.
  let counted = 0;
  let line = 1;
  for (let match = block.exec(text); match; match = block.exec(text)) {
    const values: Record<string, string> = {};
    const inner = match[3]!;
    // <g:price>12.99 USD</g:price>, <title>…</title>; the first occurrence of a name wins,
    // except repeated additional_image_link / product_type, which are joined.
    const child = /<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)(\s[^>]*)?(?:\/>|>([\s\S]*?)<\/\1?\2>)/g;
    for (let c = child.exec(inner); c; c = child.exec(inner)) {
      const name = c[2]!.toLowerCase();
      const attributes = c[3] ?? '';
      // Atom: <link href="…"/>
      const value = c[4] !== undefined ? decodeXmlText(c[4]) : (/\bhref="([^"]*)"/.exec(attributes)?.[1] ?? '');
      if (values[name] === undefined) values[name] = value;
    }
    line += lineAt(text.slice(counted, match.index), match.index - counted) - 1;
    counted = match.index;
    records.push({ line, values });
  }
  if (records.length === 0) throw new FeedError(file, 'no <item> or <entry> elements found');
  return records;
}
