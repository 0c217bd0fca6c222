import { describe, expect, it } from 'vitest';
import { type Ratio, ratio } from '../../shared/domain/money';
import { decideRate, type SourceSnapshot } from '../../shared/domain/rates';

const NOW = 1_000_000;
const policy = { maxAgeMs: 60_000, maxSpread: ratio(3n, 100n) };
const snap = (source: string, eth: bigint, ageMs = 0): SourceSnapshot => ({ source, fetchedAt: NOW - ageMs, usdPer: new Map<string, Ratio>([['ETH', ratio(eth, 1n)]]) });

describe('decideRate', () => {
  it('takes the median of agreeing quotes', () => {
    expect(decideRate('ETH', [snap('a', 100n), snap('b', 102n), snap('c', 101n)], policy, NOW)).toEqual({ ok: true, rate: ratio(101n, 1n), sources: ['a', 'c', 'b'] });
    expect(decideRate('ETH', [snap('a', 100n), snap('b', 102n)], policy, NOW)).toMatchObject({ ok: true, rate: { num: 202n, den: 2n } });
  });

  it('two sources must agree with each other, not with their average', () => {
    expect(decideRate('ETH', [snap('a', 100n), snap('b', 106n)], policy, NOW)).toMatchObject({ ok: false, reason: 'sources_disagree' });
    expect(decideRate('ETH', [snap('a', 100n), snap('b', 103n)], policy, NOW)).toMatchObject({ ok: true });
  });

  it('drops an outlier when the rest are a strict majority', () => {
    expect(decideRate('ETH', [snap('a', 100n), snap('b', 150n), snap('c', 101n)], policy, NOW)).toMatchObject({ ok: true, sources: ['a', 'c'] });
    expect(decideRate('ETH', [snap('a', 100n), snap('b', 150n), snap('c', 200n)], policy, NOW)).toMatchObject({ ok: false, reason: 'sources_disagree' });
  });

  it('ignores stale snapshots and symbols a source does not quote', () => {
    expect(decideRate('ETH', [snap('a', 100n, 60_001)], policy, NOW)).toMatchObject({ ok: false, reason: 'no_fresh_quote' });
    expect(decideRate('BNB', [snap('a', 100n)], policy, NOW)).toMatchObject({ ok: false, reason: 'no_fresh_quote' });
    expect(decideRate('ETH', [snap('a', 100n, 60_001), snap('b', 90n)], policy, NOW)).toMatchObject({ ok: true, rate: ratio(90n, 1n) });
  });
});
