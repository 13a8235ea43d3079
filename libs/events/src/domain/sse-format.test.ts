import { describe, expect, it } from 'vitest';
import { sseComment, sseEvent, sseRetry } from './sse-format.js';

describe('SSE framing', () => {
  it('writes id, event and data lines ended by a blank line', () => {
    expect(sseEvent('e1', 'work_order.opened', '{"a":1}')).toBe('id: e1\nevent: work_order.opened\ndata: {"a":1}\n\n');
  });

  it('splits a multi-line data value into several data fields', () => {
    expect(sseEvent('e2', 'x.y', 'one\ntwo\r\nthree')).toBe(
      'id: e2\nevent: x.y\ndata: one\ndata: two\ndata: three\n\n',
    );
  });

  it('refuses an id or type that would break the framing', () => {
    expect(() => sseEvent('a\nb', 'x.y', '')).toThrow(/single-line/);
    expect(() => sseEvent('a', 'x.y\ndata: injected', '')).toThrow(/single-line/);
  });

  it('writes comments and the retry field', () => {
    expect(sseComment('heartbeat')).toBe(': heartbeat\n\n');
    expect(sseComment('two\nlines')).toBe(': two lines\n\n');
    expect(sseRetry(3000)).toBe('retry: 3000\n\n');
  });
});
