/**
 * The package's main entry (`import { createPulse } from 'pulse-recs'`): the client API a
 * page uses with a bundler (Vite: add `pulseVite()` from 'pulse-recs/vite' to its plugins).
 * The script-tag loader is dist/pulse.js; the custom element is 'pulse-recs/element';
 * the shop-side build is 'pulse-recs/build' (Node).
 */
export { createPulse, defaultVectorsUrl, PulseError } from './client/create-pulse.ts';
export { DEFAULT_THOUGHT_SPACE } from './client/api.ts';
export type * from './client/api.ts';
export { shopOptions, type ShopOptions } from './client/shop-options.ts';
export { validateCatalog, CatalogError } from './core/catalog.ts';
export { EventError } from './core/event.ts';
export { formatPrice } from './core/price.ts';
export type { CatalogItem, EventInput, EventType, PulseEvent, Recommendation, RecommendResult, Why, BackendName } from './core/types.ts';
