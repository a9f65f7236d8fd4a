import { parseArgs } from 'node:util';
import { EVENT_TYPES, type EventType } from '../core/types.ts';
import { parseCut, TIE_ORDERS, type Cut, type TieOrder } from './split.ts';
import { DEFAULT_MODELS } from './registry.ts';

/**
 * The data and split options that `npm run eval`, `npm run train` and `--retune-alpha` share:
 * one declaration, so a retuned model rebuilds the split its training run used.
 */
export const DATA_SPLIT_OPTIONS = {
  interactions: { type: 'string' },
  catalog: { type: 'string' },
  vectors: { type: 'string' },
  split: { type: 'string', default: 'loo' },
  'val-cut': { type: 'string', default: '0.8' },
  'test-cut': { type: 'string', default: '0.9' },
  ties: { type: 'string', default: 'seeded' },
} as const;

/** The committed MovieLens files: what `npm run eval` and `npm run train` read when no path is given. */
export const DEFAULT_DATA = {
  interactions: 'data/movielens-small/ratings.csv',
  catalog: 'public/catalog/movielens.json',
} as const;

export function parseTies(text: string | undefined): TieOrder {
  const ties = (text ?? 'seeded') as TieOrder;
  if (!TIE_ORDERS.includes(ties)) throw new RangeError(`--ties must be ${TIE_ORDERS.join(' or ')}, got ${text}`);
  return ties;
}

/** The options of `npm run eval` (usage below), validated: a bad flag is an error, not a default. */
export interface EvalArgs {
  interactions: string;
  catalog: string;
  vectors?: string;
  split: 'loo' | 'temporal';
  validationCut: Cut;
  testCut: Cut;
  ties: TieOrder;
  seeds: number[];
  models: string[];
  out: string;
  maxUsers?: number;
  targetsPerUser: number;
  timeUnit: 's' | 'ms';
  defaultType?: EventType;
}

export const USAGE = `npm run eval -- [--interactions <csv>] [--catalog <json|csv>] [--out <dir>] [options]
  --interactions <csv>    user,item,timestamp[,rating][,type] (default ${DEFAULT_DATA.interactions})
  --catalog <json|csv>    catalog JSON, or a feed CSV item,title[,categories][,year] embedded here
                          (default ${DEFAULT_DATA.catalog})
  --out <dir>             where results go (default results/<split>)
  --vectors <json>        item-vector manifest (default: <catalog>.vectors.json; CSV catalogs: embedded)
  --ties seeded|file      order of same-time events: seeded shuffle (default) or file order
  --split loo|temporal    leave-one-out by time (default) or a global time cut
  --test-cut <q|date>     temporal: test from this quantile of timestamps or date (default 0.9)
  --val-cut <q|date>      temporal: validation from here, before the test cut (default 0.8)
  --targets-per-user N    temporal: evaluate each user's first N new items after a cut (default 10)
  --seed N | --seeds 1,2,3   seeds (tie order, negatives, model init); mean ± std over several
  --models a,b,…          default ${DEFAULT_MODELS.join(',')}
  --max-users N           evaluate a seeded sample of N users (quick runs)
  --time-unit s|ms        unit of numeric timestamps (default s, as in MovieLens)
  --default-type <type>   event type of rows without rating/type (default purchase)`;

function positiveInteger(text: string, flag: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) throw new RangeError(`${flag} must be a non-negative integer, got ${JSON.stringify(text)}`);
  return n;
}

export function parseEvalArgs(argv: readonly string[]): EvalArgs {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      ...DATA_SPLIT_OPTIONS,
      seed: { type: 'string' },
      seeds: { type: 'string' },
      models: { type: 'string', default: DEFAULT_MODELS.join(',') },
      out: { type: 'string' },
      'max-users': { type: 'string' },
      'targets-per-user': { type: 'string', default: '10' },
      'time-unit': { type: 'string', default: 's' },
      'default-type': { type: 'string' },
    },
  });
  if (values.split !== 'loo' && values.split !== 'temporal') throw new RangeError(`--split must be loo or temporal, got ${values.split}`);
  if (values.seed !== undefined && values.seeds !== undefined) throw new RangeError('give --seed or --seeds, not both');
  const seeds = (values.seeds ?? values.seed ?? '1').split(',').map((s) => positiveInteger(s, '--seed(s)'));
  if (new Set(seeds).size !== seeds.length) throw new RangeError(`--seeds repeats a seed: ${values.seeds}`);
  const models = values.models!.split(',').map((m) => m.trim()).filter(Boolean);
  if (models.length === 0) throw new RangeError('--models is empty');
  if (values['time-unit'] !== 's' && values['time-unit'] !== 'ms') throw new RangeError(`--time-unit must be s or ms, got ${values['time-unit']}`);
  const defaultType = values['default-type'];
  if (defaultType !== undefined && !(EVENT_TYPES as readonly string[]).includes(defaultType)) {
    throw new RangeError(`--default-type must be one of ${EVENT_TYPES.join(', ')}, got ${defaultType}`);
  }
  const args: EvalArgs = {
    interactions: values.interactions ?? DEFAULT_DATA.interactions,
    catalog: values.catalog ?? DEFAULT_DATA.catalog,
    split: values.split,
    ties: parseTies(values.ties),
    validationCut: parseCut(values['val-cut']!),
    testCut: parseCut(values['test-cut']!),
    seeds,
    models,
    out: values.out ?? `results/${values.split}`,
    timeUnit: values['time-unit'],
    targetsPerUser: positiveInteger(values['targets-per-user']!, '--targets-per-user'),
  };
  if (args.targetsPerUser < 1) throw new RangeError('--targets-per-user must be at least 1');
  if (values.vectors) args.vectors = values.vectors;
  if (values['max-users'] !== undefined) args.maxUsers = positiveInteger(values['max-users'], '--max-users');
  if (defaultType !== undefined) args.defaultType = defaultType as EventType;
  return args;
}
