// What `lurescan report` shows, gathered from records as they stream by: every count over the whole
// run, and the highest-scoring flagged postings (at most `maxPostings`) made ready to show, their
// evidence cut into highlighted parts. Pure: records in, data out; html.ts renders it.
import { sourceNameOf } from '../contracts/cluster.js';
import { LABELS, SHORT_FIELDS, type ErrorRecord, type Label, type SourceRef, type Warning } from '../types.js';
import { Ranked } from './top.js';

/** A hit as the page shows it. */
export interface ReportHit {
  rule: string;
  label: string;
  category: string;
  points: number;
  field?: string;
  start?: number;
  end?: number;
  match?: string;
  combines?: string[];
}

/** A contact (phone, handle, e-mail, domain, wallet) found in a posting, as `scan` writes it (see the contact contract). */
export interface ReportContact {
  kind: string;
  value: string;
  key?: string;
  app?: string;
  network?: string;
  country?: string;
  obfuscation?: string[];
  field?: string;
  start?: number;
  end?: number;
  match?: string;
}

/** A piece of a field's text: plain, marked by hits (`h`, indexes into `hits`) and contacts (`c`), or `gap` characters left out. */
export type TextPart = string | { m: string; h?: number[]; c?: number[] } | { gap: number };

export interface ReportField {
  name: string;
  parts: TextPart[];
  /** The field was longer than the page keeps: only its start and the text around the evidence are shown. */
  cut?: boolean;
}

export interface ReportModel {
  abstained?: string;
  label?: string;
  probabilities?: Record<string, number>;
  points?: Record<string, number>;
  withheld?: string;
  /** The report head's probability that the posting is a report rather than an offer. */
  report?: number;
  tokens?: { for: string[]; against: string[] };
}

/** A flagged posting as the page shows it. */
export interface ReportPosting {
  /** Rank: 1 is the highest score. Also its anchor, `#p-<n>`. */
  n: number;
  id: string;
  /** Where it came from, as words: `ads.csv row 2`. */
  where: string;
  /** The source filter's value: the file, or the URL's host. */
  source: string;
  title: string;
  labels: string[];
  scores: Record<string, number>;
  /** The ranking score: the highest score among its flagged labels. */
  score: number;
  lang: string;
  /** Categories of the hits that added points. */
  categories: string[];
  hits: ReportHit[];
  fields: ReportField[];
  /** Whether the verdict carried every field's text (`scan --include-text`); else only the short fields are shown. */
  textIncluded: boolean;
  model?: ReportModel;
  contacts?: ReportContact[];
  warnings?: Warning[];
  clusters?: string[];
}

export interface ClusterMember {
  id: string;
  source?: SourceRef;
}

/** A cluster record as `lurescan link` writes it (see the contact contract). */
export interface ClusterRecord {
  cluster: string;
  size: number;
  members: ClusterMember[];
  reasons?: string[];
  identifiers?: Array<{ key: string; kind?: string; postings?: number }>;
  exemplar?: { id?: string; text?: string };
  labels?: Record<string, number>;
  flagged?: number;
  langs?: Record<string, number>;
  sources?: Record<string, number>;
  firstSeen?: string;
  lastSeen?: string;
}

/** A cluster member as the page shows it: in the list (`n`), flagged but left out, not flagged, or not in the verdict files. */
export interface ReportMember {
  id: string;
  where: string;
  status: 'listed' | 'left-out' | 'not-flagged' | 'missing';
  n?: number;
  title?: string;
  labels?: string[];
  score?: number;
}

export interface ReportCluster {
  record: ClusterRecord;
  members: ReportMember[];
  /** Members not shown (over the per-cluster limit). */
  membersLeftOut: number;
}

/** Counts over every record read, whatever was kept to show. */
export interface ReportCounts {
  read: number;
  verdicts: number;
  errors: number;
  flagged: { any: number } & Record<Label, number>;
  /** Verdicts that carried their text (`--include-text`). */
  withText: number;
  /** Verdicts that carried warnings. */
  warned: number;
  errorCodes: Record<string, number>;
  /** Postings the model did not judge, by the kind of reason (`language`, `coverage`). */
  modelAbstained: Record<string, number>;
  languages: Record<string, { scanned: number; flagged: number }>;
  sources: Record<string, { scanned: number; flagged: number }>;
  /** Flagged postings with a hit that added points in the category, and the label of the first such hit. */
  categories: Record<string, { label: string; postings: number }>;
  /** Flagged postings each rule added points to. */
  rules: Record<string, { label: string; postings: number }>;
}

export interface ReviewData {
  counts: ReportCounts;
  postings: ReportPosting[];
  /** Flagged postings not embedded (over `maxPostings`). */
  leftOut: number;
  maxPostings: number;
  /** The first error records, to show (all are counted). */
  errorSamples: ErrorRecord[];
  clusters: ReportCluster[];
  /** Clusters in the clusters file(s) not shown (over `maxClusters`). */
  clustersLeftOut: number;
  clustersRead: number;
}

/** The longest field text kept whole; a longer one keeps its start and the text around its evidence. */
export const FIELD_LIMIT = 20_000;
const FIELD_HEAD = 3_000;
const CONTEXT = 400;
const MAX_CONTACTS = 50;
const MAX_TOKENS = 12;
const ERROR_SAMPLES = 200;
export const MAX_CLUSTERS = 500;
export const MAX_MEMBERS = 100;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : value === undefined || value === null ? fallback : String(value));
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const cut = (text: string, limit: number): string => (text.length > limit ? `${text.slice(0, limit)}…` : text);

/** What a JSON line read as a verdict file holds. */
export type Classified = { kind: 'verdict'; record: Record<string, unknown> } | { kind: 'error'; record: ErrorRecord } | { kind: 'other'; problem: string };

/** Tell a verdict record from an error record, and anything else from both (with a hint of what it looks like). */
export function classifyRecord(value: unknown): Classified {
  if (!isObject(value))
    return { kind: 'other', problem: `it is ${Array.isArray(value) ? 'an array' : `a ${value === null ? 'null' : typeof value}`}, not an object` };
  if (isObject(value.error) && typeof value.error.code === 'string') {
    return {
      kind: 'error',
      record: {
        id: str(value.id),
        source: isObject(value.source) ? (value.source as SourceRef) : {},
        error: { code: value.error.code, message: str(value.error.message) },
      },
    };
  }
  if (typeof value.flagged === 'boolean' && isObject(value.scores) && typeof value.id === 'string') return { kind: 'verdict', record: value };
  if (typeof value.cluster === 'string' && Array.isArray(value.members))
    return { kind: 'other', problem: 'it is a cluster record: pass the file with --clusters' };
  if (typeof value.read === 'number' && isObject(value.ruleset)) return { kind: 'other', problem: 'it is a run summary: pass the file with --summary' };
  if (Array.isArray(value.verdicts)) return { kind: 'other', problem: 'it is a whole `scan --format json` output: scan with --format jsonl instead' };
  if (isObject(value.fields) || 'title' in value || 'description' in value || 'text' in value)
    return { kind: 'other', problem: 'it looks like a posting, not a verdict: scan it first (lurescan scan <file> --include-text -o verdicts.jsonl)' };
  return { kind: 'other', problem: 'it is neither a verdict record (id, flagged, scores, hits) nor an error record (id, error)' };
}

/** A cluster record from a clusters file, checked; a string says what is wrong with it. */
export function readClusterRecord(value: unknown): ClusterRecord | string {
  if (!isObject(value)) return 'it is not a JSON object';
  if (typeof value.cluster !== 'string' || !Array.isArray(value.members))
    return 'it is not a cluster record (`cluster` and `members`, as lurescan link writes them)';
  const members: ClusterMember[] = [];
  for (const member of value.members) {
    if (!isObject(member) || typeof member.id !== 'string') return 'a member has no `id`';
    members.push({ id: member.id, ...(isObject(member.source) ? { source: member.source as SourceRef } : {}) });
  }
  // The rest is read defensively: a clusters file is input like any other, and the page must not break on it.
  const counts = (raw: unknown): Record<string, number> | undefined => {
    if (!isObject(raw)) return undefined;
    const out: Record<string, number> = {};
    for (const [key, n] of Object.entries(raw)) if (num(n) !== undefined) out[key] = n as number;
    return out;
  };
  const record: ClusterRecord = { cluster: value.cluster, size: num(value.size) ?? members.length, members };
  if (Array.isArray(value.reasons)) record.reasons = value.reasons.map((reason) => str(reason));
  if (Array.isArray(value.identifiers))
    record.identifiers = value.identifiers.filter(isObject).map((i) => ({
      key: str(i.key),
      ...(i.kind !== undefined ? { kind: str(i.kind) } : {}),
      ...(num(i.postings) !== undefined ? { postings: i.postings as number } : {}),
    }));
  if (isObject(value.exemplar))
    record.exemplar = {
      ...(value.exemplar.id !== undefined ? { id: str(value.exemplar.id) } : {}),
      ...(value.exemplar.text !== undefined ? { text: cut(str(value.exemplar.text), 1000) } : {}),
    };
  const labels = counts(value.labels);
  if (labels) record.labels = labels;
  if (num(value.flagged) !== undefined) record.flagged = value.flagged as number;
  const langs = counts(value.langs);
  if (langs) record.langs = langs;
  const sources = counts(value.sources);
  if (sources) record.sources = sources;
  if (value.firstSeen !== undefined) record.firstSeen = str(value.firstSeen);
  if (value.lastSeen !== undefined) record.lastSeen = str(value.lastSeen);
  return record;
}

/** How a cluster ranks for the page: most flagged members first, then the largest. */
export function clusterRank(record: ClusterRecord): number {
  return (num(record.flagged) ?? 0) * 1e9 + Math.min(record.size, 1e9 - 1);
}

/** Where a record came from, as words: `ads.csv row 2`, `dump.jsonl line 7`, `list.json #3`, a URL. */
export function describeWhere(source: SourceRef | undefined): string {
  if (!source) return '';
  const place = source.file ?? source.url ?? '';
  const at =
    source.row !== undefined ? `row ${source.row}` : source.line !== undefined ? `line ${source.line}` : source.index !== undefined ? `#${source.index}` : '';
  return [place, at].filter(Boolean).join(' ');
}

/** A posting's source as the page names and filters it: as cluster records name it (contracts/cluster.ts). */
export function sourceName(source: SourceRef | undefined): string {
  return sourceNameOf(source) ?? '(unknown)';
}

/** The key a cluster member and a verdict are joined on: the id and where it came from. */
export function memberKey(id: string, source: SourceRef | undefined): string {
  const s = source ?? {};
  return [id, s.file ?? '', s.row ?? '', s.line ?? '', s.index ?? '', s.url ?? ''].join('\u0001');
}

interface Span {
  start: number;
  end: number;
  hit?: number;
  contact?: number;
}

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/**
 * A field's text cut into parts: plain text, text marked by the hits and contacts whose spans cover
 * it (spans may overlap), and, for a text over FIELD_LIMIT, gaps where text away from the evidence
 * was left out. Offsets are UTF-16 code units, as in the records.
 */
export function highlightParts(text: string, spans: readonly Span[], limit = FIELD_LIMIT): { parts: TextPart[]; cut: boolean } {
  const valid = spans.filter((s) => s.start >= 0 && s.end > s.start && s.end <= text.length);
  // Windows of text to keep: all of it when short; else the head and the text around each span.
  let windows: Array<[number, number]> = [[0, text.length]];
  const isCut = text.length > limit;
  if (isCut) {
    const raw: Array<[number, number]> = [
      [0, FIELD_HEAD],
      ...valid.map((s): [number, number] => [Math.max(0, s.start - CONTEXT), Math.min(text.length, s.end + CONTEXT)]),
    ];
    raw.sort((a, b) => a[0] - b[0]);
    windows = [];
    for (const [a, b] of raw) {
      const last = windows.at(-1);
      if (last && a <= last[1]) last[1] = Math.max(last[1], b);
      else windows.push([a, b]);
    }
    // Never split a surrogate pair at a window's edge.
    for (const w of windows) {
      if (w[0] > 0 && isLowSurrogate(text.charCodeAt(w[0]))) w[0]--;
      if (w[1] < text.length && isLowSurrogate(text.charCodeAt(w[1]))) w[1]++;
    }
  }
  const parts: TextPart[] = [];
  let position = 0;
  for (const [from, to] of windows) {
    if (from > position) parts.push({ gap: from - position });
    const bounds = new Set<number>([from, to]);
    for (const s of valid) {
      if (s.start > from && s.start < to) bounds.add(s.start);
      if (s.end > from && s.end < to) bounds.add(s.end);
    }
    const sorted = [...bounds].sort((a, b) => a - b);
    for (let k = 0; k + 1 < sorted.length; k++) {
      const a = sorted[k]!;
      const b = sorted[k + 1]!;
      const covering = valid.filter((s) => s.start <= a && s.end >= b);
      const piece = text.slice(a, b);
      if (covering.length === 0) {
        const last = parts.at(-1);
        if (typeof last === 'string') parts[parts.length - 1] = last + piece;
        else parts.push(piece);
        continue;
      }
      const h = covering.filter((s) => s.hit !== undefined).map((s) => s.hit!);
      const c = covering.filter((s) => s.contact !== undefined).map((s) => s.contact!);
      parts.push({ m: piece, ...(h.length > 0 ? { h } : {}), ...(c.length > 0 ? { c } : {}) });
    }
    position = to;
  }
  if (position < text.length) parts.push({ gap: text.length - position });
  return { parts, cut: isCut };
}

function readHits(value: unknown): ReportHit[] {
  if (!Array.isArray(value)) return [];
  const hits: ReportHit[] = [];
  for (const raw of value) {
    if (!isObject(raw)) continue;
    const hit: ReportHit = { rule: str(raw.rule, '?'), label: str(raw.label), category: str(raw.category), points: num(raw.points) ?? 0 };
    if (typeof raw.field === 'string') hit.field = raw.field;
    const start = num(raw.start);
    const end = num(raw.end);
    if (start !== undefined && end !== undefined) {
      hit.start = start;
      hit.end = end;
    }
    if (raw.match !== undefined) hit.match = cut(str(raw.match), 200);
    if (Array.isArray(raw.combines)) hit.combines = raw.combines.map((rule) => str(rule));
    hits.push(hit);
  }
  return hits;
}

function readContacts(value: unknown): ReportContact[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const contacts: ReportContact[] = [];
  for (const raw of value.slice(0, MAX_CONTACTS)) {
    if (!isObject(raw)) continue;
    const contact: ReportContact = { kind: str(raw.kind, '?'), value: cut(str(raw.value), 200) };
    for (const key of ['key', 'app', 'network', 'country', 'field'] as const) if (typeof raw[key] === 'string') contact[key] = cut(raw[key], 200);
    if (Array.isArray(raw.obfuscation)) contact.obfuscation = raw.obfuscation.map((o) => str(o));
    const start = num(raw.start);
    const end = num(raw.end);
    if (start !== undefined && end !== undefined) {
      contact.start = start;
      contact.end = end;
    }
    if (raw.match !== undefined) contact.match = cut(str(raw.match), 200);
    contacts.push(contact);
  }
  return contacts;
}

function readModel(value: unknown): ReportModel | undefined {
  if (!isObject(value)) return undefined;
  const model: ReportModel = {};
  if (value.abstained !== undefined) model.abstained = str(value.abstained);
  if (value.label !== undefined) model.label = str(value.label);
  const numbers = (raw: unknown): Record<string, number> | undefined => {
    if (!isObject(raw)) return undefined;
    const out: Record<string, number> = {};
    for (const [key, n] of Object.entries(raw)) if (num(n) !== undefined) out[key] = n as number;
    return out;
  };
  const probabilities = numbers(value.probabilities);
  if (probabilities) model.probabilities = probabilities;
  const points = numbers(value.points);
  if (points) model.points = points;
  if (value.withheld !== undefined) model.withheld = str(value.withheld);
  if (num(value.report) !== undefined) model.report = value.report as number;
  if (isObject(value.tokens)) {
    const list = (raw: unknown): string[] => (Array.isArray(raw) ? raw.slice(0, MAX_TOKENS).map((t) => cut(str(t), 100)) : []);
    model.tokens = { for: list(value.tokens.for), against: list(value.tokens.against) };
  }
  return model;
}

/** The fields to show, in the order verdicts list them: the known short fields, the description, then the rest. */
function orderedFields(fields: Record<string, unknown>): Array<[string, string]> {
  const known = [...SHORT_FIELDS, 'description'] as string[];
  const names = [...known.filter((name) => name in fields), ...Object.keys(fields).filter((name) => !known.includes(name))];
  return names.map((name): [string, string] => [name, str(fields[name])]).filter(([, text]) => text !== '');
}

/** A verdict made ready to show: its text cut into highlighted parts, its evidence and model read defensively (records are input). */
export function reportPosting(record: Record<string, unknown>, n: number, clusters: readonly string[] | undefined): ReportPosting {
  const hits = readHits(record.hits);
  const contacts = readContacts(record.contacts);
  const posting = isObject(record.posting) ? record.posting : {};
  const textIncluded = isObject(record.text);
  const source = isObject(record.source) ? (record.source as SourceRef) : undefined;
  const fields: ReportField[] = [];
  for (const [name, text] of orderedFields(textIncluded ? (record.text as Record<string, unknown>) : posting)) {
    // A span is marked only where the text still reads as its match (the short fields are cut at 300 characters).
    const agrees = (start: number, end: number, match: string | undefined): boolean =>
      match === undefined || text.slice(start, end).startsWith(match.endsWith('…') ? match.slice(0, -1) : match);
    const spans: Span[] = [];
    hits.forEach((hit, k) => {
      if (hit.field === name && hit.start !== undefined && hit.end !== undefined && hit.end <= text.length && agrees(hit.start, hit.end, hit.match))
        spans.push({ start: hit.start, end: hit.end, hit: k });
    });
    contacts?.forEach((contact, k) => {
      if (contact.field === name && contact.start !== undefined && contact.end !== undefined && contact.end <= text.length)
        spans.push({ start: contact.start, end: contact.end, contact: k });
    });
    const { parts, cut: isCut } = highlightParts(text, spans);
    fields.push({ name, parts, ...(isCut ? { cut: true } : {}) });
  }
  const labels = Array.isArray(record.labels) ? record.labels.map((label) => str(label)) : [];
  const scores: Record<string, number> = {};
  for (const [label, score] of Object.entries(record.scores as Record<string, unknown>)) if (num(score) !== undefined) scores[label] = score as number;
  const shown: ReportPosting = {
    n,
    id: str(record.id),
    where: describeWhere(source),
    source: sourceName(source),
    title: cut(str(posting.title), 300),
    labels,
    scores,
    score: rankScore(record),
    lang: str(record.lang, 'und'),
    categories: [...new Set(hits.filter((hit) => hit.points > 0).map((hit) => hit.category))],
    hits,
    fields,
    textIncluded,
  };
  const model = readModel(record.model);
  if (model) shown.model = model;
  if (contacts) shown.contacts = contacts;
  if (Array.isArray(record.warnings) && record.warnings.length > 0)
    shown.warnings = record.warnings.filter(isObject).map((w) => ({ code: str(w.code), message: cut(str(w.message), 500) }));
  if (clusters && clusters.length > 0) shown.clusters = [...clusters];
  return shown;
}

/** The ranking score of a flagged verdict: the highest score among its flagged labels. */
export function rankScore(record: Record<string, unknown>): number {
  const scores = isObject(record.scores) ? record.scores : {};
  const labels = Array.isArray(record.labels) ? record.labels : [];
  let best = Number.NEGATIVE_INFINITY;
  for (const label of labels) best = Math.max(best, num(scores[str(label)]) ?? Number.NEGATIVE_INFINITY);
  return Number.isFinite(best) ? best : 0;
}

interface MemberSeen {
  flagged: boolean;
  labels: string[];
  score: number;
  title: string;
}

/**
 * Gathers the report's data from records as they come: counts of everything, the best
 * `maxPostings` flagged postings, and what is known of the members of the clusters shown.
 */
export class ReviewCollector {
  private readonly counts: ReportCounts = {
    read: 0,
    verdicts: 0,
    errors: 0,
    flagged: { any: 0, ...(Object.fromEntries(LABELS.map((label) => [label, 0])) as Record<Label, number>) },
    withText: 0,
    warned: 0,
    errorCodes: {},
    modelAbstained: {},
    languages: {},
    sources: {},
    categories: {},
    rules: {},
  };
  private readonly kept: Ranked<ReportPosting & { keys: string[] }>;
  private readonly errorSamples: ErrorRecord[] = [];
  private readonly clusters: ClusterRecord[];
  private readonly clustersOf = new Map<string, string[]>();
  private readonly members = new Map<string, MemberSeen | undefined>();
  private readonly clustersRead: number;

  constructor(
    private readonly maxPostings: number,
    clusters: { kept: readonly ClusterRecord[]; read: number } = { kept: [], read: 0 },
  ) {
    this.kept = new Ranked(maxPostings);
    this.clusters = [...clusters.kept];
    this.clustersRead = clusters.read;
    for (const cluster of this.clusters) {
      for (const member of cluster.members.slice(0, MAX_MEMBERS)) {
        const key = memberKey(member.id, member.source);
        this.members.set(key, undefined);
        const list = this.clustersOf.get(key) ?? [];
        if (!list.includes(cluster.cluster)) list.push(cluster.cluster);
        this.clustersOf.set(key, list);
      }
    }
  }

  addError(record: ErrorRecord): void {
    this.counts.read++;
    this.counts.errors++;
    this.counts.errorCodes[record.error.code] = (this.counts.errorCodes[record.error.code] ?? 0) + 1;
    if (this.errorSamples.length < ERROR_SAMPLES) this.errorSamples.push(record);
  }

  addVerdict(record: Record<string, unknown>): void {
    const c = this.counts;
    c.read++;
    c.verdicts++;
    const lang = str(record.lang, 'und');
    const source = isObject(record.source) ? (record.source as SourceRef) : undefined;
    const from = sourceName(source);
    const flagged = record.flagged === true;
    const bump = (table: Record<string, { scanned: number; flagged: number }>, key: string): void => {
      const entry = (table[key] ??= { scanned: 0, flagged: 0 });
      entry.scanned++;
      if (flagged) entry.flagged++;
    };
    bump(c.languages, lang);
    bump(c.sources, from);
    if (isObject(record.text)) c.withText++;
    if (Array.isArray(record.warnings) && record.warnings.length > 0) c.warned++;
    if (isObject(record.model) && record.model.abstained !== undefined) {
      const kind = str(record.model.abstained).split(':')[0]!;
      c.modelAbstained[kind] = (c.modelAbstained[kind] ?? 0) + 1;
    }
    // A member is joined on its id and source, or on its id alone when the cluster record names no source.
    const keys = this.members.size > 0 ? [memberKey(str(record.id), source), memberKey(str(record.id), undefined)].filter((k) => this.members.has(k)) : [];
    if (keys.length > 0) {
      const posting = isObject(record.posting) ? record.posting : {};
      const seen: MemberSeen = {
        flagged,
        labels: Array.isArray(record.labels) ? record.labels.map((l) => str(l)) : [],
        score: flagged ? rankScore(record) : Math.max(0, ...Object.values(record.scores as Record<string, unknown>).map((s) => num(s) ?? 0)),
        title: cut(str(posting.title), 200),
      };
      for (const key of keys) this.members.set(key, seen);
    }
    if (!flagged) return;
    c.flagged.any++;
    if (Array.isArray(record.labels)) for (const label of record.labels) if ((LABELS as readonly unknown[]).includes(label)) c.flagged[label as Label]++;
    const hits = readHits(record.hits).filter((hit) => hit.points > 0);
    for (const category of new Set(hits.map((hit) => hit.category))) {
      const entry = (c.categories[category] ??= { label: hits.find((hit) => hit.category === category)!.label, postings: 0 });
      entry.postings++;
    }
    for (const rule of new Set(hits.map((hit) => hit.rule))) {
      const entry = (c.rules[rule] ??= { label: hits.find((hit) => hit.rule === rule)!.label, postings: 0 });
      entry.postings++;
    }
    this.kept.offer(rankScore(record), () => {
      const clusters = [...new Set(keys.flatMap((key) => this.clustersOf.get(key) ?? []))];
      return { ...reportPosting(record, 0, clusters), keys };
    });
  }

  finish(): ReviewData {
    const ranked = this.kept.ranked();
    const rankOf = new Map<string, number>();
    const postings = ranked.map(({ keys, ...posting }, k) => {
      for (const key of keys) rankOf.set(key, k + 1);
      return { ...posting, n: k + 1 };
    });
    const clusters: ReportCluster[] = this.clusters.map((record) => ({
      record,
      members: record.members.slice(0, MAX_MEMBERS).map((member): ReportMember => {
        const key = memberKey(member.id, member.source);
        const seen = this.members.get(key);
        const base = { id: member.id, where: describeWhere(member.source) };
        if (seen === undefined) return { ...base, status: 'missing' };
        const about = { title: seen.title, labels: seen.labels, score: seen.score };
        const n = rankOf.get(key);
        if (n !== undefined) return { ...base, ...about, status: 'listed', n };
        return { ...base, ...about, status: seen.flagged ? 'left-out' : 'not-flagged' };
      }),
      membersLeftOut: Math.max(0, record.members.length - MAX_MEMBERS),
    }));
    return {
      counts: this.counts,
      postings,
      leftOut: this.counts.flagged.any - postings.length,
      maxPostings: this.maxPostings,
      errorSamples: this.errorSamples,
      clusters,
      clustersLeftOut: Math.max(0, this.clustersRead - this.clusters.length),
      clustersRead: this.clustersRead,
    };
  }
}

/** A cluster as the page's script has it: for the panel the cluster filter shows. */
export interface ClientCluster {
  id: string;
  size: number;
  flagged?: number;
  reasons?: string[];
  identifiers?: string[];
  members: ReportMember[];
  membersLeftOut: number;
}

/** What the page's script reads from the JSON embedded in the page. */
export interface ClientData {
  postings: ReportPosting[];
  clusters: ClientCluster[];
  /** Flagged postings in all the records read. */
  flagged: number;
  leftOut: number;
  maxPostings: number;
}
