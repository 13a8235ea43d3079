import { HttpException } from '@nestjs/common';
import { ZodError } from 'zod';

/**
 * Whether trying again may succeed: a database error, a lost connection, a concurrent update of the work order
 * (409, the service desk's optimistic concurrency) or an overload. A refusal of the request itself (another
 * 4xx: the device no longer exists, a field the service desk rejects) and an invalid request (a ZodError, a bug
 * in the mapping) fail the same way every time.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof ZodError) return false;
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return status === 409 || status === 429 || status >= 500;
  }
  return true;
}

export function describeError(error: unknown): string {
  if (error instanceof HttpException) {
    const body = error.getResponse();
    const message = typeof body === 'object' && body !== null && 'message' in body ? body.message : body;
    return `${error.getStatus()} ${typeof message === 'string' ? message : JSON.stringify(message)}`;
  }
  if (error instanceof ZodError) return error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  return error instanceof Error ? error.message : String(error);
}
