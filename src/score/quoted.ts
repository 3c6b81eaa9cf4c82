// A text that quotes an offer to warn of it: a bank's or a telecom's alert, a fact-check, a victim's
// story, a forum post asking whether an ad is real. It carries the offer's words, and so the offer's
// rule hits, but inside quotation marks, and speaks of them outside in a warning's words ("это
// мошенничество", "É burla", "千祈唔好", "scam"). Offers rarely put their whole pitch in quotes and
// add a warning word around it; lures that borrow a warning ("others are scams, we are real") keep
// their own pitch outside the quotes. Measured on corpus/train before it shipped: of every lure and
// job scam the scan flags, none has all its rule evidence inside quotes with a warning word outside;
// of the reports a fresh writing round (round 15) got flagged for, about a third had
// (docs/accuracy-history.md). The scoring file's `quote-mute` turns it on.
import type { Hit, Label } from '../types.js';

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
 * victim, "do not" and their like; and a question whether the offer is real ("is this legit?",
 * "これ本物？", "진짜일까요", "真的假的", "តើពិតឬក្លែងក្លាយ"), which only a reader of the offer asks.
 * Japanese 注意 counts unless it heads a list of terms (ご注意, 注意事項), as job ads use it. Looked
 * for only outside the quotes.
 */
const WARNING = new RegExp(
  [
    String.raw`scam|fraud|fake|beware|warn|caution|alert|police|victim|\bdo(?:n't| not)\b|hoax|\bfalse\b`,
    String.raw`\bis (?:this|it|that) (?:legit|real|true|genuine|safe)\b|\breal or fake\b`,
    String.raw`мошен|осторожн|развод|обман|не ведитесь|фейк|полици|это правда[?？]|это реально[?？]`,
    String.raw`golpe|burla|fraude|falso|alerta|cuidado|denunci|estafa|¿es (?:real|verdad|confiable|legítim)|é (?:verdade|real|confiável)[?？]`,
    String.raw`诈骗|詐騙|骗|騙|警方|警惕|提醒|小心|千万|千萬|千祈|(?<!ご)注意(?!事項|点)|假|是真的吗|是真的嗎|靠谱吗|靠譜嗎|係咪真|系咪真`,
    String.raw`사기|주의|조심|경찰|피해|진짜(?:일까요|인가요|예요[?？])|정상인가요|믿어도 될까요`,
    String.raw`詐欺|警察|被害|本物[?？]|本当(?:です)?か?[?？]|怪しい`,
    String.raw`lừa đảo|lừa|bẫy|cảnh báo|cảnh giác|công an|giả mạo|có thật không|penipuan|waspada|hati-hati|polisi|hoaks|palsu|beneran (?:gak|nggak|ga)\b|betul ke[?？]`,
    String.raw`หลอก|มิจฉาชีพ|ระวัง|เตือน|ตำรวจ|จริงไหม|จริงมั้ย|จริงหรือเปล่า`,
    String.raw`ठगी|धोखा|फ्रॉड|सावधान|पुलिस|फर्जी|সত্যি কি|প্রতারণা|সাবধান|পুলিশ|ঠক|ঠগ`,
    String.raw`បោកប្រាស់|ប្រយ័ត្ន|ប៉ូលិស|ក្លែងក្លាយ|ໂກງ|ລະວັງ|လိမ်|သတိ`,
    String.raw`utapeli|tahadhari|ni kweli[?？]|panloloko|mag-ingat|pulis|babala|totoo ba\b`,
  ].join('|'),
  'i',
);

/** The fields whose text outside the quotes is read for a warning word. */
const SPOKEN_FIELDS = ['title', 'description'] as const;

/** The quoted spans of a posting's fields, each field's found once. */
function spansOfFields(fields: Readonly<Record<string, string>>): (field: string) => Array<[number, number]> {
  const spans = new Map<string, Array<[number, number]>>();
  return (field) => {
    let found = spans.get(field);
    if (found === undefined) spans.set(field, (found = quotedSpans(fields[field] ?? '')));
    return found;
  };
}

/** Whether every hit that adds points (combinations aside) lies inside quotation marks, and one does at all. */
function allQuoted(hits: readonly Hit[], spansOf: (field: string) => Array<[number, number]>): boolean {
  let placed = 0;
  for (const hit of hits) {
    if (!(hit.points > 0) || hit.combines !== undefined) continue;
    if (hit.field === undefined || hit.start === undefined || hit.end === undefined) return false;
    const { start, end } = hit;
    if (!spansOf(hit.field).some(([open, close]) => start > open && end <= close)) return false;
    placed++;
  }
  return placed > 0;
}

/** The first warning word the title or body says outside its quotes, or undefined. */
function warningCue(fields: Readonly<Record<string, string>>, spansOf: (field: string) => Array<[number, number]>): string | undefined {
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

/**
 * The warning word that makes a posting a quoted warning rather than an offer: every hit that adds
 * points to a label lies inside quotation marks in its field, and the title or body says a warning
 * word outside them. Undefined when it is not one (no such hit, a hit outside the quotes, a hit
 * without a place in the text, or no warning word outside).
 */
export function quotedWarning(fields: Readonly<Record<string, string>>, hits: readonly Hit[]): string | undefined {
  const spansOf = spansOfFields(fields);
  return allQuoted(hits, spansOf) ? warningCue(fields, spansOf) : undefined;
}

/**
 * Of `labels`, those whose own scoring hits are all quoted inside a warning (a lure's hits do not
 * keep a job scam's quoted evidence unmuted, nor the other way round), with the warning word found.
 * Undefined when there is none. The quotes and the warning word are the posting's, found once.
 */
export function quotedLabels(
  fields: Readonly<Record<string, string>>,
  hits: readonly Hit[],
  labels: readonly Label[],
): { labels: Label[]; cue: string } | undefined {
  const spansOf = spansOfFields(fields);
  const quoted = labels.filter((label) =>
    allQuoted(
      hits.filter((hit) => hit.label === label),
      spansOf,
    ),
  );
  if (quoted.length === 0) return undefined;
  const cue = warningCue(fields, spansOf);
  return cue === undefined ? undefined : { labels: quoted, cue };
}
