// Postings a scoring thread scores before it reports ready, so that start-up work done lazily on
// first use is not charged to the first real postings' time budget. Every thread scores a light
// warm-up: one short posting, which runs every rule's regexes (compiled on their first run, and
// again to native code on a later one), the paid-anyway cost of whatever posting came first. A
// thread started to take over after an overrun, where a retry is at stake, scores the full
// warm-up: one short posting per writing system the normaliser, language detector and model tell
// apart (the script-specific rules, the segmenter, language profiles, the model's whole-set
// classifier), so a retry never pays a first use again; it costs a few hundred milliseconds, too
// much for every thread of every scan. Fields stay short so that even a rule exempted from the
// ReDoS check cannot backtrack for long on them.
import type { Posting } from '../types.js';

const SAMPLES: Record<string, string>[] = [
  {
    title: 'Customer service, urgent',
    company: 'Global HR Ltd',
    location: 'Phnom Penh, Cambodia',
    salary: 'USD 1,500 / month',
    contact: 'Telegram @hr_team',
    description: 'Free flight and visa. Apply now',
  },
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

export type WarmUp = 'light' | 'full';

/** The warm-up postings; scored twice, as a regex is compiled on its first run and again on a later one. */
export function warmUpPostings(kind: WarmUp): Posting[] {
  return SAMPLES.slice(0, kind === 'full' ? SAMPLES.length : 1).map((fields, i) => ({ id: `warm-up-${i + 1}`, source: {}, fields }));
}
