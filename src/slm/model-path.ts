/**
 * transformers.js 4.3 only checks that a local file exists when `localModelPath` is a path,
 * not an http(s) URL (get_file_metadata skips URLs and then calls the tokenizer missing), so
 * a same-origin models URL is given as its path; the worker's fetch resolves it against
 * the site. A models URL on another origin is kept whole.
 */
export function localModelPathFor(modelsUrl: string, origin: string): string {
  const url = new URL(modelsUrl);
  const base = url.origin === origin ? url.pathname : url.href;
  return `${base.replace(/\/+$/, '')}/`;
}
