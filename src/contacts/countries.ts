// Where a phone number written without its country code is from: the posting's location field
// (country and hub-city names, in English and local scripts), else its language. Names are matched
// on folded text (src/normalize: lower case, Traditional Chinese as Simplified).
import { normalizeString } from '../normalize/index.js';
import { PhraseMatcher } from './phrases.js';

/** Region → names (folded). Hub cities of the scam-compound trade and the capitals of the labour-sending countries. */
const NAMES: Record<string, string[]> = {
  KH: [
    'cambodia',
    'kampuchea',
    'campuchia',
    'cambodge',
    'camboya',
    'kamboja',
    'កម្ពុជា',
    '柬埔寨',
    '柬国',
    '캄보디아',
    'カンボジア',
    'กัมพูชา',
    'камбоджа',
    'phnom penh',
    'phnompenh',
    'phnom pênh',
    'ភ្នំពេញ',
    '金边',
    'sihanoukville',
    'sihanouk ville',
    'preah sihanouk',
    'kampong som',
    'ក្រុងព្រះសីហនុ',
    'ព្រះសីហនុ',
    '西港',
    '西哈努克',
    'bavet',
    '巴域',
    '木牌',
    'poipet',
    '波贝',
    'koh kong',
    '戈公',
    'siem reap',
    '暹粒',
    'kampot',
    'chrey thom',
  ],
  MM: [
    'myanmar',
    'burma',
    'birmanie',
    'myanma',
    'မြန်မာ',
    '缅甸',
    '미얀마',
    'ミャンマー',
    'พม่า',
    'เมียนมา',
    'miến điện',
    'myawaddy',
    'myawadi',
    'မြဝတီ',
    '妙瓦底',
    'เมียวดี',
    'shwe kokko',
    'shwekokko',
    'kk park',
    'kk园区',
    'yangon',
    'rangoon',
    'ရန်ကုန်',
    '仰光',
    'mandalay',
    'tachileik',
    'tachilek',
    '大其力',
    'laukkaing',
    '果敢',
    'wa state',
    '佤邦',
  ],
  LA: ['laos', 'lao pdr', 'ລາວ', '老挝', 'ลาว', 'lào', 'vientiane', 'ວຽງຈັນ', '万象', 'bokeo', 'golden triangle', 'ton pheung', '金三角', 'boten', '磨丁'],
  TH: [
    'thailand',
    'ประเทศไทย',
    '泰国',
    '태국',
    'thái lan',
    'bangkok',
    'กรุงเทพ',
    '曼谷',
    'mae sot',
    'แม่สอด',
    '湄索',
    'chiang mai',
    'เชียงใหม่',
    'chiang rai',
    'pattaya',
    'phuket',
  ],
  VN: [
    'vietnam',
    'viet nam',
    'việt nam',
    '越南',
    '베트남',
    'ベトナム',
    'เวียดนาม',
    'hanoi',
    'ha noi',
    'hà nội',
    'ho chi minh',
    'hồ chí minh',
    'tp.hcm',
    'tphcm',
    'tp hcm',
    'saigon',
    'sài gòn',
    'da nang',
    'đà nẵng',
    'hải phòng',
    'cần thơ',
    'bình dương',
    'đồng nai',
    'bắc ninh',
  ],
  PH: [
    'philippines',
    'pilipinas',
    'filipinas',
    '菲律宾',
    '필리핀',
    'フィリピン',
    'manila',
    'makati',
    'pasay',
    'quezon city',
    'taguig',
    'cebu',
    'davao',
    'pampanga',
    'clark',
  ],
  MY: ['malaysia', '马来西亚', '말레이시아', 'マレーシア', 'kuala lumpur', '吉隆坡', 'johor', 'penang', 'selangor', 'sabah', 'sarawak'],
  SG: ['singapore', '新加坡', '싱가포르', 'シンガポール'],
  ID: ['indonesia', '印尼', '印度尼西亚', '인도네시아', 'インドネシア', 'jakarta', 'surabaya', 'bandung', 'medan', 'batam', 'bali', 'yogyakarta', 'semarang'],
  CN: [
    'china',
    '中国',
    '中华人民共和国',
    '중국',
    'beijing',
    '北京',
    'shanghai',
    '上海',
    'guangzhou',
    '广州',
    'shenzhen',
    '深圳',
    'hangzhou',
    '杭州',
    'chengdu',
    '成都',
    '武汉',
    '南京',
    '重庆',
    '昆明',
    '西安',
    '厦门',
    '福州',
    '东莞',
    '苏州',
    '天津',
    '长沙',
  ],
  TW: ['taiwan', '台湾', '대만', '台北', 'taipei', 'kaohsiung', '高雄', '台中', 'taichung'],
  HK: ['hong kong', 'hongkong', '香港', '홍콩'],
  MO: ['macau', 'macao', '澳门'],
  KR: ['south korea', 'korea', '한국', '대한민국', '韩国', 'seoul', '서울', 'busan', '부산', 'incheon', '인천'],
  JP: ['japan', '日本', '일본', 'tokyo', '东京', 'osaka', '大阪', '名古屋', 'fukuoka', '福冈'],
  IN: [
    'india',
    'भारत',
    'இந்தியா',
    'delhi',
    'new delhi',
    'mumbai',
    'bangalore',
    'bengaluru',
    'chennai',
    'hyderabad',
    'kolkata',
    'pune',
    'noida',
    'gurgaon',
    'gurugram',
    'दिल्ली',
    'मुंबई',
  ],
  BD: ['bangladesh', 'বাংলাদেশ', 'dhaka', 'ঢাকা', 'chittagong', 'chattogram', 'চট্টগ্রাম', 'sylhet'],
  NP: ['nepal', 'नेपाल', 'kathmandu', 'काठमाडौं', 'काठमाण्डौ', 'pokhara', 'lalitpur', 'biratnagar'],
  LK: ['sri lanka', 'ශ්‍රී ලංකාව', 'இலங்கை', 'colombo', 'kandy'],
  PK: ['pakistan', 'پاکستان', 'karachi', 'lahore', 'islamabad', 'rawalpindi', 'faisalabad'],
  KE: ['kenya', 'nairobi', 'mombasa', 'kisumu', 'nakuru', 'eldoret'],
  UG: ['uganda', 'kampala', 'entebbe', 'gulu'],
  TZ: ['tanzania', 'dar es salaam', 'dodoma', 'arusha'],
  RW: ['rwanda', 'kigali'],
  ET: ['ethiopia', 'addis ababa'],
  NG: ['nigeria', 'lagos', 'abuja', 'port harcourt', 'ibadan', 'kano'],
  GH: ['ghana', 'accra', 'kumasi'],
  ZA: ['south africa', 'johannesburg', 'cape town', 'durban', 'pretoria'],
  AE: ['united arab emirates', 'uae', 'dubai', 'abu dhabi', 'sharjah', '迪拜'],
  SA: ['saudi arabia', 'riyadh', 'jeddah'],
  QA: ['qatar', 'doha'],
  AR: ['argentina', 'buenos aires', 'córdoba', 'rosario', 'mendoza'],
  MX: ['mexico', 'méxico', 'ciudad de méxico', 'guadalajara', 'monterrey'],
  ES: ['spain', 'españa', 'madrid', 'barcelona'],
  GB: ['united kingdom', 'england', 'london', 'manchester'],
  US: ['united states', 'usa', 'new york', 'california', 'texas'],
  RU: ['russia', 'россия', 'moscow', 'москва'],
  KG: ['kyrgyzstan', 'кыргызстан', 'bishkek', 'бишкек'],
};

/** The calling region a language is mostly written in (BCP 47 as src/lang detects it). */
const BY_LANGUAGE: Record<string, string> = {
  vi: 'VN',
  th: 'TH',
  km: 'KH',
  my: 'MM',
  lo: 'LA',
  id: 'ID',
  ms: 'MY',
  tl: 'PH',
  fil: 'PH',
  zh: 'CN',
  'zh-Hans': 'CN',
  'zh-Hant': 'TW',
  ko: 'KR',
  ja: 'JP',
  bn: 'BD',
  hi: 'IN',
  ne: 'NP',
  sw: 'KE',
  si: 'LK',
  ur: 'PK',
  ky: 'KG',
};

let matcher: PhraseMatcher<string> | undefined;

/** Every name, folded as the text it is looked for in is. */
function namesMatcher(): PhraseMatcher<string> {
  matcher ??= new PhraseMatcher(Object.entries(NAMES).flatMap(([region, names]) => names.map((name) => [normalizeString(name), region] as const)));
  return matcher;
}

const named = new Map<string, string[]>();

/** The regions a text names, in the order it names them (each once). Short texts (locations) are remembered. */
export function regionsNamed(text: string | undefined): string[] {
  if (!text) return [];
  if (text.length > 200) return findRegions(text);
  let regions = named.get(text);
  if (regions === undefined) {
    if (named.size > 2_000) named.clear();
    named.set(text, (regions = findRegions(text)));
  }
  return [...regions];
}

/**
 * The regions a posting names in any field (its first 20,000 characters), in order: the last
 * resort for a number something calls a phone when the location and language give no region.
 * Reads the folded fields when at hand.
 */
export function regionsNamedInFields(fields: Readonly<Record<string, string>>, folded?: ReadonlyMap<string, { text: string }>): string[] {
  const found: string[] = [];
  let budget = 20_000;
  for (const [name, value] of Object.entries(fields)) {
    if (budget <= 0) break;
    const text = folded?.get(name)?.text ?? normalizeString(value.slice(0, budget));
    budget -= text.length;
    for (const region of scanRegions(text.slice(0, Math.max(0, text.length + Math.min(0, budget))))) if (!found.includes(region)) found.push(region);
  }
  return found;
}

function findRegions(text: string): string[] {
  return scanRegions(normalizeString(text));
}

function scanRegions(folded: string): string[] {
  if (folded === '') return [];
  const found: string[] = [];
  for (const { value } of namesMatcher().find(folded)) if (!found.includes(value)) found.push(value);
  return found;
}

/** The region a language's numbers are most likely from, or undefined (English, Spanish, ...: no guess). */
export function regionOfLanguage(lang: string | undefined): string | undefined {
  if (!lang) return undefined;
  return BY_LANGUAGE[lang] ?? BY_LANGUAGE[lang.split('-')[0]!];
}
