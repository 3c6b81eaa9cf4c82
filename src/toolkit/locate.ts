// Lines of the parts of a rule (a matcher, an example) in its YAML file, so lint and test findings
// point at the line to fix, not only at the rule.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML, { LineCounter, isMap, isSeq, type Node as YamlNode } from 'yaml';
import { CACHE_DIR, touchCacheEntry, writeCacheEntry } from '../cache-dir.js';
import type { RuleFileText } from '../contracts/rule-file.js';
import { ruleFilesKey } from '../run/rules.js';

export type RulePath = readonly (string | number)[];

interface Located {
  node: YamlNode;
  lines: LineCounter;
}

/**
 * Find rules by id across files; `lineOf(id, path)` gives the line of a node inside that rule. The
 * files are parsed on the first `lineOf`, not before: a lint that finds nothing never needs a line.
 */
export class RuleLocator {
  private rules: Map<string, Located> | undefined;

  constructor(private readonly files: readonly RuleFileText[]) {}

  private index(): Map<string, Located> {
    if (this.rules) return this.rules;
    const rules = new Map<string, Located>();
    for (const { text } of this.files) {
      const lines = new LineCounter();
      const doc = YAML.parseDocument(text, { lineCounter: lines });
      if (doc.errors.length > 0) continue;
      const list = doc.get('rules', true);
      if (!isSeq(list)) continue;
      for (const item of list.items) {
        if (!isMap(item)) continue;
        const id = item.get('id');
        // The first definition wins, as in the rule set (a duplicate is reported, not used).
        if (typeof id === 'string' && !rules.has(id)) rules.set(id, { node: item as YamlNode, lines });
      }
    }
    this.rules = rules;
    return rules;
  }

  /** Line of `path` below the rule (e.g. ['any', 2] or ['examples', 'match', 0]); undefined if absent. */
  lineOf(id: string, path: RulePath): number | undefined {
    const found = this.index().get(id);
    if (!found) return undefined;
    let node: unknown = found.node;
    for (const key of path) {
      if (isMap(node)) node = node.get(key, true);
      else if (isSeq(node) && typeof key === 'number') node = node.items[key];
      else return undefined;
    }
    const range = (node as YamlNode | undefined)?.range;
    return range ? found.lines.linePos(range[0]).line : undefined;
  }
}

/** Each rule's examples' lines, by rule id: `match` and `nomatch` in order, null where none was found. */
type ExampleLines = Record<string, { match: (number | null)[]; nomatch: (number | null)[] }>;

/** Bumped when what the cached lines hold, or how they are found, changes. */
const LINES_CACHE_FORMAT = 1;
/** Cached line tables kept (a rule author's recent edits): the shipped set's is about 30 KB. */
const LINES_CACHE_PRUNE = { kind: /^lines-[0-9a-f]+\.json$/, keep: 16, bytes: 4 * 1024 * 1024 };

/**
 * The line of each example of each rule (`rules test` gives every case its line, passed or not),
 * as `RuleLocator.lineOf(id, ['examples', kind, index])` finds it, kept in the cache folder under a
 * key over lurescan's version and every file's name and text: finding them parses every rule file
 * again (about 0.6 s of CPU for the shipped set), which a `rules test` after the first of the same
 * files no longer does. `rules` are those the files assemble to. `cacheDir: undefined` turns the
 * cache off.
 */
export async function exampleLineFinder(
  rules: readonly { id: string; examples: { match: readonly unknown[]; nomatch: readonly unknown[] } }[],
  files: readonly RuleFileText[],
  cacheDir: string | undefined = CACHE_DIR,
): Promise<(id: string, kind: 'match' | 'nomatch', index: number) => number | undefined> {
  const cacheFile = cacheDir !== undefined ? path.join(cacheDir, `lines-${ruleFilesKey(files, LINES_CACHE_FORMAT)}.json`) : undefined;
  let lines: ExampleLines | undefined;
  if (cacheFile !== undefined) {
    lines = await readFile(cacheFile, 'utf8').then(
      (text) => JSON.parse(text) as ExampleLines,
      () => undefined,
    );
    if (lines !== undefined) await touchCacheEntry(cacheFile);
  }
  if (lines === undefined) {
    const locator = new RuleLocator(files);
    const found: ExampleLines = {};
    for (const rule of rules) {
      if (Object.hasOwn(found, rule.id)) continue;
      const of = (kind: 'match' | 'nomatch') => rule.examples[kind].map((_, index) => locator.lineOf(rule.id, ['examples', kind, index]) ?? null);
      found[rule.id] = { match: of('match'), nomatch: of('nomatch') };
    }
    lines = found;
    if (cacheDir !== undefined && cacheFile !== undefined)
      await writeCacheEntry(cacheDir, cacheFile, JSON.stringify(found), LINES_CACHE_PRUNE).catch(() => undefined);
  }
  const table = lines;
  return (id, kind, index) => (Object.hasOwn(table, id) ? (table[id]![kind][index] ?? undefined) : undefined);
}
