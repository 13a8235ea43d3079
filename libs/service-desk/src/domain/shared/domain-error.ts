import type { WorkOrderStatus } from '../work-order/work-order-vocabulary.js';

/**
 * Errors the domain answers with instead of throwing: each names what is wrong so the API can answer
 * `{statusCode, error, message, field}` without guessing.
 */
export type DomainError =
  /** The caller's version is not the current one: someone else changed the work order first. */
  | {
      readonly code: 'stale_version';
      readonly message: string;
      readonly expectedVersion: number;
      readonly currentVersion: number;
    }
  /** The move is not in the transition table from the current status. */
  | {
      readonly code: 'illegal_transition';
      readonly message: string;
      readonly from: WorkOrderStatus;
      readonly to: WorkOrderStatus;
      readonly allowed: readonly WorkOrderStatus[];
    }
  /** The record's state does not allow the operation (a survey twice, a complaint closed before investigation). */
  | { readonly code: 'conflict'; readonly message: string }
  /** The move exists but this actor may not make it (role, or not its own work order). */
  | { readonly code: 'forbidden'; readonly message: string }
  /** A guard failed on a field of the request. */
  | { readonly code: 'invalid_request'; readonly message: string; readonly field: string };

export type DomainErrorCode = DomainError['code'];

/** The HTTP status the API layer answers each error with. */
export function httpStatusOf(error: DomainError): 400 | 403 | 409 {
  switch (error.code) {
    case 'stale_version':
    case 'illegal_transition':
    case 'conflict':
      return 409;
    case 'forbidden':
      return 403;
    case 'invalid_request':
      return 400;
  }
}

export function conflict(message: string): DomainError {
  return { code: 'conflict', message };
}

export function forbidden(message: string): DomainError {
  return { code: 'forbidden', message };
}

export function invalid(field: string, message: string): DomainError {
  return { code: 'invalid_request', field, message: `${field}: ${message}` };
}
