import { Injectable } from '@nestjs/common';

export interface WebhookRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Aborts the request (timeout or shutdown). */
  readonly signal: AbortSignal;
}

export interface WebhookResponse {
  readonly status: number;
  /** The start of the response body, kept as the error of a failed attempt. */
  readonly bodySnippet: string;
}

/** Sends one webhook POST. Rejects when no HTTP answer came (refused, reset, DNS, timeout). */
export interface WebhookSender {
  send(request: WebhookRequest): Promise<WebhookResponse>;
}
export const WEBHOOK_SENDER = Symbol('WebhookSender');

const SNIPPET_BYTES = 300;

/** The production sender: Node's fetch, redirects not followed (a 3xx is not a delivery). */
@Injectable()
export class FetchWebhookSender implements WebhookSender {
  async send(request: WebhookRequest): Promise<WebhookResponse> {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: request.signal,
      redirect: 'manual',
    });
    return { status: response.status, bodySnippet: await readSnippet(response) };
  }
}

/** Reads at most a few hundred bytes of the answer, then drops the rest (a receiver may answer a lot). */
async function readSnippet(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < SNIPPET_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // The status is what matters; a body cut short is no reason to fail the attempt.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString('utf8', 0, Math.min(size, SNIPPET_BYTES));
}
