// Denials: the clauses of a posting that say what it does NOT ask for. Ordinary ads and the
// look-alikes of job scams (survey panels, paid courses, real work from home, commission sales)
// write "we will never ask you to pay a fee, buy gift cards or share your banking PIN", "No joining
// fee", "不收取任何费用，也不需要垫付", "Hakuna ada ya kujiunga", "আমরা কখনো বিকাশ পিন চাই না". A job-scam
// rule that reads "pay a fee", "gift cards" or "বিকাশ পিন" there reads the opposite of what the ad
// says. A rule that is `negatable` (every job-scam pattern rule unless it says otherwise, see
// docs/rule-format.md "Denials") passes over a match that lies inside a denial and looks on.
//
// A denial is a negation cue and its scope, as NegEx (Chapman et al. 2001) finds them in clinical
// notes:
// - after a cue that comes first (English "never ask", "no", Chinese 不收, Vietnamese không, Malay
//   tiada, Swahili hakuna), the scope runs on to the end of the clause: a sentence mark, a line
//   break, a list bullet, or a word that turns the sentence ("but", "only", "just", 但, 只, chỉ,
//   hanya, ila). A bare "no" or "without" reaches only a few words and stops at a comma, so "No
//   experience needed, deposit 500k" still asks for the deposit;
// - before a cue that comes last (Japanese ません, Korean 않습니다, Hindi नहीं, Bengali না, Burmese
//   မ...ပါ), the scope reaches back a short way, to the clause start.
// A match is denied when it starts inside a scope after a first cue, or lies inside a scope before
// a last cue; a match that holds a negation of its own ("no interview", "tak perlu JLPT", "면접
// 없음") is never denied, as the rule meant it.
//
// Scams deny too ("no registration fee, only a refundable deposit of 500k"): the turning words end
// the scope there, and only the words inside it are passed over; the deposit still counts.
//
// An ask reported of others is held the same way: a scammer, syndicate or suspect named as the one
// who asks ("scammers then ask victims to pay a deposit", 不法分子要求受害人缴纳保证金), or victims as
// the ones asked ("victims were told to buy gift cards"). The agent is the cue (`REPORTED`).
//
// Patterns run on the folded text (lower case, NFKC, Traditional Chinese folded to Simplified), in
// which line breaks are spaces: `denialText` puts them back, from the map to the original.
import type { NormalizedText } from '../normalize/index.js';

/** Where a denial's scope lies in a field's folded text: [start, end), and whether its cue comes last. */
interface DenialScope {
  start: number;
  end: number;
  /** The cue comes after the scope (Japanese, Korean, Hindi, Bengali, Nepali, Burmese). */
  cueLast: boolean;
  /** Where the cue itself is. */
  cueStart: number;
  cueEnd: number;
}

/** What ends a clause: sentence marks (a dot not between digits), line breaks, list bullets and symbols. */
const END = String.raw`[!?;\n。！？；।॥။។•·▪►■□◆◇●○★☆✓✔✅❌❗⚠→|]|\.(?!\d)|\s[-–—*/]\s|\p{Extended_Pictographic}`;
/** Clause ends, and a comma too, for the short scopes of a bare "no". */
const END_OR_COMMA = String.raw`${END}|[,、，:：]`;

/**
 * Words that turn a sentence: what follows them is no longer denied. Whole words in spaced scripts,
 * substrings in Chinese, Japanese, Thai, Lao, Khmer and Burmese. `TURN` adds the words of time
 * ("then", "after", 之后) that end a denial ("no deposit until your first salary, then a 10% fee")
 * but not an ask reported of others ("scammers then ask victims to pay").
 */
function turnWords(time: boolean): RegExp {
  const spaced = [
    // en, es, pt, fr, id/ms, tl, sw, vi, ru
    'but|only|just|except|however|although|though|unless|instead|apart from|other than|pero|solo|sólo|solamente|únicamente|salvo|excepto|mas|só|apenas|somente|exceto|porém|seulement|sauf|hanya|cuma|tapi|tetapi|namun|kecuali|cukup|sahaja|saja|je|lang|lamang|ngunit|maliban|kundi|ila|lakini|isipokuwa|tu|basi|chỉ|nhưng|ngoài|trừ|но|только|лишь|кроме|однако|зато',
    ...(time ? ['then|after|until|before|sau đó|sau khi'] : []),
  ].join('|');
  // hi, bn, ne (spaced, but \b does not see their letters)
  const indic = ['नहीं तो|वरना|तो|लेकिन|परंतु|किंतु|सिर्फ|सिर्फ़|केवल|बस|मात्र|তবে|কিন্তু|শুধু|কেবল|মাত্র|तर', ...(time ? ['बाद|পরে|पछि'] : [])].join('|');
  // zh (folded to Simplified), ja, ko, th, lo, km, my
  const unspaced = [
    '但|只|仅|不过|然而|除了|ただし|だけ|のみ|しかし|でも|하지만|그러나|다만|단,|이외|외에|\\s외\\s|แต่|เพียง|แค่|เท่านั้น|ยกเว้น|ແຕ່|ພຽງ|ແຄ່|ប៉ុន្តែ|តែ|លើកលែង|ပေမဲ့|သော်လည်း|သာ',
    ...(time ? ['之后|以后|然后'] : []),
  ].join('|');
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${spaced})(?![\\p{L}\\p{N}])|(?<![\\p{L}\\p{M}])(?:${indic})(?![\\p{L}\\p{M}])|${unspaced}`, 'gu');
}
const TURN = turnWords(true);
const TURN_CONTRAST = turnWords(false);

/**
 * Cues that come first. The cue is the negation alone (its match); what must follow it for it to
 * count (a verb of asking, charging, paying or sharing) is a lookahead, so the scope starts right
 * after the negation and a rule's match that starts with the verb ("yêu cầu nạp tiền" after
 * "không") lies inside it.
 * - `LONG`: the scope runs to the clause's end, across commas (a list of what is never asked:
 *   "never ask you to pay a fee, buy gift cards, or share your PIN").
 * - `CLAUSE`: to the clause's end or a comma, for the languages whose commas join clauses more than
 *   lists (Chinese, whose full-width comma folds to ",", Vietnamese, Thai, Lao, Khmer).
 * - `SHORT`: a bare "no", "without", 无, a match must start within a couple of words of it.
 */
const ASK_EN = String.raw`(?:ask|charge|collect|request|require|demand|take|accept|want|need)(?:s|ed|ing)?(?![\p{L}])`;
const GIVE_EN = String.raw`(?:pay|send|transfer|share|give|deposit|buy|purchase|top up|rent|sell|lend|open|hand over|disclose|reveal|invest)(?![\p{L}])`;
const FIRST_LONG = [
  // en: "we will never ask you to", "do not charge", "no one will ask", "never pay", "don't send", "no need to pay"
  String.raw`(?:(?<![\p{L}])(?:never|not|no one|nobody)|n't)(?=\s(?:\p{L}+\s){0,3}?${ASK_EN})`,
  String.raw`(?<![\p{L}])no (?:legitimate|genuine|real|reputable|licensed)(?=\s(?:\p{L}+\s){0,3}?(?:will|would|should|can|does)\s(?:\p{L}+\s){0,2}?${ASK_EN})`,
  String.raw`(?:(?<![\p{L}])(?:never|do not|not)|n't)(?=\s(?:ever\s|need to\s|have to\s|be asked to\s)?${GIVE_EN})`,
  String.raw`(?<![\p{L}])(?:no|not)(?=\s(?:need to|required to)\s(?:\p{L}+\s){0,2}?${GIVE_EN})`,
  // es, pt: "nunca pedimos", "no cobramos", "não cobramos", "jamais pediremos", "não pague"
  String.raw`(?<![\p{L}])(?:nunca|jamás|jamais|no|não|nao|tampoco|nem)(?=\s(?:\p{L}+\s){0,2}?(?:pedimos|pedirá|pediremos|pedir|cobramos|cobrará|cobraremos|cobra|cobram|cobrar|solicitamos|solicitaremos|solicitam|exigimos|exige|pide|pedem|pague|pagues|pagar|envíe|envíes|envie|enviar|transfiera|deposite|depositar|compartas|compartilhe|informe)(?![\p{L}]))`,
  // id, ms: "tidak akan meminta", "tidak memungut", "jangan transfer", "tak perlu bayar"
  String.raw`(?<![\p{L}])(?:tidak|tak|takkan|jangan|tanpa|tidak pernah|tak pernah)(?=\s(?:\p{L}+\s){0,2}?(?:meminta|minta|memungut|pungut|mengenakan|kenakan|mengenakan|menarik|bayar|membayar|transfer|mentransfer|memberi|memberikan|berikan|kongsi|kongsikan|serahkan|hantar|kirim|mengirim|deposit|caj|mengecaj)(?![\p{L}]))`,
  // tl: "hindi kami naniningil", "huwag magbayad"
  String.raw`(?<![\p{L}])(?:hindi|huwag|wag|'wag)(?=\s(?:\p{L}+\s){0,2}?(?:naniningil|maniningil|humihingi|hihingi|hihingian|magbayad|magpadala|ibigay|mangolekta|nangongolekta|nagpapabayad|sisingilin|singilin|maningil|mag-?send)(?![\p{L}]))`,
  // sw: "hatutozi ada yoyote", "hatuombi", "usilipe", "usitume pesa", "kamwe"
  String.raw`(?<![\p{L}])(?:hatu(?:ta)?(?:tozi|chukui|ombi|kuomba|kutoza|kudai|dai|lipishi|kulipisha)\p{L}*|hawa(?:tozi|ombi|dai)\p{L}*|usi(?:lipe|tume|toe|weke|shiriki|mpe|mtumie)\p{L}*|msi(?:lipe|tume|toe)\p{L}*|kamwe)(?![\p{L}])`,
  // ru: "никогда не просим", "не берём", "не переводите", "не сообщайте"
  String.raw`(?<![\p{L}])(?:никогда не|ни в коем случае не|не)(?=\s(?:\p{L}+\s){0,1}?(?:прос|бер|взима|требу|потребу|запраш|перевод|сообща|плат|оплач|вноси|внос|покупа|переда)\p{L}*)`,
];
const FIRST_CLAUSE = [
  // vi: "không bao giờ yêu cầu", "không thu", "đừng chuyển", "không cần đóng"
  String.raw`(?<![\p{L}])(?:tuyệt đối không|không|chẳng|đừng|chưa)(?=(?:\s(?:bao giờ|hề|cần|phải))?\s(?:\p{L}+\s){0,1}?(?:yêu cầu|thu|đòi|đóng|nộp|chuyển|nạp|đặt cọc|mua|cung cấp|gửi|trả|lấy|bắt)(?![\p{L}]))`,
  // zh (Traditional folds to Simplified; Cantonese): 不会要求, 绝不收取, 不收, 不要转账, 不需要垫付, 唔使俾钱
  String.raw`(?:绝|决|从来|从|永远|千万|切|请)?(?:不|勿|别|唔|冇|无)(?=(?:会|再|得|要|用|需要|需|须|必|使|驶|好)?(?:会|再)?(?:向\p{Script=Han}{1,3}|以任何\p{Script=Han}{2,4}|\s)?(?:要求|收取|收|索取|索要|收费|缴纳|交|缴|付|支付|垫付|垫钱|转账|汇款|充值|购买|买|提供|透露|告诉|出租|出借|出售|借|俾|畀))`,
  // th, lo, km: ไม่เก็บ, ไม่ต้องจ่าย, อย่าโอน; ບໍ່ເກັບ, ຢ່າໂອນ; មិនគិតថ្លៃ, កុំផ្ញើ
  String.raw`(?:ไม่|อย่า|ห้าม)(?=(?:มีการ|ต้อง|เคย)?\s?(?:เรียก|เก็บ|จ่าย|โอน|ชำระ|เสีย|ซื้อ|ให้|บอก|เปิดบัญชี|มัดจำ|วางเงิน))`,
  String.raw`(?:ບໍ່|ຢ່າ|ຫ້າມ)(?=(?:ຕ້ອງ)?\s?(?:ເກັບ|ຈ່າຍ|ໂອນ|ຊື້|ໃຫ້|ບອກ|ມັດຈຳ|ເສຍ))`,
  String.raw`(?:មិន|កុំ|ហាម)(?=(?:ដែល|ត្រូវ)?\s?(?:គិតថ្លៃ|យក|ទារ|ស្នើ|បង់|ផ្ញើ|ផ្ទេរ|ទិញ|ផ្ដល់|ផ្តល់|ប្រាប់))`,
];

/**
 * Asks reported of others: a scammer, a syndicate or a suspect as the one who asks ("scammers ask
 * victims to pay a deposit", "不法分子要求受害人缴纳保证金", "các đối tượng yêu cầu bị hại nạp tiền",
 * "penipu meminta korban transfer", "사기범들은 피해자에게 보증금을 요구"), or victims as the ones
 * asked ("victims were told to buy gift cards", "受害人被要求"). An offer never calls its own
 * recruiter a scammer; a report or an advisory says little else. The cue is the agent (or the
 * victims), and the scope runs to the clause's end, as a denial's does.
 */
const AGENT_EN = String.raw`(?:scammers?|fraudsters?|con ?artists?|criminals?|syndicates?|traffickers?|suspects?|perpetrators?|offenders?|the gang|fake recruiters?|bogus recruiters?|fake agents?|illegal recruiters?)`;
const REPORTED = [
  String.raw`(?<![\p{L}])${AGENT_EN}(?=\s(?:(?:would|will|then|often|usually|typically|normally|also|later|first|allegedly|reportedly|may|might|can)\s){0,2}(?:ask|asks|asked|asking|tell|tells|told|require|requires|required|demand|demands|demanded|request|requests|requested|instruct|instructs|instructed|make|makes|made|force|forces|forced|direct|directs|directed|lure|lures|lured|convince|convinces|convinced|persuade|persuades|persuaded|promise|promises|promised|offer|offers|offered|get|gets|got|trick|tricks|tricked)(?![\p{L}]))`,
  String.raw`(?<![\p{L}])(?:victims?|the victim|targets|applicants|jobseekers|job seekers|those who applied|recruits)(?=\s(?:\p{L}+\s){0,2}(?:are|were|was|is|get|got|had been|have been|will be)\s(?:then\s|later\s|often\s|usually\s|first\s)?(?:asked|told|required|instructed|made|forced|directed|persuaded|convinced|tricked|lured|pressured)(?![\p{L}]))`,
  // es, pt: "los estafadores piden", "golpistas pedem", "as vítimas são orientadas a"
  String.raw`(?<![\p{L}])(?:(?:los |las |os |as )?(?:estafadores|delincuentes|criminales|golpistas|criminosos|fraudadores|bandidos|falsos reclutadores|falsos recrutadores))(?=\s(?:\p{L}+\s){0,2}?(?:piden|pedían|solicitan|exigen|obligan|convencen|ofrecen|prometen|pedem|pediam|solicitam|exigem|obrigam|convencem|oferecem|prometem|mandam|orientam)(?![\p{L}]))`,
  // id, ms, tl, sw: "penipu meminta", "sindiket meminta mangsa", "ang mga scammer ay", "matapeli huwataka"
  String.raw`(?<![\p{L}])(?:para penipu|penipu|pelaku|sindikat|sindiket|scammer|kumpulan penipu|mga scammer|mga manloloko|manloloko|sindikato|matapeli|wahalifu|walaghai)(?=\s(?:\p{L}+\s){0,2}?(?:meminta|minta|menyuruh|memaksa|menjanjikan|mengiming-imingi|menawarkan|mengarahkan|humihingi|hihingi|pinapabayad|pinagbabayad|nag-?aalok|nangangako|huwataka|huwaambia|huomba|hudai|huahidi|hutoa|huwalazimisha)(?![\p{L}]))`,
  // ru: "мошенники просят", "злоумышленники предлагают"
  String.raw`(?<![\p{L}])(?:мошенники|злоумышленники|аферисты|преступники|вербовщики|псевдоработодатели)(?=\s(?:\p{L}+\s){0,2}?(?:прос|предлаг|требу|обещ|убежда|заставля|вынужда|предложат|попросят|потребуют)\p{L}*)`,
  // vi: "các đối tượng yêu cầu", "kẻ lừa đảo yêu cầu", "bị hại được yêu cầu"
  String.raw`(?<![\p{L}])(?:các đối tượng|đối tượng|kẻ gian|kẻ lừa đảo|những kẻ|nhóm lừa đảo|băng nhóm)(?=\s(?:\p{L}+\s){0,2}?(?:yêu cầu|bắt|dụ dỗ|dụ|hứa|hướng dẫn|đề nghị|lừa|ép|mời)(?![\p{L}]))`,
  // zh: 骗子要求, 不法分子让, 诈骗分子以…为由要求, 嫌疑人, 受害人被要求
  String.raw`(?:骗子|诈骗分子|不法分子|犯罪分子|嫌疑人|诈骗团伙|犯罪团伙|骗徒|骗局中|歹徒)(?=[^\n。！？!?]{0,16}(?:要求|让|叫|诱导|诱骗|引诱|承诺|许诺|声称|以|会|便|再|先))|(?:受害人|受害者|被害人|事主)(?=[^\n。！？!?]{0,6}被(?:要求|诱导|骗|引诱))`,
  // ko, ja: 사기범들은 ... 요구, 조직은, 범인은; 詐欺グループは, 犯人は
  String.raw`(?:사기범들?|사기꾼들?|범인들?|범죄 ?조직|조직원들?|일당|피의자들?|용의자들?)(?:은|는|이|가|들은)?(?=\s)|(?:诈欺グループ|犯人|犯行グループ|容疑者|诈欺师|犯罪组织|指示役)(?:は|が|側は)`,
  // th, lo, km, my, hi, bn, ne: มิจฉาชีพ(จะ)ให้, แก๊ง; ພວກຫຼອກລວງ; ជនល្មើស; ठग, जालसाज; প্রতারক; ठगहरू
  String.raw`(?:มิจฉาชีพ|แก๊งคอลเซ็นเตอร์|แก๊ง|คนร้าย|ผู้ต้องหา|กลุ่มคนร้าย|ພວກຫຼອກລວງ|ພວກມິດສາຊີບ|ຜູ້ກະທຳຜິດ|ជនល្មើស|ក្រុមឆបោក|អ្នកបោកប្រាស់|လိမ်လည်သူ|ဂိုဏ်း)`,
  String.raw`(?<![\p{L}\p{M}])(?:ठग|ठगों|जालसाज|जालसाजों|साइबर ठग|अपराधी|आरोपी|প্রতারক|প্রতারকরা|প্রতারক চক্র|চক্রটি|ठगहरू|ठगी गिरोह|गिरोह)(?![\p{L}\p{M}])`,
];

/** Bare "no", "without", "free of", 无, ไม่มี: a match must start within a couple of words. */
const FIRST_SHORT = [
  String.raw`(?<![\p{L}])(?:no|zero|without|free of|no hidden|sin|sem|nenhuma|nenhum|ninguna|ningún|ningun|aucun|aucune|sans|tanpa|tiada|tidak ada|tak ada|bebas|walang|hakuna|bila|không có|không|miễn|без|нет|никаких|ни)(?=\s)`,
  String.raw`没有任何|没有|无任何|无|零|免|冇|ไม่มี|ບໍ່ມີ|គ្មាន|ឥត`,
];

/**
 * Cues that come last: the negation alone, the verb before it being inside the scope. Japanese
 * ません but not a question (ありませんか), かまいません (never mind) or すみません; Korean 않/없 but not
 * "if not" (않으면, 없으면); Hindi नहीं but not नहीं तो (otherwise).
 */
const LAST = [
  String.raw`(?<![かま構す済])ません(?!か)|不要|なし|無し|无し|しないで|禁止|(?:ことは|必要は|必要)(?:ない|ありません)`,
  String.raw`않(?!으면|는다면)|없(?!으면|다면|어도|는 ?분)|아닙니다|아님|마세요|마십시오|금지`,
  String.raw`(?<![\p{L}\p{M}])(?:नहीं|नही)(?!\s?तो)(?![\p{L}\p{M}])|(?<![\p{L}\p{M}])(?:मत|छैन|हुँदैन|पर्दैन|लिँदैन\p{L}*|लिदैन\p{L}*|माग्दैन\p{L}*|नगर्नुहोस्|नतिर्नुहोस्|नदिनुहोस्|না(?! হলে)|নেই|নয়|নয়)(?![\p{L}\p{M}])`,
  String.raw`မ(?:ယူ|ပေး|တောင်း|လို|ရှိ|ကောက်|ပို့|လွှဲ)(?:ပါ|ဘူး)`,
];

const FIRST_LONG_RE = new RegExp(FIRST_LONG.join('|'), 'gu');
const FIRST_CLAUSE_RE = new RegExp(FIRST_CLAUSE.join('|'), 'gu');
const FIRST_SHORT_RE = new RegExp(FIRST_SHORT.join('|'), 'gu');
const REPORTED_RE = new RegExp(REPORTED.join('|'), 'gu');
const LAST_RE = new RegExp(LAST.join('|'), 'gu');
const END_RE = new RegExp(END, 'gu');
const END_OR_COMMA_RE = new RegExp(END_OR_COMMA, 'gu');

/** How far a scope reaches at most, in UTF-16 units: a clause after a long cue, a few words after a short one, a phrase before a last one. */
const LONG_REACH = 160;
const CLAUSE_REACH = 80;
const SHORT_REACH = 14;
const LAST_REACH = 24;

/** The first match of a global `re` in text[from, to), or -1 (searched in that stretch alone). */
function nextAt(re: RegExp, text: string, from: number, to: number): number {
  const at = text.slice(from, to).search(re);
  return at < 0 ? -1 : from + at;
}

/** The end of the last match of a global `re` in text[from, to), searched in that stretch alone, or -1. */
function lastEndAt(re: RegExp, text: string, from: number, to: number): number {
  let found = -1;
  for (const m of text.slice(from, to).matchAll(re)) found = from + m.index + m[0].length;
  return found;
}

/**
 * text[from, to) of a field's folded text with each space that stands for a line break of the
 * original put back as "\n" (same length, same offsets from `from`), so a clause ends at a line's
 * end as it does at a full stop.
 */
function denialText(norm: NormalizedText, original: string, from = 0, to = norm.text.length): string {
  const part = norm.text.slice(from, to);
  if (!original.includes('\n') && !original.includes('\r')) return part;
  const { starts, ends } = norm;
  let out = '';
  let at = 0;
  for (let i = part.indexOf(' '); i >= 0; i = part.indexOf(' ', i + 1)) {
    const k = from + i;
    // The collapsed white space this space stands for: from the unit before it to the unit after.
    const gapFrom = k > 0 ? ends[k - 1]! : 0;
    const gapTo = k + 1 < starts.length ? starts[k + 1]! : original.length;
    let br = false;
    for (let c = Math.min(gapFrom, starts[k]!); c < Math.max(gapTo, ends[k]!) && !br; c++) br = original.charCodeAt(c) === 10 || original.charCodeAt(c) === 13;
    if (br) {
      out += `${part.slice(at, i)}\n`;
      at = i + 1;
    }
  }
  return out + part.slice(at);
}

/** The denials of a field's folded text (with its line breaks, see denialText), in order of their cues. */
function denialScopes(text: string): DenialScope[] {
  const scopes: DenialScope[] = [];
  // Every cue pattern matches at least one character, so matchAll never steps over an empty match.
  const first = (re: RegExp, reach: number, ends: RegExp, turns = TURN): void => {
    for (const m of text.matchAll(re)) {
      const start = m.index + m[0].length;
      let end = Math.min(text.length, start + reach);
      const stop = nextAt(ends, text, start, end);
      if (stop >= 0) end = stop;
      const turn = nextAt(turns, text, start, end);
      if (turn >= 0) end = turn;
      if (end > start) scopes.push({ start, end, cueLast: false, cueStart: m.index, cueEnd: start });
    }
  };
  first(FIRST_LONG_RE, LONG_REACH, END_RE);
  first(FIRST_CLAUSE_RE, CLAUSE_REACH, END_OR_COMMA_RE);
  first(FIRST_SHORT_RE, SHORT_REACH, END_OR_COMMA_RE);
  first(REPORTED_RE, LONG_REACH, END_RE, TURN_CONTRAST);
  for (const m of text.matchAll(LAST_RE)) {
    const end = m.index;
    let start = Math.max(0, end - LAST_REACH);
    const stop = lastEndAt(END_OR_COMMA_RE, text, start, end);
    if (stop >= 0) start = stop;
    const turn = lastEndAt(TURN, text, start, end);
    if (turn >= 0) start = turn;
    if (end > start) scopes.push({ start, end, cueLast: true, cueStart: m.index, cueEnd: m.index + m[0].length });
  }
  return scopes;
}

/**
 * Negation words in any of the corpus's languages. A match that holds one reads a negation on
 * purpose ("tak perlu JLPT", "no interview", "면접 없음", "无需经验") and is never denied.
 */
const NEGATION = new RegExp(
  [
    String.raw`(?<![\p{L}])(?:no|not|never|without|zero|sin|sem|nunca|não|nao|tak|tidak|tiada|bukan|tanpa|walang|hindi|huwag|hakuna|bila|không|chẳng|đừng|без|не|нет|ни|никогда)(?![\p{L}])|n't`,
    String.raw`(?<![\p{L}\p{M}])(?:नहीं|नही|बिना|मत|না|নেই|নয়|বিনা)(?![\p{L}\p{M}])`,
    String.raw`不|无|没|免|唔|冇|别|勿|ไม่|อย่า|ບໍ່|ຢ່າ|មិន|គ្មាន|កុំ|않|없|ません|ない|なし|不要|မ(?:ယူ|ပေး|တောင်း|လို|ရှိ|ကောက်|ပို့|လွှဲ)`,
  ].join('|'),
  'u',
);

/** Letters, marks and digits: a stretch of text read for cues starts on a word's first one. */
const WORD_CHAR = /[\p{L}\p{M}\p{N}']/u;
/** Room for the longest cue before its scope ("no legitimate employer will"), and after a match for a last cue. */
const CUE_ROOM = 40;

/**
 * The cue of the denial that holds the match [start, end) of a field's folded text, as offsets of
 * that text, or undefined when none does. The cues are looked for only in the stretch around the
 * match that a denial of it could start in, so a long field costs no more than a short one.
 */
export function denialOf(norm: NormalizedText, original: string, start: number, end: number): [number, number] | undefined {
  const { text } = norm;
  if (NEGATION.test(text.slice(start, end))) return undefined;
  let from = Math.max(0, start - LONG_REACH - CUE_ROOM);
  while (from > 0 && WORD_CHAR.test(text[from - 1]!)) from--;
  const to = Math.min(text.length, Math.max(end, start + LAST_REACH) + CUE_ROOM);
  const scope = holding(denialScopes(denialText(norm, original, from, to)), start - from, end - from);
  return scope ? [from + scope.cueStart, from + scope.cueEnd] : undefined;
}

/** Whether the match [start, end) of a field's folded text lies in a denial (`denialOf`). */
export function deniedMatch(norm: NormalizedText, original: string, start: number, end: number): boolean {
  return denialOf(norm, original, start, end) !== undefined;
}

/** The first scope a match [start, end) starts in (a first cue's), or lies in (a last cue's). */
function holding(scopes: readonly DenialScope[], start: number, end: number): DenialScope | undefined {
  return scopes.find((scope) => (scope.cueLast ? start >= scope.start && end <= scope.end : start >= scope.start && start < scope.end));
}
