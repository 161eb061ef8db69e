/** Median and spread of repeated measurements. */
export interface Summary {
  /** Number of samples. */
  n: number;
  /** Median. */
  median: number;
  /** Smallest sample. */
  min: number;
  /** Largest sample. */
  max: number;
}

/** The median, minimum and maximum of `samples` (at least one). */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error("summarize: no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { n: sorted.length, median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Per-repetition ratios `numerator[i] / denominator[i]` of two series measured side by side. */
export function pairedRatios(numerator: readonly number[], denominator: readonly number[]): number[] {
  if (numerator.length !== denominator.length) throw new Error(`pairedRatios: ${numerator.length} vs ${denominator.length} samples`);
  return numerator.map((value, index) => value / denominator[index]);
}
