// What `rules lint` and `rules test` report, code by code: a one-line description and what to do
// about it. SARIF lists every code as a rule (code scanning wants the whole catalogue, even on a
// clean run), and docs/rules-toolkit.md renders the same table.

export interface ProblemCode {
  /** What the problem is, in one line. */
  description: string;
  /** What to do about it. */
  help: string;
}

export const PROBLEM_CODES: Readonly<Record<string, ProblemCode>> = {
  YAML_SYNTAX: {
    description: 'rule file is not valid YAML',
    help: 'Fix the YAML at the line named (indentation, an unquoted colon, a tab); quote regexes in single quotes.',
  },
  SCHEMA: {
    description: 'rule file does not have the rule-file shape',
    help: 'A rule file is a mapping with a `rules:` list (and, in one file, `scoring:`); see docs/rule-format.md.',
  },
  UNKNOWN_KEY: {
    description: 'unknown key in a rule',
    help: 'Remove the key or correct its spelling; the keys a rule takes are listed in docs/rule-format.md.',
  },
  MISSING_FIELD: {
    description: 'a required rule field is missing',
    help: 'Add the field named: every rule needs id, title, label, category and points, and any/all or combine.',
  },
  BAD_VALUE: {
    description: 'a rule field has a value it cannot take',
    help: 'Give the field a value of the kind the message says (a label, a category of the taxonomy, a number, a list).',
  },
  BAD_ID: {
    description: 'rule id is not UPPER-KEBAB-CASE',
    help: 'Name the rule like FC-DEST-HUB-KH: upper-case letters and digits, at least two parts joined by hyphens.',
  },
  BAD_REGEX: {
    description: 'regex does not compile',
    help: 'Fix the regex so JavaScript compiles it with the u flag (escape a lone - or { only where the u flag allows it).',
  },
  BAD_KEYWORD: {
    description: 'keywords do not compile',
    help: 'Keywords are plain text, matched folded; remove regex syntax from them or write a regex matcher instead.',
  },
  DUPLICATE_ID: { description: 'rule id defined twice', help: 'Give one of the two rules another id; the message names the file that holds the other.' },
  BAD_REFERENCE: {
    description: 'combination refers to a missing or combination rule',
    help: 'Point the combination term at an existing pattern rule, or at a category and label.',
  },
  BAD_SCORING: {
    description: 'scoring section is invalid',
    help: 'Fix the scoring section as the message says; `lurescan rescore --write` rewrites learned points for you.',
  },
  MISSING_METADATA: {
    description: 'required rule metadata is missing',
    help: 'Add the metadata named (references, examples) so the rule can be reviewed and tested.',
  },
  UNKNOWN_REFERENCE: {
    description: 'reference is not a source id of the domain reference',
    help: 'Cite a source id of the domain reference (red-flags.md), or add the source there first.',
  },
  POINTS_OVER_CAP: {
    description: 'rule points exceed its category cap, so part of them never counts',
    help: 'Lower the points to the category cap, or raise the cap in the scoring section if the category should weigh more.',
  },
  MISSING_EXAMPLES: {
    description: 'rule lacks match or nomatch examples',
    help: 'Add at least one example the rule must match and one close text it must not (a hard negative).',
  },
  MATCHES_EMPTY: {
    description: 'regex matches the empty string',
    help: 'Make a part of the regex required: an optional-only pattern matches every text at every position.',
  },
  MATCHES_EVERYTHING: {
    description: 'regex matches nearly any text',
    help: 'Anchor the regex on the words that carry the signal; a pattern such as .* or \\w+ alone flags every posting.',
  },
  REGEX_NEVER_MATCHES: {
    description: 'regex literal can never occur in normalised text',
    help: 'Text is folded before matching (lower case, NFKC, look-alikes, Traditional to Simplified Chinese): write the literal as it is folded.',
  },
  KEYWORD_NEVER_MATCHES: { description: 'keyword is empty once normalised', help: 'Remove the keyword, or give it letters or digits that survive folding.' },
  KEYWORD_NOT_NORMALISED: {
    description: 'keyword is written differently from how it is matched',
    help: 'Write the keyword as the normaliser folds it (the message shows that form), so a reader sees what is matched.',
  },
  REDOS: {
    description: 'regex can backtrack catastrophically (ReDoS)',
    help: 'Rewrite the nested or overlapping quantifier the message names (e.g. (a+)+, (a|a)*), or bound it with {0,n}.',
  },
  REDOS_UNKNOWN: {
    description: 'regex could not be proven free of catastrophic backtracking',
    help: 'Simplify the regex, or raise --redos-timeout; when it is safe, say why in the rule with redos-exempt.',
  },
  REDOS_EXEMPT: {
    description: "ReDoS finding waived by the rule's redos-exempt reason",
    help: 'Nothing to do while the reason holds; the waiver is reported so reviewers see it.',
  },
  REDOS_EXEMPT_UNUSED: {
    description: 'redos-exempt on a rule whose regexes are all safe',
    help: 'Remove redos-exempt from the rule: its regexes pass the check without it.',
  },
  EXAMPLE_FAILED: {
    description: "a rule's own example does not behave as it says",
    help: 'Change the rule until the example behaves as its list says (match or nomatch), or correct the example.',
  },
  CASE_FAILED: {
    description: 'a fixture case posting got a verdict other than expected',
    help: 'Run `lurescan scan` on the case with --explain to see which rules and model points decided it, then adjust the rules or the case.',
  },
};
