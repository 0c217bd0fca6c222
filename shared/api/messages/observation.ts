/** The observations queue's message contract (watcher → crediting), checked before anything acts on it. */
import * as z from 'zod';
import { rulesOf } from '../../domain/chain-families';
import { CHAINS, type ChainId } from '../../domain/currencies';
import { isTransferKey, type Observation } from '../../domain/transfers';

const chainId = z.enum(Object.keys(CHAINS) as [ChainId, ...ChainId[]]);
/** Hashes and addresses are checked against the family of the message's chain (EVM hex, Tron base58). */
const text = z.string().max(100);
const height = z.number().int().nonnegative();
const transferKey = z.string().max(200).refine(isTransferKey, 'is not a transfer key of a known chain');

/** Each hash and address of a message, in the form its chain's family writes (EVM addresses lower-case, as the watcher reports them). */
function checkFamilyForms(chain: ChainId, fields: { hashes: [string, string][]; addresses: [string, string | null][] }, ctx: z.RefinementCtx) {
  const rules = rulesOf(chain);
  for (const [path, hash] of fields.hashes) if (!rules.txHashPattern.test(hash)) ctx.addIssue({ code: 'custom', path: path.split('.'), message: `is not a hash of ${chain}` });
  for (const [path, address] of fields.addresses) {
    const canonical = address === null || (rules.addressPattern.test(address) && (rules.addressCase === 'exact' || address === address.toLowerCase()));
    if (!canonical) ctx.addIssue({ code: 'custom', path: path.split('.'), message: `is not an address of ${chain} in its canonical form` });
  }
}

const seenTransfer = z
  .object({
    chain: chainId,
    txHash: text,
    logIndex: z.number().int().nonnegative().nullable(),
    blockNumber: height,
    blockHash: text,
    blockTime: z.number().int().nonnegative(),
    contract: text.nullable(),
    from: text,
    to: text,
    amount: z.string().regex(/^\d{1,78}$/).transform((v) => BigInt(v)),
  })
  .superRefine((t, ctx) =>
    checkFamilyForms(t.chain, { hashes: [['txHash', t.txHash], ['blockHash', t.blockHash]], addresses: [['contract', t.contract], ['from', t.from], ['to', t.to]] }, ctx),
  );

const block = z.object({ number: height, hash: text });

/** The observations queue's message contract; anything else is refused before it is acted on. */
export const ObservationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('transfer.seen'), source: z.enum(['watcher', 'attach_tx']), transfer: seenTransfer }),
  z
    .object({ kind: z.literal('transfer.confirmed'), chain: chainId, key: transferKey, blockNumber: height, blockHash: text, confirmations: z.number().int().nonnegative() })
    .superRefine((o, ctx) => checkFamilyForms(o.chain, { hashes: [['blockHash', o.blockHash]], addresses: [] }, ctx)),
  z.object({ kind: z.literal('transfer.recheck'), chain: chainId, key: transferKey }),
  z
    .object({ kind: z.literal('blocks.orphaned'), chain: chainId, blocks: z.array(block).min(1).max(100) })
    .superRefine((o, ctx) => checkFamilyForms(o.chain, { hashes: o.blocks.map((b, i): [string, string] => [`blocks.${i}.hash`, b.hash]), addresses: [] }, ctx)),
]);

export const parseObservation = (body: unknown): Observation => ObservationSchema.parse(body);
