/** The admin chain status view: each family's network id under its own name. */
import { describe, expect, it } from 'vitest';
import { presentChainStatus } from '../../shared/api/admin/chains';
import { resolveChainDeployments } from '../../shared/domain/chains';

const deployment = (chain: 'ethereum' | 'tron') => {
  const resolved = resolveChainDeployments({ [chain]: {} });
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.error));
  return resolved.value[0];
};

describe('presentChainStatus', () => {
  it('keeps evm_chain_id for an EVM chain, beside chain_id', () => {
    expect(presentChainStatus(deployment('ethereum'), null)).toMatchObject({ chain: 'ethereum', family: 'evm', chain_id: 1, evm_chain_id: 1, confirmations: { normal: 12 } });
  });

  it('gives Tron its own network id as chain_id and no EIP-155 id', () => {
    expect(presentChainStatus(deployment('tron'), null)).toMatchObject({ chain: 'tron', family: 'tron', chain_id: 728126428, evm_chain_id: null, confirmations: { normal: 'solidified' } });
  });
});
