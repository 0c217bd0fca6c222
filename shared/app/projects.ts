/** Project (shop) management and API-key authentication. */

import { isShopId } from '../domain/ids';
import { applySettingsPatch, defaultSettings, type Project, type SettingsPatch } from '../domain/project';
import { err, ok, type Result } from '../domain/result';
import type { Instant } from '../domain/time';
import type { Deps, ProjectKeyKind } from '../ports';
import type { AppError } from './errors';

/** Hashing is injected so the app layer stays free of node:crypto. */
export type KeyHasher = (key: string) => string;

/** Keys are shown once: only their hashes (the secret key: its cipher) are kept. */
export type IssuedKeys = { apiKey?: string; secretKey?: string; withdrawalKey?: string };

export async function createProject(deps: Deps, hash: KeyHasher, input: { name: string; patch: SettingsPatch; now: Instant }) {
  const settings = applySettingsPatch(defaultSettings(input.name), { ...input.patch, name: input.name }, deps.settings.postbacks.network);
  if (!settings.ok) return err({ kind: 'project.invalid_settings' as const, errors: settings.error });
  const apiKey = deps.ids.apiKey();
  const secretKey = deps.ids.secretKey();
  const project: Project = {
    shopId: deps.ids.shopId(),
    number: await deps.projects.nextProjectNumber(),
    createdAt: input.now,
    settings: settings.value,
    apiKeyHash: hash(apiKey),
    secretKeyCipher: await deps.cipher.encrypt(secretKey),
    secretKeyRotatedAt: input.now,
    previousSecretKeyCipher: null, withdrawalKeyHash: null,
    version: 1,
  };
  await deps.projects.create(project);
  deps.log.info('project.created', { shopId: project.shopId, testMode: project.settings.testMode });
  return ok({ project, keys: { apiKey, secretKey } });
}

async function loadProject(deps: Deps, shopId: string): Promise<Result<Project, AppError>> {
  const project = isShopId(shopId) ? await deps.projects.get(shopId) : null;
  return project ? ok(project) : err({ kind: 'project.not_found', shopId });
}

export const showProject = loadProject;

export async function updateProject(deps: Deps, shopId: string, patch: SettingsPatch): Promise<Result<Project, AppError>> {
  const current = await loadProject(deps, shopId);
  if (!current.ok) return current;
  const settings = applySettingsPatch(current.value.settings, patch, deps.settings.postbacks.network);
  if (!settings.ok) return err({ kind: 'project.invalid_settings', errors: settings.error });
  const next = { ...current.value, settings: settings.value, version: current.value.version + 1 };
  if (!(await deps.projects.save(next, current.value))) throw new Error(`project ${shopId} changed while being updated; retry`);
  deps.log.info('project.updated', { shopId, fields: Object.keys(patch) });
  return ok(next);
}

/** Issues a new API key and/or secret key. The old API key stops working at once. */
export async function rotateKeys(deps: Deps, hash: KeyHasher, shopId: string, which: { api: boolean; secret: boolean; withdrawal?: boolean }, now: Instant) {
  const current = await loadProject(deps, shopId);
  if (!current.ok) return current;
  const keys: IssuedKeys = {};
  const next: Project = { ...current.value, version: current.value.version + 1 };
  if (which.api) {
    keys.apiKey = deps.ids.apiKey();
    next.apiKeyHash = hash(keys.apiKey);
  }
  if (which.withdrawal) {
    keys.withdrawalKey = deps.ids.apiKey();
    next.withdrawalKeyHash = hash(keys.withdrawalKey);
  }
  if (which.secret) {
    keys.secretKey = deps.ids.secretKey();
    next.previousSecretKeyCipher = current.value.secretKeyCipher;
    next.secretKeyCipher = await deps.cipher.encrypt(keys.secretKey);
    next.secretKeyRotatedAt = now;
  }
  if (!(await deps.projects.save(next, current.value))) throw new Error(`project ${shopId} changed while rotating keys; retry`);
  deps.log.info('project.keys_rotated', { shopId, api: which.api, secret: which.secret, withdrawal: which.withdrawal === true });
  return ok({ project: next, keys });
}

/** `Authorization: Token <key>`; anything else is unauthenticated. */
export function parseTokenHeader(header: string | undefined): string | null {
  const match = /^\s*(?:Token|Bearer)\s+(\S{1,512})\s*$/i.exec(header ?? '');
  return match ? match[1] : null;
}

export async function authenticate(deps: Deps, hash: KeyHasher, authorization: string | undefined, kind: ProjectKeyKind = 'api'): Promise<Project | null> {
  const key = parseTokenHeader(authorization);
  return key ? deps.projects.findByApiKeyHash(hash(key), kind) : null;
}

/** The admin routes name the shop in the path: an unknown shop is a 404 before anything else is looked at. */
export async function withProject<T>(deps: Deps, shopId: string, then: (project: Project) => Promise<Result<T, AppError>>): Promise<Result<T, AppError>> {
  const project = await showProject(deps, shopId);
  return project.ok ? then(project.value) : project;
}
