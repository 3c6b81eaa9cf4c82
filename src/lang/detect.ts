// The language of a posting: its writing system decides most languages outright (Thai, Khmer,
// Hangul, kana, Bengali ...); where one script serves several languages (Latin, Devanagari,
// Cyrillic, Arabic) franc's trigram profiles choose among the languages job ads here are written
// in. Codes are BCP 47 (`en`, `vi`, `zh-Hans`, `zh-Hant`, `ne`), `und` when the text is too short
// or unclear. Pure, no I/O.
import { HANT_TO_HANS } from '../normalize/hant-table.js';
import { francTop } from './trigrams.js';

/** What the detector says of a posting: a language code, and the main writing system's letters. */
export interface LanguageGuess {
  lang: string;
  /** Letters of the main writing system looked at (a confidence proxy: short texts say little). */
  letters: number;
}

/** Writing systems told apart by code point range; each maps to a language or to franc's choice. */
type ScriptName =
  | 'latin'
  | 'han'
  | 'kana'
  | 'hangul'
  | 'thai'
  | 'lao'
  | 'khmer'
  | 'myanmar'
  | 'bengali'
  | 'devanagari'
  | 'cyrillic'
  | 'arabic'
  | 'tamil'
  | 'sinhala'
  | 'ethiopic'
  | 'gujarati'
  | 'gurmukhi'
  | 'telugu'
  | 'kannada'
  | 'malayalam'
  | 'greek'
  | 'hebrew'
  | 'georgian'
  | 'armenian'
  | 'tibetan';

const RANGES: ReadonlyArray<[number, number, ScriptName]> = [
  [0x41, 0x5a, 'latin'],
  [0x61, 0x7a, 'latin'],
  [0xc0, 0x24f, 'latin'],
  [0x1e00, 0x1eff, 'latin'],
  [0x370, 0x3ff, 'greek'],
  [0x400, 0x52f, 'cyrillic'],
  [0x531, 0x58f, 'armenian'],
  [0x591, 0x5f4, 'hebrew'],
  [0x600, 0x6ff, 'arabic'],
  [0x750, 0x77f, 'arabic'],
  [0x900, 0x97f, 'devanagari'],
  [0x980, 0x9ff, 'bengali'],
  [0xa00, 0xa7f, 'gurmukhi'],
  [0xa80, 0xaff, 'gujarati'],
  [0xb80, 0xbff, 'tamil'],
  [0xc00, 0xc7f, 'telugu'],
  [0xc80, 0xcff, 'kannada'],
  [0xd00, 0xd7f, 'malayalam'],
  [0xd80, 0xdff, 'sinhala'],
  [0xe00, 0xe7f, 'thai'],
  [0xe80, 0xeff, 'lao'],
  [0xf00, 0xfff, 'tibetan'],
  [0x1000, 0x109f, 'myanmar'],
  [0x10a0, 0x10ff, 'georgian'],
  [0x1100, 0x11ff, 'hangul'],
  [0x1200, 0x139f, 'ethiopic'],
  [0x1780, 0x17ff, 'khmer'],
  [0x19e0, 0x19ff, 'khmer'],
  [0x3040, 0x30ff, 'kana'],
  [0x3130, 0x318f, 'hangul'],
  [0x31f0, 0x31ff, 'kana'],
  [0x3400, 0x4dbf, 'han'],
  [0x4e00, 0x9fff, 'han'],
  [0xa960, 0xa97f, 'hangul'],
  [0xaa60, 0xaa7f, 'myanmar'],
  [0xac00, 0xd7af, 'hangul'],
  [0xf900, 0xfaff, 'han'],
  [0xff66, 0xff9d, 'kana'],
];

/** Script of each BMP code unit, looked up once: index into SCRIPT_NAMES, 0 for none. */
const SCRIPT_NAMES: ScriptName[] = [];
const SCRIPT_OF = new Uint8Array(0x10000);
for (const [from, to, name] of RANGES) {
  let index = SCRIPT_NAMES.indexOf(name);
  if (index < 0) index = SCRIPT_NAMES.push(name) - 1;
  SCRIPT_OF.fill(index + 1, from, to + 1);
}

/** Scripts that name their language outright. */
const ONE_LANGUAGE: Partial<Record<ScriptName, string>> = {
  hangul: 'ko',
  thai: 'th',
  lao: 'lo',
  khmer: 'km',
  myanmar: 'my',
  bengali: 'bn',
  tamil: 'ta',
  sinhala: 'si',
  gujarati: 'gu',
  gurmukhi: 'pa',
  telugu: 'te',
  kannada: 'kn',
  malayalam: 'ml',
  greek: 'el',
  hebrew: 'he',
  georgian: 'ka',
  armenian: 'hy',
  tibetan: 'bo',
  ethiopic: 'am',
};

/**
 * Where one script serves several languages: the franc (ISO 639-3) languages to choose among and
 * their codes here. Limited to languages job ads in this field are written in, so a short English
 * ad is not taken for Scots or a Malay one for Javanese.
 */
const CHOICES: Partial<Record<ScriptName, Record<string, string>>> = {
  latin: { eng: 'en', spa: 'es', por: 'pt', fra: 'fr', deu: 'de', ind: 'id', zlm: 'ms', tgl: 'tl', swh: 'sw', tur: 'tr', uzn: 'uz' },
  devanagari: { hin: 'hi', npi: 'ne', mar: 'mr' },
  cyrillic: { rus: 'ru', ukr: 'uk', kaz: 'kk', kir: 'ky', tgk: 'tg', uzn: 'uz' },
  arabic: { arb: 'ar', urd: 'ur', pes: 'fa', pbu: 'ps' },
};

/** Characters found only in Traditional or only in Simplified Chinese text. */
const TRADITIONAL = new Uint8Array(0x10000);
const SIMPLIFIED = new Uint8Array(0x10000);
for (let k = 0; k + 1 < HANT_TO_HANS.length; k += 2) {
  TRADITIONAL[HANT_TO_HANS.charCodeAt(k)] = 1;
  SIMPLIFIED[HANT_TO_HANS.charCodeAt(k + 1)] = 1;
}
// A character in both lists (a Simplified form that is also some other character's Traditional one) says nothing.
for (let c = 0; c < 0x10000; c++) if (TRADITIONAL[c] && SIMPLIFIED[c]) TRADITIONAL[c] = SIMPLIFIED[c] = 0;

/**
 * Words that job ads in one Latin-script language use and its neighbours do not. Trigram profiles
 * are built from running prose and lean on function words, so they mistake terse or
 * stopword-stripped ads (a job board's title, "customer service free visa contact telegram") for
 * French or Afrikaans; and Indonesian and Malay share most trigrams but not these words.
 */
const CUE_WORDS: Record<string, string> = {
  en: 'experience work team company job jobs salary apply required skills customer service position positions looking working management business years support please contact hiring staff office ability strong knowledge opportunity responsibilities requirements candidates candidate benefits employees sales manager excellent the and of to for with from our your you we are is will this that month wanted available home based customers develop contract project able want in',
  es: 'experiencia trabajo empresa salario sueldo buscamos requisitos empleo puesto para con los las una del somos ofrecemos zona horario',
  pt: 'experiência trabalho empresa salário vaga requisitos emprego não você são também benefícios',
  fr: 'expérience travail poste entreprise salaire nous vous avec pour dans les des une candidature compétences emploi recrutement',
  de: 'erfahrung arbeit unternehmen gehalt wir sie und mit für stelle bewerbung kenntnisse',
  id: 'rp ribu perusahaan uang bisa saja karena lamaran lamar karyawan lowongan kantor pelamar gratis ditanggung tersedia memiliki paspor pelatihan mengetik harus biaya usia minimal langsung berangkat diurus punya kak kesehatan paruh',
  ms: 'rm syarikat wang boleh sahaja kerana jawatan kosong percuma majikan permohonan berminat sila kelayakan elaun yuran kilang tugasan dahulu pelaburan akaun penalti kesihatan sambilan menaip mesti umur bayaran pasport latihan',
  tl: 'trabaho kumpanya sahod ang mga ng para hindi lang kailangan libre naman kayo natin sila libreng sa buwan buwanang sweldo pamasahe tirahan pagkain',
  sw: 'kazi kampuni mshahara kwa nafasi uzoefu tuma bure wasiliana katika ambao pamoja mwombaji',
};
const CUES = new Map<string, string>();
for (const [lang, words] of Object.entries(CUE_WORDS)) for (const word of words.split(' ')) CUES.set(word, lang);
const LATIN_WORD = /[a-zà-ɏḀ-ỿ]+/g;

/** Cue words per language in a sample. */
function cueCounts(sample: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of sample.toLowerCase().match(LATIN_WORD) ?? []) {
    const lang = CUES.get(word);
    if (lang !== undefined) counts.set(lang, (counts.get(lang) ?? 0) + 1);
  }
  return counts;
}

/** Letters only Vietnamese writes (ơ ư đ ă and the tone marks of the Latin Extended Additional block). */
const VIETNAMESE = /[ơưđăƠƯĐĂ\u1EA0-\u1EF9]/g;

/**
 * A Latin-script sample's language: Vietnamese by its letters; else franc's best trigram match,
 * unless cue words say otherwise (franc's best has none, another candidate has two or more and at
 * least as many as any other: on a tie the one named first), or Indonesian and Malay, which cue
 * words tell apart better than trigrams.
 */
function latinLanguage(sample: string, letters: number, choices: Record<string, string>): string {
  const vietnamese = sample.match(VIETNAMESE)?.length ?? 0;
  if (vietnamese >= Math.max(2, letters * 0.03)) return 'vi';
  const top = francTop(sample, Object.keys(choices), MIN_LETTERS);
  const picked = top !== 'und' ? choices[top] : undefined;
  const cues = cueCounts(sample);
  let cueBest: string | undefined;
  let cueMost = 0;
  let tie = false;
  for (const [lang, n] of cues) {
    if (n > cueMost) [cueBest, cueMost, tie] = [lang, n, false];
    else if (n === cueMost) tie = true;
  }
  if (cueBest !== undefined) {
    if (!tie && (picked === 'id' || picked === 'ms') && (cueBest === 'id' || cueBest === 'ms')) return cueBest;
    // Franc's pick has none of its cue words and another language has two or more: that language,
    // or, where two tie (Taglish: "customer service" and "libreng pamasahe"), the one whose cue
    // words come first in the text rather than a third language neither names.
    if (cueMost >= 2 && (picked === undefined || (cues.get(picked) ?? 0) === 0)) return cueBest;
  }
  return picked ?? 'und';
}

/** Text looked at: enough for a trigram profile, little enough to stay cheap on long ads. */
const SAMPLE = 1500;
/** Fewer letters than this in the main script and the language is `und`. */
const MIN_LETTERS = 12;

/** Contact details, links and numbers say nothing of the language and mislead trigram profiles. */
const NOISE = /(?:https?:\/\/|www\.)\S+|\S+@\S+|@\w+|[\d+()./:-]{3,}/g;

/** The sample of a posting that language is read from: title and body first, then the other text fields. */
export function languageSample(fields: Readonly<Record<string, string>>): string {
  let sample = '';
  const add = (value: string | undefined): void => {
    if (value === undefined || sample.length >= SAMPLE) return;
    sample += `${value.slice(0, SAMPLE - sample.length)}\n`;
  };
  add(fields.title);
  add(fields.description);
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'title' || name === 'description' || name === 'url' || name === 'id' || /url|link|email|phone|date|salary/i.test(name)) continue;
    add(value);
  }
  return sample;
}

/** The language of a text. */
export function detectLanguage(text: string): LanguageGuess {
  const clean = text.length > SAMPLE * 2 ? text.slice(0, SAMPLE * 2) : text;
  const tally = new Array<number>(SCRIPT_NAMES.length + 1).fill(0);
  let traditional = 0;
  let simplified = 0;
  for (let i = 0; i < clean.length; i++) {
    const code = clean.charCodeAt(i);
    const script = SCRIPT_OF[code]!;
    if (script === 0) continue;
    tally[script]!++;
    traditional += TRADITIONAL[code]!;
    simplified += SIMPLIFIED[code]!;
  }
  // Kana and Han together are Japanese; Han alone is Chinese.
  const kana = tally[SCRIPT_NAMES.indexOf('kana') + 1]!;
  const hanIndex = SCRIPT_NAMES.indexOf('han') + 1;
  const han = tally[hanIndex]!;
  let best = 0;
  for (let s = 1; s < tally.length; s++) if (tally[s]! > tally[best]!) best = s;
  const main = best === 0 ? undefined : SCRIPT_NAMES[best - 1]!;
  if (main === undefined) return { lang: 'und', letters: 0 };
  if (main === 'han' || main === 'kana') {
    // A few kana in Chinese text (a brand, a loan) do not make it Japanese; one CJK letter in twelve does.
    if (kana >= Math.max(3, 0.08 * (kana + han))) return { lang: 'ja', letters: kana + han };
    const letters = han;
    if (letters < 4) return { lang: 'und', letters };
    return { lang: traditional > simplified ? 'zh-Hant' : 'zh-Hans', letters };
  }
  const letters = tally[best]!;
  const single = ONE_LANGUAGE[main];
  if (single !== undefined) return { lang: letters >= 2 ? single : 'und', letters };
  const choices = CHOICES[main];
  if (choices === undefined || letters < MIN_LETTERS) return { lang: 'und', letters };
  const sample = clean.replace(NOISE, ' ');
  if (main === 'latin') return { lang: latinLanguage(sample, letters, choices), letters };
  const top = francTop(sample, Object.keys(choices), MIN_LETTERS);
  const code = top !== 'und' ? choices[top] : undefined;
  return { lang: code ?? 'und', letters };
}

/** The language of a posting's text fields. */
export function postingLanguage(fields: Readonly<Record<string, string>>): LanguageGuess {
  return detectLanguage(languageSample(fields));
}

/**
 * Languages whose training data serves each other: Indonesian and Malay share most of their
 * vocabulary, and Traditional Chinese is folded to Simplified before the model sees it.
 */
const GROUPS: ReadonlyArray<readonly string[]> = [
  ['id', 'ms'],
  ['zh-Hans', 'zh-Hant'],
];

/** The languages counted together with `lang` (itself included). */
export function languageGroup(lang: string): readonly string[] {
  return GROUPS.find((group) => group.includes(lang)) ?? [lang];
}
