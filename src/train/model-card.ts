/** The model card written next to exported towers: what it is, how it was made, how good it is. */
import type { ModelRun } from '../eval/harness.ts';
import type { AlphaSelection } from '../model/alpha-selection.ts';
import type { FitReport } from './fit-loop.ts';

/** The α sweep as reported: the selection, plus test numbers when --retune-alpha measured them. */
export interface AlphaReport extends AlphaSelection {
  /** The α before this selection (a retune). */
  previous?: number;
  test?: {
    /** Mean test NDCG@10 per α of the sweep (for the record: the choice reads validation only). */
    ndcg10: number[];
    previous: number;
    chosen: number;
    /** Paired SE of the per-user test difference, chosen − previous. */
    se: number;
    cases: number;
  };
  /** How these numbers were made, when not by the training run itself. */
  how?: string;
}

const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(4)}`;

/** "## Steering (α)": the sweep table, the rule and what the choice does on test. */
export function alphaSweepSection(a: AlphaReport): string {
  const test = a.test;
  const header = `| α | validation NDCG@10 | Δ vs best α | paired SE | within 1 SE |${test ? ' test NDCG@10 |' : ''}`;
  const rule = `| --- | --- | --- | --- | --- |${test ? ' --- |' : ''}`;
  const rows = a.sweep.map(
    (p, i) =>
      `| ${p.alpha === a.alpha ? `**${p.alpha}**` : p.alpha} | ${p.ndcg10.toFixed(4)} | ${signed(p.delta)} | ${p.se.toFixed(4)} | ${p.withinOneSe ? 'yes' : 'no'} |${test ? ` ${test.ndcg10[i]!.toFixed(4)} |` : ''}`,
  );
  const lines = [
    '## Steering (α)',
    `The query is the behaviour vector plus α·|behaviour| × the unit rationale vector of the preference statement.`,
    `α is chosen on validation (${a.cases} users) by a one-standard-error rule: the largest α whose mean NDCG@10 is`,
    `not worse than the best α's (α = ${a.best}) by more than one standard error of the per-user difference — steer as`,
    `much as costs nothing measurable. Chosen: **α = ${a.alpha}**.`,
    '',
    header,
    rule,
    ...rows,
  ];
  if (a.alpha === Math.max(...a.sweep.map((p) => p.alpha)) && a.alpha !== a.best) {
    lines.push('', `α = ${a.alpha} is the grid's largest: the grid bounds this choice, not a measured cost.`);
  }
  if (test) {
    const diff = test.chosen - test.previous;
    lines.push(
      '',
      `Test (${test.cases} users, not used for the choice): NDCG@10 ${test.previous.toFixed(4)} at the previous α = ${a.previous} and`,
      `${test.chosen.toFixed(4)} at α = ${a.alpha}: ${signed(diff)} (paired SE ${test.se.toFixed(4)})${Math.abs(diff) <= 2 * test.se ? ', within noise' : ''}.`,
      `The metrics table above is the training run's own test at α = ${a.previous ?? 0} (in memory); these numbers go through the`,
      'exported files as the browser reads them.',
    );
  }
  if (a.how) lines.push(`Made by ${a.how}.`);
  return lines.join('\n') + '\n';
}

export interface ModelCardInput {
  command: string;
  variant: string;
  seed: number;
  split: string[];
  options: object;
  alpha: number;
  fit: FitReport | null;
  alphaSelection?: AlphaReport | null;
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

/** The card's α line and sweep section, rewritten in place (the rest of the card may be hand-edited). */
export function updateModelCard(card: string, a: AlphaReport, manifestBytes: number): string {
  let out = card.replace(/α = [0-9.]+ \(tuned on validation[^)]*\)\./, `α = ${a.alpha} (tuned on validation, one-standard-error rule; see "Steering").`);
  out = out.replace(/- `thought-space\.json`: [0-9.]+ KiB/, `- \`thought-space.json\`: ${(manifestBytes / 1024).toFixed(1)} KiB`);
  const section = alphaSweepSection(a);
  const existing = /## Steering \(α\)\n[\s\S]*?(?=\n## )/;
  if (existing.test(out)) return out.replace(existing, section);
  const anchor = out.indexOf('## Data and split');
  if (anchor < 0) return `${out.trimEnd()}\n\n${section}`;
  return `${out.slice(0, anchor)}${section}\n${out.slice(anchor)}`;
}

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
- **Query**: behaviour vector + α × (rationale vector of the browser's preference statement), α = ${c.alpha} (tuned on validation${c.alphaSelection ? ', one-standard-error rule; see "Steering"' : ''}).

${c.alphaSelection ? `${alphaSweepSection(c.alphaSelection)}\n` : ''}## Data and split
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
