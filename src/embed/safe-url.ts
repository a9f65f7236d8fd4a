/**
 * Catalog URLs become hrefs and image sources, so only web URLs pass: a `javascript:` or
 * `data:` URL in a catalog must never become something a shopper can click.
 */
export function safeUrl(url: string | undefined, pageUrl: string): string | null {
  if (!url) return null;
  try {
    const resolved = new URL(url, pageUrl);
    return resolved.protocol === 'http:' || resolved.protocol === 'https:' ? resolved.href : null;
  } catch {
    return null;
  }
}
