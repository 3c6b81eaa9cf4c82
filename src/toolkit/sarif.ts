// SARIF 2.1.0 for `rules lint` and `rules test`, so code scanning (GitHub and others) shows each
// problem on its line of the rule file. The SARIF rule id is the kind of problem (REDOS,
// DUPLICATE_ID, EXAMPLE_FAILED ...); the lurescan rule id is in the message and properties.
import { VERSION } from '../paths.js';

export interface SarifFinding {
  code: string;
  level: 'error' | 'warning' | 'note';
  message: string;
  file?: string;
  line?: number;
  /** The lurescan rule the finding is about. */
  rule?: string;
}

/** Repository-relative, forward slashes: what code scanning matches against its files. */
function uri(file: string): string {
  return file.split('\\').join('/').replace(/^\.\//, '');
}

export function toSarif(findings: readonly SarifFinding[], descriptions: Readonly<Record<string, string>>): string {
  const codes = [...new Set(findings.map((f) => f.code))].sort();
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
            rules: codes.map((code) => ({ id: code, shortDescription: { text: descriptions[code] ?? code } })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: codes.indexOf(f.code),
          level: f.level,
          message: { text: f.rule ? `${f.rule}: ${f.message}` : f.message },
          ...(f.file
            ? {
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: uri(f.file), uriBaseId: '%SRCROOT%' },
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
