// Chat handles: after an app's name ("Telegram: @hr_linda", "微信：abc123") and bare "@handles".
import type { Cue, FieldScan } from './field-scan.js';
import { isDigitWord } from './words.js';

/** A bare "@handle" (not an e-mail's domain, which has a letter or digit before its @). */
const AT_HANDLE = /(?<![\p{L}\p{N}_.@-])@([a-z0-9][a-z0-9_.]{2,31})(?![a-z0-9_@-])/giu;
/** What follows an app's name when a handle comes next: "id", a separator, an @. */
const APP_TAIL =
  /([ \t]{0,2})(?:(id|i\.d\.|account|acc|号|號|账号|帳號|아이디|ไอดี|ID)[ \t]?)?(?:([:=：\-–]|is)[ \t]{0,2})?(?:(@)[ \t]?)?([a-z0-9][a-z0-9_.-]{2,31})/iuy;
/** Words that follow an app's name and are no handle. */
const NOT_HANDLES = new Set(
  'and or for the you your our us me to on in at via with now only app apps group groups channel chat chats number numbers account id contact contacts official support please pls click link here free call message messages only details info more job jobs apply today only is are will can and/or ok yes no tel phone mobile email mail website web line lines signal manager managers id. number. this that from daily payment pay direct directly available also hr team admin user users video call calls voice http https www com net org'.split(
    ' ',
  ),
);
/** Handle-looking words after a bare @ that are no handles ("work @home"). */
const NOT_AT_HANDLES = new Set([
  'home',
  'work',
  'office',
  'gmail',
  'yahoo',
  'hotmail',
  'outlook',
  'email',
  'mail',
  'the',
  'all',
  'once',
  'night',
  'noon',
  'least',
  'most',
  // JSON-LD, CSS and decorators in scraped text
  'type',
  'context',
  'graph',
  'media',
  'import',
  'charset',
  'font-face',
  'keyframes',
  'supports',
  'page',
  'vocab',
  'language',
  'value',
  'list',
]);

/** A handle after an app's name: "Telegram: @hr_linda", "微信：abc123", "LINE ID somchai88", "vx: kefu_01". */
export function findAppHandles(scan: FieldScan): void {
  const cues = appCues(scan);
  if (cues.length === 0) return;
  const text = scan.light;
  for (const cue of cues) {
    APP_TAIL.lastIndex = cue.oend;
    const m = APP_TAIL.exec(text);
    if (!m) continue;
    const [, space, idWord, separator, at, rawToken] = m as unknown as Array<string | undefined>;
    const token = rawToken!.replace(/[._-]+$/, '');
    const lower = token.toLowerCase();
    if (/^[\d.-]+$/.test(token)) continue; // a number: the phone stage reads it
    if (/\d/.test(token) && /^[\dx.-]+$/i.test(token)) continue; // a masked number: "09x.xxx.5521"
    if (!/[a-z]/i.test(token)) continue;
    if (NOT_HANDLES.has(lower)) continue;
    const minimum = cue.cue.app === 'wechat' ? 6 : 4;
    if (token.length < minimum) continue;
    const latinApp = /^[a-z]/i.test(cue.word);
    const glued = space === '' && !latinApp;
    const marked = Boolean(at || separator || idWord);
    // "the signal is clear": a weak name needs a mark, and "is" is none.
    if (cue.cue.weak && !(at || idWord || (separator && separator !== 'is'))) continue;
    if (isDigitWord(lower)) continue; // "WhatsApp: zero one two ...": a spelled-out number
    if (!marked && !glued && !/[_\d]/.test(token)) continue;
    // 微信js-sdk: an app's name glued to a word is part of a term, unless the word looks like an id.
    if (glued && !marked && !/[_\d]/.test(token)) continue;
    // "telegram-expert/1870565.html", "line-leader": an app's name inside a path or a compound word.
    const before = /\S*$/.exec(text.slice(Math.max(0, cue.ostart - 200), cue.ostart))![0];
    if (/[/=?&#]/.test(before) || /^(?:https?:|www\.)/i.test(before)) continue;
    if (/^[-–]$/.test(separator ?? '') && !/[-–]\s/.test(m[0]) && !/\s[-–]/.test(m[0])) continue;
    const tokenStart = m.index + m[0].length - rawToken!.length;
    const end = tokenStart + token.length;
    if (/^[/]|^\.[a-z0-9]/i.test(text.slice(end, end + 2))) continue;
    // "LINE: Krungsri Career": an account's display name, not its id.
    if (/^[A-Z][a-z]+$/.test(token) && /^ [A-Z]/.test(text.slice(end, end + 2))) continue;
    const from = at ? m.index + m[0].lastIndexOf('@') : tokenStart;
    scan.add({
      kind: 'handle',
      value: lower,
      app: cue.cue.app,
      obfuscation: [...scan.disguise(from, end), ...scan.appDisguise(cue)],
      start: from,
      end,
    });
  }
}

/** App-name cues, only when the field could hold one (the cue regex costs a pass). */
function appCues(scan: FieldScan): Cue[] {
  return scan.cues().filter((cue) => cue.cue.app !== undefined);
}

/** "@hr_linda_kh": a handle with no app named right before it (an app named nearby is recorded). */
export function findAtHandles(scan: FieldScan): void {
  const text = scan.light;
  AT_HANDLE.lastIndex = 0;
  for (let m = AT_HANDLE.exec(text); m !== null; m = AT_HANDLE.exec(text)) {
    const token = m[1]!.replace(/[.]+$/, '');
    if (/\.[a-z]{2,}/i.test(token)) continue; // "@gmail.com": a domain
    if (!/[a-z]/i.test(token) || token.length < 3) continue;
    const lower = token.toLowerCase();
    if (NOT_AT_HANDLES.has(lower)) continue;
    const start = m.index;
    const end = start + 1 + token.length;
    if (!scan.free(start, end)) continue;
    const cue = nearestApp(scan, start, end);
    const obfuscation = scan.disguise(start, end);
    if (cue) obfuscation.push(...scan.appDisguise(cue));
    if (!cue && /\u2708/.test(scan.original.slice(Math.max(0, start - 4), start))) obfuscation.push('app-emoji');
    scan.add({
      kind: 'handle',
      value: lower,
      app: cue?.cue.app ?? (obfuscation.includes('app-emoji') ? 'telegram' : undefined),
      obfuscation,
      start,
      end,
    });
  }
}

/** The app named nearest before a span (within 40 characters) or right after it (within 15, "(LINE)"). */
function nearestApp(scan: FieldScan, start: number, end: number): Cue | undefined {
  const cues = scan.cues();
  let best: Cue | undefined;
  for (const cue of cues) {
    if (!cue.cue.app) continue;
    if (cue.oend <= start && start - cue.oend <= 40) {
      if (cue.cue.weak && !/^[\s:：=\-–(]*(?:id)?[\s:：=\-–]*$/i.test(scan.light.slice(cue.oend, start))) continue;
      if (scan.foundBetween(cue.oend, start)) continue;
      best = cue;
    } else if (cue.ostart >= end && cue.ostart - end <= 15 && !best) {
      if (/^[\s([\-–:/]*$/.test(scan.light.slice(end, cue.ostart))) return cue;
    }
  }
  return best;
}
