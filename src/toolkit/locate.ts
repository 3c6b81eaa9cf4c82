// Lines of the parts of a rule (a matcher, an example) in its YAML file, so lint and test findings
// point at the line to fix, not only at the rule.
import YAML, { LineCounter, isMap, isSeq, type Node as YamlNode } from 'yaml';
import type { RuleFileText } from '../contracts/rule-file.js';

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
