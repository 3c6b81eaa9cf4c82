// Labelled inputs for `train` and `eval`: postings with an answer-key column, its values mapped to
// the model's classes; postings without a usable label are counted and named, never silently used.
import { createHash } from 'node:crypto';
import { classOfTruth, parseLabelMap, truthOf, TRUTHS, type Truth } from '../contracts/labels.js';
import type { TrainingSource } from '../model/model.js';
import { parseMapOption } from '../input/fields.js';
import { planInputs, readInputs } from '../input/index.js';
import { LurescanError, type Posting } from '../types.js';
import { parseEncodingOption, parseInputFormat, parseLimitOptions } from './flags.js';
import type { CliIO } from './io.js';

export interface LabelledOptions {
  label?: string;
  labelMap?: string;
  map?: string;
  inputFormat?: string;
  encoding?: string;
  maxRecord?: string;
  maxRatio?: string;
  /** What a posting without a label is taken to be (`--default-label legit` for sets presumed legitimate). */
  defaultLabel?: string;
}

export interface LabelledDoc {
  posting: Posting;
  /** What the answer key says. */
  truth: Truth;
  /** The class it trains (index into MODEL_LABELS; a binary key's fraud is employment fraud). */
  label: number;
}

export interface LabelledSet {
  /** The postings read, unless the reader was given `onDoc` (then empty: each went to it instead). */
  docs: LabelledDoc[];
  /** Postings or records left out, by reason, with the first few ids as examples. */
  skipped: Map<string, { count: number; examples: string[] }>;
  sources: TrainingSource[];
}

/**
 * Read labelled postings; problems are collected (and the first ones printed), not fatal. With
 * `onDoc`, each posting goes to it as it is read and none is kept: `train` keeps only its tokens, so
 * its memory does not hold the text of a whole dump.
 */
export async function readLabelled(inputs: readonly string[], options: LabelledOptions, io: CliIO, onDoc?: (doc: LabelledDoc) => void): Promise<LabelledSet> {
  if (inputs.length === 0) throw new LurescanError('USAGE', 'no inputs: name labelled files or folders (CSV, JSONL, JSON with a label column)');
  const inputFormat = parseInputFormat(options.inputFormat);
  const map = parseMapOption(options.map);
  if (options.label !== undefined) map.label = options.label;
  let labelMap: Record<string, Truth>;
  try {
    labelMap = parseLabelMap(options.labelMap);
  } catch (error) {
    throw new LurescanError('USAGE', (error as Error).message);
  }
  const fallback = options.defaultLabel === undefined ? undefined : truthOf(options.defaultLabel, labelMap);
  if (options.defaultLabel !== undefined && fallback === undefined) {
    throw new LurescanError('USAGE', `--default-label must be one of ${TRUTHS.join(', ')} (got \`${options.defaultLabel}\`)`);
  }
  const units = await planInputs(inputs);
  const set: LabelledSet = { docs: [], skipped: new Map(), sources: [] };
  const skip = (reason: string, id: string): void => {
    const entry = set.skipped.get(reason) ?? { count: 0, examples: [] };
    entry.count++;
    if (entry.examples.length < 3) entry.examples.push(id);
    set.skipped.set(reason, entry);
  };
  const hashes = new Map<string, { hash: ReturnType<typeof createHash>; documents: number }>();
  const encoding = parseEncodingOption(options.encoding);
  const readOptions = {
    map,
    stdin: io.stdin,
    limits: parseLimitOptions(options),
    ...(inputFormat ? { inputFormat } : {}),
    ...(encoding ? { encoding } : {}),
  };
  for await (const item of readInputs(units, readOptions)) {
    if (item.kind === 'error') {
      // A whole file that could not be read (a --label or --map column it does not have, ...) says
      // why in full; row errors are grouped by code, their examples naming the rows.
      const { code, message } = item.record.error;
      const wholeFile = item.record.source.row === undefined && item.record.source.line === undefined && item.record.source.index === undefined;
      skip(wholeFile ? `unreadable (${code}: ${message})` : `unreadable (${code})`, item.record.id);
      continue;
    }
    const { posting } = item;
    const unlabelled = posting.label === undefined || posting.label.trim() === '';
    if (unlabelled && fallback === undefined) {
      skip(options.label ? `no value in column \`${options.label}\`` : 'no label column (name it with --label <column>, or give --default-label)', posting.id);
      continue;
    }
    const truth = unlabelled ? fallback! : truthOf(posting.label, labelMap);
    if (truth === undefined) {
      skip(`label \`${posting.label!.trim()}\` is not one we read (map it: --label-map '${posting.label!.trim()}=${TRUTHS.join('|')}')`, posting.id);
      continue;
    }
    const label = classOfTruth(truth);
    if (onDoc) onDoc({ posting, truth, label });
    else set.docs.push({ posting, truth, label });
    const name = posting.source.file ?? posting.source.url ?? '-';
    let source = hashes.get(name);
    if (!source) hashes.set(name, (source = { hash: createHash('sha256'), documents: 0 }));
    source.hash.update(JSON.stringify([posting.id, label, posting.fields]));
    source.documents++;
  }
  for (const [name, { hash, documents }] of hashes) set.sources.push({ name, documents, fingerprint: hash.digest('hex').slice(0, 16) });
  return set;
}

/** The skip reasons as indented lines for stderr. */
export function describeSkipped(set: LabelledSet): string[] {
  return [...set.skipped].map(([reason, { count, examples }]) => `  skipped ${count}: ${reason} (e.g. ${examples.join(', ')})`);
}
