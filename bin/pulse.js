#!/usr/bin/env node
// The `pulse` command. Pulse ships its TypeScript source; tsx (a dependency) runs it in
// Node 20 without a compile step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/build/cli.ts');
process.exitCode = await main(process.argv.slice(2));
