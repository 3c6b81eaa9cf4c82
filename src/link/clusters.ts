// Pass two of `link`: the clustered postings' ids, sources, languages, labels, scores and dates
// (nothing of the others), each cluster's exemplar text, and the cluster records, edges and GraphML
// written from them.
import Papa from 'papaparse';
import type { ClusterRecord, ClusterReason } from '../contracts/cluster.js';
import { LABELS, type Label, type SourceRef } from '../types.js';
import { keyKind } from './allowlist.js';
import type { LinkPlan } from './linker.js';
import { templateFieldNames } from './minhash.js';
import { postingDate, sourceName, type LinkVerdict } from './verdicts.js';

/** An exemplar's text is cut here (code points), with `…` after. */
export const EXEMPLAR_CHARS = 2000;

const DAY_MS = 86_400_000;

/** Intern strings as small numbers. */
class Names {
  private readonly index = new Map<string, number>();
  readonly names: string[] = [];
  id(name: string): number {
    let id = this.index.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.index.set(name, id);
      this.names.push(name);
    }
    return id;
  }
}

/** The exemplar's text: the fields its template was judged on, original text, cut at EXEMPLAR_CHARS. */
function exemplarText(verdict: LinkVerdict): string {
  const fields = verdict.text ?? verdict.posting;
  const text = templateFieldNames(fields)
    .map((name) => fields[name]!.trim())
    .filter((value) => value !== '')
    .join('\n');
  const points = Array.from(text);
  return points.length > EXEMPLAR_CHARS ? `${points.slice(0, EXEMPLAR_CHARS).join('')}…` : text;
}

const round = (value: number): number => Math.round(value * 100) / 100;

/** Counts as an object, most first (then by name), so a record reads the same every run. */
function countsObject(counts: Map<string, number>): Record<string, number> {
  const entries = [...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return Object.fromEntries(entries);
}

/** A record as one JSON line that no line splitter cuts (U+2028, U+2029, U+0085 escaped, as the verdicts' writer does). */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0085\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export const clusterId = (cluster: number): string => `c-${String(cluster + 1).padStart(6, '0')}`;

export class ClusterCollector {
  private readonly ids: string[];
  /**
   * Each member's source: `{file, row}` and `{file, line}` (nearly all) as the file's number and
   * the row or line (negative), anything else as JSON in `otherSources`.
   */
  private readonly sourceFile: Uint32Array;
  private readonly sourceAt: Float64Array;
  private readonly otherSources = new Map<number, string>();
  private readonly files = new Names();
  /** Titles, for the GraphML only. */
  private readonly titles: string[] | undefined;
  private readonly lang: Uint32Array;
  private readonly sourceName: Uint32Array;
  private readonly labelBits: Uint8Array;
  private readonly scores: Float64Array;
  private readonly day: Int32Array;
  private readonly exemplarTexts: string[];
  private readonly langs = new Names();
  private readonly sourceNames = new Names();
  private taken = 0;

  constructor(
    readonly plan: LinkPlan,
    options: { titles?: boolean } = {},
  ) {
    const m = plan.clustered;
    this.ids = new Array<string>(m);
    this.sourceFile = new Uint32Array(m);
    this.sourceAt = new Float64Array(m);
    this.titles = options.titles ? new Array<string>(m) : undefined;
    this.lang = new Uint32Array(m);
    this.sourceName = new Uint32Array(m);
    this.labelBits = new Uint8Array(m);
    this.scores = new Float64Array(m * LABELS.length);
    this.day = new Int32Array(m).fill(-1);
    this.exemplarTexts = new Array<string>(plan.sizes.length);
  }

  /** True when pass two needs posting `index` (it is in a written cluster). */
  wants(index: number): boolean {
    return this.plan.slotOf[index]! >= 0;
  }

  /** Pass two: take the verdict of posting `index` (call only when `wants(index)`). */
  take(index: number, verdict: LinkVerdict): void {
    const slot = this.plan.slotOf[index]!;
    if (slot < 0) return;
    this.taken++;
    this.ids[slot] = verdict.id;
    const { file, row, line, ...rest } = verdict.source;
    const keys = Object.keys(verdict.source).length;
    if (typeof file === 'string' && Object.keys(rest).length === 0 && keys === 2 && (Number.isInteger(row) || Number.isInteger(line))) {
      this.sourceFile[slot] = this.files.id(file);
      this.sourceAt[slot] = row !== undefined ? row : -line! - 1;
    } else this.otherSources.set(slot, JSON.stringify(verdict.source));
    if (this.titles) {
      this.titles[slot] = Array.from(verdict.posting.title ?? verdict.text?.title ?? '')
        .slice(0, 120)
        .join('');
    }
    this.lang[slot] = this.langs.id(verdict.lang);
    this.sourceName[slot] = this.sourceNames.id(sourceName(verdict.source));
    let bits = 0;
    LABELS.forEach((label, l) => {
      if (verdict.labels.includes(label)) bits |= 1 << l;
      this.scores[slot * LABELS.length + l] = verdict.scores[label] ?? 0;
    });
    this.labelBits[slot] = bits;
    const date = postingDate(verdict.text ?? verdict.posting);
    if (date !== undefined) this.day[slot] = Math.round(Date.parse(date) / DAY_MS);
    const cluster = this.plan.clusterOf[index]!;
    if (this.plan.exemplars[cluster] === index) this.exemplarTexts[cluster] = exemplarText(verdict);
  }

  /** A member's source as its verdict gave it. */
  private source(slot: number): SourceRef {
    const other = this.otherSources.get(slot);
    if (other !== undefined) return JSON.parse(other) as SourceRef;
    const file = this.files.names[this.sourceFile[slot]!]!;
    const at = this.sourceAt[slot]!;
    return at >= 0 ? { file, row: at } : { file, line: -at - 1 };
  }

  /** Every clustered posting was taken: pass two saw the same postings as pass one. */
  get complete(): boolean {
    return this.taken === this.plan.clustered;
  }

  /** Slots of each cluster's members, in input order: `members.subarray(start[c], start[c + 1])`. */
  private memberSlots(): { start: Uint32Array; members: Uint32Array } {
    const { sizes, clusterOf } = this.plan;
    const start = new Uint32Array(sizes.length + 1);
    for (let c = 0; c < sizes.length; c++) start[c + 1] = start[c]! + sizes[c]!;
    const fill = start.slice(0, sizes.length);
    const members = new Uint32Array(this.plan.clustered);
    let slot = 0;
    for (let i = 0; i < clusterOf.length; i++) {
      const c = clusterOf[i]!;
      if (c >= 0) members[fill[c]!++] = slot++;
    }
    return { start, members };
  }

  /** The cluster records, in cluster order. */
  *records(): Generator<ClusterRecord> {
    const { start, members } = this.memberSlots();
    const L = LABELS.length;
    for (let c = 0; c < this.plan.sizes.length; c++) {
      const slots = members.subarray(start[c]!, start[c + 1]!);
      const labels = Object.fromEntries(LABELS.map((label) => [label, 0])) as Record<Label, number>;
      const max = new Array<number>(L).fill(0);
      const sum = new Array<number>(L).fill(0);
      const langs = new Map<string, number>();
      const sources = new Map<string, number>();
      let flagged = 0;
      let first = Number.POSITIVE_INFINITY;
      let last = Number.NEGATIVE_INFINITY;
      for (const slot of slots) {
        const bits = this.labelBits[slot]!;
        if (bits !== 0) flagged++;
        for (let l = 0; l < L; l++) {
          if (bits & (1 << l)) labels[LABELS[l]!]++;
          const score = this.scores[slot * L + l]!;
          if (score > max[l]!) max[l] = score;
          sum[l]! += score;
        }
        const lang = this.langs.names[this.lang[slot]!]!;
        langs.set(lang, (langs.get(lang) ?? 0) + 1);
        const source = this.sourceNames.names[this.sourceName[slot]!]!;
        sources.set(source, (sources.get(source) ?? 0) + 1);
        const day = this.day[slot]!;
        if (day >= 0) {
          first = Math.min(first, day);
          last = Math.max(last, day);
        }
      }
      const reasons: ClusterReason[] = [];
      if (this.plan.reasons[c]! & 1) reasons.push('contact');
      if (this.plan.reasons[c]! & 2) reasons.push('template');
      const exemplar = this.plan.exemplars[c]!;
      const record: ClusterRecord = {
        cluster: clusterId(c),
        size: slots.length,
        members: Array.from(slots, (slot) => ({ id: this.ids[slot]!, source: this.source(slot) })),
        reasons,
        identifiers: (this.plan.identifiers[c] ?? []).map(({ key, postings }) => ({ key, kind: keyKind(key), postings })),
        exemplar: { id: this.ids[this.plan.slotOf[exemplar]!]!, text: this.exemplarTexts[c] ?? '' },
        labels,
        flagged,
        score: Object.fromEntries(LABELS.map((label, l) => [label, { max: round(max[l]!), mean: round(sum[l]! / slots.length) }])) as ClusterRecord['score'],
        langs: countsObject(langs),
        sources: countsObject(sources),
      };
      if (first !== Number.POSITIVE_INFINITY) {
        record.firstSeen = new Date(first * DAY_MS).toISOString().slice(0, 10);
        record.lastSeen = new Date(last * DAY_MS).toISOString().slice(0, 10);
      }
      yield record;
    }
  }

  /** The edges inside written clusters, cluster by cluster: contact edges (a star a key) then template edges (a spanning forest). */
  private *edges(): Generator<{ cluster: number; source: number; target: number; kind: ClusterReason; key?: string; similarity?: number }> {
    const { clusterOf, slotOf, edges, keys } = this.plan;
    const all: Array<{ cluster: number; a: number; b: number; kind: ClusterReason; value: number }> = [];
    for (let e = 0; e < edges.contact.a.length; e++) {
      const a = edges.contact.a[e]!;
      if (clusterOf[a]! >= 0) all.push({ cluster: clusterOf[a]!, a, b: edges.contact.b[e]!, kind: 'contact', value: edges.contact.key[e]! });
    }
    for (let e = 0; e < edges.template.a.length; e++) {
      const a = edges.template.a[e]!;
      if (clusterOf[a]! >= 0) all.push({ cluster: clusterOf[a]!, a, b: edges.template.b[e]!, kind: 'template', value: edges.template.similarity[e]! });
    }
    // Stable: within a cluster, contact edges first, each kind in the order it was found.
    all.sort((x, y) => x.cluster - y.cluster);
    for (const edge of all) {
      const base = { cluster: edge.cluster, source: slotOf[edge.a]!, target: slotOf[edge.b]!, kind: edge.kind };
      yield edge.kind === 'contact' ? { ...base, key: keys[edge.value]! } : { ...base, similarity: Math.round(edge.value * 1000) / 1000 };
    }
  }

  /** `--edges`: CSV with a header, one edge a row. */
  *edgesCsv(): Generator<string> {
    const row = (values: Array<string | number>): string => `${Papa.unparse([values.map(String)], { newline: '\n', escapeFormulae: true })}\n`;
    yield row(['source', 'target', 'kind', 'key', 'similarity', 'cluster']);
    for (const edge of this.edges()) {
      yield row([this.ids[edge.source]!, this.ids[edge.target]!, edge.kind, edge.key ?? '', edge.similarity ?? '', clusterId(edge.cluster)]);
    }
  }

  /** `--graphml`: the clusters as a graph for Gephi, yEd or networkx; nodes are postings (id: the verdict's), edges their links. */
  *graphml(): Generator<string> {
    yield '<?xml version="1.0" encoding="UTF-8"?>\n';
    yield '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n';
    const keys: Array<[string, 'node' | 'edge', string]> = [
      ['label', 'node', 'string'],
      ['title', 'node', 'string'],
      ['cluster', 'node', 'string'],
      ['score', 'node', 'double'],
      ['lang', 'node', 'string'],
      ['flagged', 'node', 'boolean'],
      ['labels', 'node', 'string'],
      ['source', 'node', 'string'],
      ['kind', 'edge', 'string'],
      ['key', 'edge', 'string'],
      ['similarity', 'edge', 'double'],
    ];
    for (const [id, domain, type] of keys) yield `  <key id="${id}" for="${domain}" attr.name="${id}" attr.type="${type}"/>\n`;
    yield '  <graph id="lurescan-link" edgedefault="undirected">\n';
    // Node ids are the verdicts' ids; an id met again (the same posting read twice) gets #2, #3.
    const nodeIds = new Array<string>(this.plan.clustered);
    const used = new Set<string>();
    const { start, members } = this.memberSlots();
    const L = LABELS.length;
    for (let c = 0; c < this.plan.sizes.length; c++) {
      for (const slot of members.subarray(start[c]!, start[c + 1]!)) {
        let id = this.ids[slot]!;
        for (let k = 2; used.has(id); k++) id = `${this.ids[slot]}#${k}`;
        used.add(id);
        nodeIds[slot] = id;
        let score = 0;
        for (let l = 0; l < L; l++) score = Math.max(score, this.scores[slot * L + l]!);
        const labels = LABELS.filter((_, l) => this.labelBits[slot]! & (1 << l)).join(',');
        yield `    <node id="${xml(id)}">${data('label', this.ids[slot]!)}${data('title', this.titles?.[slot] ?? '')}${data('cluster', clusterId(c))}${data('score', String(score))}${data('lang', this.langs.names[this.lang[slot]!]!)}${data('flagged', String(labels !== ''))}${data('labels', labels)}${data('source', this.sourceNames.names[this.sourceName[slot]!]!)}</node>\n`;
      }
    }
    let e = 0;
    for (const edge of this.edges()) {
      const value = edge.kind === 'contact' ? data('key', edge.key!) : data('similarity', String(edge.similarity));
      yield `    <edge id="e${++e}" source="${xml(nodeIds[edge.source]!)}" target="${xml(nodeIds[edge.target]!)}">${data('kind', edge.kind)}${value}</edge>\n`;
    }
    yield '  </graph>\n</graphml>\n';
  }
}

/** Characters XML 1.0 does not allow at all, not even as references: most C0 controls, lone surrogates, U+FFFE and U+FFFF. */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
  '\t': '&#9;',
  '\n': '&#10;',
};

/** Text for an XML attribute or element: markup escaped, line ends kept as references, forbidden characters as U+FFFD. */
export function xml(text: string): string {
  return text.replace(NOT_XML, '\ufffd').replace(/[&<>"'\r\n\t]/g, (ch) => XML_ESCAPES[ch]!);
}

const data = (key: string, value: string): string => (value === '' ? '' : `<data key="${key}">${xml(value)}</data>`);
