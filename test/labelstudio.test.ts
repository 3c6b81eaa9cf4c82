// Label Studio round trip: scan writes tasks whose pre-annotated spans are the rule hits (in code
// points, as Label Studio counts), and reviewers' verdicts in Label Studio's export come back as
// labelled postings that eval (and so train and rescore) read.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { labelStudioConfig, EVIDENCE_LABELS } from '../src/report/labelstudio.js';
import { runMain as run, tempDir, writeInput } from './helpers.js';

const root = fileURLToPath(new URL('../', import.meta.url));

interface Task {
  data: Record<string, string>;
  predictions: Array<{ result: Array<{ from_name: string; value: { start?: number; end?: number; text?: string; labels?: string[]; choices?: string[] } }> }>;
  annotations?: unknown[];
}

describe('scan --format labelstudio', () => {
  it('writes one task a posting, its hits as spans at their code-point offsets, its verdict as the choice', async () => {
    const dir = tempDir('lurescan-ls-');
    const input = writeInput(
      dir,
      'ads.jsonl',
      [
        {
          id: 'lure',
          title: '🔥 Customer service, Sihanoukville 🔥',
          description: '✈️ Free flight and visa, $1,800, no experience, contact Telegram @hr_kh only',
        },
        { id: 'nurse', title: 'Staff nurse', company: 'City Hospital', description: 'Ward nurse for the medical unit, day shifts, apply at the HR office.' },
      ]
        .map((p) => JSON.stringify(p))
        .join('\n'),
    );
    const { code, stdout } = await run(['scan', input, '-j', '0', '--format', 'labelstudio']);
    expect(code).toBe(0);
    const tasks = JSON.parse(stdout) as Task[];
    expect(tasks.map((t) => t.data.posting_id)).toEqual(['lure', 'nurse']);
    const [lure, nurse] = tasks as [Task, Task];
    const spans = lure.predictions[0]!.result.filter((r) => r.from_name === 'evidence');
    expect(spans.length).toBeGreaterThan(2);
    for (const span of spans) {
      // Label Studio counts code points: slice the task text that way.
      expect(Array.from(lure.data.text!).slice(span.value.start, span.value.end).join('')).toBe(span.value.text);
      expect(EVIDENCE_LABELS).toContain(span.value.labels![0]);
    }
    expect(lure.predictions[0]!.result.find((r) => r.from_name === 'verdict')!.value.choices).toEqual(['forced-criminality']);
    expect(nurse.predictions[0]!.result.find((r) => r.from_name === 'verdict')!.value.choices).toEqual(['legit']);
    expect(nurse.data.text).toBe('Staff nurse\n\nCity Hospital\n\nWard nurse for the medical unit, day shifts, apply at the HR office.');
  });

  it("reads reviewers' verdicts back from Label Studio's export as labelled postings", async () => {
    const dir = tempDir('lurescan-ls-back-');
    const tasks = JSON.parse(
      (await run(['scan', 'fixtures/postings/fc-en.csv', 'fixtures/postings/legit-en.csv', '-j', '0', '--format', 'labelstudio'])).stdout,
    ) as Task[];
    // A reviewer decides: every other task the opposite of the prediction, and one annotation cancelled.
    const reviewed = tasks.map((task, k) => {
      const predicted = task.predictions[0]!.result.find((r) => r.from_name === 'verdict')!.value.choices![0]!;
      const decided = k % 2 === 0 ? predicted : predicted === 'legit' ? 'employment-fraud' : 'legit';
      return {
        id: k + 1,
        ...task,
        annotations: [
          { was_cancelled: false, result: [{ from_name: 'verdict', to_name: 'text', type: 'choices', value: { choices: [decided] } }] },
          ...(k === 0 ? [{ was_cancelled: true, result: [{ from_name: 'verdict', to_name: 'text', type: 'choices', value: { choices: ['legit'] } }] }] : []),
        ],
      };
    });
    const exported = path.join(dir, 'export.json');
    writeFileSync(exported, JSON.stringify(reviewed));
    const { code, stdout } = await run(['eval', exported, '--no-model', '--format', 'json', '--by', 'none']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { documents: number; truth: Record<string, number> };
    expect(report.documents).toBe(tasks.length);
    const decidedLegit = reviewed.filter((r) => (r.annotations[0]!.result[0]!.value.choices[0] as string) === 'legit').length;
    expect(report.truth.legit).toBe(decidedLegit);
  });

  it('ships the labelling interface the tasks are written for', () => {
    expect(readFileSync(path.join(root, 'docs/labelstudio.xml'), 'utf8')).toBe(labelStudioConfig());
  });
});
