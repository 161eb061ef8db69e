/** Multipliers of the Kubernetes quantity suffixes (binary, decimal and milli). */
const SUFFIXES: Readonly<Record<string, number>> = {
  "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** The value of a Kubernetes quantity (`500m` = 0.5, `1Gi` = 1073741824, `1e3` = 1000); fails on anything else. */
export function quantityValue(quantity: string | number): number {
  if (typeof quantity === "number") return quantity;
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|([a-zA-Z]*))$/.exec(quantity);
  if (!match || (match[3] !== undefined && SUFFIXES[match[3]] === undefined)) throw new Error(`"${quantity}" is not a Kubernetes quantity`);
  const base = Number(match[1]);
  return match[2] ? base * 10 ** Number(match[2].slice(1)) : base * SUFFIXES[match[3] ?? ""];
}
