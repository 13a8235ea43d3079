/**
 * Server-Sent Events framing (WHATWG HTML, "Server-sent events", 9.2.5 and 9.2.6): fields are
 * `name: value` lines, an event ends with a blank line, and a line starting with `:` is a comment
 * the client ignores (used as heartbeat so proxies keep the connection open).
 */
export function sseEvent(id: string, type: string, data: string): string {
  if (/[\r\n\0]/.test(id) || /[\r\n]/.test(type)) throw new Error('SSE id and event type must be single-line');
  // A data value spanning several lines is sent as several data fields; the client joins them with \n.
  const lines = data.split(/\r\n|\r|\n/).map((line) => `data: ${line}\n`);
  return `id: ${id}\nevent: ${type}\n${lines.join('')}\n`;
}

export function sseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}

/** Tells the client how long to wait before reconnecting (milliseconds). */
export function sseRetry(ms: number): string {
  return `retry: ${Math.max(0, Math.round(ms))}\n\n`;
}
