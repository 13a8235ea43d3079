/**
 * Where an event sits in commit-safe order: (transaction id, sequence). See `events` in
 * events.tables.ts for why the transaction id comes first.
 */
export interface EventPosition {
  readonly txId: string;
  readonly seq: number;
}

/** Before every event. */
export const START_POSITION: EventPosition = { txId: '0', seq: 0 };
