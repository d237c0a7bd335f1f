// Seeded randomness for the simulation (SIM_SEED): the same seed replays the same market.
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export interface Random {
  /** an integer in [min, max] */
  int(min: number, max: number): number;
  /** true with the given probability (0..1) */
  chance(probability: number): boolean;
}

export function createRandom(seed: number): Random {
  const rng = xoroshiro128plus(seed);
  const int = (min: number, max: number) => uniformInt(rng, min, max);
  return {
    int,
    chance: (probability) => probability > 0 && int(0, 999_999) < Math.round(probability * 1_000_000),
  };
}
