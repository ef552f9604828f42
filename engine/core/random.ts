/**
 * Seeded randomness. Every random draw in rnnlab goes through a `Rng`, built on seedrandom's ARC4 generator
 * (`seedrandom(arc4Key(seed), {state: true})`), so the same seed gives the same bits, and the full state can be
 * saved in a checkpoint and restored for an exact resume.
 */
import seedrandom from 'seedrandom';
import { RnnlabError } from './tensor';

export interface RngState {
  arc4: seedrandom.State.Arc4;
  /** The second Box-Muller value, kept so that a restored generator continues the exact same normal stream. */
  spareNormal: number | null;
}

/**
 * The ARC4 key string of a seed. ARC4's key schedule reads the key cyclically (key[i mod length] for i < 256), so
 * seedrandom gives the keys "1", "11" and "111", or "42" and "4242", one and the same stream: before this function,
 * seeds 1 and 11 trained identical networks. A seed whose text is a repetition of a shorter text gets "/<length>"
 * appended, which makes it aperiodic and distinct from every other number's key; every other seed keeps its plain
 * text as the key, so its stream (and every result made with it) is unchanged. Distinct numbers get distinct
 * streams; a string seed that already ends in "/<length>" may share one with a number, which no caller does.
 */
export function arc4Key(seed: string | number): string {
  const text = String(seed);
  const periodic = text.length > 1 && (text + text).indexOf(text, 1) < text.length;
  return periodic ? `${text}/${text.length}` : text;
}

// Read once: under jest (a vm context) every global lookup in a hot function goes through the context's
// interceptor, which made normal() ~10× slower there; the functions, and so the bits, are the same.
const { sqrt, log, sin, cos, floor, PI } = Math;

export class Rng {
  private prng: seedrandom.StatefulPRNG<seedrandom.State.Arc4>;
  private spare: number | null = null;

  constructor(seed: string | number, state?: RngState) {
    // A saved state replaces the seed entirely (seedrandom ignores the seed when given a state).
    this.prng = seedrandom(arc4Key(seed), { state: state ? cloneArc4(state.arc4) : true });
    if (state) this.spare = state.spareNormal;
  }

  /** Uniform in [0, 1) with 53 bits of randomness. */
  uniform(): number {
    return this.prng.double();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return floor(this.prng.double() * n);
  }

  /** Standard normal by Box-Muller (polar-free form), one cached spare value. */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u1 = this.prng.double();
    while (u1 === 0) u1 = this.prng.double();
    const u2 = this.prng.double();
    const r = sqrt(-2 * log(u1));
    this.spare = r * sin(2 * PI * u2);
    return r * cos(2 * PI * u2);
  }

  fillNormal(out: { length: number; [i: number]: number }, std = 1, mean = 0): void {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
  }

  fillUniform(out: { length: number; [i: number]: number }, lo: number, hi: number): void {
    for (let i = 0; i < out.length; i++) out[i] = lo + (hi - lo) * this.uniform();
  }

  /** In-place Fisher-Yates shuffle. */
  shuffle(a: Int32Array | number[]): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  state(): RngState {
    return { arc4: this.prng.state(), spareNormal: this.spare };
  }
}

function cloneArc4(s: seedrandom.State.Arc4): seedrandom.State.Arc4 {
  if (!s || !Array.isArray(s.S) || s.S.length !== 256 || !Number.isInteger(s.i) || !Number.isInteger(s.j)) {
    throw new RnnlabError('random-generator state is malformed (expected ARC4 {i, j, S[256]})');
  }
  return { i: s.i, j: s.j, S: s.S.slice() };
}
