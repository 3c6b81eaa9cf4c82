// A rule file as read: the text the rules stage parses, with the names it is known by. Read by
// input/rule-files.ts (a folder) or toolkit/git.ts (a git ref), parsed by rules/ruleset.ts.

export interface RuleFileText {
  /** Path as shown in messages (relative to the rules folder's parent when possible). */
  file: string;
  text: string;
  /** Path inside the rule set (relative to its folder, `/`-separated), for the fingerprint; `file` when absent. */
  key?: string;
}
