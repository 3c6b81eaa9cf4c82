// Labelled inputs for `train`, `eval` and `rescore`: postings with an answer-key column, its values
// mapped to the model's classes; postings without a usable label are counted and named, never
// silently used. The CLI parses the flags (cli/flags.ts `labelledReadOptions`); this reads.
import { createHash } from 'node:crypto';
import { classOfTruth, TRUTHS, truthOf, type Truth } from '../contracts/labels.js';
import { LurescanError, type Posting } from '../types.js';
import { planInputs, readInputs, type ReadOptions } from './index.js';

/** Where labelled postings came from: a file's name, how many it gave and a fingerprint of them (the model records it). */
export interface LabelledSource {
  name: string;
  documents: number;
  fingerprint: string;
}

/** How to read a labelled corpus, flags already parsed. */
export interface LabelledReadOptions {
  /** How to read the inputs (`map` names the label column as `label` when it is not called so). */
  read: ReadOptions;
  /** The answer key's values the user mapped (`--label-map`). */
  labelMap: Record<string, Truth>;
  /** What a posting without a label is taken to be (`--default-label`). */
  fallback?: Truth;
  /** The label column the user named (`--label`), for the skip reason. */
  labelColumn?: string;
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
  sources: LabelledSource[];
}

/**
 * Read labelled postings; problems are collected (and the first ones printed), not fatal. With
 * `onDoc`, each posting goes to it as it is read and none is kept: `train` keeps only its tokens, so
 * its memory does not hold the text of a whole dump.
 */
export async function readLabelled(inputs: readonly string[], options: LabelledReadOptions, onDoc?: (doc: LabelledDoc) => void): Promise<LabelledSet> {
  if (inputs.length === 0) throw new LurescanError('USAGE', 'no inputs: name labelled files or folders (CSV, JSONL, JSON with a label column)');
  const { labelMap, fallback, labelColumn } = options;
  const units = await planInputs(inputs);
  const set: LabelledSet = { docs: [], skipped: new Map(), sources: [] };
  const skip = (reason: string, id: string): void => {
    const entry = set.skipped.get(reason) ?? { count: 0, examples: [] };
    entry.count++;
    if (entry.examples.length < 3) entry.examples.push(id);
    set.skipped.set(reason, entry);
  };
  const hashes = new Map<string, { hash: ReturnType<typeof createHash>; documents: number }>();
  for await (const item of readInputs(units, options.read)) {
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
      skip(labelColumn ? `no value in column \`${labelColumn}\`` : 'no label column (name it with --label <column>, or give --default-label)', posting.id);
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
