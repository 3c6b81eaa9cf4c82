// E-mail addresses, plain and spelled out ("linda at gmail dot com", "(at)", "[dot]").
import { LABEL, TLDS } from './domains.js';
import type { FieldScan } from './field-scan.js';

/** Mail providers: the domain an "at"-spelled address ("linda at gmail dot com") must name to count. */
const MAIL_PROVIDERS = new Set([
  'gmail',
  'googlemail',
  'yahoo',
  'ymail',
  'hotmail',
  'outlook',
  'live',
  'msn',
  'icloud',
  'me',
  'aol',
  'proton',
  'protonmail',
  'pm',
  'mail',
  'gmx',
  'yandex',
  'zoho',
  'qq',
  '163',
  '126',
  'sina',
  'sohu',
  'foxmail',
  'naver',
  'daum',
  'hanmail',
  'rediffmail',
  'tutanota',
]);

const AT = String.raw`(?:\s?@\s?|\s?[(\[{<]\s?(?:at|@|arroba)\s?[)\]}>]\s?|\s(?:at)\s)`;
const DOT = String.raw`(?:\.|。|\s\.\s|\s?[(\[{<]\s?(?:dot|\.|punto)\s?[)\]}>]\s?|\s(?:dot)\s)`;
const LOCAL_DOT = String.raw`(?:\s?[(\[{<]\s?(?:dot|\.|punto)\s?[)\]}>]\s?|\s(?:dot)\s)`;
const EMAIL = new RegExp(
  `(?<![a-z0-9._%+-])([a-z0-9][a-z0-9._%+-]{0,63}(?:${LOCAL_DOT}[a-z0-9][a-z0-9._%+-]{0,63}){0,3})(${AT})(${LABEL}(?:${DOT}${LABEL}){0,4})(${DOT})([a-z]{2,24})(?![a-z0-9-])`,
  'gi',
);
/** Whether a text may hold an e-mail address: an @, or an "at" written out. */
export const EMAIL_GATE = /@|\bat\b|\(at\)|\[at\]|arroba/i;
const DOT_SPLIT = new RegExp(DOT, 'gi');
const LOCAL_DOT_SPLIT = new RegExp(LOCAL_DOT, 'gi');
const PLAIN_AT = /^@$/;

/** E-mail addresses; a spelled-out "at" counts only before a mail provider's name or a disguised dot. */
export function findEmails(scan: FieldScan): void {
  const text = scan.light;
  EMAIL.lastIndex = 0;
  for (let m = EMAIL.exec(text); m !== null; m = EMAIL.exec(text)) {
    const [whole, local, at, domain, lastDot, tld] = m as unknown as string[];
    const labels = domain!.split(DOT_SPLIT);
    const tldLower = tld!.toLowerCase();
    if (!TLDS.has(tldLower) && tldLower.length !== 2) continue;
    const plainAt = PLAIN_AT.test(at!.trim()) && !/\s/.test(at!);
    const plainDots = lastDot === '.' && labels.length === domain!.split('.').length;
    const spelledAt = /^\s(?:at)\s$/i.test(at!);
    if (spelledAt && !MAIL_PROVIDERS.has(labels[0]!.toLowerCase()) && plainDots) continue;
    const cleanLocal = local!.replace(LOCAL_DOT_SPLIT, '.').replace(/[.]+$/, '');
    if (cleanLocal !== local && plainAt) continue;
    if (cleanLocal === '') continue;
    const start = m.index;
    const end = m.index + whole!.length;
    const value = `${cleanLocal}@${labels.join('.')}.${tld}`.toLowerCase();
    const obfuscation = scan.disguise(start, end);
    if (!plainAt || !plainDots) obfuscation.push('at-dot');
    scan.add({ kind: 'email', value, obfuscation, start, end });
  }
}
