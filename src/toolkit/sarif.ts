// SARIF 2.1.0 for `rules lint` and `rules test`, so code scanning (GitHub and others) shows each
// problem on its line of the rule file. The SARIF rule id is the kind of problem (REDOS,
// DUPLICATE_ID, EXAMPLE_FAILED ...); the lurescan rule id is in the message and properties. Every
// kind is listed as a rule with its description and help, also on a clean run (GitHub refuses a
// run whose rules lack them), and file URIs are relative to the repository's root, as code
// scanning matches them against its files, wherever the command ran.
import path from 'node:path';
import { VERSION } from '../paths.js';
import type { Problem } from '../contracts/problem.js';
import type { ProblemCode } from './problem-codes.js';

export interface SarifOptions {
  /** The folder the findings' file paths are relative to (the working folder). */
  cwd: string;
  /** The repository's root: URIs are made relative to it. Absent: relative to `cwd`. */
  root?: string;
}

const HELP_URI = 'https://github.com/lurescan/lurescan/blob/main/docs/rules-toolkit.md#problem-codes';

/** A file as code scanning names it: relative to the root, forward slashes; outside it, a file: URI. */
function artifact(file: string, options: SarifOptions): { uri: string; uriBaseId?: string } {
  const absolute = path.resolve(options.cwd, file);
  const relative = path.relative(options.root ?? options.cwd, absolute);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return { uri: new URL(`file://${absolute.split(path.sep).join('/')}`).href };
  return { uri: relative.split(path.sep).join('/'), uriBaseId: '%SRCROOT%' };
}

export function toSarif(findings: readonly Problem[], catalogue: Readonly<Record<string, ProblemCode>>, options: SarifOptions): string {
  const codes = [...new Set([...Object.keys(catalogue), ...findings.map((f) => f.code)])].sort();
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'lurescan',
            version: VERSION,
            informationUri: 'https://github.com/lurescan/lurescan',
            rules: codes.map((code) => {
              const entry = catalogue[code] ?? { description: code, help: 'See the message.' };
              return {
                id: code,
                name: code
                  .toLowerCase()
                  .split('_')
                  .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
                  .join(''),
                shortDescription: { text: entry.description },
                fullDescription: { text: `${entry.description}. ${entry.help}` },
                help: { text: entry.help, markdown: `**${entry.description}.** ${entry.help}` },
                helpUri: HELP_URI,
              };
            }),
          },
        },
        ...(options.root !== undefined
          ? { originalUriBaseIds: { '%SRCROOT%': { uri: new URL(`file://${options.root.split(path.sep).join('/')}/`).href } } }
          : {}),
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: codes.indexOf(f.code),
          level: f.severity,
          message: { text: f.rule ? `${f.rule}: ${f.message}` : f.message },
          ...(f.file
            ? {
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: artifact(f.file, options),
                      ...(f.line !== undefined ? { region: { startLine: f.line } } : {}),
                    },
                  },
                ],
              }
            : {}),
          ...(f.rule ? { properties: { lurescanRule: f.rule } } : {}),
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
