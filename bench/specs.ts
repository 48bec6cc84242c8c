// Cluster specs of N members for the synth benchmark: m1..mN on TEST-NET addresses.

export interface SynthCase {
  /** Row label: `empty`, `default`, or the member count. */
  readonly id: string;
  /** Members in the synthesized stack (0 for the empty stack). */
  readonly members: number;
  /** undefined: the empty-stack app; null: the embedded default spec; else a spec to write. */
  readonly spec?: object | null;
}

/** Spec of N members m1..mN: 192.0.2.11.. (TEST-NET-1) up to 240 members, never routed. */
export function memberSpec(n: number): { members: { name: string; address: string }[] } {
  if (!Number.isInteger(n) || n < 1 || n > 240) throw new Error(`member count must be 1..240, got ${n}`);
  return { members: Array.from({ length: n }, (_, i) => ({ name: `m${i + 1}`, address: `192.0.2.${11 + i}` })) };
}

/** The synth cases in table order: the empty-stack floor, the embedded default, then each size. */
export function synthCases(sizes: readonly number[]): SynthCase[] {
  return [{ id: 'empty', members: 0 }, { id: 'default', members: 3, spec: null }, ...sizes.map((n) => ({ id: String(n), members: n, spec: memberSpec(n) }))];
}
