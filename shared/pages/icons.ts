/**
 * Currency icons for the URLs the API hands out (`icon_base`, `icon_network`, ...): small
 * generated SVG badges, so a self-hosted gateway depends on no third-party CDN.
 */

/** `icons/<name>.svg`: the asset paths the API hands out as `icon_*` URLs. */
export const ICON_ASSET = /^icons\/([a-z0-9_-]{1,40})\.svg$/;

export function iconSvg(name: string): string {
  const label = name.replace(/^network-/, '').split(/[-_]/)[0].slice(0, 4).toUpperCase();
  let hue = 0;
  for (const ch of name) hue = (hue * 31 + ch.charCodeAt(0)) % 360;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><circle cx="32" cy="32" r="30" fill="hsl(${hue},55%,45%)"/><text x="32" y="38" font-family="sans-serif" font-size="${label.length > 3 ? 14 : 18}" font-weight="bold" fill="#fff" text-anchor="middle">${label}</text></svg>`;
}
