/**
 * Mass payouts on the devnet (issue 14, "Benchmark"): gas per recipient of a payout of 1, 10, 100
 * and 500 USDT items through the disperse contract (lib/contracts/TollgateDisperse.sol, split into
 * calls of DISPERSE_RECIPIENTS_MAX as the gateway's legs are), against one ERC-20 transfer each.
 * Every recipient is fresh (its token balance slot written from zero, the costly case a real
 * payout mostly meets). The one approve() of the contract is reported apart: it is paid once per
 * token and hot wallet, not per payout.
 */
import { Contract, JsonRpcProvider, Network, Wallet } from 'ethers';
import { compileDisperse } from '../lib/contracts/compile';
import { DEVNET_CHAIN_ID, startDevnet } from '../lib/local/engines/devnet';
import { DISPERSE_RECIPIENTS_MAX } from '../shared/domain/payout-batch';

const SIZES = [1, 10, 100, 500] as const;
/** Plain transfers measured per size: each costs the same, so past this many the mean does not move. */
const TRANSFERS_MEASURED_MAX = 100;
const ERC20 = ['function approve(address spender, uint256 value)', 'function transfer(address to, uint256 value)'];

export async function disperseFigures(): Promise<Record<string, unknown>> {
  const devnet = await startDevnet({ blockTimeSeconds: null });
  const provider = new JsonRpcProvider(devnet.rpcUrl, Network.from(DEVNET_CHAIN_ID), { staticNetwork: true, cacheTimeout: -1 });
  try {
    const payer = new Wallet(devnet.payerPrivateKey, provider);
    const token = new Contract(devnet.tokens.USDT_ERC20, ERC20, payer);
    const disperse = new Contract(devnet.disperseContract, compileDisperse().abi, payer);
    let nonce = await provider.getTransactionCount(payer.address, 'pending');
    const gasOf = async (send: Promise<{ wait(): Promise<{ gasUsed: bigint; status: number | null } | null> }>) => {
      const receipt = await (await send).wait();
      if (receipt?.status !== 1) throw new Error('bench: a transaction reverted');
      return receipt.gasUsed;
    };
    const approveGas = await gasOf(token.approve(devnet.disperseContract, 2n ** 256n - 1n, { nonce: nonce++ }));

    const sizes: Record<string, unknown> = {};
    for (const n of SIZES) {
      const recipients = Array.from({ length: n }, () => Wallet.createRandom().address);
      let disperseGas = 0n;
      let transactions = 0;
      for (let i = 0; i < n; i += DISPERSE_RECIPIENTS_MAX) {
        const to = recipients.slice(i, i + DISPERSE_RECIPIENTS_MAX);
        disperseGas += await gasOf(disperse.disperseToken(devnet.tokens.USDT_ERC20, to, to.map(() => 1_000_000n), { nonce: nonce++ }));
        transactions += 1;
      }
      const measured = Math.min(n, TRANSFERS_MEASURED_MAX);
      let transferGas = 0n;
      for (let i = 0; i < measured; i++) transferGas += await gasOf(token.transfer(Wallet.createRandom().address, 1_000_000n, { nonce: nonce++ }));
      const perTransfer = Number(transferGas) / measured;
      const perRecipient = Number(disperseGas) / n;
      sizes[String(n)] = {
        disperse_transactions: transactions,
        disperse_gas_total: Number(disperseGas),
        disperse_gas_per_recipient: Math.round(perRecipient),
        transfer_gas_each: Math.round(perTransfer),
        transfer_gas_total: Math.round(perTransfer * n),
        saving_percent: Math.round((1 - perRecipient / perTransfer) * 1000) / 10,
      };
    }
    return { token: 'devnet USDT (TestUSDT, fresh recipients)', recipients_per_call_max: DISPERSE_RECIPIENTS_MAX, approve_gas_once: Number(approveGas), by_items: sizes };
  } finally {
    provider.destroy();
    await devnet.stop();
  }
}
