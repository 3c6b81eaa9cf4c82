// What the words around a number say of it: a phone (and which app), something else, or nothing.
import type { Cue, FieldScan } from './field-scan.js';
import type { ContactApp } from './types.js';

export interface PhoneContext {
  cue: boolean;
  negative: boolean;
  chained: boolean;
  app?: Cue | undefined;
  lastApp: ContactApp | undefined;
}

export function lastAppIfChained(context: PhoneContext): ContactApp | undefined {
  return context.chained ? context.lastApp : undefined;
}

/** What the words around a number say: a phone (and which app), something else, or nothing. */
export function phoneContext(scan: FieldScan, start: number, end: number, lastEnd: number, lastApp: ContactApp | undefined): PhoneContext {
  const text = scan.light;
  const context: PhoneContext = { cue: false, negative: false, chained: false, lastApp };
  // A list of numbers: "0812345678, 0898765432" or "/ 0898...": the first one's cue holds for the next.
  if (lastEnd >= 0 && start - lastEnd <= 8 && /^[\s,;/|&]*(?:or|hoặc|或|atau|หรือ|o|ou)?[\s,;/|&]*$/iu.test(text.slice(lastEnd, start))) {
    context.cue = true;
    context.chained = true;
  }
  const cues = scan.cues();
  let nearest: Cue | undefined;
  for (const cue of cues) {
    if (cue.oend > start) {
      // Right after the number: "0812345678 (WhatsApp)", "0812 345 678 - Zalo".
      if (
        cue.ostart >= end &&
        cue.ostart - end <= 15 &&
        !cue.cue.negative &&
        /^[\s([\-–:/]*$/.test(text.slice(end, cue.ostart)) &&
        !/^\s*(?:id\s*)?[:：=]/i.test(text.slice(cue.oend, cue.oend + 8))
      ) {
        context.cue = true;
        if (cue.cue.app && !context.app) context.app = cue;
      }
      continue;
    }
    const gap = text.slice(cue.oend, start);
    if (start - cue.oend > 40) continue;
    if (cue.cue.weak && !/^[\s:：=\-–()]*(?:id)?[\s:：=\-–]*$/i.test(gap)) continue;
    // A word said of another contact ("Telegram @hr_linda or call 012..."): not of this number.
    if (scan.foundBetween(cue.oend, start)) continue;
    nearest = cue;
  }
  if (nearest && !nearest.cue.negative) {
    // The app is the one named nearest, or one named right before the phone word ("WhatsApp/Tel: ...").
    const app = nearest.cue.app ? nearest : cues.find((c) => c.cue.app && !c.cue.weak && c.oend <= nearest!.ostart && nearest!.ostart - c.oend <= 3);
    if (app) context.app = app;
  }
  if (nearest) {
    if (nearest.cue.negative) {
      // "LINE ID 0812...", "Zalo/ID: ...": an app named right before "id" keeps it a contact.
      const before = cues.filter((c) => c.oend <= nearest!.ostart && nearest!.ostart - c.oend <= 3 && c.cue.app);
      if (before.length > 0 && /^id$/i.test(nearest.word)) context.cue = true;
      else if (start - nearest.oend <= 20) {
        context.negative = !context.chained;
        context.app = undefined;
      }
    } else context.cue = true;
  }
  return context;
}
