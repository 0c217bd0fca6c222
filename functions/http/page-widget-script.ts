/**
 * GET /widget.js: the merchant-site button (shared/pages/assets/widget.js), with its two labels in
 * every language, so the button speaks the merchant page's language. Any site may load it.
 */
import { ok } from '../../shared/domain/result';
import { LOCALES, translate } from '../../shared/pages/i18n';
import { readAsset } from '../kit/assets';
import { replyRoute } from '../kit/http';

const MESSAGES_SLOT = '/*MESSAGES*/{}';
let script: string | null = null;

function widgetScript(): string {
  if (script) return script;
  const asset = readAsset('widget.js');
  if (!asset) throw new Error('shared/pages/assets/widget.js is missing from the bundle');
  const keys = ['widget.button', 'widget.close', 'widget.unavailable', 'pay.heading', 'common.tooManyRequests'] as const;
  const messages = Object.fromEntries(LOCALES.map((l) => [l, Object.fromEntries(keys.map((k) => [k, translate(l, k)]))]));
  script = asset.body.replace(MESSAGES_SLOT, JSON.stringify(messages));
  return script;
}

export const pageWidgetScript = replyRoute({
  route: 'page.widget_script',
  input: () => ({ ok: true, value: null }),
  request: {},
  run: async () => ok(widgetScript()),
  // Not fingerprinted (merchants paste a fixed URL): an hour, like the other assets.
  reply: (body) => ({ contentType: 'text/javascript; charset=utf-8', body, cacheControl: 'public, max-age=3600' }),
});
