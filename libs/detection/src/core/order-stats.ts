/**
 * Allocation-free order statistics on reusable Float64Array scratch buffers, for the hot path (the window
 * refresh every few readings, Theil-Sen at each closed bucket). Each function returns exactly what
 * simple-statistics returns for the same values (`median`: the type-7 quantile at 0.5, i.e. for an even
 * count lo + 0.5 * (hi - lo) of the two middle order statistics; `medianAbsoluteDeviation`: the median of
 * |x - median|): an order statistic does not depend on how it is found, and the interpolation and the
 * deviations use the same floating-point operations. order-stats.test.ts checks this on random data.
 *
 * simple-statistics copies its input into a fresh array and runs Floyd-Rivest select on it at every call;
 * here the values are copied into a buffer the caller owns and sorted in place (insertion sort: the inputs
 * are a few dozen values) or selected (quickselect, for the few hundred pairwise slopes of Theil-Sen).
 */

/** A Float64Array of at least `n` elements: `buffer` itself when large enough, otherwise a new one. */
export function ensureCapacity(buffer: Float64Array, n: number): Float64Array {
  return buffer.length >= n ? buffer : new Float64Array(Math.max(n, 2 * buffer.length));
}

/** Sorts a[0..n) ascending in place (insertion sort: for the small windows it is used on). */
export function insertionSort(a: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

/**
 * Replaces one occurrence of `removed` (which must be in a[0..n)) by `added` in a[0..n) sorted ascending,
 * keeping it sorted: a binary search, then a shift of the values between the two positions only.
 */
export function replaceSorted(a: Float64Array, n: number, removed: number, added: number): void {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < removed) lo = mid + 1;
    else hi = mid;
  }
  let i = lo;
  if (added > removed) {
    while (i + 1 < n && a[i + 1]! < added) {
      a[i] = a[i + 1]!;
      i++;
    }
  } else {
    while (i > 0 && a[i - 1]! > added) {
      a[i] = a[i - 1]!;
      i--;
    }
  }
  a[i] = added;
}

/** Median of a[0..n) already sorted ascending, as simple-statistics computes it (n >= 1). */
export function medianOfSorted(a: Float64Array, n: number): number {
  const idx = (n - 1) * 0.5;
  const lower = Math.floor(idx);
  if (lower === idx) return a[lower]!;
  const lo = a[lower]!;
  return lo + (idx - lower) * (a[lower + 1]! - lo);
}

/**
 * Median absolute deviation about `m` of a[0..n) sorted ascending, without sorting the deviations: they
 * fall on both sides of `m` in increasing order, so a two-way merge walks them in order up to the middle.
 */
export function madOfSorted(a: Float64Array, n: number, m: number): number {
  const idx = (n - 1) * 0.5;
  const lower = Math.floor(idx);
  const need = lower === idx ? lower : lower + 1;
  // First index with a[i] >= m: deviations grow to the right of it and to the left of it.
  let right = 0;
  while (right < n && a[right]! < m) right++;
  let left = right - 1;
  let previous = 0;
  let current = 0;
  for (let k = 0; k <= need; k++) {
    previous = current;
    if (left < 0) {
      current = Math.abs(a[right++]! - m);
    } else if (right >= n) {
      current = Math.abs(a[left--]! - m);
    } else {
      const dl = Math.abs(a[left]! - m);
      const dr = Math.abs(a[right]! - m);
      if (dl <= dr) {
        current = dl;
        left--;
      } else {
        current = dr;
        right++;
      }
    }
  }
  if (lower === idx) return current;
  return previous + (idx - lower) * (current - previous);
}

/** Median of a[0..n) (reordered in place: sorted when n is small, partitioned otherwise). n >= 1. */
export function medianInPlace(a: Float64Array, n: number): number {
  if (n <= 64) {
    insertionSort(a, n);
    return medianOfSorted(a, n);
  }
  const idx = (n - 1) * 0.5;
  const lower = Math.floor(idx);
  select(a, lower, n);
  const lo = a[lower]!;
  if (lower === idx) return lo;
  // The next order statistic is the smallest value right of the k-th after selection.
  let hi = a[lower + 1]!;
  for (let i = lower + 2; i < n; i++) if (a[i]! < hi) hi = a[i]!;
  return lo + (idx - lower) * (hi - lo);
}

/** Quickselect (Hoare partition, median-of-three pivot): a[k] becomes the k-th smallest of a[0..n). */
function select(a: Float64Array, k: number, n: number): void {
  let left = 0;
  let right = n - 1;
  while (right > left) {
    const mid = (left + right) >>> 1;
    // Median of three as the pivot value.
    let x = a[left]!;
    let y = a[mid]!;
    const z = a[right]!;
    if (x > y) {
      const t = x;
      x = y;
      y = t;
    }
    if (y > z) {
      y = z;
      if (x > y) y = x;
    }
    const pivot = y;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

/** Median absolute deviation of a[0..n) (reorders a; `scratch` receives the deviations). n >= 1. */
export function madInPlace(a: Float64Array, n: number, scratch: Float64Array): number {
  const m = medianInPlace(a, n);
  if (n <= 64) return madOfSorted(a, n, m);
  for (let i = 0; i < n; i++) scratch[i] = Math.abs(a[i]! - m);
  return medianInPlace(scratch, n);
}
