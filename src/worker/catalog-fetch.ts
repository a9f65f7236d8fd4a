/**
 * The catalog file, fetched, parsed and validated in the worker: a 1.5 MB JSON of 9k items
 * takes 100–250 ms to parse and check on a slow machine, time the page's main thread must not
 * spend. The worker needs every item for ranking anyway; the page gets a copy only when it asks
 * (`catalog()` in create-pulse.ts), in one structured-clone message.
 */
import { CatalogError, validateCatalog } from '../core/catalog.ts';
import type { CatalogItem } from '../core/types.ts';

/** Every failure is a CatalogError (its name crosses to the page as the PulseError's kind). */
export async function fetchCatalog(catalogUrl: string): Promise<CatalogItem[]> {
  let response: Response;
  try {
    response = await fetch(catalogUrl);
  } catch (error) {
    throw new CatalogError(`could not fetch the catalog at ${catalogUrl}: ${String(error)}`);
  }
  if (!response.ok) throw new CatalogError(`catalog ${catalogUrl}: HTTP ${response.status}`);
  let raw: unknown;
  try {
    raw = await response.json();
  } catch {
    throw new CatalogError(`catalog ${catalogUrl} is not valid JSON`);
  }
  return validateCatalog(raw);
}
