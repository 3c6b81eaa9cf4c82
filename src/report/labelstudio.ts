// Verdicts as Label Studio tasks (`scan --format labelstudio`), so reviewers label postings with the
// evidence pre-annotated, and their decisions come back as labelled data for `train`, `eval` and
// `rescore` (input/formats/jsonl.ts reads Label Studio's JSON export). One task a posting: its text
// fields joined into one `text` (title, company and place, description, other fields), each field
// also kept as it was; a prediction whose spans are the rule hits (Label Studio counts offsets in
// code points) labelled by category, and whose choice is the verdict. docs/labelstudio.xml is the
// labelling interface these tasks are written for.
import { CATEGORIES, isErrorRecord, LABELS, SHARED_CATEGORIES, type OutputRecord, type Posting } from '../types.js';
import type { Summary } from './summary.js';
import { jsonLine, type Writer } from './writers.js';

/** The choices of the `verdict` control: what reviewers decide. */
export const VERDICT_CHOICES = ['legit', ...LABELS] as const;

/** Categories the `evidence` spans are labelled with. */
export const EVIDENCE_LABELS = [...new Set([...LABELS.flatMap((label) => CATEGORIES[label]), ...SHARED_CATEGORIES])];

/** Fields in the order the task's text shows them; others follow in their own order. */
const ORDER = ['title', 'company', 'location', 'salary', 'contact', 'url', 'description'];

/** The task's text, and where each field starts in it, in code points. */
function taskText(fields: Readonly<Record<string, string>>): { text: string; at: Map<string, number> } {
  const names = [...ORDER.filter((name) => fields[name]), ...Object.keys(fields).filter((name) => !ORDER.includes(name) && fields[name])];
  const at = new Map<string, number>();
  let text = '';
  let cp = 0;
  for (const name of names) {
    if (text !== '') {
      text += '\n\n';
      cp += 2;
    }
    at.set(name, cp);
    text += fields[name]!;
    cp += Array.from(fields[name]!).length;
  }
  return { text, at };
}

/** One record as a Label Studio task; error records are no task (keep them with --errors-out). */
export function labelStudioTask(record: OutputRecord, posting: Posting | undefined, modelVersion: string): object | undefined {
  if (isErrorRecord(record) || posting === undefined) return undefined;
  const { text, at } = taskText(posting.fields);
  const spans = record.hits.flatMap((hit, k) => {
    const start = hit.field !== undefined ? at.get(hit.field) : undefined;
    if (start === undefined || hit.cpStart === undefined || hit.cpEnd === undefined) return [];
    return [
      {
        id: `${record.id}-h${k + 1}`,
        from_name: 'evidence',
        to_name: 'text',
        type: 'labels',
        value: { start: start + hit.cpStart, end: start + hit.cpEnd, text: hit.match ?? '', labels: [hit.category] },
        meta: { text: [`${hit.rule} (${hit.label}, ${hit.points} points)`] },
      },
    ];
  });
  const choice = record.labels.length > 0 ? [...record.labels] : ['legit'];
  return {
    data: {
      ...posting.fields,
      text,
      posting_id: record.id,
      lang: record.lang,
      ...(record.source.file !== undefined ? { source_file: record.source.file } : {}),
      ...(record.source.url !== undefined ? { source_url: record.source.url } : {}),
    },
    predictions: [
      {
        model_version: modelVersion,
        score: Math.max(0, ...LABELS.map((label) => record.scores[label])),
        result: [...spans, { id: `${record.id}-verdict`, from_name: 'verdict', to_name: 'text', type: 'choices', value: { choices: choice } }],
      },
    ],
  };
}

/** A JSON array of tasks, streamed task by task (Label Studio imports the file as it is). */
export function labelStudioWriter(modelVersion: string): Writer {
  let first = true;
  return {
    begin: () => '[',
    record: (record, posting) => {
      const task = labelStudioTask(record, posting, modelVersion);
      if (task === undefined) return '';
      const text = `${first ? '\n' : ',\n'}${jsonLine(task)}`;
      first = false;
      return text;
    },
    end: (_summary: Summary) => `${first ? '' : '\n'}]\n`,
  };
}

/** The labelling interface the tasks are written for (docs/labelstudio.xml holds the same). */
export function labelStudioConfig(): string {
  const labels = EVIDENCE_LABELS.map((label) => `    <Label value="${label}"/>`).join('\n');
  const choices = VERDICT_CHOICES.map((choice) => `    <Choice value="${choice}"/>`).join('\n');
  return `<!-- lurescan: the labelling interface for scan --format labelstudio (docs: README, "Other output formats"). -->
<View>
  <Header value="Verdict: is this posting a recruitment lure (forced-criminality), a job scam (employment-fraud), or ordinary (legit)?"/>
  <Choices name="verdict" toName="text" choice="multiple" showInline="true">
${choices}
  </Choices>
  <Labels name="evidence" toName="text">
${labels}
  </Labels>
  <Text name="text" value="$text"/>
</View>
`;
}
