// What `lurescan rescore` reads before toolkit/rescore.ts fits: the rule set (its files' text and
// the set as a scan loads it), the model (the file, or one per fold), which postings count towards
// the target rate (--fpr-on), and where --write puts the scoring file.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { readRuleFiles } from '../input/rule-files.js';
import { crossValidatedScorers } from '../model/cross-validate.js';
import type { Scorer } from '../model/model.js';
import type { RuleFileText, RuleSetDefinition } from '../rules/ruleset.js';
import { fitJobsFor } from '../run/fit-threads.js';
import { describeModel, loadModelFile } from '../run/model-file.js';
import { loadRuleSet, refuseErrors } from '../run/rules.js';
import { LurescanError } from '../types.js';

/**
 * The rule files' text (the scoring file's is rewritten) and the rule set as a scan loads it: from
 * the rule-set cache, planned, when it holds these files, so a rescore does not parse every rule
 * file (and plan every regex) again.
 */
export async function loadRescoreRules(location: string): Promise<{ files: RuleFileText[]; ruleset: RuleSetDefinition }> {
  const [files, ruleset] = await Promise.all([readRuleFiles(location), loadRuleSet(location)]);
  return { files, ruleset: refuseErrors(ruleset) };
}

/** For each posting, whether its legitimate label counts towards the target rate: every one, or those read from the --fpr-on inputs. */
export function countedBy(fprOn: readonly string[] | undefined, files: ReadonlyArray<string | undefined>): boolean[] {
  if (!fprOn || fprOn.length === 0) return files.map(() => true);
  const roots = fprOn.map((input) => path.resolve(input));
  const counted = files.map(
    (file) =>
      file !== undefined &&
      roots.some((root) => {
        const resolved = path.resolve(file);
        return resolved === root || resolved.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
      }),
  );
  for (let k = 0; k < roots.length; k++) {
    const root = roots[k]!;
    const used = files.some((file) => file !== undefined && (path.resolve(file) === root || path.resolve(file).startsWith(root + path.sep)));
    if (!used) throw new LurescanError('USAGE', `--fpr-on ${fprOn[k]}: no posting was read from it; name one of the inputs (a file, or a folder holding some)`);
  }
  return counted;
}

/** Which scorer judges each posting (none, the model file, or a model per fold), and how to name it. */
export async function scorersFor<P extends { fields: Record<string, string>; meta?: Record<string, string> }>(
  model: { file: string | false | undefined; folds: number | undefined; maxVocabulary: number; isReport?: ((posting: P) => boolean) | undefined },
  docs: ReadonlyArray<{ posting: P; label: number }>,
  cwd: string,
  warn: (message: string) => void,
): Promise<{ scorers: Array<Scorer | undefined>; name: string }> {
  const { folds, isReport } = model;
  if (folds !== undefined) {
    const scorers = await crossValidatedScorers(
      docs.map((d) => d.posting.fields),
      docs.map((d) => d.label),
      folds,
      model.maxVocabulary,
      docs.map((d) => d.posting.meta),
      // As `train --reports` marks them: only a legitimate text is a report.
      isReport ? docs.map((d) => d.label === 0 && isReport(d.posting)) : [],
      fitJobsFor(docs.length),
    );
    return { scorers, name: `${folds}-fold cross-validation over the inputs${isReport ? ', each with its report head' : ''}` };
  }
  if (model.file === false) return { scorers: docs.map(() => undefined), name: 'none (--no-model)' };
  const loaded = await loadModelFile(model.file, cwd);
  if (loaded.scorer.untrusted) {
    // As a scan would: a model too small to trust adds no points, so there are none to learn.
    warn(`scans do not use this model (too small to trust: ${loaded.scorer.untrusted}); fitting the rules alone`);
    return { scorers: docs.map(() => undefined), name: `none (${describeModel(loaded)} is too small to trust)` };
  }
  return { scorers: docs.map(() => loaded.scorer), name: `${loaded.file} (data ${loaded.scorer.fingerprint.slice(0, 16)})` };
}

/** Where --write puts the scoring file: the rule set's own scoring file, else scoring.yaml in the rules folder (or the one rules file). */
export async function scoringTarget(location: string, ruleset: RuleSetDefinition): Promise<string> {
  if (ruleset.scoringFile !== undefined) return path.resolve(ruleset.scoringFile);
  return (await stat(location)).isFile() ? location : path.join(location, 'scoring.yaml');
}
