/**
 * The customer help topics: stable slugs (they are URLs, `/help/{slug}`), their catalogue keys,
 * and which topics the payment page offers in each of its states.
 */
import type { PayerState } from '../domain/invoice/payer-view';
import type { MessageKey } from './i18n/types';

export const HELP_SLUGS = [
  'pay-from-wallet',
  'pay-from-exchange',
  'buy-crypto',
  'choose-network',
  'exact-amount',
  'unconfirmed',
  'wrong-amount',
  'paid-too-little',
  'expired',
  'goods-not-arrived',
  'wrong-network',
] as const;
export type HelpSlug = (typeof HELP_SLUGS)[number];

export type HelpTopic = { readonly slug: HelpSlug; readonly title: MessageKey; readonly body: MessageKey };

/** In index order. The keys are built from the slug; the catalogue type rejects a slug without texts. */
export const HELP_TOPICS: readonly HelpTopic[] = HELP_SLUGS.map((slug) => ({
  slug,
  title: `help.${slug}.title` satisfies MessageKey,
  body: `help.${slug}.body` satisfies MessageKey,
}));

export const isHelpSlug = (slug: string): slug is HelpSlug => (HELP_SLUGS as readonly string[]).includes(slug);

/** The topic for a URL segment, or undefined (a 404). */
export const helpTopic = (slug: string): HelpTopic | undefined => HELP_TOPICS.find((t) => t.slug === slug);

/** The index in two parts: before and while paying, then when something went wrong. */
const GROUPS: readonly { title: MessageKey; slugs: readonly HelpSlug[] }[] = [
  { title: 'help.group.paying', slugs: ['pay-from-wallet', 'pay-from-exchange', 'buy-crypto', 'choose-network', 'exact-amount'] },
  { title: 'help.group.problems', slugs: ['unconfirmed', 'wrong-amount', 'paid-too-little', 'expired', 'goods-not-arrived', 'wrong-network'] },
];

const topicOf = (slug: HelpSlug): HelpTopic => HELP_TOPICS.find((t) => t.slug === slug)!;

export const HELP_GROUPS: readonly { readonly title: MessageKey; readonly topics: readonly HelpTopic[] }[] = GROUPS.map((g) => ({ title: g.title, topics: g.slugs.map(topicOf) }));

/** What a customer who read a topic most likely asks next; each topic page links these. */
const RELATED: Record<HelpSlug, readonly HelpSlug[]> = {
  'pay-from-wallet': ['choose-network', 'exact-amount', 'unconfirmed'],
  'pay-from-exchange': ['exact-amount', 'choose-network', 'paid-too-little'],
  'buy-crypto': ['pay-from-exchange', 'pay-from-wallet', 'choose-network'],
  'choose-network': ['wrong-network', 'pay-from-wallet', 'pay-from-exchange'],
  'exact-amount': ['paid-too-little', 'wrong-amount', 'pay-from-exchange'],
  unconfirmed: ['expired', 'goods-not-arrived'],
  'wrong-amount': ['paid-too-little', 'exact-amount', 'expired'],
  'paid-too-little': ['exact-amount', 'wrong-amount', 'expired'],
  expired: ['wrong-amount', 'unconfirmed'],
  'goods-not-arrived': ['unconfirmed', 'wrong-amount'],
  'wrong-network': ['choose-network', 'wrong-amount'],
};

export const relatedHelpTopics = (slug: HelpSlug): readonly HelpTopic[] => RELATED[slug].map(topicOf);

/** What the payment page is showing, as far as help goes: the payer view's state. */
export type PaymentPageState = PayerState;

/** Most useful first; the page links these next to the status. */
const TOPICS_BY_STATE: Record<PaymentPageState, readonly HelpSlug[]> = {
  choose: ['choose-network', 'buy-crypto', 'pay-from-wallet', 'pay-from-exchange'],
  waiting: ['pay-from-wallet', 'pay-from-exchange', 'choose-network', 'exact-amount', 'buy-crypto', 'wrong-network'],
  seen: ['unconfirmed'],
  paid: ['goods-not-arrived'],
  partial: ['paid-too-little', 'exact-amount'],
  overpaid: ['wrong-amount', 'goods-not-arrived'],
  late: ['expired', 'goods-not-arrived'],
  expired: ['expired', 'wrong-amount', 'wrong-network'],
  // A canceled invoice is closed like an expired one: never pay into it.
  canceled: ['expired'],
};

export const helpTopicsFor = (state: PaymentPageState): readonly HelpTopic[] =>
  TOPICS_BY_STATE[state].map((slug) => HELP_TOPICS.find((t) => t.slug === slug)!);

/** One block of a help body: a paragraph, or a list of consecutive "- " lines. */
export type HelpBlock = { kind: 'paragraph'; text: string } | { kind: 'list'; items: string[] };

/** Splits a help body into blocks for a view to render (blank line between blocks; "- " starts an item). */
export function helpBlocks(body: string): HelpBlock[] {
  return body
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter((block) => block.length > 0)
    .map((block): HelpBlock => {
      const lines = block.split('\n').map((l) => l.trim());
      return lines.every((l) => l.startsWith('- ')) ? { kind: 'list', items: lines.map((l) => l.slice(2).trim()) } : { kind: 'paragraph', text: lines.join(' ') };
    });
}
