/** Receipts of a static wallet without a chain: written as crediting makes them (shared/app/crediting.ts `invoiceFor`). */
import { expect } from 'vitest';
import { findCrypto } from '../../shared/domain/currencies';
import type { StaticWalletId } from '../../shared/domain/ids';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import { creditPayment, recordTransfer } from '../../shared/domain/invoice/payments';
import { ratio } from '../../shared/domain/money';
import { receiptInvoice } from '../../shared/domain/static-wallet';
import { type Transfer, transferKey } from '../../shared/domain/transfers';
import type { Deps } from '../../shared/ports';

let txCounter = 0;

/** A USDT_ERC20 transfer to `address`, as the watcher would report it (a fresh tx hash each call). */
export function usdtTransferTo(address: string, amount: bigint): Transfer {
  txCounter += 1;
  const hex = (c: string) => `0x${String(txCounter).padStart(8, '0')}${c.repeat(56)}`;
  return { chain: 'ethereum', txHash: hex('a'), logIndex: 0, blockNumber: 100 + txCounter, blockHash: hex('b'), blockTime: Date.now(), contract: findCrypto('USDT_ERC20')?.contract ?? null, from: `0x${'1'.repeat(40)}`, to: address, amount };
}

/** A receipt of a USDT_ERC20 wallet at 1 USD per USDT; `paid`: credited at depth 1, as crediting would leave it. */
export async function writeReceipt(deps: Deps, walletId: string, amount: bigint, options: { paid?: boolean; at?: number } = {}): Promise<Invoice> {
  const wallet = await deps.staticWallets.get(walletId as StaticWalletId);
  const owner = wallet ? await deps.projects.get(wallet.shopId) : null;
  const currency = findCrypto('USDT_ERC20');
  if (!wallet || !owner || !currency) throw new Error(`no wallet ${walletId}`);
  const now = options.at ?? Date.now();
  // Mined when the receipt is made: within its rate lock, so it is valued at the receipt's rate.
  const transfer = { ...usdtTransferTo(wallet.address, amount), blockTime: now };
  let invoice = receiptInvoice({ id: deps.ids.invoiceId(), wallet, transfer, currency, usdPerUnit: ratio(1n, 1n), fees: owner.settings, testMode: false, locale: 'en', now });
  if (options.paid) {
    const seen = recordTransfer(invoice, { transfer, code: 'USDT_ERC20', finality: { blocks: 1 }, source: 'watcher', now }).invoice;
    const credited = creditPayment(seen, { key: transferKey(transfer), blockHash: transfer.blockHash, confirmations: 1, toleranceUnits: 0n, now });
    if (!credited.ok) throw new Error(JSON.stringify(credited.error));
    invoice = credited.value.invoice;
  }
  expect(await deps.staticWallets.createReceipt(invoice, transferKey(transfer))).toEqual({ kind: 'created' });
  return invoice;
}
