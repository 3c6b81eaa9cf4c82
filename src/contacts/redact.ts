// Redaction (`scan --redact`): every contact's value replaced by a keyed hash, HMAC-SHA256 of its
// canonical key, so records can be shared without the numbers, handles and addresses in them, and
// teams that share the key still join postings on the same hashed keys. The same raw text is
// replaced wherever the record carries it: the contact's own span, the posting's short fields, the
// hits' matched text (and --explain's denied matches'), the full text (--include-text), the id, the
// source, the model's tokens. Offsets (hits' and contacts') are moved to point into the redacted
// text, which is the text the record then carries.
import { createHmac } from 'node:crypto';
import { isErrorRecord, SHORT_FIELDS, type Hit, type OutputRecord, type Posting, type Verdict } from '../types.js';
import { codePoints } from './extract.js';
import { lightText } from './digits.js';
import { parsePhone } from './phone.js';
import type { Contact } from './types.js';

export type RedactKey = string | Uint8Array;

/** A hashed value: "h:" and the first 32 hex digits (128 bits) of the HMAC. */
const HASHED = /^h:[0-9a-f]{32}$/;
const MAX_MATCH_TEXT = 200;
const MAX_SUMMARY_TEXT = 300;

/** The canonical key a contact is hashed by (its `key` before redaction). */
function canonicalKey(contact: Pick<Contact, 'kind' | 'value' | 'network'>): string {
  return contact.kind === 'wallet' ? `wallet:${contact.network}:${contact.value}` : `${contact.kind}:${contact.value}`;
}

/** The keyed hash of a contact's value: "h:" + the first 32 hex digits of HMAC-SHA256(key, its canonical key). */
export function hashContactValue(key: RedactKey, contact: Pick<Contact, 'kind' | 'value' | 'network'>): string {
  if (HASHED.test(contact.value)) return contact.value;
  return `h:${createHmac('sha256', key).update(canonicalKey(contact)).digest('hex').slice(0, 32)}`;
}

/** The contact with value, key and match replaced by the hash (offsets unchanged): what `link` shows. */
export function redactContact(key: RedactKey, contact: Contact): Contact {
  if (HASHED.test(contact.value)) return contact;
  const hash = hashContactValue(key, contact);
  return {
    ...contact,
    value: hash,
    key: contact.kind === 'wallet' ? `wallet:${contact.network}:${hash}` : `${contact.kind}:${hash}`,
    match: hash,
  };
}

/** A span of the original text and what replaces it. */
interface Span {
  start: number;
  end: number;
  with: string;
}

/** Text to find wherever it occurs, and its replacement. */
interface Needle {
  text: string;
  with: string;
  /** Letters compare without case (handles, e-mail, domains). */
  caseless: boolean;
}

/** Phone numbers to find however their digits are grouped: the national number's digits. */
interface DigitNeedle {
  digits: string;
  with: string;
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const DIGIT_RUN = /\+?\d(?:(?:[\s.\-()\u2013]|\ufe0f|\u20e3){0,3}\d){5,}/g;

class Redactor {
  readonly needles: Needle[] = [];
  readonly digitNeedles: DigitNeedle[] = [];
  private needleRe: RegExp | undefined;

  constructor(contacts: readonly Contact[], hashes: ReadonlyMap<Contact, string>) {
    const seen = new Set<string>();
    const addNeedle = (text: string, replacement: string, caseless: boolean): void => {
      if (text.length < 4 || seen.has(text.toLowerCase())) return;
      seen.add(text.toLowerCase());
      this.needles.push({ text, with: replacement, caseless });
    };
    for (const contact of contacts) {
      const hash = hashes.get(contact);
      if (hash === undefined) continue;
      addNeedle(contact.match, hash, contact.kind !== 'wallet' || contact.network !== 'btc');
      if (contact.kind === 'phone') {
        addNeedle(contact.value, hash, false);
        // The national number, without country code or trunk prefix: 7 digits at least to be told apart.
        const national = nationalDigits(contact);
        if (national.length >= 7 && !this.digitNeedles.some((n) => n.digits === national)) this.digitNeedles.push({ digits: national, with: hash });
      } else addNeedle(contact.value, hash, !(contact.kind === 'wallet' && contact.network !== 'eth'));
      if (contact.kind === 'handle') addNeedle(`@${contact.value}`, hash, true);
    }
    // Longest first, so a whole address goes before a part of it.
    this.needles.sort((a, b) => b.text.length - a.text.length || (a.text < b.text ? -1 : 1));
  }

  /** Every needle's occurrences in a text, as spans (overlaps resolved later). */
  findSpans(text: string): Span[] {
    const spans: Span[] = [];
    if (this.needles.length > 0) {
      this.needleRe ??= new RegExp(this.needles.map((n) => escapeRegex(n.text)).join('|'), 'giu');
      const re = this.needleRe;
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        const needle = this.needles.find((n) => (n.caseless ? n.text.toLowerCase() === m![0].toLowerCase() : n.text === m![0]));
        if (needle) spans.push({ start: m.index, end: m.index + m[0].length, with: needle.with });
      }
    }
    if (this.digitNeedles.length > 0 && /\d/.test(text)) {
      const light = lightText(text);
      DIGIT_RUN.lastIndex = 0;
      for (let m = DIGIT_RUN.exec(light); m !== null; m = DIGIT_RUN.exec(light)) {
        const digits = m[0].replace(/\D/g, '');
        const needle = this.digitNeedles.find((n) => digits.includes(n.digits));
        if (needle) spans.push({ start: m.index, end: m.index + m[0].length, with: needle.with });
      }
    }
    return spans;
  }

  /** A string with every needle replaced (where offsets need not be kept: ids, tokens, messages). */
  scrub(text: string): string {
    const spans = merge(this.findSpans(text));
    return spans.length === 0 ? text : apply(text, 0, spans);
  }
}

/** The digits of a phone's national number (no country code, no trunk prefix). */
function nationalDigits(contact: Contact): string {
  return parsePhone(contact.value)?.national ?? contact.value.replace(/\D/g, '').slice(-8);
}

/** Sorted, non-overlapping spans: overlapping ones joined, the first's replacement kept. */
function merge(spans: Span[]): Span[] {
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const span of spans) {
    const last = out[out.length - 1];
    if (last && span.start < last.end) {
      if (span.end > last.end) last.end = span.end;
      continue;
    }
    out.push({ ...span });
  }
  return out;
}

/** `text` (which starts at `offset` of the original) with the spans replaced; spans reaching outside it replace what of them it holds. */
function apply(text: string, offset: number, spans: readonly Span[]): string {
  let out = '';
  let at = 0;
  for (const span of spans) {
    const start = span.start - offset;
    const end = span.end - offset;
    if (end <= 0 || start >= text.length) continue;
    const from = Math.max(0, start);
    if (from < at) continue;
    out += text.slice(at, from) + span.with;
    at = Math.min(text.length, end);
  }
  return out + text.slice(at);
}

/** An offset of the original moved into the redacted text; inside a replaced span, a start goes to its start and an end to its end. */
function moveOffset(offset: number, spans: readonly Span[], isEnd: boolean): number {
  let shift = 0;
  for (const span of spans) {
    if (span.end <= offset) {
      shift += span.with.length - (span.end - span.start);
      continue;
    }
    if (isEnd ? span.start < offset : span.start <= offset) return span.start + shift + (isEnd ? span.with.length : 0);
    break;
  }
  return offset + shift;
}

/**
 * A verdict with its contacts hashed and their raw text replaced wherever the record carries it,
 * and the posting (for writers that show its text: the table, Label Studio) redacted the same way.
 * The full field texts come from the posting, else from the verdict's `text` (--include-text);
 * without either, the short fields and hits' matched text are redacted from the contacts' spans.
 * A verdict without contacts, or already redacted, comes back as it was.
 */
export function redactRecord(record: OutputRecord, key: RedactKey, posting?: Posting): { record: OutputRecord; posting?: Posting } {
  if (isErrorRecord(record) || !record.contacts || record.contacts.length === 0) return { record, ...(posting ? { posting } : {}) };
  const verdict = record;
  const contacts = verdict.contacts!.filter((c) => !HASHED.test(c.value));
  if (contacts.length === 0) return { record, ...(posting ? { posting } : {}) };
  const hashes = new Map<Contact, string>(contacts.map((c) => [c, hashContactValue(key, c)]));
  const redactor = new Redactor(contacts, hashes);
  const fullTexts: Record<string, string> | undefined = posting?.fields ?? verdict.text;

  // Each field's replaced spans: the contacts found in it, then (with its full text) every other occurrence of their raw text.
  const spansOf = new Map<string, Span[]>();
  const fieldSpans = (field: string): Span[] => {
    let spans = spansOf.get(field);
    if (spans) return spans;
    const own = contacts.filter((c) => c.field === field).map((c) => ({ start: c.start, end: c.end, with: hashes.get(c)! }));
    const full = fullTexts?.[field];
    spans = merge(full !== undefined ? [...own, ...redactor.findSpans(full)] : own);
    spansOf.set(field, spans);
    return spans;
  };
  // Without the full text, code-point offsets move by the contacts' own spans counted in code points (a hash is ASCII).
  const cpSpansOf = (field: string): Span[] =>
    merge(contacts.filter((c) => c.field === field).map((c) => ({ start: c.cpStart, end: c.cpEnd, with: hashes.get(c)! })));
  const redactedFull = new Map<string, string>();
  const fullText = (field: string): string | undefined => {
    const full = fullTexts?.[field];
    if (full === undefined) return undefined;
    let text = redactedFull.get(field);
    if (text === undefined) redactedFull.set(field, (text = apply(full, 0, fieldSpans(field))));
    return text;
  };

  const out: Verdict = { ...verdict, id: redactor.scrub(verdict.id), source: scrubSource(verdict.source, redactor) };
  // The short fields: cut from the redacted full text as the verdict cuts them, else redacted as cut.
  const summary: Record<string, string> = {};
  for (const [name, value] of Object.entries(verdict.posting)) {
    const full = fullText(name);
    if (full !== undefined && (SHORT_FIELDS as readonly string[]).includes(name))
      summary[name] = full.length > MAX_SUMMARY_TEXT ? `${full.slice(0, MAX_SUMMARY_TEXT)}…` : full;
    else summary[name] = redactor.scrub(cutAware(value, MAX_SUMMARY_TEXT, (text) => apply(text, 0, fieldSpans(name))));
  }
  out.posting = summary;
  out.hits = verdict.hits.map((hit) => redactHit(hit, fieldSpans, cpSpansOf, fullText, redactor));
  if (verdict.denied)
    out.denied = verdict.denied.map((hit) => ({ ...redactHit(hit, fieldSpans, cpSpansOf, fullText, redactor), cue: redactor.scrub(hit.cue) }));
  out.contacts = verdict.contacts!.map((contact) => {
    const hash = hashes.get(contact);
    if (hash === undefined) return contact;
    const spans = fieldSpans(contact.field);
    const start = moveOffset(contact.start, spans, false);
    const end = moveOffset(contact.end, spans, true);
    const text = fullText(contact.field);
    const match = text !== undefined ? text.slice(start, end) : hash;
    const redacted: Contact = { ...redactContact(key, contact), start, end, match };
    if (text !== undefined) {
      redacted.cpStart = codePoints(text, 0, start);
      redacted.cpEnd = redacted.cpStart + codePoints(text, start, end);
    } else {
      const cpSpans = cpSpansOf(contact.field);
      redacted.cpStart = moveOffset(contact.cpStart, cpSpans, false);
      redacted.cpEnd = moveOffset(contact.cpEnd, cpSpans, true);
    }
    return redacted;
  });
  if (verdict.model?.tokens) {
    out.model = {
      ...verdict.model,
      tokens: { for: verdict.model.tokens.for.map((t) => redactor.scrub(t)), against: verdict.model.tokens.against.map((t) => redactor.scrub(t)) },
    };
  }
  if (verdict.warnings) out.warnings = verdict.warnings.map((w) => ({ ...w, message: redactor.scrub(w.message) }));
  if (verdict.text) out.text = Object.fromEntries(Object.keys(verdict.text).map((name) => [name, fullText(name)!]));
  const redactedPosting = posting
    ? {
        ...posting,
        id: out.id,
        source: out.source,
        fields: Object.fromEntries(Object.keys(posting.fields).map((name) => [name, fullText(name)!])),
      }
    : undefined;
  return { record: out, ...(redactedPosting ? { posting: redactedPosting } : {}) };
}

/** `redactRecord` for a verdict alone (what `lurescan link` reads back). */
export function redactVerdict(verdict: Verdict, key: RedactKey): Verdict {
  return redactRecord(verdict, key).record as Verdict;
}

function scrubSource(source: Verdict['source'], redactor: Redactor): Verdict['source'] {
  const out = { ...source };
  if (out.file !== undefined) out.file = redactor.scrub(out.file);
  if (out.url !== undefined) out.url = redactor.scrub(out.url);
  return out;
}

/** A text that may have been cut with "…" at `limit`: redact what it holds, keep the mark. */
function cutAware(value: string, limit: number, redact: (text: string) => string): string {
  const cut = value.length === limit + 1 && value.endsWith('…');
  return cut ? `${redact(value.slice(0, limit))}…` : redact(value);
}

function redactHit(
  hit: Hit,
  fieldSpans: (field: string) => Span[],
  cpSpansOf: (field: string) => Span[],
  fullText: (field: string) => string | undefined,
  redactor: Redactor,
): Hit {
  if (hit.field === undefined || hit.start === undefined || hit.end === undefined) return hit;
  const spans = fieldSpans(hit.field);
  const start = moveOffset(hit.start, spans, false);
  const end = moveOffset(hit.end, spans, true);
  const text = fullText(hit.field);
  const out: Hit = { ...hit, start, end };
  if (text !== undefined) {
    const match = text.slice(start, end);
    out.match = match.length > MAX_MATCH_TEXT ? `${match.slice(0, MAX_MATCH_TEXT)}…` : match;
    out.cpStart = codePoints(text, 0, start);
    out.cpEnd = out.cpStart + codePoints(text, start, end);
  } else {
    if (hit.match !== undefined) out.match = redactor.scrub(cutAware(hit.match, MAX_MATCH_TEXT, (match) => apply(match, hit.start!, spans)));
    if (hit.cpStart !== undefined && hit.cpEnd !== undefined) {
      const cpSpans = cpSpansOf(hit.field);
      out.cpStart = moveOffset(hit.cpStart, cpSpans, false);
      out.cpEnd = moveOffset(hit.cpEnd, cpSpans, true);
    }
  }
  return out;
}
