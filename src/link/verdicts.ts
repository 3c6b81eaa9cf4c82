// Verdict records as `link` reads them: the JSONL lines `lurescan scan --format jsonl` writes (see
// README "Verdict records"), their contacts (the issue 13 contract), and the date a posting carries.
import { type RedactKey, redactVerdict } from '../contacts/index.js';
import { sourceNameOf, urlHost } from '../contracts/cluster.js';
import type { SourceRef, Verdict } from '../types.js';

export { urlHost };

/** What `link` uses of one verdict record. */
export interface LinkVerdict {
  id: string;
  source: SourceRef;
  lang: string;
  flagged: boolean;
  labels: string[];
  scores: Record<string, number>;
  /** The short fields (always there). */
  posting: Record<string, string>;
  /** Every field's original text (scan --include-text). */
  text?: Record<string, string>;
  /** Each contact's key and the field it was found in, one entry an occurrence. */
  contacts: Array<{ key: string; field?: string }>;
}

export type ParsedLine =
  | { kind: 'verdict'; verdict: LinkVerdict }
  | { kind: 'error'; code: string }
  /** A line that is neither: not JSON, or some other object. */
  | { kind: 'other'; reason: string };

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function strings(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(value)) for (const [key, v] of Object.entries(value)) if (typeof v === 'string') out[key] = v;
  return out;
}

/** What a parsed JSON value is to `link`: a verdict (it has `flagged` and `scores`), an error record (`id`, `source`, `error`), or neither. */
export function recordKind(value: unknown): 'verdict' | 'error' | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.flagged === 'boolean' && isObject(value.scores)) return 'verdict';
  if (isObject(value.error) && typeof value.id === 'string' && isObject(value.source)) return 'error';
  return undefined;
}

/** One line of a verdict file. */
export function parseVerdictLine(line: string, redactKey?: RedactKey): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { kind: 'other', reason: `not valid JSON (${(error as Error).message})` };
  }
  const kind = recordKind(value);
  if (kind === undefined) return { kind: 'other', reason: 'a JSON line that is neither a verdict (flagged, scores) nor an error record (id, source, error)' };
  // Redacted before anything is read off it: contact keys become their hashes (already hashed
  // ones stay as they are), and the text, short fields and id lose the raw values.
  const record = (redactKey !== undefined && kind === 'verdict' ? redactVerdict(value as Verdict, redactKey) : value) as Record<string, unknown>;
  if (kind === 'error') {
    const code = (record.error as Record<string, unknown>).code;
    return { kind: 'error', code: typeof code === 'string' ? code : 'ERROR' };
  }
  const scores: Record<string, number> = {};
  for (const [label, points] of Object.entries(record.scores as Record<string, unknown>)) if (typeof points === 'number') scores[label] = points;
  const contacts: LinkVerdict['contacts'] = [];
  if (Array.isArray(record.contacts)) {
    for (const contact of record.contacts) {
      if (!isObject(contact) || typeof contact.key !== 'string' || contact.key === '') continue;
      contacts.push(typeof contact.field === 'string' ? { key: contact.key, field: contact.field } : { key: contact.key });
    }
  }
  const verdict: LinkVerdict = {
    id: typeof record.id === 'string' ? record.id : String(record.id ?? ''),
    source: isObject(record.source) ? (record.source as SourceRef) : {},
    lang: typeof record.lang === 'string' ? record.lang : 'und',
    flagged: record.flagged as boolean,
    labels: Array.isArray(record.labels) ? record.labels.filter((l): l is string => typeof l === 'string') : [],
    scores,
    posting: strings(record.posting),
    contacts,
  };
  if (isObject(record.text)) verdict.text = strings(record.text);
  return { kind: 'verdict', verdict };
}

/** Where a posting came from, as cluster records count sources (contracts/cluster.ts): its file, else its URL's host. */
export function sourceName(source: SourceRef): string {
  return sourceNameOf(source) ?? '-';
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** Field names that hold when a posting was published (not when it closes, was changed or was crawled). */
const DATE_FIELD =
  /^(?:date|posted|published|datePosted|date[_ ]?posted|post(?:ed|ing)?[_ ]?(?:date|datetime|at|on|time)|publi(?:shed|cation)[_ ]?(?:at|date|on)?|fecha[_ ]?(?:de[_ ]?)?publicaci[oó]n.*|ngày đăng(?: tin)?|发布(?:时间|日期)|posting_date|posted_datetime)$/i;

function isoDay(year: number, month: number, day: number): string | undefined {
  if (year < 1990 || year > 2100 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

/**
 * A date as YYYY-MM-DD from the ways job boards write one: 2026-01-02 (and with a time after it),
 * 2026/01/02, 02-01-2026 and 02/01/2026 (day first), 20-Jan-2026, January 5, 2026, 31st May 2025.
 * Undefined for anything else, relative dates ("3 days ago") included.
 */
export function parseDate(value: string): string | undefined {
  const text = value.trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s])/.exec(text);
  if (m) return isoDay(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:$|\s)/.exec(text);
  if (m) return isoDay(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{1,2})(?:st|nd|rd|th)?[-\s]([a-z]{3})[a-z]*\.?,?[-\s](\d{4})$/i.exec(text);
  if (m) {
    const month = MONTHS[m[2]!.toLowerCase()];
    return month ? isoDay(Number(m[3]), month, Number(m[1])) : undefined;
  }
  m = /^([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/i.exec(text);
  if (m) {
    const month = MONTHS[m[1]!.toLowerCase()];
    return month ? isoDay(Number(m[3]), month, Number(m[2])) : undefined;
  }
  return undefined;
}

/** The posting's publication date from a field named for it (date, posted_date, published_at, ...), when one parses. */
export function postingDate(fields: Readonly<Record<string, string>>): string | undefined {
  for (const [name, value] of Object.entries(fields)) {
    if (!DATE_FIELD.test(name.trim())) continue;
    const day = parseDate(value);
    if (day !== undefined) return day;
  }
  return undefined;
}
