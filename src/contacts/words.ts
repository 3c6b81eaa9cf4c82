// The words around a contact: chat apps by name (and by the look-alikes ads write to slip past
// filters: 威信, vx, tele, wsap), words that say "phone", and words that say a number is something
// else (an account, an id, a postcode). Matched on folded text (src/normalize), so spelled-out
// letters (T e l e g r a m), leet, look-alike Cyrillic letters and full-width forms are already
// undone, and 📞 reads as "phone".
import type { ContactApp } from './types.js';

export interface CueWord {
  /** The app it names, or none (a phone word). */
  app?: ContactApp;
  /** A word that says the number after it is a phone (apps that run on phone numbers say so too). */
  phone: boolean;
  /** Says the number after it is NOT a phone: an account, id, postcode, reference. */
  negative?: boolean;
  /** A look-alike of the app's name (recorded as obfuscation). */
  lookalike?: boolean;
  /** An everyday word too (line, signal, wa, tele, 微, 飞机): a cue only right before what it names, after a separator. */
  weak?: boolean;
}

type Entry = [words: string[], cue: CueWord];

const ENTRIES: Entry[] = [
  // Telegram
  [['telegram', 'телеграм', 'телеграмм', '电报', '텔레그램', 'テレグラム', 'เทเลแกรม', 'តេឡេក្រាម', 'टेलीग्राम', 'টেলিগ্রাম'], { app: 'telegram', phone: false }],
  [
    [
      'telegrm',
      'telegarm',
      'telegam',
      'telgram',
      'teleqram',
      'telegran',
      'tlgrm',
      'telegr',
      'teleg',
      'เท-เล-แกรม',
      'เท เล แกรม',
      'เทเล',
      '纸飞机',
      '小飞机',
      '飞机号',
    ],
    { app: 'telegram', phone: false, lookalike: true },
  ],
  [['tele', 'tg', 't.g', 't.g.', 'tgm', '飞机', '飛機'], { app: 'telegram', phone: false, lookalike: true, weak: true }],
  // WhatsApp
  [
    ['whatsapp', 'whats app', 'whatsapp id', 'واتساب', 'वॉट्सऐप', 'व्हाट्सएप', 'व्हाट्सऐप', 'হোয়াটসঅ্যাপ', '왓츠앱', 'ワッツアップ', 'วอทส์แอพ', 'วอทส์แอป', 'วอทสแอป'],
    { app: 'whatsapp', phone: true },
  ],
  [
    ['whatsap', 'whatapp', 'whatsaap', 'watsapp', 'watsap', 'wasap', 'wassap', 'wsap', 'wazap', 'whtsapp', 'whatssapp', 'whatsup'],
    { app: 'whatsapp', phone: true, lookalike: true },
  ],
  [['wa', 'w/a', 'w.a', 'ws', 'wsp', 'wapp'], { app: 'whatsapp', phone: true, lookalike: true, weak: true }],
  // LINE
  [['line id', 'lineid', 'line@', 'ไลน์', 'ไลน์ไอดี', 'ไอดีไลน์', '라인', 'ライン', 'ライン id'], { app: 'line', phone: false }],
  [['line'], { app: 'line', phone: false, weak: true }],
  [['ln'], { app: 'line', phone: false, lookalike: true, weak: true }],
  // WeChat
  [['wechat', 'weixin', 'wechat id', '微信', '微信号', '위챗', 'ウィーチャット'], { app: 'wechat', phone: false }],
  [['威信', '薇信', 'v信', '徽信', '微xin', 'wei xin', 'we chat', '围信', '卫信', '喂信', 'vx号', 'wx号'], { app: 'wechat', phone: false, lookalike: true }],
  [['vx', 'wx', '微'], { app: 'wechat', phone: false, lookalike: true, weak: true }],
  // Signal, Viber, Zalo, KakaoTalk
  [['signal'], { app: 'signal', phone: true, weak: true }],
  [['viber', 'вайбер', 'ваибер'], { app: 'viber', phone: true }],
  [['zalo', 'ज़ालो'], { app: 'zalo', phone: true }],
  [['za lo', 'zalö', 'zl'], { app: 'zalo', phone: true, lookalike: true, weak: true }],
  [['kakaotalk', 'kakao talk', 'kakao', 'kakao id', '카카오톡', '카카오', '카톡', 'カカオトーク'], { app: 'kakaotalk', phone: false }],
  [['kkt', 'katalk', 'ka톡'], { app: 'kakaotalk', phone: false, lookalike: true, weak: true }],
  // Phone words
  [
    [
      'phone',
      'phone number',
      'phone no',
      'tel',
      'tel.',
      'telephone',
      'telp',
      'telepon',
      'mobile',
      'mobile no',
      'mob',
      'mob.',
      'cell',
      'cellphone',
      'cell phone',
      'call',
      'call us',
      'call me',
      'calling',
      'hotline',
      'contact',
      'contacts',
      'contact number',
      'contact no',
      'sms',
      'text',
      'dial',
      'ph',
      'hp',
      'no hp',
      'no. hp',
      'nomor',
      'nomor hp',
      'kontak',
      'hubungi',
      'sđt',
      'sdt',
      'đt',
      'đtdđ',
      'điện thoại',
      'dien thoai',
      'liên hệ',
      'lien he',
      'lh',
      'gọi',
      'hotline/zalo',
      '电话',
      '手机',
      '手机号',
      '联系',
      '联系方式',
      '热线',
      '致电',
      '拨打',
      '来电',
      '号码',
      '电联',
      '联络',
      '携带',
      '电话番号',
      'โทร',
      'เบอร์',
      'ติดต่อ',
      'ទូរស័ព្ទ',
      'ទំនាក់ទំនង',
      'លេខ',
      'ဖုန်း',
      'ဆက်သွယ်',
      'ໂທ',
      'ຕິດຕໍ່',
      '전화',
      '연락',
      '연락처',
      '휴대폰',
      '핸드폰',
      'फोन',
      'फ़ोन',
      'मोबाइल',
      'संपर्क',
      'ফোন',
      'মোবাইল',
      'যোগাযোগ',
      'simu',
      'piga',
      'namba',
      'celular',
      'teléfono',
      'telefono',
      'tlf',
      'móvil',
      'movil',
      'contacto',
      'llamar',
      'llame',
      'fax',
      'телефон',
    ],
    { phone: true },
  ],
  // Numbers that are something else
  [
    [
      'id',
      'job id',
      'ref',
      'ref.',
      'reference',
      'code',
      'mã',
      'ma so',
      'mã số',
      'zip',
      'zip code',
      'postcode',
      'post code',
      'postal',
      'postal code',
      'pin code',
      'kode pos',
      '邮编',
      '编号',
      '工号',
      '单号',
      'account',
      'acc',
      'a/c',
      'account no',
      'bank',
      'stk',
      'số tài khoản',
      'tài khoản',
      'rekening',
      'norek',
      'no rek',
      '账号',
      '账户',
      '卡号',
      '银行',
      'iban',
      'swift',
      'license',
      'licence',
      'license no',
      'reg',
      'registration',
      'passport',
      'nik',
      'npwp',
      'ktp',
      'mst',
      'mã số thuế',
      'tax',
      'vat',
      'invoice',
      'order',
      'isbn',
      'doi',
      'issn',
    ],
    { phone: false, negative: true },
  ],
];

/** Cues by their folded spelling with white space and dots taken out ("whats app" → "whatsapp"). */
const BY_WORD = new Map<string, CueWord>();
for (const [words, cue] of ENTRIES) for (const word of words) if (!BY_WORD.has(squash(word))) BY_WORD.set(squash(word), cue);

function squash(word: string): string {
  return word.replace(/[\s.]/g, '');
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const LATIN_WORD = /^[\p{Script=Latin}0-9 ./@-]+$/u;
/** Letters of Latin-script words in folded text (lower case): ASCII, Latin-1 and Latin Extended, Vietnamese. */
const LATIN_LETTERS = 'a-z\\u00c0-\\u024f\\u1e00-\\u1eff';
const TOKEN = new RegExp(`[${LATIN_LETTERS}]+`, 'g');
const NOT_LATIN = /[^\x00-\u024f\u1e00-\u1eff\u2000-\u206f]/;

/** Digit words ("zero", "satu", "một"): two in a row send a text to the spelled-out-number reader. */
const DIGIT_WORDS = new Set(
  'zero one two three four five six seven eight nine cero uno dos tres cuatro cinco seis siete ocho nueve nol kosong satu dua tiga empat lima enam tujuh delapan lapan sembilan isa dalawa tatlo apat anim pito walo siyam không một hai ba bốn tư năm lăm sáu bảy bẩy tám chín'.split(
    ' ',
  ),
);

interface Matchers {
  /** Latin-script cues by their first word: sticky regexes tried longest first. */
  byFirst: Map<string, RegExp[]>;
  /** Cues in other scripts by their first unit, longest first (substrings: these scripts do not space words). */
  otherByFirst: Map<number, string[]>;
  /** 1 for a unit some other-script cue starts with. */
  otherFirst: Uint8Array;
}

let matchers: Matchers | undefined;

/**
 * Latin-script cues are found by reading the text word by word and trying the cues that start
 * with each word (a sticky regex each): one pass, where an alternation of every cue with its
 * boundaries cost several times more. A space in a cue matches one space or none, a dot an
 * optional dot; a cue ends where letters end (digits may follow: "wa0812...").
 */
function buildMatchers(): Matchers {
  const words = [...new Set(ENTRIES.flatMap(([list]) => list))].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const byFirst = new Map<string, RegExp[]>();
  const otherByFirst = new Map<number, string[]>();
  const otherFirst = new Uint8Array(0x10000);
  for (const word of words) {
    if (!LATIN_WORD.test(word)) {
      // A space in the cue may be there or not.
      for (const form of new Set([word, word.replace(/ /g, '')])) {
        const first = form.charCodeAt(0);
        otherFirst[first] = 1;
        const list = otherByFirst.get(first) ?? [];
        list.push(form);
        otherByFirst.set(
          first,
          list.sort((a, b) => b.length - a.length),
        );
      }
      continue;
    }
    const first = new RegExp(`[${LATIN_LETTERS}]+`).exec(word)?.[0];
    if (!first || !word.startsWith(first)) continue;
    const body = escapeRegex(word).replace(/ /g, ' ?').replace(/\\\./g, '\\.?');
    const list = byFirst.get(first) ?? [];
    list.push(new RegExp(`${body}(?![${LATIN_LETTERS}])`, 'y'));
    byFirst.set(first, list);
  }
  return { byFirst, otherByFirst, otherFirst };
}

export interface CueAt {
  cue: CueWord;
  /** Offsets in the folded text. */
  start: number;
  end: number;
  word: string;
}

export interface CueScan {
  cues: CueAt[];
  /** Two digit words in a row somewhere ("zero eight"): worth looking for a spelled-out number. */
  digitWords: boolean;
}

/** Every cue word in a folded text, in order, and whether digit words come in a row. */
export function scanCues(folded: string): CueScan {
  matchers ??= buildMatchers();
  const { byFirst, otherByFirst, otherFirst } = matchers;
  const cues: CueAt[] = [];
  let digitWords = false;
  let lastDigitEnd = -10;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(folded); m !== null; m = TOKEN.exec(folded)) {
    const token = m[0];
    if (DIGIT_WORDS.has(token)) {
      if (m.index - lastDigitEnd <= 3) digitWords = true;
      lastDigitEnd = m.index + token.length;
    }
    const candidates = byFirst.get(token);
    if (!candidates) continue;
    for (const re of candidates) {
      re.lastIndex = m.index;
      const hit = re.exec(folded);
      if (!hit) continue;
      const cue = BY_WORD.get(squash(hit[0]));
      if (cue) cues.push({ cue, start: m.index, end: m.index + hit[0].length, word: hit[0] });
      TOKEN.lastIndex = Math.max(TOKEN.lastIndex, m.index + hit[0].length);
      break;
    }
  }
  if (NOT_LATIN.test(folded)) {
    const more: CueAt[] = [];
    for (let i = 0; i < folded.length; i++) {
      const c = folded.charCodeAt(i);
      if (otherFirst[c] === 0) continue;
      for (const word of otherByFirst.get(c)!) {
        if (!folded.startsWith(word, i)) continue;
        const cue = BY_WORD.get(squash(word));
        if (cue) more.push({ cue, start: i, end: i + word.length, word });
        i += word.length - 1;
        break;
      }
    }
    if (more.length > 0) {
      cues.push(...more);
      cues.sort((a, b) => a.start - b.start);
    }
  }
  return { cues, digitWords };
}

/** Every cue word in a folded text, in order. */
export function findCues(folded: string): CueAt[] {
  return scanCues(folded).cues;
}

/** Whether a word is a digit spelled out ("zero", "satu", "một"). */
export function isDigitWord(word: string): boolean {
  return DIGIT_WORDS.has(word);
}

/** The cue a run of letters glued to a number spells ("tel0812...", "wa:"), if any. */
export function cueOfWord(word: string): CueWord | undefined {
  return BY_WORD.get(squash(word.toLowerCase()));
}
