/**
 * The few HTML pages the server shows to browsers (the OAuth callback's outcome). Every value is
 * escaped; pages carry no scripts, and no token, code or state ever appears in them.
 */
import type { ForcebridgeError } from '../errors.js';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

export function page(title: string, paragraphs: string[]): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)} — forcebridge</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5}h1{font-size:1.4rem}.muted{color:#666;font-size:.9rem}</style>',
    `</head><body><h1>${escapeHtml(title)}</h1>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    '</body></html>',
  ].join('\n');
}

export function errorPage(e: ForcebridgeError, requestId: string): string {
  return page('Salesforce was not connected', [e.message, ...(e.hint ? [`What to do: ${e.hint}`] : []), `Reference: ${e.code} · request ${requestId}`]);
}
