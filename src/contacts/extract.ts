// Contacts a posting gives: phone numbers (E.164), chat-app handles and links, e-mail addresses, web
// domains and crypto wallets, each normalised, with its kind and its span in the ORIGINAL text.
//
// Two views of each field: the "light" text (full-width forms and other digit forms rewritten one
// unit for one, so its offsets are the original's) where identifiers are read, and the folded text
// of src/normalize (spelled-out letters joined, look-alikes and leet undone, 📞 read as "phone"),
// with its map back to the original, where the words around them are read: which app, whether a
// number is a phone. Every stage is gated by a cheap test (a digit, '@', a dot, an app word), and
// stages run in priority order: a span one stage took is not read again by the next.
import type { NormalizedText } from '../normalize/index.js';
import { DOMAIN_GATE, findDomains } from './domains.js';
import { EMAIL_GATE, findEmails } from './email.js';
import { FieldScan, type Found } from './field-scan.js';
import { findAppHandles, findAtHandles } from './handles.js';
import { findLinks, mayHoldLink } from './links.js';
import { findPhones } from './numbers.js';
import { postingRegions } from './regions.js';
import type { Contact } from './types.js';
import { WALLET_RUN, walletOf } from './wallets.js';

export interface ContactHints {
  /** The posting's language (BCP 47), for the region of numbers written without a country code. */
  lang?: string;
  /** The posting's location, where its numbers' region is named first. */
  location?: string;
  /** The fields as src/normalize folded them, when already at hand (the rules fold them too). */
  folded?: ReadonlyMap<string, NormalizedText>;
}

/**
 * Every contact in a posting's fields, one entry per occurrence, in field order then offset
 * order. Deterministic: the same fields and hints give the same list.
 */
export function extractContacts(fields: Record<string, string>, hints: ContactHints = {}): Contact[] {
  const regions = postingRegions(fields, hints.location, hints.lang, hints.folded);
  const contacts: Contact[] = [];
  for (const [field, original] of Object.entries(fields)) {
    if (original === '' || typeof original !== 'string') continue;
    const scan = new FieldScan(field, original, hints.folded?.get(field), regions);
    scanField(scan);
    for (const found of scan.found.sort((a, b) => a.start - b.start || a.end - b.end)) contacts.push(toContact(found, field, original));
  }
  return contacts;
}

function toContact(found: Found, field: string, original: string): Contact {
  const key = found.kind === 'wallet' ? `wallet:${found.network}:${found.value}` : `${found.kind}:${found.value}`;
  const cpStart = codePoints(original, 0, found.start);
  // Keys in the order of the contract (JSON keeps insertion order).
  const contact = { kind: found.kind, value: found.value, key } as Contact;
  if (found.app) contact.app = found.app;
  if (found.network) contact.network = found.network;
  if (found.country) contact.country = found.country;
  if (found.obfuscation.length > 0) contact.obfuscation = [...new Set(found.obfuscation)].sort();
  contact.field = field;
  contact.start = found.start;
  contact.end = found.end;
  contact.cpStart = cpStart;
  contact.cpEnd = cpStart + codePoints(original, found.start, found.end);
  contact.match = original.slice(found.start, found.end);
  return contact;
}

/** Code points in `text` from `from` to `to` (UTF-16 offsets): a surrogate pair is one. */
export function codePoints(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const unit = text.charCodeAt(i);
    if (!(unit >= 0xdc00 && unit <= 0xdfff && i > from && (text.charCodeAt(i - 1) & 0xfc00) === 0xd800)) n++;
  }
  return n;
}

const MAY_HOLD = /[0-9a-z@\u0e00-\u0e7f]/i;

/** The stages, in priority order, each behind its cheap test. */
function scanField(scan: FieldScan): void {
  const text = scan.light;
  // Every identifier is written with Latin letters or digits (Thai digits spelled out aside): a
  // field with neither, most fields of a Chinese board's row, holds none.
  if (!MAY_HOLD.test(text)) return;
  if (mayHoldLink(text)) findLinks(scan);
  if (EMAIL_GATE.test(text)) findEmails(scan);
  if (text.length >= 26) findWallets(scan);
  findAppHandles(scan);
  if (text.includes('@')) findAtHandles(scan);
  findPhones(scan);
  // The posting's own address (where it was listed) is its source, not a contact it gives.
  if (scan.field !== 'url' && DOMAIN_GATE.test(text)) findDomains(scan);
}

/** Crypto wallets (wallets.ts checks their checksums). */
function findWallets(scan: FieldScan): void {
  const text = scan.light;
  WALLET_RUN.lastIndex = 0;
  for (let m = WALLET_RUN.exec(text); m !== null; m = WALLET_RUN.exec(text)) {
    const wallet = walletOf(m[0]);
    if (!wallet) continue;
    scan.add({
      kind: 'wallet',
      value: wallet.value,
      network: wallet.network,
      obfuscation: scan.disguise(m.index, m.index + m[0].length),
      start: m.index,
      end: m.index + m[0].length,
    });
  }
}
