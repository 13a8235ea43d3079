import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { PUBLIC_EVENT_PUBLISHER, PublicEventSchema, type PublicEvent, type PublicEventPublisher } from '#contracts';

/**
 * An in-memory PUBLIC_EVENT_PUBLISHER for tests: validates every event against the contract and keeps it, with
 * whether a transaction was passed (the service desk must always publish inside the change's transaction).
 */
export class RecordingEventPublisher implements PublicEventPublisher {
  readonly events: PublicEvent[] = [];
  readonly withoutTransaction: PublicEvent[] = [];

  async publish(input: Omit<PublicEvent, 'id' | 'at'> & { at?: string }, tx?: unknown): Promise<PublicEvent> {
    const event = PublicEventSchema.parse({ ...input, id: randomUUID(), at: input.at ?? new Date().toISOString() });
    this.events.push(event);
    if (tx === undefined) this.withoutTransaction.push(event);
    return event;
  }

  ofType(type: string): PublicEvent[] {
    return this.events.filter((e) => e.type === type);
  }

  clear(): void {
    this.events.length = 0;
    this.withoutTransaction.length = 0;
  }
}

/** A module that provides and exports the recording publisher as PUBLIC_EVENT_PUBLISHER. */
export function recordingEventsModule(publisher: RecordingEventPublisher) {
  @Module({ providers: [{ provide: PUBLIC_EVENT_PUBLISHER, useValue: publisher }], exports: [PUBLIC_EVENT_PUBLISHER] })
  class RecordingEventsModule {}
  return RecordingEventsModule;
}
