// Web addresses and bare domains ("bestjob.vip", "example[.]com"), and the top-level domains both they and e-mail end in.
import type { FieldScan } from './field-scan.js';
import { APP_HOSTS } from './links.js';

/** Common top-level domains, for bare domains and e-mail; any two letters pass too. */
export const TLDS = new Set(
  'com net org edu gov mil int info biz io co me xyz top vip club online site shop store app dev asia pro work jobs career careers tech live life world today email mobi name tv cc ws icu cloud link page space website fun bet casino games win money finance capital global group agency services solutions ltd company network digital systems'.split(
    ' ',
  ),
);
const TLD_ALT = [...TLDS].sort((a, b) => b.length - a.length).join('|');
/** A domain's label (one part between dots), as e-mail addresses and bare domains are read. */
export const LABEL = '[a-z0-9](?:[a-z0-9-]{0,62})';

const URL_HOST = /(?<![a-z0-9@.\-/])(?:https?:\/\/(?:[^\s/@:]{1,64}@)?|www\.)([a-z0-9](?:[a-z0-9-]{0,62})(?:\.[a-z0-9](?:[a-z0-9-]{0,62}))+)/gi;
const BARE_DOT = String.raw`(?:\.|\[\.\]|\(\.\)|\[dot\]|\(dot\))`;
const BARE_DOMAIN = new RegExp(
  String.raw`(?<![a-z0-9@.\-/_%])(${LABEL}(?:${BARE_DOT}${LABEL}){0,4}${BARE_DOT}(?:${TLD_ALT}|[a-z]{2}))(?![a-z0-9-]|\.[a-z0-9]|@)`,
  'gi',
);
/** Whether a text may hold a domain: a dot between a letter or digit and a letter, or a disguised dot. */
export const DOMAIN_GATE = /[a-z0-9]\.[a-z]|\[\.\]|\(\.\)|\[dot\]|\(dot\)/i;
/** A dotted name (checked by hand on both sides: a look-behind here cost three times more). */
const PLAIN_DOMAIN = /[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9][a-z0-9-]{0,62}){1,5}/gi;
const OBFUSCATED_DOT = /\[\.\]|\(\.\)|\[dot\]|\(dot\)/i;
/** A field holding one address and nothing else. */
const WHOLE_URL = /^\s*(?:https?:\/\/|www\.)\S+\s*$/i;
/** Paths of pictures, style sheets and scripts. */
const MEDIA_PATH = /\.(?:png|jpe?g|gif|webp|svg|ico|bmp|css|js|woff2?)(?:[?#]|$)/i;
/** Dotted names that are no web address: framework names, abbreviations. */
const NOT_DOMAINS = new Set([
  'asp.net',
  'ado.net',
  'vb.net',
  'dot.net',
  'node.js',
  'vue.js',
  'next.js',
  'react.js',
  'e.g',
  'i.e',
  'a.m',
  'p.m',
  'u.s',
  'co.ltd',
  'ltd.co',
]);
/** Country-code domains a bare name needs to be taken for a site (two letters alone are too often abbreviations). */
const BARE_CC = new Set(
  'kh mm la th vn ph my sg id cn tw hk mo kr jp in bd np lk pk ke ug tz rw et ng gh za ae sa qa ar mx es uk us ru kg kz au nz ca br de fr it nl eu io ai ly to gg'.split(
    ' ',
  ),
);

/** Web addresses (with a scheme or www.) and bare domains, chat-app hosts aside (links.ts reads those). */
export function findDomains(scan: FieldScan): void {
  const text = scan.light;
  // A field that is nothing but an address (a logo, a company page, an apply link scraped into a
  // column of its own) is metadata about the posting, not an address it gives to be reached at.
  if (scan.field !== 'contact' && WHOLE_URL.test(text)) return;
  if (text.includes('://') || text.includes('www.') || text.includes('WWW.')) {
    URL_HOST.lastIndex = 0;
    for (let m = URL_HOST.exec(text); m !== null; m = URL_HOST.exec(text)) {
      const host = m[1]!.toLowerCase().replace(/^www\./, '');
      const tld = host.slice(host.lastIndexOf('.') + 1);
      if (!(TLDS.has(tld) || /^[a-z]{2}$/.test(tld)) || APP_HOSTS.has(host)) continue;
      const start = m.index;
      const end = m.index + m[0].length;
      // An image or a style sheet is where a page keeps its pictures, not a contact.
      if (MEDIA_PATH.test(text.slice(end, end + 300).split(/[\s"'<>)]/)[0]!)) continue;
      if (!scan.free(start, end)) continue;
      scan.add({ kind: 'domain', value: host, obfuscation: scan.disguise(start, end), start, end });
    }
  }
  PLAIN_DOMAIN.lastIndex = 0;
  for (let m = PLAIN_DOMAIN.exec(text); m !== null; m = PLAIN_DOMAIN.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (start > 0 && /[a-z0-9@.\-/_%]/i.test(text[start - 1]!)) continue;
    if (/^(?:[a-z0-9-]|\.[a-z0-9]|@)/i.test(text.slice(end, end + 2))) continue;
    bareDomain(scan, m[0], start);
  }
  if (OBFUSCATED_DOT.test(text)) {
    BARE_DOMAIN.lastIndex = 0;
    for (let m = BARE_DOMAIN.exec(text); m !== null; m = BARE_DOMAIN.exec(text)) bareDomain(scan, m[1]!, m.index);
  }
}

/** A name written without scheme or www ("bestjob.vip", "example[.]com"), when its ending is a known top-level domain. */
function bareDomain(scan: FieldScan, written: string, start: number): void {
  // "#TuDesarrolloProfesionalwww.boldt.com.ar": a word glued to the address.
  const www = written.toLowerCase().indexOf('www.');
  if (www > 0) {
    start += www;
    written = written.slice(www);
  }
  const host = written
    .toLowerCase()
    .replace(/\[\.\]|\(\.\)|\[dot\]|\(dot\)/g, '.')
    .replace(/^www\./, '');
  const dot = host.lastIndexOf('.');
  const tld = host.slice(dot + 1);
  if (!TLDS.has(tld) && !BARE_CC.has(tld)) return;
  if (APP_HOSTS.has(host) || NOT_DOMAINS.has(host)) return;
  // Two sentences run together ("contract.Work location", "edad.La empresa"): an ending written Capitalised.
  const writtenTld = written.slice(written.length - tld.length);
  const writtenName = written.slice(0, written.length - tld.length - 1);
  const nameUpper = writtenName === writtenName.toUpperCase();
  if (/^[A-Z][a-z]+$/.test(writtenTld) && !nameUpper) return;
  // "of.NET", "Studio.NET": a framework's name after a word, not an address; and VS.NET, EXT.net.
  if (/^[A-Z]+$/.test(writtenTld) && !nameUpper) return;
  if (tld === 'net' && /^[A-Z]{2,4}$/.test(writtenName)) return;
  const labels = host.split('.');
  // A name of two letters and a country code is too often an abbreviation ("p.s", "s.a").
  if (labels.length === 2 && labels[0]!.length < 3 && !TLDS.has(tld)) return;
  if (labels.some((label) => /^\d+$/.test(label)) && labels.every((label) => /^[\d]+$/.test(label) || label.length <= 2)) return;
  const end = start + written.length;
  if (!scan.free(start, end)) return;
  const obfuscation = scan.disguise(start, end);
  if (host.length !== written.replace(/^www\./i, '').length) obfuscation.push('at-dot');
  scan.add({ kind: 'domain', value: host, obfuscation, start, end });
}
