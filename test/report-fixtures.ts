// The inputs of the report tests: the shipped fixtures and a hostile posting really scanned (with
// --include-text --explain), the hand-written verdicts with contacts, and the hand-written clusters
// plus one cluster whose id and identifiers are markup.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { jsonLines, runMain } from './helpers.js';

export const HOSTILE_TITLE = '</script><script>alert(1)</script> Customer Service Staff – Sihanoukville';
export const HOSTILE_ID = 'hostile-</script><script>alert(9)</script>';
export const HOSTILE_CLUSTER = 'c-</script><script>alert(7)</script>';

export interface VerdictLine {
  id: string;
  source: Record<string, unknown>;
  flagged?: boolean;
  labels?: string[];
  scores?: Record<string, number>;
  lang?: string;
  posting?: Record<string, string>;
  hits?: Array<{ rule: string; points: number; category: string }>;
  error?: { code: string };
}

export interface ReportInputs {
  verdicts: string;
  summary: string;
  contacts: string;
  clusters: string;
  /** Every record of both verdict files, as read. */
  records: VerdictLine[];
  /** The records of the scan alone. */
  scanned: VerdictLine[];
}

/** Scan the fixtures into `dir` and write the clusters file the tests pass to report. */
export async function reportInputs(dir: string): Promise<ReportInputs> {
  const verdicts = path.join(dir, 'verdicts.jsonl');
  const summary = path.join(dir, 'summary.json');
  const scan = await runMain([
    'scan',
    'fixtures/postings',
    'fixtures/report/hostile.jsonl',
    '--include-text',
    '--explain',
    '--jobs',
    '0',
    '--no-summary',
    '-o',
    verdicts,
    '--summary-out',
    summary,
  ]);
  if (scan.code !== 0) throw new Error(`scan failed (${scan.code}): ${scan.stderr}`);
  const hostileCluster = {
    cluster: HOSTILE_CLUSTER,
    size: 2,
    members: [{ id: HOSTILE_ID, source: { file: 'fixtures/report/hostile.jsonl', line: 1 } }, { id: 'contacts-demo-2' }],
    reasons: ['contact', 'template'],
    identifiers: [{ key: 'handle:hr_test_kh<img src=x onerror=alert(8)>', kind: 'handle', postings: 2 }],
    exemplar: { id: 'contacts-demo-2', text: '<img src=x onerror=alert(6)>' },
    labels: { 'forced-criminality': 2, 'employment-fraud': 0 },
    flagged: 2,
  };
  const clusters = path.join(dir, 'clusters.jsonl');
  writeFileSync(clusters, `${readFileSync('fixtures/report/clusters.jsonl', 'utf8')}${JSON.stringify(hostileCluster)}\n`);
  const contacts = 'fixtures/report/contacts.jsonl';
  const scanned = jsonLines<VerdictLine>(readFileSync(verdicts, 'utf8'));
  const records = [...scanned, ...jsonLines<VerdictLine>(readFileSync(contacts, 'utf8'))];
  return { verdicts, summary, contacts, clusters, records, scanned };
}

/** The JSON the page embeds for its script. */
export function embeddedData(html: string): {
  postings: Array<{ n: number; id: string; score: number; labels: string[]; lang: string; title: string; clusters?: string[] }>;
  clusters: Array<{ id: string; members: Array<{ id: string; status: string; n?: number }> }>;
  leftOut: number;
} {
  const match = /<script type="application\/json" id="lurescan-data">([^<]*)<\/script>/.exec(html);
  if (!match) throw new Error('no embedded data');
  return JSON.parse(match[1]!);
}

/** The ranking score of a flagged verdict: its highest flagged label's score. */
export const rankOf = (v: VerdictLine): number => Math.max(...(v.labels ?? []).map((label) => v.scores![label]!));
