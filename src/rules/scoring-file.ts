// Writing learned numbers into a scoring file (`rescore --out | --write`): the `points`, `rescored`
// and fitted `model` entries of its `scoring` section are set, and every other byte is kept: the
// author's comments, their alignment, key order. The yaml Document API finds where each entry is and
// renders the new ones; they are spliced into the original text, because re-rendering the whole
// document would also re-space every trailing comment. No I/O.
import YAML, { isMap, isPair, isScalar, isSeq, type Document, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import { LABELS, type Label } from '../types.js';
import { isModelLevels, type ModelPoints, type ScoringConfig } from './schema.js';

export interface ScoringUpdate {
  /** Learned points by rule id; the whole `points` mapping is replaced by these (sorted by id). */
  points: Record<string, number>;
  /** Model entries to replace, by label (a label left out keeps its entry). */
  model?: Partial<Record<Label, ModelPoints>>;
  /** Provenance (`rescored`), replaced whole. */
  rescored: Record<string, unknown>;
  /**
   * Which score set the points are: `model` (`points` and `rescored`, the default) or `no-model`
   * (`points-no-model` and `rescored-no-model`; the model's entries are left as they are).
   */
  set?: 'model' | 'no-model';
}

const POINTS_COMMENT = [
  ' Learned points (lurescan rescore; docs/rule-format.md, "Learned points"): each replaces the',
  " `points` of the rule it names; a rule not named keeps its own file's points. Set a rule's",
  ' default in its own file: the next rescore rewrites this list.',
].join('\n');
const RESCORED_COMMENT = ' Where the learned numbers came from (no dates: the same inputs give this file byte for byte).';
const NO_MODEL_COMMENT = [
  ' Learned points for scoring without the model (lurescan rescore --no-model; docs/rule-format.md,',
  ' "Score sets"): used instead of `points` for every posting the model does not judge (scan',
  ' --no-model, a language it abstains on), since points fitted beside the model lean on it. A rule',
  " not named keeps its own file's points there.",
].join('\n');
const RESCORED_NO_MODEL_COMMENT = ' Where the no-model points came from.';

/** The scoring file's text with the update applied (a new file when `text` is undefined or has no `scoring` section). */
export function updateScoringText(text: string | undefined, update: ScoringUpdate, current: ScoringConfig): string {
  let out = text ?? '';
  if (!hasScoring(out)) out = `${out}${out === '' || out.endsWith('\n') ? '' : '\n'}${renderPair('scoring', baseSection(current), 0)}\n`;
  for (const label of LABELS) {
    const entry = update.model?.[label];
    if (entry) out = setEntry(out, ['scoring', 'model', label], modelNode(entry));
  }
  if (update.set === 'no-model') {
    out = setEntry(out, ['scoring', 'points-no-model'], sortedPoints(update.points), NO_MODEL_COMMENT);
    return setEntry(out, ['scoring', 'rescored-no-model'], update.rescored, RESCORED_NO_MODEL_COMMENT);
  }
  out = setEntry(out, ['scoring', 'points'], sortedPoints(update.points), POINTS_COMMENT);
  out = setEntry(out, ['scoring', 'rescored'], update.rescored, RESCORED_COMMENT);
  return out;
}

function hasScoring(text: string): boolean {
  const contents = YAML.parseDocument(text).contents;
  return isMap(contents) && contents.items.some((pair) => keyOf(pair) === 'scoring');
}

/** The settings a complete scoring file states, for a rule folder that had none. */
function baseSection(current: ScoringConfig): Record<string, unknown> {
  return {
    thresholds: { ...current.thresholds },
    'default-cap': current.defaultCap,
    caps: Object.fromEntries(LABELS.map((label) => [label, { ...current.caps[label] }])),
    model: Object.fromEntries(LABELS.map((label) => [label, modelNode(current.model[label])])),
  };
}

function sortedPoints(points: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(points).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A model entry as written: levels as a mapping of probability to points. */
function modelNode(entry: ModelPoints): unknown {
  if (isModelLevels(entry)) {
    const levels = new Map(entry.levels.map((level) => [level.at, level.points]));
    return entry.below !== undefined ? { levels, below: new Map(entry.below.map((level) => [level.at, level.points])) } : { levels };
  }
  return { from: entry.from, alone: entry.alone, max: entry.max };
}

function keyOf(pair: Pair): string {
  return String(isScalar(pair.key) ? pair.key.value : pair.key);
}

/**
 * `key: value` as YAML, its first line at the caller's column and the rest indented by `indent`.
 * Short mappings (a model entry, an input) are written in flow style, one line each; the records
 * of `rescored`'s `new-rules` list are not short, and stay in block style.
 */
function renderPair(key: string, value: unknown, indent: number, comment?: string): string {
  const doc = new YAML.Document();
  const map = doc.createNode({}) as YAMLMap;
  const pair = doc.createPair(key, value);
  map.items.push(pair);
  doc.contents = map;
  YAML.visit(doc, {
    Map(_, node, ancestors) {
      const inList = isSeq(ancestors[ancestors.length - 1]);
      const list = ancestors[ancestors.length - 2];
      const record = inList && isPair(list) && keyOf(list) === 'new-rules';
      if ((inList && !record) || node.items.some((p) => keyOf(p) === 'levels' || keyOf(p) === 'alone')) node.flow = true;
    },
  });
  if (comment !== undefined) (pair.key as YamlNode).commentBefore = comment;
  const rendered = doc.toString({ lineWidth: 0, indent: 2 }).replace(/\n+$/, '');
  const pad = ' '.repeat(indent);
  return rendered
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : pad + line))
    .join('\n');
}

/** Where a pair's text ends: the end of its value, trailing line breaks left out. */
function pairEnd(text: string, pair: Pair): number {
  const node = (pair.value ?? pair.key) as YamlNode;
  let end = node.range?.[1] ?? 0;
  while (end > 0 && (text[end - 1] === '\n' || text[end - 1] === '\r' || text[end - 1] === ' ')) end--;
  return end;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/**
 * Set the entry at `path` (mappings all the way) to `value`: the existing pair's text is replaced,
 * a missing one is added after the last entry of its mapping, with `comment` above it. A flow-style
 * mapping on the way is rewritten by the Document API instead (nothing there to keep but layout).
 */
function setEntry(text: string, path: readonly string[], value: unknown, comment?: string): string {
  const doc: Document.Parsed = YAML.parseDocument(text);
  let parent: YamlNode | null | undefined = doc.contents;
  for (let depth = 0; depth < path.length; depth++) {
    if (!isMap(parent) || parent.flow) {
      doc.setIn(path, doc.createNode(value));
      return doc.toString({ lineWidth: 0 });
    }
    const key = path[depth]!;
    const pair: Pair | undefined = parent.items.find((p) => keyOf(p) === key);
    const rest = path.slice(depth + 1);
    // Below a missing key, the rest of the path is written as nested mappings.
    const nested = rest.reduceRight<unknown>((inner, k) => ({ [k]: inner }), value);
    if (!pair) {
      const last = parent.items[parent.items.length - 1];
      if (!last) {
        doc.setIn(path, doc.createNode(value));
        return doc.toString({ lineWidth: 0 });
      }
      const start = (last.key as YamlNode).range![0];
      const indent = columnOf(text, start);
      const at = pairEnd(text, last);
      return `${text.slice(0, at)}\n${' '.repeat(indent)}${renderPair(key, nested, indent, rest.length === 0 ? comment : undefined)}${text.slice(at)}`;
    }
    if (rest.length === 0 || !isMap(pair.value) || pair.value.flow) {
      const start = (pair.key as YamlNode).range![0];
      const indent = columnOf(text, start);
      // Inside a flow mapping (or over a scalar), the entries already there are kept, in JSON form.
      const existing = rest.length > 0 && isMap(pair.value) ? (pair.value.toJSON() as Record<string, unknown>) : undefined;
      const replacement = existing ? setNested(existing, rest, value) : nested;
      // An existing entry keeps the comment above it: it is the author's, or ours from a previous run.
      return `${text.slice(0, start)}${renderPair(key, replacement, indent)}${text.slice(pairEnd(text, pair))}`;
    }
    parent = pair.value;
  }
  return text;
}

function setNested(target: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return target;
  const inner = target[head];
  const next = rest.length === 0 ? value : setNested(typeof inner === 'object' && inner !== null ? { ...(inner as Record<string, unknown>) } : {}, rest, value);
  return { ...target, [head]: next };
}
