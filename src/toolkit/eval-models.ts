// Which model judges each posting `eval` scores: the one loaded (with a warning for every labelled
// file it learned from: its figures there show memory, not accuracy), one trained per fold of the
// inputs (--folds), or none (--no-model).
import type { LabelledDoc, LabelledSource } from '../input/labelled.js';
import { crossValidatedScorers } from '../model/cross-validate.js';
import type { Scorer } from '../model/model.js';
import { DEFAULT_MAX_VOCABULARY } from '../model/train.js';
import { fitJobsFor } from '../run/fit-threads.js';
import { describeModel, type LoadedModel } from '../run/model-file.js';

export interface EvalModels {
  /** One a posting, in the order of the docs; undefined: rules alone. */
  scorers: Array<Scorer | undefined>;
  /** The model as the report names it. */
  name: string;
  /** What the user should know about it before reading the figures. */
  warnings: string[];
}

export async function evalModels(
  docs: readonly LabelledDoc[],
  sources: readonly LabelledSource[],
  folds: number | undefined,
  loaded: LoadedModel | undefined,
): Promise<EvalModels> {
  if (folds !== undefined) {
    const scorers = await crossValidatedScorers(
      docs.map((d) => d.posting.fields),
      docs.map((d) => d.label),
      folds,
      DEFAULT_MAX_VOCABULARY,
      docs.map((d) => d.posting.meta),
      [],
      fitJobsFor(docs.length),
    );
    const name = `${folds}-fold cross-validation: a model trained on the other folds scores each posting (folds by ad content and by meta.batch, so re-posts and a writing batch stay together)`;
    return { scorers, name, warnings: [] };
  }
  if (!loaded) return { scorers: docs.map(() => undefined), name: 'none (--no-model)', warnings: [] };
  const warnings: string[] = [];
  if (loaded.scorer.untrusted) warnings.push(`scans do not use this model (too small to trust: ${loaded.scorer.untrusted}); its figures are shown anyway`);
  // Figures on what the model learned from measure memory, not accuracy: say so, by content, whatever the files are called.
  const learned = new Map(loaded.info.sources.map((source) => [source.fingerprint, source.name]));
  for (const source of sources) {
    const trained = learned.get(source.fingerprint);
    if (trained !== undefined)
      warnings.push(
        `the model learned from ${source.name} (as ${trained}, same postings and labels): its figures there show what it remembers, not how it does on new ads; measure on held-out postings, or use --folds`,
      );
  }
  return { scorers: docs.map(() => loaded.scorer), name: describeModel(loaded), warnings };
}
