/**
 * HTML built by one tagged template that escapes every interpolated value, so user text (project
 * names, donation messages, order ids) can never become markup. Markup is composed only from
 * other `html` fragments (or `raw`, for SVG this server rendered itself).
 */

export type Html = { readonly __html: string };

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

const isHtml = (v: unknown): v is Html => typeof v === 'object' && v !== null && '__html' in v;

type Value = Html | string | number | null | undefined | false | readonly Value[];

const render = (v: Value): string => {
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(render).join('');
  if (isHtml(v)) return v.__html;
  return escapeHtml(String(v));
};

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return { __html: out };
}

/** Markup this server produced itself (QR SVG); never for anything a user typed. */
export const raw = (markup: string): Html => ({ __html: markup });

/** Data for the page script, in a JSON block the browser never executes (the CSP allows no inline script). */
export const jsonData = (id: string, data: unknown): Html =>
  raw(`<script type="application/json" id="${escapeHtml(id)}">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`);

export type PageShell = { title: string; lang: string; body: Html; styles?: readonly string[]; scripts?: readonly string[]; head?: Html };

/** The document around every page: one stylesheet, deferred scripts from /assets, nothing inline. */
export function page(shell: PageShell): string {
  return `<!doctype html>${
    html`<html lang="${shell.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${shell.title}</title><link rel="stylesheet" href="/assets/pages.css">${(shell.styles ?? []).map((s) => html`<link rel="stylesheet" href="/assets/${s}">`)}<link rel="icon" href="/assets/favicon.svg">${shell.head ?? ''}${(shell.scripts ?? []).map((s) => html`<script src="/assets/${s}" defer></script>`)}</head><body>${shell.body}</body></html>`.__html
  }`;
}
