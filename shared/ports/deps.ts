/** Everything a use case may reach, wired once per process by functions/kit/deps.ts. */

import type { ChainDeployment } from '../domain/chains';
import type { ChainId } from '../domain/currencies';
import type { NetworkPolicy } from '../domain/network';
import type { RetryPolicy } from '../domain/postbacks';
import type { ChainAdapter, CheckpointStore, PaymentStore } from './chain';
import type { Clock, IdSource, RandomSource } from './clock-ids';
import type { Logger } from './log';
import type { QrRenderer, RateCounter } from './pages';
import type { PosLinkStore } from './pos';
import type { PostbackLog, PostbackSigner, PostbackTransport } from './postbacks';
import type { DeadLetters, Queue } from './queues';
import type { DonationStore } from './donations';
import type { StaticWalletStore } from './static-wallets';
import type { RateSource } from './rates';
import type { AddressAllocator, BalanceReader, IdempotencyStore, InvoiceStore, ProjectStore, SecretCipher } from './stores';
import type { WorkflowStarter } from './funds-out';

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
  addresses: AddressAllocator;
  queue: Queue;
  cipher: SecretCipher;
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
  /** Starts withdrawal and sweep executions (Step Functions on AWS, the in-process host locally). */
  workflows: WorkflowStarter;
  settings: {
    /** Where the payment page is served: `link` is `${publicBaseUrl}/pay/<id>`. */
    publicBaseUrl: string;
    rateLockMs: number;
    /** Requests per client per minute of each public route class (lib/manifest.ts rateLimits). */
    rateLimitsPerMinute: { browse: number; create: number };
    /** The local runtime's devnet wallet can pay test invoices from the payment page (never on AWS). */
    testWallet: boolean;
    idempotencyTtlMs: number;
    postbacks: {
      timeoutMs: number;
      retry: RetryPolicy;
      /** How long a rotated-out secret still signs the native header. */
      secretGraceMs: number;
      network: NetworkPolicy;
    };
  };
};
