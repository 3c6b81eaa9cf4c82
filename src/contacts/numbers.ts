// Phone numbers in a field: runs of digits (and digits spelled out), split into numbers and judged by what surrounds them.
import { spelledRuns } from './digits.js';
import type { FieldScan, Found } from './field-scan.js';
import { CURRENCY_AFTER, CURRENCY_BEFORE, looksLikeDate, looksLikeMoney, looksLikeRange, looksLikeYears } from './not-phones.js';
import { parsePhone, type ParsedPhone } from './phone.js';
import { lastAppIfChained, phoneContext } from './phone-context.js';
import { parseDigits } from './regions.js';
import type { ContactApp } from './types.js';
import { findCues, type CueWord } from './words.js';

/** A run of digits with the separators numbers are written with: space, dot, dash, brackets, keycap marks. */
const DIGIT_RUN = /(?:\(?\+[ \t]?\(?)?\d(?:(?:[ \t.\-()\u2013]|\ufe0f|\u20e3){0,3}\d){6,}/g;
const DIGIT_GROUP = /\d+/g;

/** Region codes whose mobile numbers are written nationally without a trunk prefix. */
const NO_TRUNK = new Set(['CN', 'HK', 'SG', 'MO', 'NP', 'IN', 'US', 'CA']);

/** Phone numbers: digit runs and spelled-out digits, in order (a list's first number lends its cue to the next). */
export function findPhones(scan: FieldScan): void {
  const text = scan.light;
  let lastEnd = -1;
  let lastApp: ContactApp | undefined;
  const candidates: Array<{ start: number; end: number; digits?: string; spelled?: boolean }> = [];
  if (/\d/.test(text)) {
    DIGIT_RUN.lastIndex = 0;
    for (let m = DIGIT_RUN.exec(text); m !== null; m = DIGIT_RUN.exec(text)) candidates.push({ start: m.index, end: m.index + m[0].length });
  }
  scan.cues();
  for (const run of spelledRuns(text, scan.digitWords)) candidates.push({ start: run.start, end: run.end, digits: run.digits, spelled: true });
  if (candidates.length === 0) return;
  candidates.sort((a, b) => a.start - b.start);
  for (const candidate of candidates) {
    if (!scan.free(candidate.start, candidate.end)) continue;
    const accepted = candidate.spelled
      ? judgeSpelled(scan, candidate.start, candidate.end, candidate.digits!, lastEnd, lastApp)
      : judgeRun(scan, candidate.start, candidate.end, lastEnd, lastApp);
    for (const found of accepted) {
      scan.add(found);
      lastEnd = found.end;
      lastApp = found.app;
    }
  }
}

function judgeSpelled(scan: FieldScan, start: number, end: number, digits: string, lastEnd: number, lastApp: ContactApp | undefined): Found[] {
  const context = phoneContext(scan, start, end, lastEnd, lastApp);
  if (context.negative) return [];
  const parsed = parseDigits(scan.regions, digits, true, context.app?.cue.app);
  if (!parsed?.valid) return [];
  return [
    {
      kind: 'phone',
      value: parsed.e164,
      app: context.app?.cue.app ?? lastAppIfChained(context),
      country: parsed.region,
      obfuscation: ['spelled-digits', ...scan.disguise(start, end), ...(context.app ? scan.appDisguise(context.app) : [])],
      start,
      end,
    },
  ];
}

/** A run of digits: one number, several side by side, or none (a salary, a date, an id). */
function judgeRun(scan: FieldScan, runStart: number, runEnd: number, lastEnd: number, lastApp: ContactApp | undefined): Found[] {
  const text = scan.light;
  const run = text.slice(runStart, runEnd);
  const plusAt = run.indexOf('+');
  const groups: Array<{ start: number; end: number; digits: string }> = [];
  DIGIT_GROUP.lastIndex = 0;
  for (let g = DIGIT_GROUP.exec(run); g !== null; g = DIGIT_GROUP.exec(run)) {
    const start = runStart + g.index;
    let end = start + g[0].length;
    // Keycap marks after a digit (1️⃣) belong to it; digits they alone separate are one group.
    while (end < runEnd + 2 && (text.charCodeAt(end) === 0xfe0f || text.charCodeAt(end) === 0x20e3)) end++;
    const last = groups[groups.length - 1];
    if (last && last.end === start) {
      last.end = end;
      last.digits += g[0];
    } else groups.push({ start, end, digits: g[0] });
  }
  if (groups.length === 0 || groups.length > 24) return [];
  const out: Found[] = [];
  let i = 0;
  while (i < groups.length) {
    let taken = 0;
    let total = 0;
    for (let j = i; j < groups.length; j++) total += groups[j]!.digits.length;
    for (let j = groups.length; j > i; j--) {
      if (j < groups.length) total -= groups[j]!.digits.length;
      if (total < 7) break;
      if (total > 17) continue;
      const found = judgeGroups(
        scan,
        groups.slice(i, j),
        i === 0 && plusAt >= 0 ? runStart + plusAt : undefined,
        i === 0,
        j === groups.length,
        lastEnd,
        lastApp,
      );
      if (found) {
        out.push(found);
        lastEnd = found.end;
        lastApp = found.app;
        taken = j - i;
        break;
      }
    }
    i += taken > 0 ? taken : 1;
  }
  return out;
}

function judgeGroups(
  scan: FieldScan,
  groups: Array<{ start: number; end: number; digits: string }>,
  plusAt: number | undefined,
  atRunStart: boolean,
  atRunEnd: boolean,
  lastEnd: number,
  lastApp: ContactApp | undefined,
): Found | undefined {
  const text = scan.light;
  const digits = groups.map((g) => g.digits).join('');
  const start = plusAt ?? groups[0]!.start;
  const end = groups[groups.length - 1]!.end;
  const plus = plusAt !== undefined;
  const separators = text.slice(groups[0]!.start, end).replace(/[\d]/g, '');
  const obfuscation = scan.disguise(start, end);
  const singles = groups.filter((g) => g.digits.length === 1).length;
  if (singles >= 5 && singles >= groups.length - 1) obfuscation.push('spaced-digits');
  // The edges of the whole run: a letter, slash, '=' or '@' glued to it makes it part of a word, a path or an address.
  if (atRunStart) {
    const before = text.slice(Math.max(0, start - 12), start);
    const glued = /[\p{L}_]+$/u.exec(before);
    if (glued) {
      const cue = cueWordOf(glued[0]);
      if (!cue || cue.negative) return undefined;
    } else if (/[/=&#_%$@\\-]$/.test(before) && !plus) return undefined;
    else if (/\d[.,]$/.test(before)) return undefined;
  }
  if (atRunEnd) {
    const after = text.slice(end, end + 12);
    if (/^[@%_]|^\/\d|^[.,]\d/.test(after)) return undefined;
    const glued = /^[\p{L}]+/u.exec(after);
    if (glued && !cueWordOf(glued[0])) return undefined;
  }
  if (!plus && !obfuscation.includes('spaced-digits')) {
    if (looksLikeDate(groups) || looksLikeRange(groups, separators) || looksLikeMoney(groups, separators) || looksLikeYears(groups)) return undefined;
    if (CURRENCY_BEFORE.test(text.slice(Math.max(0, start - 12), start)) || CURRENCY_AFTER.test(text.slice(end, end + 16))) return undefined;
  }
  const context = phoneContext(scan, start, end, lastEnd, lastApp);
  if (context.negative && !plus) return undefined;
  const cued = plus || context.cue || obfuscation.includes('spaced-digits') || obfuscation.includes('emoji-digits') || obfuscation.includes('spelled-digits');
  let parsed: ParsedPhone | undefined;
  if (plus) parsed = parsePhone(`+${digits}`);
  else if (digits.startsWith('00')) parsed = parsePhone(`+${digits.slice(2)}`);
  if (!parsed?.valid && !plus) parsed = parseDigits(scan.regions, digits, cued, context.app?.cue.app ?? lastAppIfChained(context));
  if (!parsed?.valid) return undefined;
  if (!cued) {
    // No word, link or sign says "phone": take only what is written the way a phone number is.
    const type = parsed.type;
    if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') return undefined;
    if (digits.length < 9 || groups.length > 4) return undefined;
    const withTrunk = digits.startsWith('0') && parsed.national !== digits && digits.endsWith(parsed.national);
    const bare = digits === parsed.national && parsed.region !== undefined && NO_TRUNK.has(parsed.region);
    if (!withTrunk && !bare) return undefined;
  }
  const app = context.app?.cue.app ?? lastAppIfChained(context);
  if (context.app) obfuscation.push(...scan.appDisguise(context.app));
  return { kind: 'phone', value: parsed.e164, app, country: parsed.region, obfuscation, start, end };
}

function cueWordOf(word: string): CueWord | undefined {
  const cues = findCues(word.toLowerCase());
  const last = cues[cues.length - 1];
  return last && last.end === word.length ? last.cue : undefined;
}
