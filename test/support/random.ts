/** A seeded generator (LCG), so a randomized test replays from the seed it prints. */
export function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Each item 1 to `maxCopies` times, shuffled: a queue that redelivers and reorders. */
export function repeatAndShuffle<T>(random: () => number, maxCopies = 5) {
  return (items: T[]): T[] => {
    const copies = items.flatMap((o) => Array.from({ length: 1 + Math.floor(random() * maxCopies) }, () => o));
    for (let i = copies.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [copies[i], copies[j]] = [copies[j], copies[i]];
    }
    return copies;
  };
}
