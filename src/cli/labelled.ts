// Labelled inputs for `train` and `eval`: postings with an answer-key column, its values mapped to
// the model's classes; postings without a usable label are counted and named, never silently used.
import { createHash } from 'node:crypto';
import { parseLabelMap, classOfValue } from '../model/train.js';
import { MODEL_LABELS } from '../model/naive-bayes.js';
import type { TrainingSource } from '../model/model.js';
import { parseMapOption } from '../sources/fields.js';
import { INPUT_FORMATS, planInputs, readInputs, type InputFormat } from '../sources/index.js';
import { LurescanError, type Posting } from '../types.js';
import type { CliIO } from './io.js';

export interface LabelledOptions {
  label?: string;
  labelMap?: string;
  map?: string;
  inputFormat?: string;
}

export interface LabelledDoc {
  posting: Posting;
  /** Index into MODEL_LABELS. */
  label: number;
}

export interface LabelledSet {
  docs: LabelledDoc[];
  /** Postings or records left out, by reason, with the first few ids as examples. */
  skipped: Map<string, { count: number; examples: string[] }>;
  sources: TrainingSource[];
}

/** Read labelled postings; problems are collected (and the first ones printed), not fatal. */
export async function readLabelled(inputs: readonly string[], options: LabelledOptions, io: CliIO): Promise<LabelledSet> {
  if (inputs.length === 0) throw new LurescanError('USAGE', 'no inputs: name labelled files or folders (CSV, JSONL, JSON with a label column)');
  if (options.inputFormat !== undefined && !INPUT_FORMATS.includes(options.inputFormat as InputFormat)) {
    throw new LurescanError('USAGE', `--input-format must be one of ${INPUT_FORMATS.join(', ')} (got \`${options.inputFormat}\`)`);
  }
  const map = parseMapOption(options.map);
  if (options.label !== undefined) map.label = options.label;
  let labelMap: Record<string, number>;
  try {
    labelMap = parseLabelMap(options.labelMap);
  } catch (error) {
    throw new LurescanError('USAGE', (error as Error).message);
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
  const readOptions = { map, stdin: io.stdin, ...(options.inputFormat ? { inputFormat: options.inputFormat as InputFormat } : {}) };
  for await (const item of readInputs(units, readOptions)) {
    if (item.kind === 'error') {
      skip(`unreadable (${item.record.error.code})`, item.record.id);
      continue;
    }
    const { posting } = item;
    if (posting.label === undefined || posting.label.trim() === '') {
      skip(options.label ? `no value in column \`${options.label}\`` : 'no label column (name it with --label <column>)', posting.id);
      continue;
    }
    const label = classOfValue(posting.label, labelMap);
    if (label === undefined) {
      skip(`label \`${posting.label.trim()}\` is not a class (map it: --label-map '${posting.label.trim()}=${MODEL_LABELS.join('|')}')`, posting.id);
      continue;
    }
    set.docs.push({ posting, label });
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
