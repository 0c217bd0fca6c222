/** Time and randomness a test decides, for the Clock and RandomSource ports of Deps. */
import type { Instant } from '../../shared/domain/time';
import type { Clock, RandomSource } from '../../shared/ports';

/** Always the same fraction: the postback backoff's jitter becomes exact. */
export const fixedRandom = (fraction: number): RandomSource => ({ fraction: () => fraction });

/** A clock that stands still until the test moves it (a fake `sleep` can move it by its wait). */
export function manualClock(start: Instant): Clock & { advance(ms: number): void } {
  let at = start;
  return {
    now: () => at,
    advance: (ms) => {
      at += ms;
    },
  };
}
