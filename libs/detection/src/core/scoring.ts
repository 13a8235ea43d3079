/**
 * Score conventions: every score is in [0, 1]; 0.5 means "exactly at the detection threshold", values
 * towards 1 mean the evidence is far beyond it. Raised and escalated findings have a score >= 0.5;
 * cleared findings have 0.
 */
import { clamp01 } from './robust-stats.js';

/** Score of a finding whose evidence exceeds its threshold by `excess` (relative, >= 0). */
export function excessScore(excess: number): number {
  const x = Math.max(0, excess);
  return round3(0.5 + (0.5 * x) / (1 + x));
}

/** Smooth score of a statistic `x` against a threshold: 0.5 at the threshold, `width` sets the slope. */
export function logisticScore(x: number, threshold: number, width: number): number {
  const u = (x - threshold) / width;
  // Far below the threshold the logistic is under 0.0005 (1 / (1 + e^7.7) = 0.00045) and rounds to 0: the
  // usual case of a quiet stream, answered without Math.exp.
  if (u < -7.7) return 0;
  return round3(clamp01(1 / (1 + Math.exp(-(x - threshold) / width))));
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
