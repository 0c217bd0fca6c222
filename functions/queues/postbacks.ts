/** Lambda entry of the postbacks queue: one delivery attempt per message, an invoice's or a withdrawal's (shared/app/postbacks.ts). */
import { postbackFields } from '../../shared/api/cryptocloud/postback';
import { parsePostbackJob } from '../../shared/api/messages/postback-job';
import { withdrawalWebhookBody } from '../../shared/api/native/withdrawal-webhooks';
import { deliverPostback } from '../../shared/app/postbacks';
import { consumer } from '../kit/sqs';

export const handler = consumer(
  'postbacks',
  parsePostbackJob,
  async (deps, job, { receives }) => {
    const outcome = await deliverPostback(deps, { invoice: postbackFields, withdrawal: withdrawalWebhookBody }, job, receives);
    if (outcome.kind === 'retry') return { retryAfterSeconds: outcome.afterSeconds };
    // Attempts exhausted: fail it once more, visible at once, so the queue parks it in the DLQ.
    if (outcome.kind === 'gave_up') return { retryAfterSeconds: 0 };
    return undefined;
  },
  // Each attempt may wait up to the 10 s timeout on a merchant: the batch goes out in parallel.
  { concurrent: true },
);
