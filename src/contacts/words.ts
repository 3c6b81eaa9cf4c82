// The words around a contact: chat apps by name (and by the look-alikes ads write to slip past
// filters: 威信, vx, tele, wsap), words that say "phone", and words that say a number is something
// else (an account, an id, a postcode). Matched on folded text (src/normalize), so spelled-out
// letters (T e l e g r a m), leet, look-alike Cyrillic letters and full-width forms are already
// undone, and 📞 reads as "phone".
import { PhraseMatcher } from './phrases.js';
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

/** Digit words ("zero", "satu", "một"): two in a row send a text to the spelled-out-number reader. */
const DIGIT_WORDS = new Set(
  'zero one two three four five six seven eight nine cero uno dos tres cuatro cinco seis siete ocho nueve nol kosong satu dua tiga empat lima enam tujuh delapan lapan sembilan isa dalawa tatlo apat anim pito walo siyam không một hai ba bốn tư năm lăm sáu bảy bẩy tám chín'.split(
    ' ',
  ),
);

let matcher: PhraseMatcher<CueWord> | undefined;

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
  matcher ??= new PhraseMatcher(
    ENTRIES.flatMap(([words, cue]) => words.map((word) => [word, cue] as const)),
    DIGIT_WORDS,
  );
  let digitWords = false;
  let lastDigitEnd = -10;
  const cues = matcher
    .find(folded, (word, at) => {
      if (at - lastDigitEnd <= 3) digitWords = true;
      lastDigitEnd = at + word.length;
    })
    .map(({ value, start, end, text }) => ({ cue: value, start, end, word: text }));
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
