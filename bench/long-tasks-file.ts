/**
 * Re-reads traces saved by `bench/long-tasks.ts --keep DIR` and lists their long tasks again
 * (no browser): `npx tsx bench/long-tasks-file.ts DIR/*.json`.
 */
import { readFileSync } from 'node:fs';
import { formatTask, longTasks, type TraceEvent } from './trace-long-tasks.ts';

for (const file of process.argv.slice(2)) {
  const trace = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] };
  const tasks = longTasks(trace.traceEvents);
  console.log(`\n### ${file}: ${tasks.length} main-thread tasks > 50 ms (page renderer only)`);
  for (const task of tasks) console.log(`- ${formatTask(task)}`);
}
