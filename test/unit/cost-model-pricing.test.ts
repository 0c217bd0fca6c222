import { describe, expect, it } from 'vitest';
import { type CostInputs, type Counts, PLACEHOLDER_WATCHER_MODES, priceCostModel, priceCounts, renderCostMarkdown, ZERO } from '../../bench/cost-model-pricing';

const counts = (c: Partial<Counts>): Counts => ({ ...ZERO, ...c });
const inputs: CostInputs = {
  perInvoice: counts({ lambdaInvocations: 10, lambdaGbSeconds: 0.1, dynamoReadUnits: 20, dynamoWriteUnits: 10, sqsRequests: 9, httpRequests: 14 }),
  perSweep: counts({ lambdaInvocations: 7, lambdaGbSeconds: 0.7, sfnTransitions: 15 }),
  perWithdrawal: counts({ sfnTransitions: 14 }),
  sweepsPerInvoice: 1,
  withdrawalsPerInvoice: 0,
  fixedPerMonth: ZERO,
  watchers: { base: { blockTimeSeconds: 2, idle: { gbSecondsPerHour: 4.5, rpcCallsPerDay: 1_440 }, busy: { gbSecondsPerHour: 1_500, rpcCallsPerDay: 43_200 } } },
  chains: ['base'],
  busyMinutesPerInvoice: 0,
  pollingQueues: 0,
  secrets: 0,
  alarms: 0,
  bytesPerInvoiceStored: 0,
  averageInvoiceUsd: 50,
  hostedPercent: { low: 0.4, high: 1.9 },
};

describe('the cost model', () => {
  it('prices each dimension at the published list price', () => {
    const p = priceCounts(counts({ lambdaGbSeconds: 1_000_000, lambdaInvocations: 1_000_000, dynamoWriteUnits: 1_000_000, dynamoReadUnits: 1_000_000, sqsRequests: 1_000_000, sfnTransitions: 1_000, httpRequests: 1_000_000 }));
    expect(p.lambda).toBeCloseTo(13.3334 + 0.2, 6);
    expect(p.dynamodb).toBeCloseTo(0.625 + 0.125, 6);
    expect(p.sqs).toBeCloseTo(0.4, 6);
    expect(p.stepFunctions).toBeCloseTo(0.025, 6);
    expect(p.apiGateway).toBeCloseTo(1, 6);
  });

  it('grows with the invoices, keeps the idle watcher as the fixed part, and sets the hosted percentage beside it', () => {
    const model = priceCostModel(inputs, [1_000, 100_000]);
    // 4.5 GB-s an hour for 730 hours at arm64's price, plus a request a minute.
    expect(model.idlePerChainMonthUsd.base).toBeCloseTo(0.05, 2);
    const [small, large] = model.volumes;
    expect(large.totalUsd - small.totalUsd).toBeCloseTo((99_000 * (priceCounts(inputs.perInvoice).lambda + priceCounts(inputs.perInvoice).dynamodb + priceCounts(inputs.perInvoice).sqs + priceCounts(inputs.perInvoice).apiGateway + priceCounts(inputs.perSweep).lambda + priceCounts(inputs.perSweep).stepFunctions)) / 1, 0);
    expect(small.hostedUsd).toEqual({ low: 200, high: 950 });
    expect(large.hostedUsd).toEqual({ low: 20_000, high: 95_000 });
  });

  it('renders the README table, and says when the watcher figures are placeholders', () => {
    const measured = renderCostMarkdown(priceCostModel(inputs));
    expect(measured).toContain('| 10,000 |');
    expect(measured).not.toContain('PLACEHOLDER');
    expect(renderCostMarkdown(priceCostModel({ ...inputs, watchers: PLACEHOLDER_WATCHER_MODES }))).toContain('PLACEHOLDER');
  });
});
