// A literal prefilter, as gitleaks and Hyperscan-style engines do: every keyword, and the literal
// strings a regex cannot match without (found by walking its syntax tree with regexpp, ESLint's
// parser for JavaScript regexes), go into one Aho-Corasick automaton. A posting's folded text is
// scanned once; a matcher whose literals did not occur is not run. With phrasing in twenty
// languages most matchers cannot match most postings, and running them anyway cost most of a
// scan. The prefilter only ever says "cannot match"; the matcher itself still decides. No I/O.
import { RegExpParser, type AST } from '@eslint-community/regexpp';
import type { PrefilterTables } from './prefilter-tables.js';

export type { PrefilterTables };

/** Literal ids a matcher needs one of; undefined when it must always run. */
export type LiteralIds = Int32Array;

/** Character-class ranges wider than this are not spelled out as literals. */
const MAX_CLASS = 8;
/** More alternatives than this and a regex is not worth prefiltering (it runs every time). */
const MAX_LITERALS = 4096;

const parser = new RegExpParser({ ecmaVersion: 2024 });

/**
 * Strings at least one of which every match of the regex contains, or undefined when no such set
 * is certain (or it would be too weak: a single ASCII character occurs in nearly every text, but
 * for the few in RARE_ASCII).
 */
export function requiredLiterals(source: string): string[] | undefined {
  return requiredLiteralGroups(source)?.[0];
}

/**
 * ASCII characters rare enough in postings to gate a regex alone: in a bench dump of 20,000
 * (EMSCAD, ORFD, fixtures) $ occurs in 0.6% of postings and @ in 1.1% (% in 11%, + in 36%). Money
 * and e-mail patterns that need one ("[1-4],?\d{3} ?\$", "...@...") ran on every field of every
 * posting before.
 */
const RARE_ASCII = '$@';

function useful(literal: string): boolean {
  return literal.length >= 2 || literal.charCodeAt(0) >= 128 || (literal.length === 1 && RARE_ASCII.includes(literal));
}

/** The union of each alternative's required strings; undefined when any alternative has none. */
function disjunction(alternatives: readonly AST.Alternative[]): Set<string> | undefined {
  const union = new Set<string>();
  for (const alternative of alternatives) {
    const set = sequence(alternative.elements);
    if (set === undefined) return undefined;
    for (const literal of set) union.add(literal);
  }
  return union;
}

/**
 * Sets of strings of which a regex needs one each: the first is `requiredLiterals`; a regex that is
 * one sequence (no top-level `|`) also needs its other required sets, up to MAX_GROUPS, strongest
 * first. A matcher runs only when each set has a string in the text: "per/each/every ... task/like"
 * no longer runs on every ad that says "every".
 */
export function requiredLiteralGroups(source: string): string[][] | undefined {
  let pattern: AST.Pattern;
  try {
    pattern = parser.parsePattern(source, 0, source.length, { unicode: true });
  } catch {
    return undefined;
  }
  if (pattern.alternatives.length !== 1) {
    const set = disjunction(pattern.alternatives);
    return set === undefined || set.size === 0 || set.size > MAX_LITERALS ? undefined : [[...set]];
  }
  const groups: string[][] = [];
  const seen = new Set<string>();
  for (const { set } of candidates(pattern.alternatives[0]!.elements)) {
    if (set.size > MAX_LITERALS) continue;
    const key = [...set].sort().join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    groups.push([...set]);
    if (groups.length === MAX_GROUPS) break;
  }
  return groups.length > 0 ? groups : undefined;
}

/** Required sets checked per matcher at most (each is one more look at the prefilter's findings). */
const MAX_GROUPS = 3;

/** The best set among those a sequence must go through (see `candidates`). */
function sequence(elements: readonly AST.Element[]): Set<string> | undefined {
  return candidates(elements)[0]?.set;
}

/**
 * The sets a sequence must go through, each with every string useful: runs of consecutive literal
 * characters (one string each) and required groups. Strongest first: the longest shortest string,
 * then fewer strings; ties in the order they come.
 */
function candidates(elements: readonly AST.Element[]): Array<{ set: Set<string>; score: number }> {
  const found: Array<{ set: Set<string>; score: number }> = [];
  const consider = (set: Set<string> | undefined): void => {
    if (set === undefined || set.size === 0) return;
    let shortest = Infinity;
    for (const literal of set) {
      if (!useful(literal)) return;
      shortest = Math.min(shortest, literal.length);
    }
    // Fewer, longer strings are the stronger filter.
    found.push({ set, score: shortest * 1000 - Math.min(999, set.size) });
  };
  let run = '';
  const endRun = (): void => {
    if (run !== '') consider(new Set([run]));
    run = '';
  };
  for (const element of elements) {
    if (element.type === 'Character') {
      run += String.fromCodePoint(element.value);
      continue;
    }
    endRun();
    consider(element.type === 'Quantifier' ? (element.min >= 1 ? single(element.element) : undefined) : single(element));
  }
  endRun();
  return found.sort((a, b) => b.score - a.score);
}

/** What one element requires: a group's set, a small class's characters, a character. */
function single(element: AST.Element | AST.QuantifiableElement): Set<string> | undefined {
  switch (element.type) {
    case 'Character':
      return new Set([String.fromCodePoint(element.value)]);
    case 'Group':
    case 'CapturingGroup':
      return disjunction(element.alternatives);
    case 'CharacterClass': {
      if (element.negate || element.unicodeSets) return undefined;
      const chars = new Set<string>();
      for (const item of element.elements) {
        if (item.type === 'Character') chars.add(String.fromCodePoint(item.value));
        else if (item.type === 'CharacterClassRange' && item.max.value - item.min.value < MAX_CLASS) {
          for (let cp = item.min.value; cp <= item.max.value; cp++) chars.add(String.fromCodePoint(cp));
        } else return undefined;
      }
      return chars.size <= MAX_CLASS ? chars : undefined;
    }
    default:
      // Assertions consume nothing; \d, \p{..}, . and back-references can be anything.
      return undefined;
  }
}

/** A copy of a typed array in shared memory. */
function shared<T extends Int32Array | Uint16Array>(array: T): T {
  const copy = new (array.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(array.byteLength));
  copy.set(array);
  return copy;
}

/**
 * An Aho-Corasick automaton over UTF-16 units, with the literals it reports. Its transitions are in
 * typed arrays: the root's in a direct table, the others in an open-addressing hash table keyed by
 * (node, unit) (a Map keyed by node * 65536 + unit spills past small integers and cost most of a
 * scan). Each node ends at most one literal (literals are distinct), so outputs are one id a node.
 */
export class Prefilter {
  private readonly ids = new Map<string, number>();
  private readonly literals: string[] = [];
  private built = false;
  private rootNext: Int32Array = new Int32Array(0x10000);
  /** Transition slots: (`slotNode[s]`, `slotUnit[s]`) to the child `slotTarget[s]`, -1 for an empty slot. */
  private slotNode: Int32Array = new Int32Array(0);
  private slotUnit: Uint16Array = new Uint16Array(0);
  private slotTarget: Int32Array = new Int32Array(0);
  private mask = 0;
  private fail: Int32Array = new Int32Array(0);
  /** The literal id ending at each node, or -1; and the nearest node down its failure chain that ends one. */
  private terminal: Int32Array = new Int32Array(0);
  private dictionary: Int32Array = new Int32Array(0);
  /** `found[id] === stamp`: literal `id` occurred in the text scanned last. */
  private found = new Uint32Array(0);
  private stamp = 0;
  /** Groups of literals (a matcher's required sets, see `group`). */
  private readonly groups: number[][] = [];
  /** Per literal, the groups it belongs to: `literalGroups[groupStart[id] .. groupStart[id + 1]]`. */
  private groupStart: Int32Array = new Int32Array(1);
  private literalGroups: Int32Array = new Int32Array(0);
  /** `groupFound[g] === stamp`: a literal of group `g` occurred in the text scanned last. */
  private groupFound = new Uint32Array(0);
  /**
   * Set on a prefilter made from another's tables (`fromTables`): compiling the same rule set asks
   * for its groups in the same order, so each is numbered, not entered, and `build` checks the count.
   */
  private prebuilt: PrefilterTables | undefined;
  private numbered = 0;

  /**
   * A prefilter over tables another built and shared (see `share`), for a compile of the same rules
   * with the same plan: `groupOf` and `union` then only number the groups (in the order the first
   * compile made them), and `build` fails if the count differs.
   */
  static fromTables(tables: PrefilterTables): Prefilter {
    const prefilter = new Prefilter();
    prefilter.prebuilt = tables;
    prefilter.rootNext = tables.rootNext;
    prefilter.slotNode = tables.slotNode;
    prefilter.slotUnit = tables.slotUnit;
    prefilter.slotTarget = tables.slotTarget;
    prefilter.mask = tables.mask;
    prefilter.fail = tables.fail;
    prefilter.terminal = tables.terminal;
    prefilter.dictionary = tables.dictionary;
    prefilter.groupStart = tables.groupStart;
    prefilter.literalGroups = tables.literalGroups;
    prefilter.found = new Uint32Array(tables.literals);
    prefilter.groupFound = new Uint32Array(tables.groups);
    return prefilter;
  }

  /** The built tables, copied into shared memory for other threads' `fromTables`. */
  share(): PrefilterTables {
    if (!this.built) this.build();
    return {
      rootNext: shared(this.rootNext),
      slotNode: shared(this.slotNode),
      slotUnit: shared(this.slotUnit),
      slotTarget: shared(this.slotTarget),
      mask: this.mask,
      fail: shared(this.fail),
      terminal: shared(this.terminal),
      dictionary: shared(this.dictionary),
      groupStart: shared(this.groupStart),
      literalGroups: shared(this.literalGroups),
      literals: this.found.length,
      groups: this.groupFound.length,
    };
  }

  /** The id of a literal, added before `build`. */
  add(literal: string): number {
    let id = this.ids.get(literal);
    if (id === undefined) {
      if (this.built || this.prebuilt) throw new Error('Prefilter.add after build');
      id = this.literals.push(literal) - 1;
      this.ids.set(literal, id);
    }
    return id;
  }

  /**
   * The id of a set of literals (ids from `add`), added before `build`: after a scan, `has` says
   * whether one of them occurred. A matcher with a few hundred keywords is one look after a scan,
   * where `any` looks at each keyword: the scan marks a group when a literal of it first occurs, so
   * the work is per literal found, not per literal entered. (Sets are not merged: matchers rarely
   * share one, and keying them cost a thread's start-up more than it saved.)
   */
  group(ids: ArrayLike<number>): number {
    if (this.built || this.prebuilt) throw new Error('Prefilter.group after build');
    return this.groups.push(Array.from(ids)) - 1;
  }

  /** A group of these literals (entered with `add`), or on shared tables the next group's number. */
  groupOf(literals: readonly string[]): number {
    if (this.prebuilt) return this.next();
    return this.group(literals.map((literal) => this.add(literal)));
  }

  /** A group of every literal of the given groups: marked when one of theirs is. */
  union(groups: readonly number[]): number {
    if (this.prebuilt) return this.next();
    return this.group(groups.flatMap((g) => this.groups[g]!));
  }

  private next(): number {
    if (this.built || this.numbered >= this.prebuilt!.groups) throw new Error('Prefilter: more groups than its shared tables hold (another rule set?)');
    return this.numbered++;
  }

  /** Whether the tables came from another prefilter (`fromTables`). */
  get shared(): boolean {
    return this.prebuilt !== undefined;
  }

  get size(): number {
    return this.prebuilt ? this.prebuilt.literals : this.literals.length;
  }

  private slot(node: number, unit: number): number {
    const { slotNode, slotUnit, slotTarget, mask } = this;
    let s = (Math.imul(node, 0x9e3779b1) ^ Math.imul(unit + 1, 0x85ebca77)) >>> 0;
    s = (s ^ (s >>> 15)) & mask;
    while (slotTarget[s] !== -1 && (slotNode[s] !== node || slotUnit[s] !== unit)) s = (s + 1) & mask;
    return s;
  }

  /** The child of `node` by `unit`, or -1. */
  private child(node: number, unit: number): number {
    return node === 0 ? this.rootNext[unit]! : this.slotTarget[this.slot(node, unit)]!;
  }

  build(): void {
    if (this.prebuilt) {
      if (this.numbered !== this.prebuilt.groups)
        throw new Error(`Prefilter: ${this.numbered} groups asked of shared tables that hold ${this.prebuilt.groups} (another rule set?)`);
      this.built = true;
      return;
    }
    let units = 1;
    for (const literal of this.literals) units += literal.length;
    let capacity = 1024;
    while (capacity < units * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.slotNode = new Int32Array(capacity);
    this.slotUnit = new Uint16Array(capacity);
    this.slotTarget = new Int32Array(capacity).fill(-1);
    this.rootNext.fill(-1);
    const terminal = new Int32Array(units).fill(-1);
    /** Per node, its first child edge; edges chained (unit, child, next edge): for the breadth-first pass. */
    const firstEdge = new Int32Array(units).fill(-1);
    const edgeUnit = new Uint16Array(units);
    const edgeChild = new Int32Array(units);
    const edgeNext = new Int32Array(units);
    let nodes = 1;
    let edges = 0;
    this.literals.forEach((literal, id) => {
      let node = 0;
      for (let i = 0; i < literal.length; i++) {
        const unit = literal.charCodeAt(i);
        let child = this.child(node, unit);
        if (child < 0) {
          child = nodes++;
          if (node === 0) this.rootNext[unit] = child;
          else {
            const s = this.slot(node, unit);
            this.slotNode[s] = node;
            this.slotUnit[s] = unit;
            this.slotTarget[s] = child;
          }
          edgeUnit[edges] = unit;
          edgeChild[edges] = child;
          edgeNext[edges] = firstEdge[node]!;
          firstEdge[node] = edges++;
        }
        node = child;
      }
      terminal[node] = id;
    });
    this.terminal = terminal.slice(0, nodes);
    this.fail = new Int32Array(nodes);
    this.dictionary = new Int32Array(nodes).fill(-1);
    // Breadth first: a node's failure link is known before its children's.
    const queue = new Int32Array(nodes);
    let tail = 0;
    for (let e = firstEdge[0]!; e >= 0; e = edgeNext[e]!) queue[tail++] = edgeChild[e]!;
    for (let head = 0; head < tail; head++) {
      const node = queue[head]!;
      for (let e = firstEdge[node]!; e >= 0; e = edgeNext[e]!) {
        const unit = edgeUnit[e]!;
        const child = edgeChild[e]!;
        let f = this.fail[node]!;
        let target = -1;
        for (;;) {
          target = this.child(f, unit);
          if (target >= 0 || f === 0) break;
          f = this.fail[f]!;
        }
        this.fail[child] = target >= 0 && target !== child ? target : 0;
        const via = this.fail[child]!;
        this.dictionary[child] = this.terminal[via]! >= 0 ? via : this.dictionary[via]!;
        queue[tail++] = child;
      }
    }
    this.found = new Uint32Array(this.literals.length);
    // Groups by literal, as compressed rows: counts, then running starts, then the rows filled.
    const start = new Int32Array(this.literals.length + 1);
    for (const members of this.groups) for (const id of members) start[id + 1]!++;
    // A literal twice in one group is marked twice, which is harmless.
    for (let id = 0; id < this.literals.length; id++) start[id + 1]! += start[id]!;
    const fill = start.slice(0, this.literals.length);
    const rows = new Int32Array(start[this.literals.length]!);
    this.groups.forEach((members, g) => {
      for (const id of members) rows[fill[id]!++] = g;
    });
    this.groupStart = start;
    this.literalGroups = rows;
    this.groupFound = new Uint32Array(this.groups.length);
    this.built = true;
  }

  /** Scan a text; its literals are then what `any` looks at. */
  scan(text: string): void {
    if (!this.built) this.build();
    this.stamp = this.stamp === 0xffffffff ? 1 : this.stamp + 1;
    if (this.stamp === 1) {
      this.found.fill(0);
      this.groupFound.fill(0);
    }
    const { fail, terminal, dictionary, found, stamp, groupStart, literalGroups, groupFound } = this;
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      for (;;) {
        const target = this.child(node, unit);
        if (target >= 0) {
          node = target;
          break;
        }
        if (node === 0) break;
        node = fail[node]!;
      }
      for (let out = terminal[node]! >= 0 ? node : dictionary[node]!; out > 0; out = dictionary[out]!) {
        const id = terminal[out]!;
        if (found[id] === stamp) continue;
        found[id] = stamp;
        for (let k = groupStart[id]!, end = groupStart[id + 1]!; k < end; k++) groupFound[literalGroups[k]!] = stamp;
      }
    }
  }

  /** Whether one literal of group `group` (see `group`) occurred in the text scanned last. */
  has(group: number): boolean {
    return this.groupFound[group] === this.stamp;
  }

  /** Whether one of the literals occurred in the text scanned last. */
  any(ids: LiteralIds): boolean {
    const { found, stamp } = this;
    for (let k = 0; k < ids.length; k++) if (found[ids[k]!] === stamp) return true;
    return false;
  }
}
