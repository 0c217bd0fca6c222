/** Everything a use case may reach, wired once per process by functions/kit/deps.ts. */

import type { ChainDeployment } from '../domain/chains';
import type { ChainFamily, ChainId } from '../domain/currencies';
import type { WithdrawalStore, WorkflowStarter } from './funds-out';
import type { SweepStore } from './sweeps';
import type { SweepPolicy } from '../domain/sweep';
import type { Ledger } from './ledger';
import type { PayoutBatchStore } from './payouts';
import type { NetworkPolicy } from '../domain/network';
import type { RetryPolicy } from '../domain/postbacks';
import type { ChainAdapter, CheckpointStore, PaymentStore } from './chain';
import type { NativeWatch } from './chain';
import type { Clock, IdSource, RandomSource } from './clock-ids';
import type { Logger } from './log';
import type { QrRenderer, RateCounter } from './pages';
import type { PosLinkStore } from './pos';
import type { PostbackLog, PostbackSigner, PostbackTransport } from './postbacks';
import type { DeadLetters, Queue } from './queues';
import type { DonationStore } from './donations';
import type { StaticWalletStore } from './static-wallets';
import type { AuditLog, SecondFactorStore, TotpEngine, WithdrawalWalletStore } from './second-factor';
import type { RateSource } from './rates';
import type { NetworkFeeSource } from './network-fees';
import type { WithdrawalRuleStore } from './withdrawal-rules';
import type { AddressAllocator, BalanceReader, IdempotencyStore, InvoiceStore, ProjectStore, SecretCipher } from './stores';

export type Deps = {
  clock: Clock;
  /** Retry jitter (postback backoff). */
  random: RandomSource;
  ids: IdSource;
  projects: ProjectStore;
  invoices: InvoiceStore;
  idempotency: IdempotencyStore;
  balances: BalanceReader;
  /** Donation pages and the invoices made through them. */
  donations: DonationStore;
  /** Static wallets and their receipts. */
  staticWallets: StaticWalletStore;
  rates: RateSource;
  /** Each chain's stored resource prices: invoices' network fees are the estimated sweep cost at them. */
  networkFees: NetworkFeeSource;
  addresses: AddressAllocator;
  /** Raised before a native-coin address is shown, so chain watchers read blocks, not only logs. */
  nativeWatch: NativeWatch;
  queue: Queue;
  cipher: SecretCipher;
  /** Holds, settlements, releases, sweeps and gas: every journal entry that is not a payment's. */
  ledger: Ledger;
  withdrawals: WithdrawalStore;
  payoutBatches: PayoutBatchStore;
  /** Deposits (received, swept) and the sweeps that move them into the hot wallets. */
  sweeps: SweepStore;
  /** Starts withdrawal and sweep executions (Step Functions on AWS, the local host in `npm start`). */
  workflows: WorkflowStarter;
  /** The chains this deployment watches, and the codes each serves. */
  chains: readonly ChainDeployment[];
  /** A reader for a chain this deployment watches. */
  readChain(chain: ChainId): ChainAdapter;
  payments: PaymentStore;
  /** The watchers' scan positions: the expirer waits until a chain's scan passed an expiry. */
  checkpoints: Pick<CheckpointStore, 'get'>;
  postbackLog: PostbackLog;
  transport: PostbackTransport;
  signer: PostbackSigner;
  deadLetters: DeadLetters;
  log: Logger;
  /** Public routes' request counters: in this instance's memory (cheap reads) or in the table (creation). */
  rateCounters: { memory: RateCounter; table: RateCounter };
  qr: QrRenderer;
  posLinks: PosLinkStore;
  /** TOTP codes and recovery codes (otplib), the project's second factor, its withdrawal wallets and audit trail. */
  totp: TotpEngine;
  secondFactors: SecondFactorStore;
  withdrawalWallets: WithdrawalWalletStore;
  /** Automatic withdrawal rules, one per project and currency (issue 14 §2). */
  withdrawalRules: WithdrawalRuleStore;
  audit: AuditLog;
  /** Full address validation per family, checksums included (shared/adapters/chains/address-checks.ts). */
  addressChecks: Readonly<Record<ChainFamily, (text: string) => boolean>>;
  settings: {
    /** Where the payment page is served: `link` is `${publicBaseUrl}/pay/<id>`. */
    publicBaseUrl: string;
    rateLockMs: number;
    /** Requests per client per minute of each public route class (lib/manifest.ts rateLimits). */
    rateLimitsPerMinute: { browse: number; create: number };
    /** The local runtime's devnet wallet can pay test invoices from the payment page (never on AWS). */
    testWallet: boolean;
    idempotencyTtlMs: number;
    /** How long a new or re-addressed withdrawal wallet waits before it may receive funds (WITHDRAWAL_COOLING_OFF_HOURS). */
    withdrawalCoolingOffMs: number;
    /** How much of a deposit's worth its sweep may cost (SWEEP_MAX_FEE_SHARE, SWEEP_THRESHOLDS_JSON). */
    sweepPolicy: SweepPolicy;
    postbacks: {
      timeoutMs: number;
      retry: RetryPolicy;
      /** How long a rotated-out secret still signs the native header. */
      secretGraceMs: number;
      network: NetworkPolicy;
    };
  };
};
