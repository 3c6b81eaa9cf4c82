// Model files on disk: read and check one (clear errors, exit 2) into a scorer or a training state.
// What a scan needs (the bytes, the shared tables) is in model-tables.ts, which loads no model code.
import { loadScorer, ModelFormatError, parseModel, type ModelInfo, type ModelState, type Scorer } from '../model/model.js';
import { describeModelSummary } from '../report/summary.js';
import { LurescanError } from '../types.js';
import { modelSummary, readModelBytes } from './model-tables.js';

export interface LoadedModel {
  /** As shown to users: relative to the working folder when inside it. */
  file: string;
  text: string;
  info: ModelInfo;
  scorer: Scorer;
}

async function readModelText(location: string | undefined, cwd: string): Promise<{ file: string; text: string }> {
  const { file, bytes } = await readModelBytes(location, cwd);
  return { file, text: bytes.toString('utf8') };
}

function asUsageError(file: string, error: unknown): never {
  if (error instanceof ModelFormatError) throw new LurescanError('MODEL_INVALID', `model ${file}: ${error.message}`);
  throw error;
}

/** Read and check a model file and build its scorer; `undefined` means the shipped model. `cwd`: the working folder it is shown relative to. */
export async function loadModelFile(location: string | undefined, cwd: string): Promise<LoadedModel> {
  const { file, text } = await readModelText(location, cwd);
  try {
    return { file, text, ...loadScorer(text) };
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

/** One line on what the model learned from, for summaries. */
export function describeModel(model: LoadedModel): string {
  const { documents, fingerprint } = model.scorer;
  return describeModelSummary(modelSummary(model.file, { documents, fingerprint, info: model.info }));
}
