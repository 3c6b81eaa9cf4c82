// Digit runs that are no phone number: dates, ranges and sums of money, years, amounts after a currency.
/** A currency, a salary word, right before a number. */
export const CURRENCY_BEFORE =
  /(?:[$€£¥₫฿₱₹৳₩₦៛]|usd|us\$|usdt|vnd|rm|rp|php|inr|rs\.?|tk|ksh|kes|rmb|cny|thb|khr|myr|idr|sgd|hkd|twd|krw|jpy|mmk|kyats?|lak|kip|baht|riel|salary|lương|薪|工资|月薪|底薪|เงินเดือน|gaji|sueldo|salario)[\s:：]{0,2}$/i;
/** A currency or a unit of pay right after a number ("/month"). */
export const CURRENCY_AFTER =
  /^[\s]{0,2}(?:[$€£¥₫฿₱₹৳₩₦៛%]|usd|usdt|vnd|đ(?![\p{L}])|đồng|triệu|tr(?![\p{L}])|k(?![\p{L}])|rm|rp|php|inr|rs|tk|ksh|kes|rmb|cny|元|万|千|块|บาท|baht|riel|kip|ກີບ|kyat|ကျပ်|원|円|yen|won|dollars?|pesos?|naira|shillings?|rupees?|taka|ringgit|rupiah|\/(?:month|mo|tháng|月|day|hr|hour|h)\b)/iu;

type Group = { digits: string };

/** 2024-01-15, 15.01.2024, 15/1/2024 and the like. */
export function looksLikeDate(groups: readonly Group[]): boolean {
  if (groups.length < 3 || groups.length > 6) return false;
  const lengths = groups.map((g) => g.digits.length);
  const values = groups.map((g) => Number(g.digits));
  const year = (v: number, n: number): boolean => n === 4 && v >= 1900 && v <= 2099;
  const md = (v: number, n: number): boolean => n <= 2 && v >= 1 && v <= 31;
  for (let k = 0; k + 2 < groups.length; k++) {
    const [a, b, c] = [values[k]!, values[k + 1]!, values[k + 2]!];
    const [na, nb, nc] = [lengths[k]!, lengths[k + 1]!, lengths[k + 2]!];
    if ((year(a, na) && md(b, nb) && md(c, nc)) || (md(a, na) && md(b, nb) && year(c, nc))) return true;
  }
  return false;
}

/** "1500-2500", "3000 - 5000": two round amounts, the second larger. */
export function looksLikeRange(groups: readonly Group[], separators: string): boolean {
  if (groups.length !== 2 || !/[-–~]/.test(separators)) return false;
  const [a, b] = [groups[0]!.digits, groups[1]!.digits];
  if (a.startsWith('0') || a.length < 3 || b.length < 3) return false;
  const [x, y] = [Number(a), Number(b)];
  return x < y && y <= x * 20 && x % 10 === 0 && y % 10 === 0;
}

/** "15.000.000", "1.500.000": thousands separated by dots. */
export function looksLikeMoney(groups: readonly Group[], separators: string): boolean {
  if (groups.length < 2 || !/^[.]+$/.test(separators.replace(/\s/g, ''))) return false;
  if (groups[0]!.digits.startsWith('0') || groups[0]!.digits.length > 3) return false;
  return groups.slice(1).every((g) => g.digits.length === 3);
}

/** "2019 2020 2021": years side by side. */
export function looksLikeYears(groups: readonly Group[]): boolean {
  return groups.length >= 2 && groups.every((g) => g.digits.length === 4 && Number(g.digits) >= 1900 && Number(g.digits) <= 2099);
}
