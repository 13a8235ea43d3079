import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  NotFoundException,
} from '@nestjs/common';
import { httpStatusOf, type DomainError } from '../domain/index.js';

/** 404 for what does not exist or what the caller may not see (the same answer: no probing). */
export function notFound(entity: string, id: string): NotFoundException {
  return new NotFoundException({ message: `${entity} ${id} not found` });
}

/** 400 for a body field naming a row that does not exist (or that the caller may not use). */
export function unknownReference(field: string, entity: string, id: string): BadRequestException {
  return new BadRequestException({ message: `${field}: ${entity} ${id} does not exist`, field });
}

export function invalidField(field: string, reason: string): BadRequestException {
  return new BadRequestException({ message: `${field}: ${reason}`, field });
}

export function conflict(message: string, extra: Record<string, unknown> = {}): ConflictException {
  return new ConflictException({ message, ...extra });
}

export function forbidden(message: string): ForbiddenException {
  return new ForbiddenException({ message });
}

/**
 * The HTTP answer to a domain refusal (status from the domain's httpStatusOf), keeping what the caller needs
 * to recover: the field at fault, the allowed targets of an illegal move, the current version of a stale one.
 */
export function domainHttpError(error: DomainError): HttpException {
  const status = httpStatusOf(error);
  switch (error.code) {
    case 'stale_version':
      return new HttpException(
        { message: error.message, field: 'version', currentVersion: error.currentVersion },
        status,
      );
    case 'illegal_transition':
      return new HttpException(
        { message: error.message, field: 'to', from: error.from, to: error.to, allowed: error.allowed },
        status,
      );
    case 'invalid_request':
      return new HttpException({ message: error.message, field: error.field }, status);
    case 'conflict':
    case 'forbidden':
      return new HttpException({ message: error.message }, status);
  }
}

/** Unwraps a domain result, throwing its HTTP error on refusal. */
export function orThrow<R extends { readonly ok: true } | { readonly ok: false; readonly error: DomainError }>(
  result: R,
): Extract<R, { ok: true }> {
  if (result.ok) return result as Extract<R, { ok: true }>;
  throw domainHttpError((result as Extract<R, { ok: false }>).error);
}
