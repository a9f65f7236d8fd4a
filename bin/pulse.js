#!/usr/bin/env node
// The `pulse` command. Pulse ships its TypeScript source; tsx (a dependency) runs it in
// Node 20 without a compile step.
import { register } from 'tsx/esm/api';

// `pulse build … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
register();
const { main } = await import('../src/build/cli.ts');
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // A bug in Pulse: its stack, printed here rather than left uncaught — tfjs's wasm glue
  // rethrows uncaught errors from its own one-line source, which Node would print whole.
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
}
