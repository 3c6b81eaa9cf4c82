// k-fold cross-validation of the model: one model per fold, trained on the other folds, so every
// posting can be scored by a model that never saw it (folds by ad content, and by writing batch where `meta.batch` names one: re-posts and a
// writer's batch stay together).
import { postingLanguage } from '../lang/detect.js';
import type { FitJobs } from './logistic.js';
import { emptyModel, finish, learn, toScorer, type Scorer } from './model.js';
import { DEFAULT_TOKENIZER, TokenizerState, tokenizeToIds } from './tokenize.js';
import { adGroup, DEFAULT_FIT, foldOf } from './train.js';
import { Vocabulary } from './vocabulary.js';

/** For each posting, the scorer of the model trained without its fold. */
export async function crossValidatedScorers(
  fields: ReadonlyArray<Record<string, string>>,
  labels: readonly number[],
  folds: number,
  maxVocabulary: number,
  metas: ReadonlyArray<Readonly<Record<string, string>> | undefined> = [],
  reports: readonly boolean[] = [],
  fitJobs?: FitJobs,
): Promise<Scorer[]> {
  // Every fold's model shares one vocabulary, so each posting is tokenized once.
  const vocabulary = new Vocabulary();
  const state = new TokenizerState();
  const tokens = fields.map((f) => tokenizeToIds(f, DEFAULT_TOKENIZER, vocabulary, state));
  const langs = fields.map((f) => postingLanguage(f).lang);
  const groups = fields.map((f, i) => adGroup(f, metas[i]));
  const fold = groups.map((g) => foldOf(`eval:${g}`, folds));
  const scorers = new Array<Scorer>(fields.length);
  for (let k = 0; k < folds; k++) {
    const docs = [];
    for (let i = 0; i < fields.length; i++)
      if (fold[i] !== k)
        docs.push({ id: String(i), ...tokens[i]!, label: labels[i]!, group: groups[i]!, lang: langs[i]!, ...(reports[i] === true ? { report: true } : {}) });
    const model = emptyModel(DEFAULT_TOKENIZER, DEFAULT_FIT, maxVocabulary, vocabulary);
    learn(model, docs);
    await finish(model, docs, [], fitJobs ? { fitJobs } : {});
    const scorer = toScorer(model);
    for (let i = 0; i < fields.length; i++) if (fold[i] === k) scorers[i] = scorer;
  }
  return scorers;
}
