/**
 * A hostile contract for tests: one cheap transaction emits any number of ERC-20 `Transfer` logs
 * to a deposit address, as a spammer would to crowd out real payments. Compiled offline with
 * solc-js and deployed on the devnet.
 */
import { createRequire } from 'node:module';
import { ContractFactory, Interface, JsonRpcProvider, Network, Wallet } from 'ethers';
import { DEVNET_CHAIN_ID } from '../../lib/local/engines/devnet';

const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Spam {
  event Transfer(address indexed from, address indexed to, uint256 value);
  function spam(address to, uint256 n) external {
    for (uint256 i = 0; i < n; i++) emit Transfer(msg.sender, to, i + 1);
  }
}`;

const requireCjs = createRequire(import.meta.url);
export const SPAM_ABI = new Interface(['function spam(address to, uint256 n)']);

function compile(): string {
  const solc = requireCjs('solc') as { compile(input: string): string };
  const input = { language: 'Solidity', sources: { 'Spam.sol': { content: SOURCE } }, settings: { evmVersion: 'cancun', outputSelection: { 'Spam.sol': { Spam: ['evm.bytecode.object'] } } } };
  const out = JSON.parse(solc.compile(JSON.stringify(input))) as { contracts?: { 'Spam.sol'?: { Spam?: { evm: { bytecode: { object: string } } } } } };
  const code = out.contracts?.['Spam.sol']?.Spam?.evm.bytecode.object;
  if (!code) throw new Error(`Spam.sol did not compile: ${JSON.stringify(out).slice(0, 500)}`);
  return `0x${code}`;
}

/** Deploys the spammer from `privateKey`; returns a function that sends `n` fake Transfer logs to `to` in one transaction. */
export async function deploySpammer(rpcUrl: string, privateKey: string) {
  const provider = new JsonRpcProvider(rpcUrl, Network.from(DEVNET_CHAIN_ID), { staticNetwork: true });
  const wallet = new Wallet(privateKey, provider);
  const contract = await new ContractFactory(SPAM_ABI, compile(), wallet).deploy();
  await contract.waitForDeployment();
  const address = (await contract.getAddress()).toLowerCase();
  return {
    address,
    spam: async (to: string, n: number) => {
      const nonce = await provider.getTransactionCount(wallet.address, 'latest');
      const tx = await wallet.sendTransaction({ to: address, data: SPAM_ABI.encodeFunctionData('spam', [to, n]), nonce });
      await tx.wait();
      return tx.hash.toLowerCase();
    },
    stop: () => provider.destroy(),
  };
}
