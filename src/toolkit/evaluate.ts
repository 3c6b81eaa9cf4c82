// How well rules, model and both together label a labelled corpus, overall and per group (a
// language, a source file, a `meta` value). Every posting is scored by `scorePosting`, the code a
// scan's threads run; the rules-only and model-only figures are read off the same verdicts (the
// points the model added, and whether they alone reach the threshold). No I/O: `lurescan eval` and
// `lurescan rescore` read the postings and hand them in.
import type { Truth } from '../contracts/labels.js';
import { countConfusion, countVerdict, emptyConfusion, emptyCounts, metricsOf, thresholdCurve, type Counts, type MetricKey } from '../contracts/metrics.js';
import type { Scorer } from '../model/model.js';
import { SYSTEMS, type EvalReport, type GroupReport, type System, type SystemReport } from '../report/eval-table.js';
import type { CompiledRuleSet } from '../rules/engine.js';
import { scorePosting } from '../score/index.js';
import { LABELS, type Label, type Posting, type Verdict } from '../types.js';

/** Model thresholds the model-alone curve is shown at. */
const THRESHOLDS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** A labelled posting as `readLabelled` gives it. */
export interface EvaluatedDoc {
  posting: Posting;
  truth: Truth;
}

/** The labels each system flags, read off one verdict. */
function flaggedBy(verdict: Verdict, thresholds: Record<Label, number>): Record<System, Label[]> {
  const added = verdict.model?.points ?? {};
  return {
    combined: verdict.labels,
    rules: LABELS.filter((label) => verdict.scores[label] - (added[label] ?? 0) >= thresholds[label] - 1e-9),
    model: LABELS.filter((label) => (added[label] ?? 0) >= thresholds[label] - 1e-9),
  };
}

/** The group a posting's figures go to: its language (the corpus's `meta.lang` when given, else as detected), its file, or a `meta` value. */
export function groupOf(by: string, verdict: Verdict, meta: Record<string, string> | undefined, file: string | undefined): string {
  if (by === 'lang') return meta?.lang ?? verdict.lang;
  if (by === 'source') return file ?? '-';
  if (by.startsWith('meta.')) return meta?.[by.slice(5)] ?? '-';
  return 'all';
}

export interface EvaluateOptions {
  rules: CompiledRuleSet;
  thresholds: Record<Label, number>;
  /** The model that judges each posting (one per posting: with cross-validation, each fold's own); undefined: rules alone. */
  scorers: ReadonlyArray<Scorer | undefined>;
  by: string;
  /** Called after every 1,000 postings with how many are done. */
  onProgress?: (done: number) => void;
}

/** The figures of `EvalReport` that come from scoring (the caller adds what it knows: model, rules, skipped, time). */
export type EvaluatedFigures = Pick<EvalReport, 'documents' | 'truth' | 'systems' | 'abstained' | 'by' | 'groups' | 'modelThresholds'>;

export function evaluateDocs(docs: readonly EvaluatedDoc[], options: EvaluateOptions): EvaluatedFigures {
  const { scorers, thresholds, by } = options;
  const counts = Object.fromEntries(SYSTEMS.map((s) => [s, emptyCounts()])) as Record<System, Record<MetricKey, Counts>>;
  const confusion = Object.fromEntries(SYSTEMS.map((s) => [s, emptyConfusion()])) as Record<System, number[][]>;
  const groups = new Map<
    string,
    { documents: number; truth: Record<string, number>; combined: Record<MetricKey, Counts>; rules: Record<MetricKey, Counts>; abstained: number }
  >();
  const abstained = { total: 0, byReason: {} as Record<string, number> };
  const points: Array<{ truth: Truth; notLegit: number }> = [];
  const truthCounts: Record<string, number> = {};
  for (let i = 0; i < docs.length; i++) {
    const { posting, truth } = docs[i]!;
    truthCounts[truth] = (truthCounts[truth] ?? 0) + 1;
    const scorer = scorers[i];
    const verdict = scorePosting(options.rules, posting, scorer ? { model: scorer } : {});
    const flagged = flaggedBy(verdict, thresholds);
    for (const system of SYSTEMS) {
      countVerdict(counts[system], truth, flagged[system]);
      countConfusion(confusion[system], truth, flagged[system]);
    }
    const name = groupOf(by, verdict, posting.meta, posting.source.file);
    let group = groups.get(name);
    if (!group) groups.set(name, (group = { documents: 0, truth: {}, combined: emptyCounts(), rules: emptyCounts(), abstained: 0 }));
    group.documents++;
    group.truth[truth] = (group.truth[truth] ?? 0) + 1;
    countVerdict(group.combined, truth, flagged.combined);
    countVerdict(group.rules, truth, flagged.rules);
    if (verdict.model?.abstained !== undefined) {
      abstained.total++;
      group.abstained++;
      const kind = verdict.model.abstained.split(':')[0]!;
      abstained.byReason[kind] = (abstained.byReason[kind] ?? 0) + 1;
    } else if (verdict.model?.probabilities) points.push({ truth, notLegit: 1 - (verdict.model.probabilities.legit ?? 0) });
    if (i % 1000 === 999) options.onProgress?.(i + 1);
  }
  const withModel = scorers.some((s) => s !== undefined);
  const systems: Partial<Record<System, SystemReport>> = {};
  for (const system of withModel ? SYSTEMS : (['rules'] as const)) systems[system] = { metrics: metricsOf(counts[system]), confusion: confusion[system] };
  const grouped: GroupReport[] = [...groups]
    .sort(([a, x], [b, y]) => y.documents - x.documents || (a < b ? -1 : 1))
    .map(([name, g]) => ({
      group: name,
      documents: g.documents,
      truth: g.truth,
      metrics: metricsOf(g.combined),
      rulesOnly: metricsOf(g.rules),
      abstained: g.abstained,
    }));
  return {
    documents: docs.length,
    truth: truthCounts,
    systems,
    abstained,
    by,
    groups: grouped,
    ...(withModel ? { modelThresholds: thresholdCurve(points, THRESHOLDS) } : {}),
  };
}
