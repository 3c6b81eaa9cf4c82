// `lurescan eval`: how well rules, model and both together label a labelled corpus, overall and per
// language. Every posting is scored by `scorePosting`, the code a scan's threads run; the rules-only
// and model-only figures are read off the same verdicts (the points the model added, and whether
// they alone reach the threshold). With --folds, the model is retrained k times so every posting is
// judged by a model that never saw it.
import type { ChalkInstance } from 'chalk';
import type { Truth } from '../contracts/labels.js';
import { crossValidatedScorers } from '../model/cross-validate.js';
import type { Scorer } from '../model/model.js';
import { MODEL_LABELS } from '../model/naive-bayes.js';
import {
  CONFUSION_ROWS,
  countConfusion,
  countVerdict,
  emptyConfusion,
  emptyCounts,
  metricsOf,
  thresholdCurve,
  type Counts,
  type Metric,
  type MetricKey,
  type ThresholdRow,
} from '../metrics.js';
import { compileRuleSet } from '../rules/engine.js';
import { scorePosting } from '../score/index.js';
import { LABELS, LurescanError, type Label, type Verdict } from '../types.js';
import { colorFor, withBaseRates } from './flags.js';
import { writeWholeFile, type CliIO } from './io.js';
import { describeSkipped, readLabelled, type LabelledOptions } from './labelled.js';
import { describeModel, loadModelFile } from '../run/model-file.js';
import { loadRulesOrFail } from '../run/rules.js';
import { DEFAULT_MAX_VOCABULARY } from './train.js';

export interface EvalOptions extends LabelledOptions {
  rules?: string;
  model?: string | false;
  folds?: string;
  format?: string;
  out?: string;
  color?: string | boolean;
  baseRate?: string[];
  by?: string;
}

const THRESHOLDS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const SYSTEMS = ['rules', 'model', 'combined'] as const;
type System = (typeof SYSTEMS)[number];
export const GROUPINGS = ['lang', 'source', 'none'] as const;

export interface SystemReport {
  /** Per label, and `any`: flagged with either label against fraud of either kind. */
  metrics: Record<MetricKey, Metric>;
  /** Rows: the truth (legit, employment-fraud, forced-criminality, fraud); columns: not flagged, employment-fraud, forced-criminality. */
  confusion: number[][];
}

/** One group's figures (a language, a source file): the combined system, and how often the model abstained. */
export interface GroupReport {
  group: string;
  documents: number;
  truth: Record<string, number>;
  metrics: Record<MetricKey, Metric>;
  rulesOnly: Record<MetricKey, Metric>;
  abstained: number;
}

export interface EvalReport {
  documents: number;
  truth: Record<string, number>;
  skipped: number;
  model: string;
  baseRates: Partial<Record<Label, number>>;
  rules: { fingerprint: string; rules: number };
  systems: Partial<Record<System, SystemReport>>;
  /** Postings the model did not judge, and why (reasons shortened to their kind: language or coverage). */
  abstained: { total: number; byReason: Record<string, number> };
  by: string;
  groups: GroupReport[];
  modelThresholds?: ThresholdRow[];
  elapsedMs: number;
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

/** `--by`: lang, source, none or meta.<key>. */
export function parseGrouping(value: string | undefined): string {
  const by = value ?? 'lang';
  if (!(GROUPINGS as readonly string[]).includes(by) && !/^meta\.\S+$/.test(by))
    throw new LurescanError('USAGE', `--by must be one of ${GROUPINGS.join(', ')} or meta.<key> (got \`${by}\`)`);
  return by;
}

/** `--folds <k>`, which replaces the model file with models trained per fold. */
export function parseFolds(value: string | undefined, model: string | false | undefined): number | undefined {
  if (value === undefined) return undefined;
  const folds = Number(value);
  if (!Number.isInteger(folds) || folds < 2 || folds > 20) throw new LurescanError('USAGE', `--folds must be a whole number from 2 to 20 (got \`${value}\`)`);
  if (model !== undefined)
    throw new LurescanError('USAGE', '--folds trains a model per fold from the inputs; it cannot be combined with --model or --no-model');
  return folds;
}

export async function runEval(inputs: string[], options: EvalOptions, io: CliIO): Promise<number> {
  const started = Date.now();
  const format = options.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new LurescanError('USAGE', `--format must be table or json (got \`${format}\`)`);
  const by = parseGrouping(options.by);
  const folds = parseFolds(options.folds, options.model);
  const ruleset = await loadRulesOrFail(options.rules);
  const scoring = withBaseRates(ruleset.scoring, options.baseRate);
  const compiled = compileRuleSet(ruleset.rules, scoring, ruleset.plan);
  const loaded = folds === undefined && options.model !== false ? await loadModelFile(options.model, io.cwd) : undefined;
  const set = await readLabelled(inputs, options, io);
  for (const line of describeSkipped(set)) io.stderr.write(`lurescan: ${line.trim()}\n`);
  if (set.docs.length === 0) throw new LurescanError('NO_LABELLED_POSTINGS', 'no labelled postings to evaluate (see the skipped lines above)');

  let scorers: Array<Scorer | undefined>;
  let modelName = 'none (--no-model)';
  if (folds !== undefined) {
    scorers = crossValidatedScorers(
      set.docs.map((d) => d.posting.fields),
      set.docs.map((d) => d.label),
      folds,
      DEFAULT_MAX_VOCABULARY,
      set.docs.map((d) => d.posting.meta),
    );
    modelName = `${folds}-fold cross-validation: a model trained on the other folds scores each posting (folds by ad content and by meta.batch, so re-posts and a writing batch stay together)`;
  } else if (loaded) {
    if (loaded.scorer.untrusted)
      io.stderr.write(`lurescan: warning: scans do not use this model (too small to trust: ${loaded.scorer.untrusted}); its figures are shown anyway\n`);
    scorers = set.docs.map(() => loaded.scorer);
    modelName = describeModel(loaded);
    // Figures on what the model learned from measure memory, not accuracy: say so, by content, whatever the files are called.
    const learned = new Map(loaded.info.sources.map((source) => [source.fingerprint, source.name]));
    for (const source of set.sources) {
      const trained = learned.get(source.fingerprint);
      if (trained !== undefined)
        io.stderr.write(
          `lurescan: warning: the model learned from ${source.name} (as ${trained}, same postings and labels): its figures there show what it remembers, not how it does on new ads; measure on held-out postings, or use --folds\n`,
        );
    }
  } else scorers = set.docs.map(() => undefined);

  const counts = Object.fromEntries(SYSTEMS.map((s) => [s, emptyCounts()])) as Record<System, Record<MetricKey, Counts>>;
  const confusion = Object.fromEntries(SYSTEMS.map((s) => [s, emptyConfusion()])) as Record<System, number[][]>;
  const groups = new Map<
    string,
    { documents: number; truth: Record<string, number>; combined: Record<MetricKey, Counts>; rules: Record<MetricKey, Counts>; abstained: number }
  >();
  const abstained = { total: 0, byReason: {} as Record<string, number> };
  const points: Array<{ truth: Truth; notLegit: number }> = [];
  const progress = io.stderr.isTTY === true && set.docs.length > 2000;
  for (let i = 0; i < set.docs.length; i++) {
    const { posting, truth } = set.docs[i]!;
    const scorer = scorers[i];
    const verdict = scorePosting(compiled, posting, scorer ? { model: scorer } : {});
    const flagged = flaggedBy(verdict, scoring.thresholds);
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
    if (progress && i % 1000 === 999) io.stderr.write(`\rlurescan: scored ${i + 1} of ${set.docs.length}  `);
  }
  if (progress) io.stderr.write('\r\x1b[K');

  const truthCounts: Record<string, number> = {};
  for (const doc of set.docs) truthCounts[doc.truth] = (truthCounts[doc.truth] ?? 0) + 1;
  const withModel = scorers.some((s) => s !== undefined);
  const result: EvalReport = {
    documents: set.docs.length,
    truth: truthCounts,
    skipped: [...set.skipped.values()].reduce((n, s) => n + s.count, 0),
    model: modelName,
    baseRates: scoring.baseRates,
    rules: { fingerprint: ruleset.fingerprint.slice(0, 12), rules: ruleset.rules.length },
    systems: {},
    abstained,
    by,
    groups: [...groups]
      .sort(([a, x], [b, y]) => y.documents - x.documents || (a < b ? -1 : 1))
      .map(([name, g]) => ({
        group: name,
        documents: g.documents,
        truth: g.truth,
        metrics: metricsOf(g.combined),
        rulesOnly: metricsOf(g.rules),
        abstained: g.abstained,
      })),
    elapsedMs: 0,
  };
  for (const system of withModel ? SYSTEMS : (['rules'] as const))
    result.systems[system] = { metrics: metricsOf(counts[system]), confusion: confusion[system] };
  if (withModel) result.modelThresholds = thresholdCurve(points, THRESHOLDS);
  result.elapsedMs = Date.now() - started;

  const text =
    format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatTable(result, colorFor(options.color, io.env, io.stdout.isTTY === true && !options.out));
  if (options.out) await writeWholeFile(options.out, text);
  else io.stdout.write(text);
  return 0;
}

function pct(value: number | null): string {
  return (value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`).padStart(7);
}

const SYSTEM_NAMES: Record<System, string> = { rules: 'rules only', model: 'model only', combined: 'combined' };

function formatTable(result: EvalReport, color: ChalkInstance): string {
  const lines: string[] = [];
  const truth = Object.entries(result.truth)
    .map(([label, n]) => `${label} ${n}`)
    .join(', ');
  lines.push(color.bold(`lurescan eval: ${result.documents} labelled postings (${truth})${result.skipped ? `; ${result.skipped} skipped` : ''}`));
  lines.push(`  rules: ${result.rules.rules}, fingerprint ${result.rules.fingerprint}`);
  lines.push(`  model: ${result.model}`);
  const rates = Object.entries(result.baseRates)
    .map(([label, rate]) => `${label} ${rate}`)
    .join(', ');
  if (result.systems.model)
    lines.push(
      `  base rates: ${rates || 'as calibrated'}; the model abstained on ${result.abstained.total}${
        result.abstained.total
          ? ` (${Object.entries(result.abstained.byReason)
              .map(([k, n]) => `${k} ${n}`)
              .join(', ')})`
          : ''
      }`,
    );
  lines.push('');
  lines.push(
    `${'system'.padEnd(12)} ${'label'.padEnd(20)} ${'precision'.padStart(9)} ${'recall'.padStart(7)} ${'F1'.padStart(7)} ${'FPR'.padStart(7)}   tp / fp / fn`,
  );
  for (const system of SYSTEMS) {
    const report = result.systems[system];
    if (!report) continue;
    for (const key of ['any', ...LABELS] as const) {
      const m = report.metrics[key];
      if (m.tp + m.fp + m.fn === 0 && key !== 'any') continue;
      const shown = key === 'any' ? 'fraud (either label)' : key;
      lines.push(
        `${SYSTEM_NAMES[system].padEnd(12)} ${shown.padEnd(20)} ${pct(m.precision).padStart(9)} ${pct(m.recall)} ${color.bold(pct(m.f1))} ${pct(m.fpr)}   ${m.tp} / ${m.fp} / ${m.fn}`,
      );
    }
  }
  const shownSystem: System = result.systems.combined ? 'combined' : 'rules';
  lines.push('', `confusion (${SYSTEM_NAMES[shownSystem]}; rows: truth, columns: verdict)`);
  lines.push(`${''.padEnd(20)} ${['not flagged', ...MODEL_LABELS.slice(1)].map((h) => h.padStart(19)).join('')}`);
  result.systems[shownSystem]!.confusion.forEach((row, r) => {
    if (row.some((n) => n > 0)) lines.push(`${CONFUSION_ROWS[r]!.padEnd(20)} ${row.map((n) => String(n).padStart(19)).join('')}`);
  });
  if (result.by !== 'none') {
    lines.push('', `by ${result.by} (${SYSTEM_NAMES[shownSystem]}; FC recall: forced-criminality flagged as such; fraud recall: either label)`);
    lines.push(
      `${result.by.padEnd(24)} ${'n'.padStart(6)} ${'legit'.padStart(6)} ${'FPR'.padStart(7)} ${'FC rec'.padStart(7)} ${'fraud rec'.padStart(9)} ${'precision'.padStart(9)} ${'F1'.padStart(7)} ${'rules FPR'.padStart(9)} ${'rules rec'.padStart(9)} ${'abstain'.padStart(7)}`,
    );
    for (const g of result.groups) {
      const any = g.metrics.any;
      const fc = g.metrics['forced-criminality'];
      lines.push(
        `${g.group.slice(0, 24).padEnd(24)} ${String(g.documents).padStart(6)} ${String(g.truth.legit ?? 0).padStart(6)} ${pct(any.fpr)} ${pct(fc.recall)} ${pct(any.recall).padStart(9)} ${pct(any.precision).padStart(9)} ${pct(any.f1)} ${pct(g.rulesOnly.any.fpr).padStart(9)} ${pct(g.rulesOnly.any.recall).padStart(9)} ${String(g.abstained).padStart(7)}`,
      );
    }
  }
  if (result.modelThresholds) {
    lines.push('', 'model alone, fraud of either kind when P(not legit) >= threshold (postings it judged)');
    lines.push(`${'threshold'.padEnd(10)} ${'precision'.padStart(9)} ${'recall'.padStart(7)} ${'F1'.padStart(7)}`);
    for (const row of result.modelThresholds)
      lines.push(`${row.threshold.toFixed(2).padEnd(10)} ${pct(row.precision).padStart(9)} ${pct(row.recall)} ${pct(row.f1)}`);
  }
  lines.push('', `${(result.elapsedMs / 1000).toFixed(1)} s`);
  return `${lines.join('\n')}\n`;
}
