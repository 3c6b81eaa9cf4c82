// Model files on disk: read and check one (clear errors, exit 2), and write one atomically.
import { readFile, stat } from 'node:fs/promises';
import { formatBytes } from '../fetch/body.js';
import path from 'node:path';
import { inspectModel, loadScorer, ModelFormatError, parseModel, type ModelHeader, type ModelInfo, type ModelState, type Scorer } from '../model/model.js';
import { MODEL_LABELS } from '../model/naive-bayes.js';
import { DEFAULT_MODEL_FILE } from '../paths.js';
import { LurescanError } from '../types.js';
import { describeModelSummary, type ModelSummary } from '../report/summary.js';

export interface LoadedModel {
  /** As shown to users: relative to the working folder when inside it. */
  file: string;
  text: string;
  info: ModelInfo;
  scorer: Scorer;
}

export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === '' || relative.startsWith('..') ? file : relative;
}

/**
 * Largest model file read. A model lurescan writes takes about 40 bytes a token: 15 MB at the
 * default 400,000 tokens, 80 MB at the 2,000,000 `train --max-vocabulary` allows. Reading one takes
 * about ten times its size in memory, so a larger file is refused before it is read.
 */
export const MAX_MODEL_BYTES = 128 * 1024 * 1024;

/** The text of a model file, refused unread when it is too large; `undefined` means the shipped model. */
async function readModelText(location: string | undefined): Promise<{ file: string; text: string }> {
  const file = location ?? DEFAULT_MODEL_FILE;
  const shown = displayPath(file);
  try {
    const { size } = await stat(file);
    if (size > MAX_MODEL_BYTES) {
      throw new LurescanError('MODEL_INVALID', `model ${shown} is ${formatBytes(size)}, over the ${formatBytes(MAX_MODEL_BYTES)} a model file may take (lurescan's are about 15 MB at the default 400,000 tokens): it is not a lurescan model, or was trained with too large a --max-vocabulary`);
    }
    return { file: shown, text: await readFile(file, 'utf8') };
  } catch (error) {
    if (error instanceof LurescanError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    const hint = location === undefined ? ' (the shipped model is missing: reinstall, run `npm run train:default`, or scan with --no-model)' : '';
    throw new LurescanError('MODEL_UNREADABLE', `cannot read model ${shown}: ${code}${hint}`);
  }
}

function asUsageError(file: string, error: unknown): never {
  if (error instanceof ModelFormatError) throw new LurescanError('MODEL_INVALID', `model ${file}: ${error.message}`);
  throw error;
}

/** Read and check a model file and build its scorer; `undefined` means the shipped model. */
export async function loadModelFile(location: string | undefined): Promise<LoadedModel> {
  const { file, text } = await readModelText(location);
  try {
    return { file, text, ...loadScorer(text) };
  } catch (error) {
    return asUsageError(file, error);
  }
}

/** A model file checked and described, its scorer not built (for scans, whose threads build their own). */
export interface InspectedModel {
  file: string;
  text: string;
  header: ModelHeader;
}

export async function inspectModelFile(location: string | undefined): Promise<InspectedModel> {
  const { file, text } = await readModelText(location);
  try {
    return { file, text, header: inspectModel(text) };
  } catch (error) {
    return asUsageError(file, error);
  }
}

/** A loaded model's full training state, for `train --update`. */
export function modelState(model: LoadedModel): ModelState {
  try {
    return parseModel(model.text);
  } catch (error) {
    if (error instanceof ModelFormatError) throw new LurescanError('MODEL_INVALID', `model ${model.file}: ${error.message}`);
    throw error;
  }
}

/** What a run's summary says about a model: file, what it learned from, and whether it is used. */
export function modelSummary(file: string, header: Pick<ModelHeader, 'documents' | 'fingerprint' | 'untrusted' | 'info'>): ModelSummary {
  return {
    used: header.untrusted === undefined,
    ...(header.untrusted !== undefined ? { reason: header.untrusted } : {}),
    file,
    documents: Object.fromEntries(header.documents.map((n, c) => [MODEL_LABELS[c], n])),
    trainedOn: header.info.trainedOn,
    fingerprint: header.fingerprint,
  };
}

/** One line on what the model learned from, for summaries. */
export function describeModel(model: LoadedModel): string {
  const { documents, fingerprint } = model.scorer;
  return describeModelSummary(modelSummary(model.file, { documents, fingerprint, info: model.info }));
}
