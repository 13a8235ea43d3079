import { describe, expect, it } from 'vitest';
import { Outbox } from './outbox.js';

describe('Outbox', () => {
  it('lets a message go only on its ack', () => {
    const box = new Outbox<string>();
    box.enqueue('a');
    box.enqueue('b');
    const a = box.take()!;
    expect(a.message).toBe('a');
    expect(box.size).toBe(2);
    expect(box.inFlightCount).toBe(1);
    expect(box.ack(a.id)).toBe('a');
    expect(box.size).toBe(1);
    expect(box.ack(a.id)).toBeUndefined();
  });

  it('puts the in-flight messages back in front, oldest first, when the connection drops', () => {
    const box = new Outbox<string>();
    for (const m of ['a', 'b', 'c', 'd']) box.enqueue(m);
    const a = box.take()!;
    const b = box.take()!;
    const c = box.take()!;
    box.ack(b.id);
    expect(box.requeueInFlight()).toBe(2);
    expect(box.inFlightCount).toBe(0);
    const order: string[] = [];
    for (let t = box.take(); t; t = box.take()) order.push(t.message);
    expect(order).toEqual(['a', 'c', 'd']);
    // The ids of the old session are dead: a late ack of them acknowledges nothing.
    expect(box.ack(a.id)).toBeUndefined();
    expect(box.ack(c.id)).toBeUndefined();
    expect(box.size).toBe(3);
  });

  it('never loses a message over many sends, drops and acks', () => {
    const box = new Outbox<number>();
    const acked = new Set<number>();
    let next = 0;
    for (let round = 0; round < 200; round++) {
      for (let i = 0; i < 37; i++) box.enqueue(next++);
      const taken = [];
      for (let i = 0; i < 25; i++) {
        const t = box.take();
        if (t) taken.push(t);
      }
      // Half the publishes are acked, then the link drops.
      for (const t of taken.filter((_, i) => i % 2 === 0)) acked.add(box.ack(t.id)!);
      box.requeueInFlight();
    }
    for (let t = box.take(); t; t = box.take()) acked.add(box.ack(t.id)!);
    expect(box.size).toBe(0);
    expect(acked.size).toBe(next);
  });
});
