/** Alerts and findings as the API shows them (ISO 8601 times, priorities). */
import type { AlertDetail, AlertView } from '#contracts';
import type { Finding, Prediction } from '../core/index.js';
import { type Alert, priorityOf } from './alert.js';
import type { AlertActionRecord } from './alert.repository.js';

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export function predictionView(p: Prediction | null | undefined) {
  if (!p) return null;
  return {
    limit: p.limit,
    crossingTime: iso(p.crossingTime),
    earliest: iso(p.earliest),
    latest: isoOrNull(p.latest),
    confidence: p.confidence,
    horizonDays: p.horizonMs / 86_400_000,
    slopePerDay: p.slopePerDay,
    level: p.level,
  };
}

export function alertView(a: Alert): AlertView {
  return {
    id: a.id,
    deviceId: a.deviceId,
    assetId: a.assetId,
    customerId: a.customerId,
    metric: a.metric,
    kind: a.kind,
    fault: a.fault,
    detector: a.detector,
    lifecycle: a.lifecycle,
    severity: a.severity,
    priority: priorityOf(a.severity),
    score: a.score,
    status: a.status,
    explanation: a.explanation,
    standard: a.standard,
    eventTime: iso(a.eventTime),
    onsetTime: iso(a.onsetTime),
    openedAt: iso(a.openedAt),
    lastEventTime: iso(a.lastEventTime),
    occurrences: a.occurrences,
    clearedAt: isoOrNull(a.clearedAt),
    clearedEventTime: isoOrNull(a.clearedEventTime),
    clearReason: a.clearReason,
    acknowledgedBy: a.acknowledgedBy,
    acknowledgedAt: isoOrNull(a.acknowledgedAt),
    closedBy: a.closedBy,
    closedAt: isoOrNull(a.closedAt),
    note: a.note,
    evidence: {
      from: iso(a.evidence.from),
      to: iso(a.evidence.to),
      series: a.evidence.series,
      points: a.evidence.points.map((p) => ({ ts: iso(p.ts), value: p.value })),
    },
    prediction: predictionView(a.prediction),
    details: a.details ? { ...a.details } : null,
    version: a.version,
    updatedAt: iso(a.updatedAt),
  };
}

export function alertDetailView(a: Alert, history: readonly AlertActionRecord[]): AlertDetail {
  return {
    ...alertView(a),
    history: history.map((h) => ({
      action: h.action,
      at: iso(h.at),
      eventTime: isoOrNull(h.eventTime),
      actor: h.actor,
      note: h.note,
      details: h.details,
    })),
  };
}

export function findingView(f: Finding) {
  return {
    metric: f.metric,
    kind: f.kind,
    fault: f.fault,
    detector: f.detector,
    phase: f.phase,
    lifecycle: f.lifecycle,
    score: f.score,
    severity: f.severity,
    explanation: f.explanation,
    eventTime: iso(f.eventTime),
    detectedAt: iso(f.detectedAt),
    standard: f.standard ?? null,
    prediction: predictionView(f.prediction),
  };
}
