// Postings into networks, in two passes over the verdicts with memory bounded by what clustering
// needs. Pass one (`Linker.add`) keeps a posting's MinHash sketch, its contact key ids, its source
// and its strongest score, never its text; `Linker.build` joins near-duplicate texts (LSH
// candidates verified on their signatures) and postings that share an identifier (generic ones
// left out) with one union-find, and numbers the clusters. Pass two (`ClusterCollector`) reads the
// verdicts again and keeps, for clustered postings only, what a cluster record shows.
import type { FilteredIdentifier } from '../contracts/cluster.js';
import { LABELS } from '../types.js';
import type { Allowlist } from './allowlist.js';
import { keyKind } from './allowlist.js';
import { Column, float32Column, int32Column, Pages, sortByKey, uint32Column, UnionFind } from './columns.js';
import { BANDS, BINS, estimateJaccard, sketch, templateText } from './minhash.js';
import { sourceName, urlHost, type LinkVerdict } from './verdicts.js';

export interface LinkOptions {
  /** Estimated Jaccard similarity of two texts' shingles at or above which they are one template (default 0.6). */
  similarity: number;
  /** An identifier carried by postings of more than this many different texts is generic and joins nothing (default 50), unless most of them are flagged. */
  genericOver: number;
  /** Smallest cluster written (default 2). */
  minSize: number;
  /** Identifiers never used to join. */
  allow: Allowlist;
}

export const DEFAULT_LINK_OPTIONS: Omit<LinkOptions, 'allow'> = { similarity: 0.6, genericOver: 50, minSize: 2 };

/** An identifier past `genericOver` texts still joins when at least this share of its postings are flagged. */
export const GENERIC_FLAGGED_SHARE = 0.5;
/** A domain in the `url` field of at least this share of one source's postings (and of PLATFORM_MIN of them) is the site's own. */
export const PLATFORM_SHARE = 0.5;
export const PLATFORM_MIN = 3;
/** Candidates of one LSH bucket a posting is compared with, at most (the bucket's first texts that are not near-duplicates of each other). */
const BUCKET_REPRESENTATIVES = 8;

/** What pass one learned: the clusters and why, ready for pass two. */
export interface LinkPlan {
  postings: number;
  /** Each posting's cluster (0-based, in the order of first members), or -1. */
  clusterOf: Int32Array;
  /** Each posting's place among clustered postings (in input order), or -1. */
  slotOf: Int32Array;
  clustered: number;
  sizes: Uint32Array;
  /** Each cluster's exemplar posting: its strongest score, the first such. */
  exemplars: Uint32Array;
  /** Bit 1: joined by a contact; bit 2: by a template. */
  reasons: Uint8Array;
  identifiers: Array<Array<{ key: string; postings: number }> | undefined>;
  filtered: FilteredIdentifier[];
  /** Postings whose text was too short to be judged a template. */
  unsketched: number;
  edges: {
    template: { a: Uint32Array; b: Uint32Array; similarity: Float32Array };
    contact: { a: Uint32Array; b: Uint32Array; key: Uint32Array };
  };
  keys: readonly string[];
}

export class Linker {
  private n = 0;
  private readonly signatures = new Pages(BINS, (size) => new Uint8Array(size));
  private readonly bands = new Pages(BANDS, (size) => new Uint32Array(size));
  private readonly sketched = new Column((size) => new Uint8Array(size));
  private readonly flagged = new Column((size) => new Uint8Array(size));
  private readonly best = float32Column();
  private readonly source = uint32Column();
  private readonly urlKey = int32Column();
  private readonly pairKey = uint32Column();
  private readonly pairPosting = uint32Column();
  private readonly keyIndex = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly sourceIndex = new Map<string, number>();
  private readonly sourceNames: string[] = [];
  private readonly sourceCounts: number[] = [];

  constructor(private readonly options: LinkOptions) {
    if (!(options.similarity > 0 && options.similarity <= 1)) throw new RangeError('similarity must be in (0, 1]');
  }

  get postings(): number {
    return this.n;
  }

  /** Bytes held by the sketches (for the summary's memory figure). */
  get sketchBytes(): number {
    return this.signatures.bytes + this.bands.bytes;
  }

  /** Pass one: take a verdict; returns its index. */
  add(verdict: LinkVerdict): number {
    const index = this.n++;
    const sig = this.signatures.row(index);
    const band = this.bands.row(index);
    this.sketched.push(sketch(templateText(verdict.text ?? verdict.posting), sig.page, sig.at, band.page, band.at) ? 1 : 0);
    let best = 0;
    for (const label of LABELS) best = Math.max(best, verdict.scores[label] ?? 0);
    this.best.push(best);
    this.flagged.push(verdict.flagged ? 1 : 0);
    const name = sourceName(verdict.source);
    let sourceId = this.sourceIndex.get(name);
    if (sourceId === undefined) {
      sourceId = this.sourceNames.length;
      this.sourceIndex.set(name, sourceId);
      this.sourceNames.push(name);
      this.sourceCounts.push(0);
    }
    this.sourceCounts[sourceId]!++;
    this.source.push(sourceId);
    const host = urlHost(verdict.posting.url ?? verdict.text?.url);
    let urlKey = -1;
    const seen = new Set<number>();
    for (const contact of verdict.contacts) {
      let keyId = this.keyIndex.get(contact.key);
      if (keyId === undefined) {
        keyId = this.keys.length;
        this.keyIndex.set(contact.key, keyId);
        this.keys.push(contact.key);
      }
      if (urlKey < 0 && (contact.field === 'url' || (host !== undefined && contact.key === `domain:${host}`))) urlKey = keyId;
      if (seen.has(keyId)) continue;
      seen.add(keyId);
      this.pairKey.push(keyId);
      this.pairPosting.push(index);
    }
    this.urlKey.push(urlKey);
    return index;
  }

  /** Cluster what pass one took. */
  build(): LinkPlan {
    const n = this.n;
    const uf = new UnionFind(n);
    const template = { a: uint32Column(), b: uint32Column(), similarity: float32Column() };
    this.joinTemplates(uf, template);
    const contact = { a: uint32Column(), b: uint32Column(), key: uint32Column() };
    const { filtered, joined } = this.joinContacts(uf, contact);

    const clusterOfRoot = new Int32Array(n).fill(-1);
    const clusterOf = new Int32Array(n);
    const slotOf = new Int32Array(n);
    const sizes = uint32Column();
    let clustered = 0;
    for (let i = 0; i < n; i++) {
      const root = uf.find(i);
      if (uf.size[root]! < this.options.minSize) {
        clusterOf[i] = -1;
        slotOf[i] = -1;
        continue;
      }
      if (clusterOfRoot[root]! < 0) {
        clusterOfRoot[root] = sizes.length;
        sizes.push(0);
      }
      const cluster = clusterOfRoot[root]!;
      clusterOf[i] = cluster;
      sizes.data[cluster]!++;
      slotOf[i] = clustered++;
    }
    const clusters = sizes.length;
    const exemplars = new Uint32Array(clusters);
    const bestOf = new Float32Array(clusters).fill(-1);
    const best = this.best.view();
    for (let i = 0; i < n; i++) {
      const c = clusterOf[i]!;
      if (c >= 0 && best[i]! > bestOf[c]!) {
        bestOf[c] = best[i]!;
        exemplars[c] = i;
      }
    }
    const reasons = new Uint8Array(clusters);
    const ta = template.a.view();
    for (let e = 0; e < ta.length; e++) {
      const c = clusterOf[ta[e]!]!;
      if (c >= 0) reasons[c]! |= 2;
    }
    const ca = contact.a.view();
    for (let e = 0; e < ca.length; e++) {
      const c = clusterOf[ca[e]!]!;
      if (c >= 0) reasons[c]! |= 1;
    }
    const identifiers: LinkPlan['identifiers'] = [];
    for (const { keyId, first, postings } of joined) {
      const c = clusterOf[first]!;
      if (c < 0) continue;
      (identifiers[c] ??= []).push({ key: this.keys[keyId]!, postings });
    }
    for (const list of identifiers) list?.sort((x, y) => y.postings - x.postings || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    let unsketched = 0;
    const sketched = this.sketched.view();
    for (let i = 0; i < n; i++) if (sketched[i] === 0) unsketched++;
    return {
      postings: n,
      clusterOf,
      slotOf,
      clustered,
      sizes: sizes.view(),
      exemplars,
      reasons,
      identifiers,
      filtered,
      unsketched,
      edges: {
        template: { a: template.a.view(), b: template.b.view(), similarity: template.similarity.view() },
        contact: { a: contact.a.view(), b: contact.b.view(), key: contact.key.view() },
      },
      keys: this.keys,
    };
  }

  /**
   * Near-duplicates: postings that share a band hash are candidates, and a candidate pair is joined
   * when the estimated Jaccard similarity of their shingles reaches the threshold. In a bucket a
   * posting is compared with up to BUCKET_REPRESENTATIVES earlier members that are not already
   * joined to each other (every band gives a pair another chance), so a bucket of ten thousand
   * copies costs ten thousand comparisons, not fifty million.
   */
  private joinTemplates(uf: UnionFind, edges: { a: Column<Uint32Array>; b: Column<Uint32Array>; similarity: Column<Float32Array> }): void {
    const n = this.n;
    const sketched = this.sketched.view();
    let s = 0;
    for (let i = 0; i < n; i++) if (sketched[i]) s++;
    const members = new Uint32Array(s);
    s = 0;
    for (let i = 0; i < n; i++) if (sketched[i]) members[s++] = i;
    const keys = new Uint32Array(s);
    const out = new Uint32Array(s);
    const tmp = new Uint32Array(s);
    const reps: number[] = [];
    const threshold = this.options.similarity;
    for (let band = 0; band < BANDS; band++) {
      for (let j = 0; j < s; j++) {
        const i = members[j]!;
        keys[j] = this.bands.page(i)[this.bands.offset(i) + band]!;
      }
      const order = sortByKey(keys, out, tmp);
      for (let start = 0; start < s; ) {
        const value = keys[order[start]!]!;
        let end = start + 1;
        while (end < s && keys[order[end]!] === value) end++;
        if (end - start >= 2) {
          reps.length = 0;
          for (let k = start; k < end; k++) {
            const x = members[order[k]!]!;
            const rootX = uf.find(x);
            let done = false;
            for (const r of reps) {
              if (uf.find(r) === rootX) {
                done = true;
                break;
              }
            }
            if (done) continue;
            const xPage = this.signatures.page(x);
            const xAt = this.signatures.offset(x);
            for (const r of reps) {
              const similarity = estimateJaccard(xPage, xAt, this.signatures.page(r), this.signatures.offset(r));
              if (similarity >= threshold) {
                uf.union(r, x);
                edges.a.push(r);
                edges.b.push(x);
                edges.similarity.push(similarity);
                done = true;
                break;
              }
            }
            if (!done && reps.length < BUCKET_REPRESENTATIVES) reps.push(x);
          }
        }
        start = end;
      }
    }
  }

  /** Shared identifiers: every posting that carries a key joins the first that does, unless the key is allowlisted, generic or a site's own domain. */
  private joinContacts(
    uf: UnionFind,
    edges: { a: Column<Uint32Array>; b: Column<Uint32Array>; key: Column<Uint32Array> },
  ): { filtered: FilteredIdentifier[]; joined: Array<{ keyId: number; first: number; postings: number }> } {
    const platform = this.platformKeys();
    const pairKeys = this.pairKey.view();
    const pairPostings = this.pairPosting.view();
    const order = sortByKey(pairKeys);
    const filtered: FilteredIdentifier[] = [];
    const joined: Array<{ keyId: number; first: number; postings: number; start: number; end: number }> = [];
    for (let start = 0; start < order.length; ) {
      const keyId = pairKeys[order[start]!]!;
      let end = start + 1;
      while (end < order.length && pairKeys[order[end]!] === keyId) end++;
      const key = this.keys[keyId]!;
      const postings = end - start;
      const base = { key, kind: keyKind(key), postings };
      if (this.options.allow.has(key)) filtered.push({ ...base, reason: 'allowlist' });
      else if (platform.has(keyId)) filtered.push({ ...base, reason: 'platform', source: platform.get(keyId)! });
      else if (postings >= 2) {
        // Generic: carried by postings of more than `genericOver` different texts. Near-duplicates
        // count once (the union-find holds template joins only at this point).
        let templates = postings;
        if (postings > this.options.genericOver) {
          const roots = new Set<number>();
          for (let k = start; k < end; k++) roots.add(uf.find(pairPostings[order[k]!]!));
          templates = roots.size;
        }
        // A network's own handle in many differently worded ads is not a hotline: an identifier
        // whose postings are mostly flagged is kept, however many texts carry it.
        let flaggedShare = 0;
        if (templates > this.options.genericOver) {
          const flags = this.flagged.view();
          let flagged = 0;
          for (let k = start; k < end; k++) flagged += flags[pairPostings[order[k]!]!]!;
          flaggedShare = flagged / postings;
        }
        if (templates > this.options.genericOver && flaggedShare < GENERIC_FLAGGED_SHARE) filtered.push({ ...base, reason: 'generic', templates });
        else joined.push({ keyId, first: pairPostings[order[start]!]!, postings, start, end });
      }
      start = end;
    }
    for (const { keyId, first, start, end } of joined) {
      for (let k = start + 1; k < end; k++) {
        const other = pairPostings[order[k]!]!;
        uf.union(first, other);
        edges.a.push(first);
        edges.b.push(other);
        edges.key.push(keyId);
      }
    }
    filtered.sort((x, y) => y.postings - x.postings || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    return { filtered, joined: joined.map(({ keyId, first, postings }) => ({ keyId, first, postings })) };
  }

  /** Domains in the `url` field of at least half of one source's postings (and of three or more): where they were posted, not who posted them. */
  private platformKeys(): Map<number, string> {
    const counts = new Map<number, number>();
    const urlKeys = this.urlKey.view();
    const sources = this.source.view();
    const width = this.sourceNames.length;
    for (let i = 0; i < urlKeys.length; i++) {
      const key = urlKeys[i]!;
      if (key < 0) continue;
      const pair = key * width + sources[i]!;
      counts.set(pair, (counts.get(pair) ?? 0) + 1);
    }
    const platform = new Map<number, string>();
    for (const [pair, count] of counts) {
      const key = Math.floor(pair / width);
      const source = pair % width;
      if (count >= PLATFORM_MIN && count >= PLATFORM_SHARE * this.sourceCounts[source]! && !platform.has(key)) platform.set(key, this.sourceNames[source]!);
    }
    return platform;
  }
}
