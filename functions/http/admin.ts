/** Lambda entry for the `admin` route group (lib/manifest.ts): what the tollgate CLI calls. One file per route. */
// Reads EVM and Tron chains: attach-tx fetches the transaction, rescan scans a range (chain status reads only checkpoints).
import '../kit/chains-evm';
import '../kit/chains-tron';
import { httpGroup } from '../kit/http';
import { adminChainDeposits } from './admin-chain-deposits';
import { adminChainRescan } from './admin-chain-rescan';
import { adminChainStatus } from './admin-chain-status';
import { adminDlqList } from './admin-dlq-list';
import { adminDonationCreate } from './admin-donation-create';
import { adminDonationList } from './admin-donation-list';
import { adminDonationShow } from './admin-donation-show';
import { adminDonationUpdate } from './admin-donation-update';
import { adminDlqRedrive } from './admin-dlq-redrive';
import { adminInvoiceAttachTx } from './admin-invoice-attach-tx';
import { adminInvoiceConfirm } from './admin-invoice-confirm';
import { adminInvoiceCreate } from './admin-invoice-create';
import { invoiceConfirmTest } from './admin-invoice-confirm-test';
import { adminInvoicePostbacks } from './admin-invoice-postbacks';
import { adminInvoicePostbacksResend } from './admin-invoice-postbacks-resend';
import { adminPosCreate } from './admin-pos-create';
import { adminPosList } from './admin-pos-list';
import { adminPosRevoke } from './admin-pos-revoke';
import { projectCreate } from './admin-project-create';
import { projectList } from './admin-project-list';
import { projectRotateKeys } from './admin-project-rotate-keys';
import { projectShow } from './admin-project-show';
import { projectUpdate } from './admin-project-update';
import { adminStaticWalletBlock } from './admin-static-wallet-block';
import { adminStaticWalletCreate } from './admin-static-wallet-create';
import { adminStaticWalletList } from './admin-static-wallet-list';
import { adminStaticWalletShow } from './admin-static-wallet-show';
import { adminStaticWalletUnblock } from './admin-static-wallet-unblock';
import { adminWithdrawalWebhooks } from './admin-withdrawal-webhooks';
import { adminWithdrawalWebhooksResend } from './admin-withdrawal-webhooks-resend';

import { adminWithdrawalCancel } from './admin-withdrawal-cancel';
import { adminWithdrawalCreate } from './admin-withdrawal-create';
import { adminWithdrawalList } from './admin-withdrawal-list';
import { adminWithdrawalShow } from './admin-withdrawal-show';
import { adminAuditList } from './admin-audit-list';
import { adminSecondFactorConfirm } from './admin-second-factor-confirm';
import { adminSecondFactorStart } from './admin-second-factor-start';
import { adminSecondFactorStatus } from './admin-second-factor-status';
import { adminWithdrawalWalletAdd } from './admin-withdrawal-wallet-add';
import { adminWithdrawalWalletChange } from './admin-withdrawal-wallet-change';
import { adminWithdrawalWalletList } from './admin-withdrawal-wallet-list';
import { adminWithdrawalWalletRemove } from './admin-withdrawal-wallet-remove';
import { adminWithdrawalRuleCreate } from './admin-withdrawal-rule-create';
import { adminWithdrawalRuleDelete } from './admin-withdrawal-rule-delete';
import { adminWithdrawalRuleList } from './admin-withdrawal-rule-list';
import { adminWithdrawalRuleUpdate } from './admin-withdrawal-rule-update';
import { adminReconcile } from './admin-reconcile';
import { adminHotWallets } from './admin-hot-wallets';
import { adminPayoutBatchApprove } from './admin-payout-batch-approve';
import { adminPayoutBatchCreate } from './admin-payout-batch-create';
import { adminPayoutBatchList } from './admin-payout-batch-list';
import { adminPayoutBatchShow } from './admin-payout-batch-show';
import { adminInvoiceList } from './admin-invoice-list';
import { adminInvoiceShow } from './admin-invoice-show';
import { projectGoLive } from './admin-project-go-live';

// By resource: projects; invoices; queues and chains; POS links; donation pages; static wallets; second factor, withdrawal wallets and audit.
export const handler = httpGroup([
  projectCreate, projectList, projectShow, projectUpdate, projectRotateKeys,
  adminInvoiceCreate, invoiceConfirmTest, adminInvoiceConfirm, adminInvoiceAttachTx, adminInvoicePostbacks, adminInvoicePostbacksResend,
  adminDlqList, adminDlqRedrive, adminChainRescan, adminChainStatus, adminChainDeposits,
  adminPosCreate, adminPosList, adminPosRevoke,
  adminDonationCreate, adminDonationList, adminDonationShow, adminDonationUpdate,
  adminStaticWalletCreate, adminStaticWalletList, adminStaticWalletShow, adminStaticWalletBlock, adminStaticWalletUnblock,
  adminWithdrawalCreate, adminWithdrawalList, adminWithdrawalShow, adminWithdrawalCancel,
  adminWithdrawalWebhooks, adminWithdrawalWebhooksResend,
  adminSecondFactorStart, adminSecondFactorConfirm, adminSecondFactorStatus,
  adminWithdrawalWalletList, adminWithdrawalWalletAdd, adminWithdrawalWalletChange, adminWithdrawalWalletRemove, adminAuditList,
  adminReconcile, adminHotWallets,
  adminPayoutBatchCreate, adminPayoutBatchList, adminPayoutBatchShow, adminPayoutBatchApprove,
  adminWithdrawalRuleList, adminWithdrawalRuleCreate, adminWithdrawalRuleUpdate, adminWithdrawalRuleDelete,
  adminInvoiceList, adminInvoiceShow,
  projectGoLive,
]);
