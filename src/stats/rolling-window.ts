/**
 * A ring of fixed-width time slots, each holding one tally. Memory is constant: a slot is
 * reused (and cleared) when time moves past it, so nothing per post is kept.
 */
import { Tally, type PostContribution } from './tally.ts';

interface Slot {
  /** `floor(time / slotMs)` of the slot's data, or -Infinity while unused. */
  index: number;
  tally: Tally;
}

export class RollingWindow {
  readonly slotMs: number;
  readonly slotCount: number;
  readonly #slots: Slot[];

  constructor(slotMs: number, slotCount: number) {
    this.slotMs = slotMs;
    this.slotCount = slotCount;
    this.#slots = Array.from({ length: slotCount }, () => ({ index: -Infinity, tally: new Tally() }));
  }

  /**
   * Adds or removes one post in the slot of `time`. Removing from a slot that was already
   * reused, or adding to one older than the slot's current data, changes nothing: that time has
   * left the window.
   */
  add(time: number, contribution: PostContribution, weight: 1 | -1): void {
    const slot = this.#slotAt(time, weight > 0);
    slot?.add(contribution, weight);
  }

  /** Adds the posts of `tally` to the slot of `time`, like `add` with weight 1 for each. */
  merge(time: number, tally: Tally): void {
    this.#slotAt(time, true)?.merge(tally);
  }

  /**
   * Returns the tally of `time`'s slot, claiming the slot for `time` when `claim` is set.
   * Returns null when that time has left the window.
   */
  #slotAt(time: number, claim: boolean): Tally | null {
    const index = Math.floor(time / this.slotMs);
    const slot = this.#slots[modulo(index, this.slotCount)]!;
    if (slot.index === index) return slot.tally;
    if (!claim || index < slot.index) return null;
    slot.index = index;
    slot.tally = new Tally();
    return slot.tally;
  }

  /** Sum of the slots that cover `(now - slotCount * slotMs, now]`, the current slot included. */
  total(now: number): Tally {
    const current = Math.floor(now / this.slotMs);
    const sum = new Tally();
    for (const slot of this.#slots) {
      if (slot.index <= current && slot.index > current - this.slotCount) sum.merge(slot.tally);
    }
    return sum;
  }
}

function modulo(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}
