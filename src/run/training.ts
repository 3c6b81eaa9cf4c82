// A training run: labelled postings tokenized as they are read and learned in chunks, keeping only
// the token ids the fit and calibration need (up to MAX_CALIBRATION_IDS, model/train.ts), so memory
// is bounded by that, not by the text; then the model finished (weights, report head, calibration).
import { postingLanguage } from '../lang/detect.js';
import { MODEL_LABELS } from '../model/classes.js';
import { finish, learn, sumAll, thinClasses, weakness, type LearnResult, type ModelState } from '../model/model.js';
import { knownTokenIds, TokenizerState, tokenizeToIds } from '../model/tokenize.js';
import { adGroup, CalibrationSample, type TrainingDoc } from '../model/train.js';
import type { TrainingSource } from '../model/state.js';
import type { Posting } from '../types.js';
import { fitJobsFor } from './fit-threads.js';
import { describeSkipped, readLabelled, type LabelledReadOptions } from '../input/labelled.js';

type Doc = TrainingDoc & { script: string };

/** Postings learned per chunk. */
const CHUNK = 1024;

export class TrainingRun {
  readonly result: LearnResult = { added: 0, moved: 0, unchanged: 0 };
  /** Postings `isReport` marked (they train the report head). */
  reports = 0;
  private readonly sample = new CalibrationSample<Doc>();
  private readonly seen = new Set<string>();
  private readonly tokenizerState = new TokenizerState();
  private pending: Doc[] = [];
  /** Postings that train the report head only, as the token ids the model holds. */
  private readonly headOnly: TrainingDoc[] = [];

  /** `isReport`: which legitimate postings are reports (news, advisories), not offers (`train --reports`). */
  constructor(
    readonly model: ModelState,
    private readonly isReport?: (posting: Posting) => boolean,
  ) {}

  /** Postings added. */
  get offered(): number {
    return this.sample.offered;
  }

  /** Whether the fit and calibration will see a sample (whole ad groups, by hash) rather than every posting. */
  get sampled(): boolean {
    return this.sample.sampled;
  }

  /** How many postings the fit and calibration see. */
  get fitted(): number {
    return this.sample.docs.length;
  }

  /** One labelled posting (`label`: a class index of the model). */
  add(posting: Posting, label: number): void {
    const { model } = this;
    const { ids, script } = tokenizeToIds(posting.fields, model.tokenizer, model.vocabulary, this.tokenizerState);
    // Re-posted copies of one ad share a group, so calibration never scores an ad with itself.
    // Counted under the language the input states (meta.lang) where it does: a writer's Taglish or
    // Hinglish ad is Tagalog or Hindi data even when the detector hears the English in it.
    const lang = posting.meta?.lang?.trim() || postingLanguage(posting.fields).lang;
    const doc: Doc = { id: posting.id, ids, script, label, group: adGroup(posting.fields, posting.meta), lang };
    // Only a legitimate text is a report: a lure in a reporter's voice is still an offer.
    if (this.isReport && label === 0 && this.isReport(posting)) {
      doc.report = true;
      this.reports++;
    }
    this.pending.push(doc);
    // Calibration needs no id, and a posting's id can be a slice of the reader's whole chunk of
    // text: kept, it would keep that text alive (at 16 copies of 58.com, the whole 268 MB file).
    this.sample.add({ ...doc, id: '' });
    if (this.pending.length >= CHUNK) this.flush();
  }

  /**
   * One labelled posting that trains the report head only (`train --report-head-only`): a report
   * (as `isReport` says) or an offer the head must tell reports from; the model's classes, counts,
   * vocabulary and calibration never see it. Its tokens count only where the model holds them, so
   * add the model's own postings first.
   */
  addHeadOnly(posting: Posting, label: number): void {
    const report = this.isReport !== undefined && label === 0 && this.isReport(posting);
    if (report) this.reports++;
    // Ordinary legitimate ads take no part in the head's contrast: not kept.
    if (!report && label === 0) return;
    const { ids } = knownTokenIds(posting.fields, this.model.tokenizer, this.model.vocabulary, this.tokenizerState);
    this.headOnly.push({ id: '', ids, label, group: adGroup(posting.fields, posting.meta), ...(report ? { report } : {}) });
  }

  /**
   * Read labelled inputs into the run (`headOnly`: into the report head alone, `addHeadOnly`);
   * each line the reader skipped goes to `warn`. Returns the inputs as the model file lists them.
   */
  async read(files: readonly string[], options: LabelledReadOptions, warn: (line: string) => void, headOnly = false): Promise<TrainingSource[]> {
    const set = await readLabelled(files, options, ({ posting, label }) => (headOnly ? this.addHeadOnly(posting, label) : this.add(posting, label)));
    for (const line of describeSkipped(set)) warn(line.trim());
    return [...set.sources];
  }

  /** Learn the postings added since the last chunk. */
  flush(): void {
    const learned = learn(this.model, this.pending, this.seen);
    this.result.added += learned.added;
    this.result.moved += learned.moved;
    this.result.unchanged += learned.unchanged;
    this.pending = [];
  }

  /** Fit the weights and report head (logistic kind) and the calibrations on the sample; cap the vocabulary; add the inputs the model does not list yet to its sources. */
  async finish(sources: readonly TrainingSource[]): Promise<void> {
    this.flush();
    await finish(this.model, this.sample.docs, this.headOnly, { fitJobs: fitJobsFor(this.sample.docs.length) });
    const known = new Set(this.model.sources.map((s) => `${s.name}\u0000${s.fingerprint}`));
    for (const source of sources) if (!known.has(`${source.name}\u0000${source.fingerprint}`)) this.model.sources.push(source);
  }

  /** The model's documents per class and tokens, and warnings of classes too thin to trust, or of a model scans will not use. */
  describe(): { perClass: string; tokens: number; warnings: string[] } {
    const whole = sumAll(this.model);
    const weak = weakness(whole.documents);
    return {
      perClass: MODEL_LABELS.map((label, c) => `${label} ${whole.documents[c]}`).join(', '),
      tokens: whole.size,
      warnings: [
        ...thinClasses(whole).map((thin) => `${thin}; its probabilities rest on little evidence`),
        ...(weak ? [`scans will not use this model: ${weak}`] : []),
      ],
    };
  }
}
