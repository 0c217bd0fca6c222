/** The observations queue's message contract (watcher → crediting), checked before anything acts on it. */
import * as z from 'zod';
import { CHAINS, type ChainId } from '../../domain/currencies';
import type { Observation } from '../../domain/transfers';

const chainId = z.enum(Object.keys(CHAINS) as [ChainId, ...ChainId[]]);
const hash = z.string().regex(/^0x[0-9a-f]{64}$/);
const addr = z.string().regex(/^0x[0-9a-f]{40}$/);
const height = z.number().int().nonnegative();
const transferKey = z.string().regex(/^[a-z]+#0x[0-9a-f]{64}#(\d+|native)$/);

/** The observations queue's message contract; anything else is refused before it is acted on. */
export const ObservationSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('transfer.seen'),
    source: z.enum(['watcher', 'attach_tx']),
    transfer: z.object({
      chain: chainId,
      txHash: hash,
      logIndex: z.number().int().nonnegative().nullable(),
      blockNumber: height,
      blockHash: hash,
      blockTime: z.number().int().nonnegative(),
      contract: addr.nullable(),
      from: addr,
      to: addr,
      amount: z.string().regex(/^\d{1,78}$/).transform((v) => BigInt(v)),
    }),
  }),
  z.object({ kind: z.literal('transfer.confirmed'), chain: chainId, key: transferKey, blockNumber: height, blockHash: hash, confirmations: z.number().int().nonnegative() }),
  z.object({ kind: z.literal('transfer.recheck'), chain: chainId, key: transferKey }),
  z.object({ kind: z.literal('blocks.orphaned'), chain: chainId, blocks: z.array(z.object({ number: height, hash })).min(1).max(100) }),
]);

export const parseObservation = (body: unknown): Observation => ObservationSchema.parse(body);

