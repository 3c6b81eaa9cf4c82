// Labels, their rule categories, and answer keys: the two kinds of fraud, the categories a rule of
// each may score in (the one list: the schema and docs are written from it, `npm run taxonomy`), and
// what a labelled corpus's `label` / `fraudulent` column says, read the same way by `train`, `eval`
// and `rules diff | stats`. One table, so one CSV is counted one way everywhere.

/** The two kinds of fraud a posting can be flagged as. */
export const LABELS = ['forced-criminality', 'employment-fraud'] as const;
export type Label = (typeof LABELS)[number];

export const CATEGORIES: Readonly<Record<Label, readonly string[]>> = {
  'forced-criminality': [
    'destination',
    'routing',
    'cover-job',
    'pay',
    'travel-paid',
    'off-platform-contact',
    'requirements',
    'vague-employer',
    'urgency',
    'border-deception',
    'gambling-crypto',
    'already-abroad',
    'referral',
    'documents-debt',
  ],
  'employment-fraud': ['advance-fee', 'equipment-cheque', 'reshipping', 'money-mule', 'data-harvesting', 'task-scam', 'impersonation', 'pay-to-work'],
};
/** Categories open to either label: hard negatives and combination rules. */
export const SHARED_CATEGORIES = ['legitimacy', 'combination'] as const;

/** What an answer key says: one of our labels, legitimate, or fraudulent without saying which kind. */
export type Truth = Label | 'legit' | 'fraud';
export const TRUTHS: readonly Truth[] = [...LABELS, 'legit', 'fraud'];

/**
 * Answer-key spellings (folded: lower case, spaces and underscores as hyphens) and what each says.
 * A binary key's positive value (`1`, `true`, `fraudulent`) says "fraud" without saying which kind.
 */
const ANSWER_KEY: Readonly<Record<string, Truth>> = {
  ...Object.fromEntries(
    ['0', 'false', 'f', 'no', 'n', 'legit', 'legitimate', 'genuine', 'real', 'ok', 'ham', 'benign', 'negative', 'none'].map((v) => [v, 'legit' as const]),
  ),
  ...Object.fromEntries(['1', 'true', 't', 'yes', 'y', 'fraud', 'fraudulent', 'scam', 'fake', 'spam', 'positive'].map((v) => [v, 'fraud' as const])),
  'employment-fraud': 'employment-fraud',
  ef: 'employment-fraud',
  'job-scam': 'employment-fraud',
  'forced-criminality': 'forced-criminality',
  fc: 'forced-criminality',
  trafficking: 'forced-criminality',
};

function foldValue(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

/** Read an answer-key value (after the user's `--label-map`); undefined when absent or unknown. */
export function truthOf(raw: string | undefined, map: Readonly<Record<string, Truth>> = {}): Truth | undefined {
  if (raw === undefined) return undefined;
  const value = foldValue(raw);
  if (value === '') return undefined;
  return map[value] ?? ANSWER_KEY[value];
}

/** `--label-map 2=employment-fraud,0.5=legit`: answer-key value to what it says. */
export function parseLabelMap(spec: string | undefined): Record<string, Truth> {
  const map: Record<string, Truth> = {};
  if (!spec) return map;
  for (const part of spec.split(',')) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const eq = trimmed.lastIndexOf('=');
    const truth = eq > 0 ? foldValue(trimmed.slice(eq + 1)) : '';
    if (eq <= 0 || !(TRUTHS as readonly string[]).includes(truth)) {
      throw new Error(`--label-map: \`${trimmed}\` is not value=label with label one of ${TRUTHS.join(', ')}`);
    }
    map[foldValue(trimmed.slice(0, eq))] = truth as Truth;
  }
  return map;
}

/** The model classes, in the model file's order. */
export const CLASSES = ['legit', 'employment-fraud', 'forced-criminality'] as const;
export type ModelClass = (typeof CLASSES)[number];

/**
 * The class a truth trains: a binary key's "fraud" trains employment fraud, the generic label
 * (binary-labelled sets such as EMSCAD hold job scams, not trafficking lures).
 */
export function classOfTruth(truth: Truth): number {
  return CLASSES.indexOf(truth === 'fraud' ? 'employment-fraud' : truth);
}
