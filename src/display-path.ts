// A path as lurescan shows it to users, in one place. Two ways, kept apart because outputs rest on
// them: an input file or a model is named relative to the working folder only when inside it
// (else as given: a verdict's `source.file` never starts with `../`), while a rule file, a config
// file or a report's corpus is named relative to it wherever it is (`../rules/x.yaml`).
import path from 'node:path';

/** A file as shown to users: relative to the working folder `cwd` when inside it, else as given. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative === '' || relative.startsWith('..') ? file : relative;
}

/** A path relative to the working folder `cwd`, `../` included; the path itself when it is `cwd`. */
export function relativeToCwd(file: string, cwd: string): string {
  return path.relative(cwd, file) || file;
}
