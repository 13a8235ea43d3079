/** Options of one test HTTP call: `token: null` sends no Authorization header; undefined uses the default. */
export interface JsonRequestOptions {
  readonly token?: string | null;
  readonly body?: unknown;
}

export type JsonRequest = <T>(
  method: string,
  path: string,
  opts?: JsonRequestOptions,
) => Promise<{ status: number; body: T }>;

/** A JSON-over-HTTP client for the medium tests of one app: bearer token by default, body parsed when present. */
export function jsonRequest(baseUrl: string, defaultToken: string): JsonRequest {
  return async <T>(method: string, path: string, opts: JsonRequestOptions = {}) => {
    const token = opts.token === undefined ? defaultToken : opts.token;
    const headers: Record<string, string> = {};
    if (token !== null) headers['authorization'] = `Bearer ${token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(baseUrl + path, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const text = await res.text();
    return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
  };
}
