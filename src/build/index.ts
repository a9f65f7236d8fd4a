/**
 * The shop-side API (Node): `import { buildShop, readFeed } from 'pulse-recs/build'` — what
 * the `pulse build` command runs, for shops that script their own pipeline.
 */
export { buildShop, BuildError, DEFAULT_SHOP_TEXTS, type BuildOptions, type BuildResult } from './build.ts';
export { readFeed, type FeedFormat, type FeedResult } from './read-feed.ts';
export { FeedError, formatProblem, summarizeProblems, type RowProblem } from './feed-problem.ts';
export { parsePrice, parseAvailability } from './product.ts';
