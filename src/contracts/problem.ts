// "Something is wrong here", in one shape wherever it means the same thing. A code (SCREAMING_CASE,
// stable: scripts and docs key on it) and a sentence for people, then, where there is one, how bad
// it is and where. The fields stay flat (file, line, rule, field beside code and message) because
// they are the fields of the published outputs: a verdict's `warnings`, an error record's `error`,
// `rules lint --format json` findings, and the SARIF and JUnit built from them.

/** What is wrong: a stable code and a sentence naming the thing and what to do. */
export interface CodedMessage {
  code: string;
  message: string;
}

/** How bad: an error fails the check (or the run), a warning is shown, a note is only worth seeing. */
export type Severity = 'error' | 'warning' | 'note';

/** Where in the rule files (or other text files) a problem is: the file as given, its 1-based line. */
export interface Location {
  file?: string;
  line?: number;
}

/** A problem with a severity and, where known, a place: what `rules lint`, `rules test` and SARIF report. */
export interface Problem extends CodedMessage, Location {
  severity: Severity;
  /** The rule (its id) the problem is about. */
  rule?: string;
  /** The rule's field (`match`, `examples`, ...) the problem is in. */
  field?: string;
}

/** A problem in a named file: a rule set's problems and lint findings always have one. */
export interface FileProblem extends Problem {
  file: string;
}

/** A rule set's problem: an error (the rule set is refused) or a warning, never a note. */
export interface RuleProblem extends FileProblem {
  severity: 'error' | 'warning';
}
