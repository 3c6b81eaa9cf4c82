// A text that quotes an offer to warn of it: a bank's or a telecom's alert, a fact-check, a victim's
// story, a forum post asking whether an ad is real. It carries the offer's words, and so the offer's
// rule hits, but inside quotation marks, and speaks of them outside in a warning's words ("это
// мошенничество", "É burla", "千祈唔好", "scam"). Offers rarely put their whole pitch in quotes and
// add a warning word around it; lures that borrow a warning ("others are scams, we are real") keep
// their own pitch outside the quotes. Measured on corpus/train before it shipped: of every lure and
// job scam the scan flags, none has all its rule evidence inside quotes with a warning word outside;
// of the reports a fresh writing round (round 15) got flagged for, about a third had
// (docs/accuracy-history.md). The scoring file's `quote-mute` turns it on.
import type { Hit } from '../types.js';

/** Opening quotation marks and the mark that closes each. */
const CLOSER: Readonly<Record<string, string>> = {
  '"': '"',
  '“': '”',
  '«': '»',
  '「': '」',
  '『': '』',
  '„': '“',
  '‹': '›',
  '”': '”',
};

/** The outermost quoted spans of a text, as [open, close] offsets of their marks (UTF-16). */
export function quotedSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let open = -1;
  let closer = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (open >= 0) {
      if (c === closer) {
        spans.push([open, i]);
        open = -1;
      }
      continue;
    }
    const close = CLOSER[c];
    if (close !== undefined) {
      open = i;
      closer = close;
    }
  }
  return spans;
}

/**
 * Words that warn of an offer, in the languages of the corpus: scam, fraud, fake, beware, police,
 * victim, "do not" and their like. Looked for only outside the quotes.
 */
const WARNING =
  /scam|fraud|fake|beware|warn|caution|alert|police|victim|\bdo(?:n't| not)\b|hoax|\bfalse\b|мошен|осторожн|развод|обман|не ведитесь|фейк|полици|golpe|burla|fraude|falso|alerta|cuidado|denunci|estafa|诈骗|詐騙|骗|騙|警方|警惕|提醒|小心|千万|千萬|千祈|注意|假|사기|주의|조심|경찰|피해|詐欺|警察|被害|lừa đảo|cảnh báo|cảnh giác|công an|giả mạo|penipuan|waspada|hati-hati|polisi|hoaks|palsu|หลอก|มิจฉาชีพ|ระวัง|เตือน|ตำรวจ|ठगी|धोखा|फ्रॉड|सावधान|पुलिस|फर्जी|প্রতারণা|সাবধান|পুলিশ|ঠক|ঠগ|បោកប្រាស់|ប្រយ័ត្ន|ប៉ូលិស|ໂກງ|ລະວັງ|လိမ်|သတိ|utapeli|tahadhari|panloloko|mag-ingat|pulis|babala/i;

/** The fields whose text outside the quotes is read for a warning word. */
const SPOKEN_FIELDS = ['title', 'description'] as const;

/**
 * The warning word that makes a posting a quoted warning rather than an offer: every hit that adds
 * points to a label lies inside quotation marks in its field, and the title or body says a warning
 * word outside them. Undefined when it is not one (no such hit, a hit outside the quotes, a hit
 * without a place in the text, or no warning word outside).
 */
export function quotedWarning(fields: Readonly<Record<string, string>>, hits: readonly Hit[]): string | undefined {
  const spans = new Map<string, Array<[number, number]>>();
  const spansOf = (field: string): Array<[number, number]> => {
    let found = spans.get(field);
    if (found === undefined) spans.set(field, (found = quotedSpans(fields[field] ?? '')));
    return found;
  };
  let placed = 0;
  for (const hit of hits) {
    if (!(hit.points > 0) || hit.combines !== undefined) continue;
    if (hit.field === undefined || hit.start === undefined || hit.end === undefined) return undefined;
    const { start, end } = hit;
    if (!spansOf(hit.field).some(([open, close]) => start > open && end <= close)) return undefined;
    placed++;
  }
  if (placed === 0) return undefined;
  for (const field of SPOKEN_FIELDS) {
    const text = fields[field];
    if (text === undefined) continue;
    let outside = '';
    let from = 0;
    for (const [open, close] of spansOf(field)) {
      outside += `${text.slice(from, open)} `;
      from = close + 1;
    }
    outside += text.slice(from);
    const cue = WARNING.exec(outside);
    if (cue) return cue[0];
  }
  return undefined;
}
