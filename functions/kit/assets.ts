/**
 * The pages' static files (shared/pages/assets): read once per instance. On Lambda they are
 * copied next to the bundle (lib/infra/tollgate-function.ts `assets`), locally read in place.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ICON_ASSET, iconSvg } from '../../shared/pages/icons';

export const ASSET_DIR = process.env.LAMBDA_TASK_ROOT ? join(process.env.LAMBDA_TASK_ROOT, 'assets') : join(import.meta.dirname, '..', '..', 'shared', 'pages', 'assets');

const TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8', svg: 'image/svg+xml' };
/** Flat names only: no folders, no dots but the extension, so no path can leave the folder. */
const FILE = /^[a-z0-9-]{1,40}\.(css|js|svg)$/;

export type Asset = { contentType: string; body: string };
/** Files found, by name: at most the folder's files, whatever names are asked for. */
const cache = new Map<string, Asset>();

function load(name: string): Asset | null {
  const icon = ICON_ASSET.exec(name);
  if (icon) return { contentType: TYPES.svg, body: iconSvg(icon[1]) };
  const m = FILE.exec(name);
  if (!m) return null;
  try {
    return { contentType: TYPES[m[1]], body: readFileSync(join(ASSET_DIR, name), 'utf8') };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** An asset by its path under /assets/, or null when there is none. */
export function readAsset(name: string): Asset | null {
  const cached = cache.get(name);
  if (cached) return cached;
  const asset = load(name);
  // Icons are generated for any name, misses are any name: only real files are kept, so a scan
  // of random names cannot grow an instance's memory.
  if (asset && !ICON_ASSET.test(name)) cache.set(name, asset);
  return asset;
}

/** A file deployed with the assets but not served under /assets/ (the OpenAPI document, functions/http/page-openapi.ts). */
export const readAssetFile = (name: string): string => readFileSync(join(ASSET_DIR, name), 'utf8');
