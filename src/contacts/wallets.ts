// Crypto wallet addresses, with their checksums checked so a random run of letters is not one:
// Bitcoin base58check (P2PKH "1…", P2SH "3…") and bech32/bech32m ("bc1…", BIP 173 and 350), TRON
// base58check ("T…", version byte 0x41), Ethereum "0x" and 40 hex digits (no checksum to check
// unless mixed case, which needs Keccak: taken as written). Written here rather than taken from a
// package: fifty lines against three dependencies for two checksums.
import { createHash } from 'node:crypto';
import type { WalletNetwork } from './types.js';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BASE58_INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE58.length; i++) BASE58_INDEX[BASE58.charCodeAt(i)] = i;

/** Base58 to bytes, or undefined for a character outside the alphabet. */
function base58Decode(text: string): Uint8Array | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let carry = code < 128 ? BASE58_INDEX[code]! : -1;
    if (carry < 0) return undefined;
    for (let j = 0; j < bytes.length; j++) {
      carry += bytes[j]! * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  for (let i = 0; i < text.length && text[i] === '1'; i++) bytes.push(0);
  return Uint8Array.from(bytes.reverse());
}

function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** A base58check payload of 21 bytes with one of these version bytes and a good checksum. */
function base58Check(text: string, versions: readonly number[]): boolean {
  const bytes = base58Decode(text);
  if (bytes?.length !== 25 || !versions.includes(bytes[0]!)) return false;
  const check = sha256(sha256(bytes.subarray(0, 21)));
  for (let i = 0; i < 4; i++) if (check[i] !== bytes[21 + i]) return false;
  return true;
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: readonly number[]): number {
  let chk = 1;
  for (const value of values) {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ value) >>> 0;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk = (chk ^ GENERATOR[i]!) >>> 0;
  }
  return chk;
}

/** A segwit address of Bitcoin's main network (bc1…): bech32 for version 0, bech32m after (BIP 350). */
function segwitValid(address: string): boolean {
  if (address !== address.toLowerCase() && address !== address.toUpperCase()) return false;
  const text = address.toLowerCase();
  const sep = text.lastIndexOf('1');
  if (text.slice(0, sep) !== 'bc' || text.length > 90) return false;
  const data: number[] = [];
  for (const ch of text.slice(sep + 1)) {
    const v = BECH32.indexOf(ch);
    if (v < 0) return false;
    data.push(v);
  }
  if (data.length < 7) return false;
  const hrp = [...'bc'].map((c) => c.charCodeAt(0));
  const check = polymod([...hrp.map((c) => c >> 5), 0, ...hrp.map((c) => c & 31), ...data]);
  const version = data[0]!;
  if (version > 16 || check !== (version === 0 ? 1 : 0x2bc830a3)) return false;
  // The witness program: 5-bit groups to bytes, no padding left over.
  let acc = 0;
  let bits = 0;
  let length = 0;
  for (const v of data.slice(1, -6)) {
    acc = (acc << 5) | v;
    bits += 5;
    while (bits >= 8) {
      bits -= 8;
      length++;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits >= 5 || acc !== 0) return false;
  if (length < 2 || length > 40) return false;
  return version !== 0 || length === 20 || length === 32;
}

/** Candidates: a run that could be an address (checked by walletOf). Case-sensitive: base58 is. */
export const WALLET_RUN =
  /(?<![0-9A-Za-z])(?:[bB][cC]1[02-9AC-HJ-NP-Zac-hj-np-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34}|T[1-9A-HJ-NP-Za-km-z]{33}|0[xX][0-9a-fA-F]{40})(?![0-9A-Za-z])/g;

/** The network and canonical value of an address, or undefined when its checksum or form is wrong. */
export function walletOf(text: string): { network: WalletNetwork; value: string } | undefined {
  const head = text.charCodeAt(0);
  if (head === 48 /* 0 */) return { network: 'eth', value: `0x${text.slice(2).toLowerCase()}` };
  if (head === 84 /* T */) return base58Check(text, [0x41]) ? { network: 'tron', value: text } : undefined;
  if (head === 98 || head === 66 /* b B */) return segwitValid(text) ? { network: 'btc', value: text.toLowerCase() } : undefined;
  return base58Check(text, [0x00, 0x05]) ? { network: 'btc', value: text } : undefined;
}
