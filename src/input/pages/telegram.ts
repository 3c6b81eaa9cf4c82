// Public Telegram channel previews (t.me/s/NAME): one posting per message. Recruiters for scam
// compounds advertise in such channels; each message is its own ad.
import type { CheerioAPI } from 'cheerio';
import { nodesText, tidyText } from './text.js';

const MESSAGE = '.tgme_widget_message[data-post]';
const TITLE_CHARS = 120;

/** Whether the page is a channel preview (by its markup, so saved copies are recognised too). */
export function isTelegramPreview($: CheerioAPI): boolean {
  return $(MESSAGE).length > 0;
}

/** A short title from a message: its first line, cut at a word near 120 characters. */
function titleFrom(text: string): string {
  const first = text.split('\n', 1)[0] ?? '';
  if (first.length <= TITLE_CHARS) return first;
  const cut = first.slice(0, TITLE_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${space > 60 ? cut.slice(0, space) : cut}…`;
}

/** Posting fields for each message with text (photo-only messages carry nothing to scan). */
export function telegramPostings($: CheerioAPI): Record<string, string>[] {
  const channel = tidyText($('.tgme_channel_info_header_title').first().text()) || tidyText($('.tgme_page_title').first().text());
  const postings: Record<string, string>[] = [];
  $(MESSAGE).each((_, element) => {
    const message = $(element);
    // The quoted message of a reply has the same class; only the message's own text counts.
    const body = message
      .find('.tgme_widget_message_text')
      .filter((_, node) => $(node).closest('.tgme_widget_message_reply').length === 0)
      .first();
    const text = body.length > 0 ? nodesText(body.toArray()) : '';
    const preview = nodesText(message.find('.tgme_widget_message_link_preview').toArray());
    if (text === '' && preview === '') return;
    const author = tidyText(message.find('.tgme_widget_message_owner_name').first().text()) || channel;
    const forwarded = tidyText(message.find('.tgme_widget_message_forwarded_from_name').first().text());
    const fields: Record<string, string> = {
      title: titleFrom(text || preview),
      ...(author ? { company: author } : {}),
      url: `https://t.me/${message.attr('data-post')}`,
      description: text || preview,
    };
    if (text !== '' && preview !== '') fields.linkPreview = preview;
    if (forwarded !== '') fields.forwardedFrom = forwarded;
    postings.push(fields);
  });
  return postings;
}
