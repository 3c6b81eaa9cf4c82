// Postings a scoring thread scores before it reports ready, so that start-up work done lazily on
// first use (regexes compiled, then compiled again to native code on their next runs; the language
// detector's profiles; the word segmenter; the model's tables for each writing system) is not paid
// by the first real postings, whose time budget would otherwise include it. One short posting per
// writing system the normaliser, language detector and model tell apart. Fields stay short so that
// even a rule exempted from the ReDoS check cannot backtrack for long on them.
import type { Posting } from '../types.js';

const SAMPLES: Record<string, string>[] = [
  { title: 'Customer service, urgent', company: 'Global HR Ltd', location: 'Phnom Penh, Cambodia', salary: 'USD 1,500 / month', contact: 'Telegram @hr_team', description: 'Free flight and visa. Apply now' },
  { title: '高薪客服 包吃住', company: '某公司', location: '柬埔寨 西港', salary: '月薪1.5万', contact: '飞机 @kefu', description: '包机票签证，无需经验' },
  { title: '高薪客服 包吃住', location: '緬甸 妙瓦底', salary: '月薪3萬', description: '免費機票，聯繫微信' },
  { title: 'รับสมัครพนักงาน', location: 'กัมพูชา', salary: '30,000 บาท', description: 'ทำงานออนไลน์ ไม่ต้องมีประสบการณ์' },
  { title: 'Tuyển nhân viên CSKH', location: 'Campuchia', salary: '15 triệu/tháng', description: 'Bao ăn ở, không cần kinh nghiệm' },
  { title: 'Lowongan admin', location: 'Luar negeri', salary: 'Rp 9 juta', description: 'Tiket pesawat gratis, WhatsApp' },
  { title: 'ជ្រើសរើសបុគ្គលិក', location: 'ភ្នំពេញ', description: 'ប្រាក់ខែខ្ពស់ ការងារងាយស្រួល' },
  { title: 'ဝန်ထမ်းခေါ်ယူမည်', location: 'မြဝတီ', description: 'လစာကောင်း ✈️ 💰' },
  { title: 'ຮັບສະໝັກພະນັກງານ', location: 'ວຽງຈັນ', description: 'ເງິນເດືອນສູງ' },
  { title: 'カスタマーサポート募集', location: 'カンボジア', description: '未経験歓迎、航空券無料' },
  { title: 'Оператор чата', location: 'Камбоджа', description: 'Перелёт бесплатно, Telegram' },
  { title: 'Trabajo en línea', company: 'Empresa', salary: '$2.000 USD', description: 'Pago por adelantado 🔥 2-3 h/día' },
];

/** The warm-up postings; scored twice, as a regex is compiled on its first run and again on a later one. */
export function warmUpPostings(): Posting[] {
  return SAMPLES.map((fields, i) => ({ id: `warm-up-${i + 1}`, source: {}, fields }));
}
