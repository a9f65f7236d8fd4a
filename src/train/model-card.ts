/** The model card written next to exported towers: what it is, how it was made, how good it is. */
import type { ModelRun } from '../eval/harness.ts';
import type { FitReport } from './fit-loop.ts';

export interface ModelCardInput {
  command: string;
  variant: string;
  seed: number;
  split: string[];
  options: object;
  alpha: number;
  fit: FitReport | null;
  test: ModelRun | undefined;
  validation: { inMemory: number; float32: number; int8: number | null; exported: number; precision: string };
  sizes: Record<string, number>;
  parameters: Record<string, number>;
  seconds: number;
  interactions: string;
  catalog: string;
  outDir: string;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export function modelCard(c: ModelCardInput): string {
  const metrics = c.test ? Object.entries(c.test.full).map(([k, v]) => `| ${k} | ${v.toFixed(4)} |`).join('\n') : '| — | — |';
  const params = Object.values(c.parameters).reduce((a, b) => a + b, 0);
  return `# ${c.outDir.split('/').pop()} — PULSE Thought Space towers (${c.variant})

Trained by this repository's \`npm run train\` (src/train/cli.ts); loaded in the worker and in Node by
\`loadThoughtSpace\` (src/model/thought-space-loader.ts).

## What it is
- **Item tower**: USE-lite 512-d text vector of the item → linear projection to ${c.fit ? '' : ''}the Thought Space,
  plus a learned ID embedding for the training catalog (folded into \`items.vectors.bin\`; the text projection is
  shipped too, so new items can be placed without retraining).
- **Behaviour tower**: the history's item vectors + rating/event-type embedding → 2-block causal transformer →
  user vector (the newest step's output).
- **Rationale tower**: USE-lite vector of a rationale → projection into the same space.
- **Training**: next-item InfoNCE (*what*, sampled softmax) + PULSE alignment InfoNCE between the behaviour vector
  of "history + chosen item" and the teacher rationale of that choice (*why*; cosine, learned temperature).
  Teacher: the deterministic evidence composer (src/core/evidence-composer.ts) — not a language model.
- **Query**: behaviour vector + α × (rationale vector of the browser's preference statement), α = ${c.alpha} (tuned on validation).

## Data and split
- interactions: \`${c.interactions}\`; catalog: \`${c.catalog}\`
- ${c.split.join('\n- ')}
- seed ${c.seed}

## Metrics (test split, full ranking over all items the user has not interacted with)
| metric | value |
| --- | --- |
${metrics}

Validation NDCG@10: ${c.validation.inMemory.toFixed(4)} in memory (float item vectors); through the exported files
(int8 item vectors, loaded by \`loadThoughtSpace\`) ${c.validation.float32.toFixed(4)} with float32 weights; shipped
**${c.validation.precision}** weights (${c.validation.exported.toFixed(4)}). int8 weights ship when they cost < 1%.
${c.fit ? `Training: best epoch ${c.fit.bestEpoch} of ${c.fit.epochs} (${c.fit.stoppedBy}), ${c.fit.sequencesPerSecond.toFixed(1)} sequences/s, ${c.seconds.toFixed(0)} s in all (Node, tfjs wasm).` : ''}

## Sizes
${Object.entries(c.sizes).map(([f, b]) => `- \`${f}\`: ${kb(b)}`).join('\n')}
- ${params.toLocaleString('en')} trained parameters (the ID embedding and text projection end up in the item vectors).

## Reproduce
\`\`\`
${c.command}
\`\`\`
Options: \`${JSON.stringify(c.options)}\`

## Origin and licence
Weights trained here from MovieLens "latest-small" ratings (GroupLens). A model derived from MovieLens carries its
terms (\`public/catalog/LICENSE.md\`): research and non-commercial use, redistribution under the same terms,
commercial use needs GroupLens' permission; cite Harper & Konstan 2015 (DOI 10.1145/2827872).
Text vectors from Google's Universal Sentence Encoder lite (Apache-2.0, \`models/use-lite\`). Code Apache-2.0.
`;
}
