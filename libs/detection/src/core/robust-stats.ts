/**
 * Robust statistics over the bounded windows, delegated to simple-statistics (median, MAD, mean, erf), except
 * on the hot paths (Theil-Sen, pooled sigma, the window refresh) where the medians come from order-stats.ts:
 * the same values, found on reusable scratch buffers instead of fresh arrays.
 * Every function here is O(window) or O(window^2) on a fixed-size window: constant per reading.
 */
import { errorFunction, linearRegression, mean, median, medianAbsoluteDeviation } from 'simple-statistics';
import { ensureCapacity, madInPlace, medianInPlace } from './order-stats.js';

/** MAD of a normal sample times this estimates its standard deviation (1 / Phi^-1(3/4)). */
export const MAD_TO_SIGMA = 1.4826;

export interface LocationScale {
  readonly median: number;
  /** Raw median absolute deviation (not scaled). */
  readonly mad: number;
}

export function robustLocationScale(values: readonly number[]): LocationScale {
  // Same as simple-statistics' medianAbsoluteDeviation, without computing the median a second time.
  const m = median(values);
  const deviations = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) deviations[i] = Math.abs((values[i] ?? 0) - m);
  return { median: m, mad: median(deviations) };
}

/** median(|N(0, 1)|) = Phi^-1(3/4). */
const HALF_NORMAL_MEDIAN = 0.6745;

/**
 * Noise of a series estimated from its first differences: median(|diff|) / 0.6745 / sqrt(2).
 * Insensitive to the level, to slow trends and to a single step, so it measures the sensor, not the asset.
 * (The differences of a level series are centred on 0, so one median suffices where a MAD would take two.)
 */
export function differenceNoise(chronological: readonly number[]): number {
  if (chronological.length < 3) return Number.NaN;
  const diffs = new Array<number>(chronological.length - 1);
  for (let i = 1; i < chronological.length; i++) {
    diffs[i - 1] = Math.abs((chronological[i] ?? 0) - (chronological[i - 1] ?? 0));
  }
  return noiseFromMedianDifference(median(diffs));
}

/** The noise of `differenceNoise` from the median of the absolute first differences. */
export function noiseFromMedianDifference(medianAbsDiff: number): number {
  return medianAbsDiff / HALF_NORMAL_MEDIAN / Math.SQRT2;
}

/** Mean of the values within `center +- halfWidth` (drops spikes before averaging). */
export function trimmedMean(values: readonly number[], center: number, halfWidth: number): number {
  let sum = 0;
  let count = 0;
  // Indexed, not for-of: this runs at every window refresh, and the iterator allocated (and boxed) per value.
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Math.abs(v - center) <= halfWidth) {
      sum += v;
      count += 1;
    }
  }
  return count === 0 ? center : sum / count;
}

export interface RobustLine {
  /** Theil-Sen slope: median of pairwise slopes (unit per x-unit). */
  readonly slope: number;
  /** Median of y - slope * x. */
  readonly intercept: number;
  /** Robust residual standard deviation: 1.4826 * MAD of the residuals. */
  readonly residualSigma: number;
  readonly residuals: readonly number[];
  /** Sum of squared x deviations, for the standard error of the slope. */
  readonly sxx: number;
  readonly xMean: number;
  readonly n: number;
}

/** Share of tied pairwise slopes beyond which Theil-Sen is not trusted (quantised readings). */
const MAX_TIED_SLOPES = 0.25;

/**
 * Theil-Sen regression (Sen 1968): breakdown point 29 %, so a few bad days do not bend the line.
 * O(n^2) pairs; called once per closed bucket on a window of a few dozen buckets.
 *
 * Sen's estimator assumes continuous data: on a staircase of quantised readings (an ER probe that moves one
 * resolution step every few days) most pairwise slopes are exactly 0 and their median is 0 whatever the
 * trend. When more than a quarter of the pairs are tied, the line falls back to least squares
 * (simple-statistics `linearRegression`); the daily means it runs on have spikes removed already.
 */
export function theilSen(xs: readonly number[], ys: readonly number[]): RobustLine | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 3) return null;
  // The pairwise slopes go to a shared scratch buffer (no array per call); their median is the same order
  // statistic simple-statistics' median would select (order-stats.test.ts).
  slopeScratch = ensureCapacity(slopeScratch, (n * (n - 1)) / 2);
  const slopes = slopeScratch;
  let count = 0;
  let ties = 0;
  for (let i = 0; i < n; i++) {
    const xi = xs[i] ?? 0;
    const yi = ys[i] ?? 0;
    for (let j = i + 1; j < n; j++) {
      const dx = (xs[j] ?? 0) - xi;
      if (dx === 0) continue;
      const dy = (ys[j] ?? 0) - yi;
      if (dy === 0) ties += 1;
      slopes[count++] = dy / dx;
    }
  }
  if (count === 0) return null;
  let slope: number;
  let intercept: number;
  const offsets = new Array<number>(n);
  if (ties > MAX_TIED_SLOPES * count) {
    const points = new Array<[number, number]>(n);
    for (let i = 0; i < n; i++) points[i] = [xs[i] ?? 0, ys[i] ?? 0];
    const line = linearRegression(points);
    slope = line.m;
    for (let i = 0; i < n; i++) offsets[i] = (ys[i] ?? 0) - slope * (xs[i] ?? 0);
    intercept = line.b;
  } else {
    slope = medianInPlace(slopes, count);
    sampleScratch = ensureCapacity(sampleScratch, n);
    for (let i = 0; i < n; i++) {
      const offset = (ys[i] ?? 0) - slope * (xs[i] ?? 0);
      offsets[i] = offset;
      sampleScratch[i] = offset;
    }
    intercept = medianInPlace(sampleScratch, n);
  }
  const residuals = new Array<number>(n);
  for (let i = 0; i < n; i++) residuals[i] = (offsets[i] ?? 0) - intercept;
  const xMean = mean(xs.length === n ? xs : xs.slice(0, n));
  let sxx = 0;
  for (let i = 0; i < n; i++) sxx += ((xs[i] ?? 0) - xMean) ** 2;
  return {
    slope,
    intercept,
    residualSigma: scratchMad(residuals) * MAD_TO_SIGMA,
    residuals,
    sxx,
    xMean,
    n,
  };
}

/** Scratch buffers of theilSen and the MADs (single-threaded, never re-entered). */
let slopeScratch: Float64Array = new Float64Array(512);
let sampleScratch: Float64Array = new Float64Array(64);
let deviationScratch: Float64Array = new Float64Array(64);

/** simple-statistics' medianAbsoluteDeviation of one or more sets taken together, without allocating. */
function scratchMad(...sets: readonly (readonly number[])[]): number {
  let n = 0;
  for (const set of sets) n += set.length;
  if (n === 0) return medianAbsoluteDeviation([]);
  sampleScratch = ensureCapacity(sampleScratch, n);
  deviationScratch = ensureCapacity(deviationScratch, n);
  let k = 0;
  for (const set of sets) for (let i = 0; i < set.length; i++) sampleScratch[k++] = set[i]!;
  return madInPlace(sampleScratch, n, deviationScratch);
}

/** Standard normal CDF through simple-statistics' error function. */
export function normalCdf(x: number): number {
  if (x === Number.POSITIVE_INFINITY) return 1;
  if (x === Number.NEGATIVE_INFINITY) return 0;
  return 0.5 * (1 + errorFunction(x / Math.SQRT2));
}

/** 10 ** e for e = 0..22 (the exact powers of ten), computed once by the same operator roundSig used. */
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, e) => 10 ** e);

/**
 * Round to `digits` significant digits. Derived values kept in state are rounded when computed (live and
 * restored alike), which keeps the serialised state small without breaking snapshot/restore equivalence.
 */
export function roundSig(x: number, digits = 8): number {
  if (!Number.isFinite(x) || x === 0) return x;
  // Integer arithmetic on a power of ten (exact up to 1e22), so the result is the double nearest to the
  // rounded decimal and serialises as that short decimal; about 3x cheaper than toPrecision + parse.
  const k = digits - 1 - decimalExponent(Math.abs(x));
  if (k >= 0) {
    const f = k < POW10.length ? POW10[k]! : 10 ** k;
    return Math.round(x * f) / f;
  }
  const f = -k < POW10.length ? POW10[-k]! : 10 ** -k;
  return Math.round(x / f) * f;
}

/** 10 ** -e for e = 0..14, as written (the doubles nearest to them). */
const NEG_POW10: readonly number[] = Array.from({ length: 15 }, (_, e) => Number(`1e-${e}`));

/**
 * floor(log10(a)) for a > 0: by comparison with the powers of ten between 1e-14 and 1e15 (where readings and
 * their statistics are: a few comparisons, a third cheaper than Math.log10 in roundSig), by Math.log10 outside.
 * The same as Math.log10 on 5 million random values over 40 decades and on every double within 200 ulps of
 * each power of ten (checked when it was written).
 */
function decimalExponent(a: number): number {
  if (a >= 1) {
    if (a >= 1e15) return Math.floor(Math.log10(a));
    let e = 0;
    while (a >= POW10[e + 1]!) e++;
    return e;
  }
  if (a < 1e-14) return Math.floor(Math.log10(a));
  let e = -1;
  while (a < NEG_POW10[-e]!) e--;
  return e;
}

/** Robust sigma of several residual sets together (more points, steadier than each set alone). */
export function pooledSigma(...sets: readonly (readonly number[])[]): number {
  return scratchMad(...sets) * MAD_TO_SIGMA;
}

export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
