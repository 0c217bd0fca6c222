import { type ChainDeployment, finalityTagsUsed } from '../domain/chains';
import type { ChainHeights } from '../domain/invoice/payments';
import type { ChainAdapter } from '../ports';

/** The head (unless the caller just read it) and the heights of the finality tags the deployment's rules use (only those are read). */
export async function chainHeights(reader: ChainAdapter, deployment: ChainDeployment, knownHead?: number): Promise<ChainHeights> {
  const tags = finalityTagsUsed(deployment.confirmations);
  const [head, ...tagged] = await Promise.all([knownHead ?? reader.head().then((h) => h.number), ...tags.map((tag) => reader.taggedBlock(tag))]);
  return { head, ...Object.fromEntries(tags.map((tag, i) => [tag, tagged[i]])) };
}
