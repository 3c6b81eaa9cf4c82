// Han text in one form: Traditional Chinese (and Taiwan / Hong Kong variant) characters folded to
// Simplified, so one keyword covers both.
import { HANT_TO_HANS } from './hant-table.js';

/** Traditional Chinese (and Taiwan / Hong Kong variant) characters to Simplified, by code unit; 0 where unchanged. */
export const TO_HANS = new Uint16Array(0x10000);
for (let k = 0; k + 1 < HANT_TO_HANS.length; k += 2) TO_HANS[HANT_TO_HANS.charCodeAt(k)] = HANT_TO_HANS.charCodeAt(k + 1);

/** Han text in one form: Traditional characters folded to Simplified, so 包機票 reads as 包机票. */
export function toHans(text: string): string {
  let out = '';
  let from = 0;
  for (let k = 0; k < text.length; k++) {
    const simplified = TO_HANS[text.charCodeAt(k)]!;
    if (simplified === 0) continue;
    out += text.slice(from, k) + String.fromCharCode(simplified);
    from = k + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}
