/** A minimal Server-Sent Events client over fetch, reading the body stream (tests only). */
export interface SseMessage {
  readonly id: string | undefined;
  readonly event: string | undefined;
  readonly data: string;
}

export interface SseClient {
  readonly status: number;
  readonly contentType: string | null;
  /** Every event received so far. */
  readonly messages: SseMessage[];
  /** Every comment line received so far (without the leading colon). */
  readonly comments: string[];
  readonly retry: number | undefined;
  /** Resolves with the next event not yet taken (or rejects after `timeoutMs`). */
  next(timeoutMs?: number): Promise<SseMessage>;
  /** Resolves once a comment matching the predicate arrived. */
  waitForComment(predicate: (comment: string) => boolean, timeoutMs?: number): Promise<void>;
  /** True when the server ended the stream. */
  readonly ended: boolean;
  close(): void;
}

export async function openSse(
  url: string,
  options: { token: string; lastEventId?: string; headers?: Record<string, string> },
): Promise<SseClient> {
  const controller = new AbortController();
  const headers: Record<string, string> = {
    accept: 'text/event-stream',
    authorization: `Bearer ${options.token}`,
    ...options.headers,
  };
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  const response = await fetch(url, { headers, signal: controller.signal });
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  let taken = 0;
  let retry: number | undefined;
  let ended = false;
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };

  const parseBlock = (block: string) => {
    let id: string | undefined;
    let event: string | undefined;
    const data: string[] = [];
    let isEvent = false;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        comments.push(line.slice(1).trim());
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'retry') retry = Number(value);
      else if (field === 'data') {
        data.push(value);
        isEvent = true;
      }
    }
    if (isEvent) messages.push({ id, event, data: data.join('\n') });
  };

  if (response.ok && response.body) {
    const body = response.body as ReadableStream<Uint8Array>;
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of body) {
          buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n');
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            parseBlock(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
          notify();
        }
      } catch {
        // aborted by close()
      } finally {
        ended = true;
        notify();
      }
    })();
  } else {
    ended = true;
  }

  const waitUntil = (ready: () => boolean, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (ready()) {
          cleanup();
          resolve();
        } else if (ended) {
          cleanup();
          reject(new Error(`stream ended while waiting for ${what}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    messages,
    comments,
    get retry() {
      return retry;
    },
    get ended() {
      return ended;
    },
    async next(timeoutMs = 5000) {
      await waitUntil(() => messages.length > taken, timeoutMs, 'event');
      const message = messages[taken++];
      if (!message) throw new Error('unreachable: no message after wait');
      return message;
    },
    waitForComment: (predicate, timeoutMs = 5000) => waitUntil(() => comments.some(predicate), timeoutMs, 'comment'),
    close() {
      controller.abort();
    },
  };
}
