// Median, min and max of a series of runs.
export function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { n: 0, median: NaN, min: NaN, max: NaN, values: [] };
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { n, median, min: sorted[0], max: sorted[n - 1], values };
}

// Ratio of two summaries' medians, with the spread of the per-round ratios (paired runs).
export function pairedRatio(numerator, denominator) {
  const ratios = numerator.values.map((v, i) => v / denominator.values[i]).filter(Number.isFinite);
  return { ...summarize(ratios), ofMedians: numerator.median / denominator.median };
}
