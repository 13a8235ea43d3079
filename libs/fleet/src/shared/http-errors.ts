import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';

/** 404 for a resource that does not exist or that the caller may not see (same answer, no probing). */
export function notFound(entity: string, id: string): NotFoundException {
  return new NotFoundException({ message: `${entity} ${id} not found` });
}

/** 400 for a body field that references a row that does not exist. */
export function unknownReference(field: string, entity: string, id: string): BadRequestException {
  return new BadRequestException({ message: `${field}: ${entity} ${id} does not exist`, field });
}

export function conflict(message: string, field?: string): ConflictException {
  return new ConflictException(field === undefined ? { message } : { message, field });
}

/** 400 for a body field whose value is well-formed but not acceptable. */
export function invalidField(field: string, reason: string): BadRequestException {
  return new BadRequestException({ message: `${field}: ${reason}`, field });
}
