import type { en } from './en';

/** Every message key; `en` is the source, so a key missing from another language fails tsc. */
export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
