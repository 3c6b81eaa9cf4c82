// Chat-app links: their hosts and schemes, the paths that name someone, Telegram's reserved names.
import type { FieldScan } from './field-scan.js';
import { parsePhone } from './phone.js';
import { nationalParse } from './regions.js';
import type { ContactApp } from './types.js';

/** Hosts read as chat-app links, never as plain domains. */
export const APP_HOSTS = new Set([
  't.me',
  'telegram.me',
  'telegram.dog',
  'wa.me',
  'api.whatsapp.com',
  'web.whatsapp.com',
  'chat.whatsapp.com',
  'line.me',
  'lin.ee',
  'signal.me',
  'signal.group',
  'invite.viber.com',
  'zalo.me',
  'open.kakao.com',
  'qr.kakao.com',
  'u.wechat.com',
  'weixin.qq.com',
]);

/** A chat-app link's host (one of APP_HOSTS, in that order) or an app's scheme; what follows is read by `readLinkPath`. */
const LINK_HOST = new RegExp(
  String.raw`(?<![a-z0-9\-.@])(?:https?:\/\/)?(?:www\.)?(${[...APP_HOSTS].map((host) => host.replace(/\./g, '\\.')).join('|')})(?![a-z0-9-])|(?<![a-z0-9])(whatsapp|viber|tel|tg):(?:\/\/)?`,
  'gi',
);
const LINK_PATH_GATE = /\.(?:me|ee|dog|group|com)\//i;
const LINK_SCHEME_GATE = /(?:tel|app|ber|tg):/i;
/** Whether a text may hold a chat-app link (a host's path, or a scheme). */
export function mayHoldLink(text: string): boolean {
  return LINK_PATH_GATE.test(text) || (text.includes(':') && LINK_SCHEME_GATE.test(text));
}

interface LinkRead {
  end: number;
  kind: 'phone' | 'handle';
  value: string;
  app?: ContactApp;
  /** A phone written in the link: international unless `national`. */
  national?: boolean;
}

const TELEGRAM_RESERVED = new Set([
  'share',
  'addstickers',
  'addemoji',
  'proxy',
  'socks',
  'iv',
  'setlanguage',
  'addtheme',
  'login',
  'boost',
  'c',
  'bg',
  'addlist',
  'contact',
  'confirmphone',
  'invoice',
  'giftcode',
  'm',
  'k',
  'a',
  'z',
]);

/** A link's path after its host, read sticky at `at`; undefined when it names no one. */
function readLinkPath(host: string, text: string, at: number): LinkRead | undefined {
  const sticky = (re: RegExp): RegExpExecArray | null => {
    re.lastIndex = at;
    return re.exec(text);
  };
  let m: RegExpExecArray | null;
  switch (host) {
    case 't.me':
    case 'telegram.me':
    case 'telegram.dog': {
      m = sticky(/\/(?:s\/)?(?:joinchat\/([a-z0-9_-]{8,64})|\+([a-z0-9_-]{6,64})|([a-z][a-z0-9_]{3,31}))(?![a-z0-9_])/iy);
      if (!m) return undefined;
      const end = at + m[0].length;
      if (m[1]) return { end, kind: 'handle', value: `+${m[1].toLowerCase()}`, app: 'telegram' };
      if (m[2])
        return /^\d{7,15}$/.test(m[2])
          ? { end, kind: 'phone', value: m[2], app: 'telegram' }
          : { end, kind: 'handle', value: `+${m[2].toLowerCase()}`, app: 'telegram' };
      const name = m[3]!.toLowerCase();
      return TELEGRAM_RESERVED.has(name) ? undefined : { end, kind: 'handle', value: name, app: 'telegram' };
    }
    case 'wa.me':
      m = sticky(/\/(?:\+|%2b)?(\d{6,15})(?!\d)/iy);
      if (m) return { end: at + m[0].length, kind: 'phone', value: m[1]!, app: 'whatsapp' };
      m = sticky(/\/message\/([a-z0-9]{6,40})/iy);
      return m ? { end: at + m[0].length, kind: 'handle', value: `+${m[1]!.toLowerCase()}`, app: 'whatsapp' } : undefined;
    case 'api.whatsapp.com':
    case 'web.whatsapp.com':
    case 'whatsapp':
      m = sticky(/\/?(?:send\/?)?\?(?:[^\s"'<>]{0,200}?&(?:amp;)?)?phone=(?:\+|%2b)?(\d{6,15})(?!\d)/iy);
      return m ? { end: at + m[0].length, kind: 'phone', value: m[1]!, app: 'whatsapp' } : undefined;
    case 'chat.whatsapp.com':
      m = sticky(/\/(?:invite\/)?([a-z0-9]{10,40})(?![a-z0-9])/iy);
      return m ? { end: at + m[0].length, kind: 'handle', value: `+${m[1]!.toLowerCase()}`, app: 'whatsapp' } : undefined;
    case 'line.me':
      m = sticky(/\/(?:[a-z]{2}\/)?(?:r\/)?ti\/p\/(?:~|@|%40)?([a-z0-9_.-]{3,40})(?![a-z0-9_.-])/iy);
      return m ? { end: at + m[0].length, kind: 'handle', value: m[1]!.toLowerCase().replace(/\.+$/, ''), app: 'line' } : undefined;
    case 'lin.ee':
      m = sticky(/\/([a-z0-9]{4,20})(?![a-z0-9])/iy);
      return m ? { end: at + m[0].length, kind: 'handle', value: `+${m[1]!.toLowerCase()}`, app: 'line' } : undefined;
    case 'signal.me':
      m = sticky(/\/#p\/(?:\+|%2b)?(\d{6,15})(?!\d)/iy);
      if (m) return { end: at + m[0].length, kind: 'phone', value: m[1]!, app: 'signal' };
      m = sticky(/\/#eu\/([a-z0-9_-]{10,120})/iy);
      return m ? { end: at + m[0].length, kind: 'handle', value: `+${m[1]!.toLowerCase()}`, app: 'signal' } : undefined;
    case 'signal.group':
      m = sticky(/\/#([a-z0-9_-]{10,200})/iy);
      return m ? { end: at + m[0].length, kind: 'handle', value: `+${m[1]!.toLowerCase()}`, app: 'signal' } : undefined;
    case 'viber':
      m = sticky(/(?:chat|add|contact)\?number=(?:\+|%2b)?(\d{6,15})(?!\d)/iy);
      return m ? { end: at + m[0].length, kind: 'phone', value: m[1]!, app: 'viber' } : undefined;
    case 'invite.viber.com':
      m = sticky(/\/?\?g2?=([a-z0-9_%-]{6,120})/iy);
      return m ? { end: at + m[0].length, kind: 'handle', value: `+${m[1]!.toLowerCase()}`, app: 'viber' } : undefined;
    case 'zalo.me':
      m = sticky(/\/(g\/)?([a-z0-9]{6,32})(?![a-z0-9])/iy);
      if (!m) return undefined;
      if (m[1]) return { end: at + m[0].length, kind: 'handle', value: `+${m[2]!.toLowerCase()}`, app: 'zalo' };
      if (/^\d{8,12}$/.test(m[2]!)) return { end: at + m[0].length, kind: 'phone', value: m[2]!, app: 'zalo', national: m[2]!.startsWith('0') };
      return { end: at + m[0].length, kind: 'handle', value: m[2]!.toLowerCase(), app: 'zalo' };
    case 'open.kakao.com':
      m = sticky(/\/o\/([a-z0-9]{4,20})(?![a-z0-9])/iy);
      return m ? { end: at + m[0].length, kind: 'handle', value: m[1]!.toLowerCase(), app: 'kakaotalk' } : undefined;
    case 'qr.kakao.com':
      m = sticky(/\/talk\/([a-z0-9_.-]{4,60})/iy);
      return m ? { end: at + m[0].length, kind: 'handle', value: m[1]!.toLowerCase(), app: 'kakaotalk' } : undefined;
    case 'u.wechat.com':
    case 'weixin.qq.com':
      m = sticky(/\/(?:r\/)?([a-z0-9_-]{4,60})/iy);
      return m ? { end: at + m[0].length, kind: 'handle', value: m[1]!.toLowerCase(), app: 'wechat' } : undefined;
    case 'tel':
      m = sticky(/(\+?\d[\d\s.()-]{5,20}\d)/y);
      return m ? { end: at + m[0].length, kind: 'phone', value: m[1]!, national: !m[1]!.startsWith('+') } : undefined;
    case 'tg':
      m = sticky(/resolve\?domain=([a-z][a-z0-9_]{3,31})/iy);
      return m ? { end: at + m[0].length, kind: 'handle', value: m[1]!.toLowerCase(), app: 'telegram' } : undefined;
    default:
      return undefined;
  }
}

/** Chat-app links that name a handle or a phone number (international unless the link writes it nationally). */
export function findLinks(scan: FieldScan): void {
  const text = scan.light;
  LINK_HOST.lastIndex = 0;
  for (let m = LINK_HOST.exec(text); m !== null; m = LINK_HOST.exec(text)) {
    const host = (m[1] ?? m[2])!.toLowerCase();
    const read = readLinkPath(host, text, m.index + m[0].length);
    if (!read) continue;
    const start = m.index;
    if (read.kind === 'handle') {
      scan.add({ kind: 'handle', value: read.value, app: read.app, obfuscation: scan.disguise(start, read.end), start, end: read.end });
      continue;
    }
    const digits = read.value.replace(/\D/g, '');
    const parsed = read.national ? nationalParse(scan.regions, digits, true, read.app) : (parsePhone(`+${digits}`) ?? undefined);
    if (!parsed?.possible) continue;
    scan.add({
      kind: 'phone',
      value: parsed.e164,
      app: read.app,
      country: parsed.region,
      obfuscation: scan.disguise(start, read.end),
      start,
      end: read.end,
    });
  }
}
