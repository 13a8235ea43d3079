import type { DeviceErrorMessage, DevicePublishMessage } from '#contracts';
import type { Rejection } from '../decoding/telemetry-decoder.js';
import type { DeadLetter } from '../store/telemetry-store.js';

/**
 * Dead-letter rows kept per message. One row per rejection, each with the raw payload so it can be
 * inspected and replayed alone; capped because a 1000-reading message with a systematic fault (a
 * misnamed metric) would otherwise store its whole payload 1000 times. The counter still counts all.
 */
export const MAX_DEAD_LETTERS_PER_MESSAGE = 10;

export function deadLettersFor(message: DevicePublishMessage, rejections: readonly Rejection[]): DeadLetter[] {
  const kept = rejections.slice(0, MAX_DEAD_LETTERS_PER_MESSAGE);
  const omitted = rejections.length - kept.length;
  return kept.map((r, i) => ({
    deviceId: message.deviceId,
    topic: message.topic,
    payload: message.payload,
    reason: r.reason,
    field: r.field,
    message:
      omitted > 0 && i === kept.length - 1 ? `${r.message} (+${omitted} more rejections in this message)` : r.message,
    receivedAt: message.receivedAt,
  }));
}

/**
 * The answer on `devices/{id}/errors`: one per message, naming its first problem (the device fixes
 * the first and retries), with the totals of the message so a partial acceptance is visible.
 */
export function deviceErrorFor(
  message: DevicePublishMessage,
  rejections: readonly Rejection[],
  accepted: number,
  at: number,
): DeviceErrorMessage {
  const first = rejections[0];
  if (first === undefined) throw new Error('deviceErrorFor needs at least one rejection');
  const more = rejections.length - 1;
  return {
    error: first.reason,
    field: first.field,
    message: more > 0 ? `${first.message} (and ${more} more problem${more === 1 ? '' : 's'})` : first.message,
    topic: message.topic,
    ...(first.seq === undefined ? {} : { seq: first.seq }),
    rejected: totalRejected(rejections),
    accepted,
    at: new Date(at).toISOString(),
  };
}

export function totalRejected(rejections: readonly Rejection[]): number {
  let total = 0;
  for (const r of rejections) total += r.count;
  return total;
}
