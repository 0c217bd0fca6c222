/** Lambda entry for the `invoices` route group (lib/manifest.ts). */
// Reads EVM and Tron chains: attach-tx fetches the transaction from the offer's chain.
import '../kit/chains-evm';
import '../kit/chains-tron';
import { httpGroup } from '../kit/http';
import { donationCreate } from './donation-create';
import { donationList } from './donation-list';
import { donationShow } from './donation-show';
import { donationUpdate } from './donation-update';
import { invoiceCancel } from './invoice-cancel';
import { invoiceCreate } from './invoice-create';
import { invoiceInfo } from './invoice-info';
import { invoiceList } from './invoice-list';
import { invoiceAttachTx, invoiceConfirm, invoiceSelect } from './invoice-payments';
import { invoicePostbacks, invoicePostbacksResend } from './invoice-postbacks';
import { invoiceStatisticsRoute } from './invoice-statistics';
import { invoiceTestConfirm } from './invoice-test-confirm';
import { staticWalletBlock, staticWalletUnblock } from './static-wallet-block';
import { staticWalletCreate } from './static-wallet-create';
import { staticWalletList } from './static-wallet-list';
import { staticWalletShow } from './static-wallet-show';
import { withdrawalCancel } from './withdrawal-cancel';
import { withdrawalCreate } from './withdrawal-create';
import { withdrawalList } from './withdrawal-list';
import { withdrawalOutCreate } from './withdrawal-out-create';
import { withdrawalShow } from './withdrawal-show';
import { withdrawalWebhooks } from './withdrawal-webhooks';
import { withdrawalWebhooksResend } from './withdrawal-webhooks-resend';
import { auditList } from './audit-list';
import { withdrawalWalletAdd } from './withdrawal-wallet-add';
import { withdrawalWalletChange } from './withdrawal-wallet-change';
import { withdrawalWalletList } from './withdrawal-wallet-list';
import { withdrawalWalletRemove } from './withdrawal-wallet-remove';
import { withdrawalRuleCreate } from './withdrawal-rule-create';
import { withdrawalRuleDelete } from './withdrawal-rule-delete';
import { withdrawalRuleList } from './withdrawal-rule-list';
import { withdrawalRuleUpdate } from './withdrawal-rule-update';

export const handler = httpGroup([invoiceCreate, invoiceInfo, invoiceList, invoiceCancel, invoiceStatisticsRoute, invoiceTestConfirm, invoiceSelect, invoiceConfirm, invoiceAttachTx, invoicePostbacks, invoicePostbacksResend, donationCreate, donationList, donationShow, donationUpdate, staticWalletCreate, staticWalletList, staticWalletShow, staticWalletBlock, staticWalletUnblock, withdrawalOutCreate, withdrawalCreate, withdrawalList, withdrawalShow, withdrawalCancel, withdrawalWebhooks, withdrawalWebhooksResend, withdrawalWalletList, withdrawalWalletAdd, withdrawalWalletChange, withdrawalWalletRemove, auditList, withdrawalRuleList, withdrawalRuleCreate, withdrawalRuleUpdate, withdrawalRuleDelete]);
