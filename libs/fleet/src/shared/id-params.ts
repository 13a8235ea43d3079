import { Param, type PipeTransform } from '@nestjs/common';
import { DEVICE_ID_PATTERN } from '#contracts';
import { z } from 'zod';
import { notFound } from './http-errors.js';

const uuid = z.uuid();

/**
 * A malformed id can name no row, so it answers 404 like an unknown one (and never reaches
 * PostgreSQL, which would fail the query on an invalid uuid literal).
 */
class IdOrNotFoundPipe implements PipeTransform<unknown, string> {
  constructor(
    private readonly entity: string,
    private readonly valid: (id: string) => boolean,
  ) {}

  transform(value: unknown): string {
    const id = typeof value === 'string' ? value : '';
    if (!this.valid(id)) throw notFound(this.entity, id);
    return id;
  }
}

/** The `:id` route parameter of a uuid-keyed resource. */
export const UuidParam = (entity: string, name = 'id'): ParameterDecorator =>
  Param(name, new IdOrNotFoundPipe(entity, (id) => uuid.safeParse(id).success));

/** The `:id` route parameter of a device. */
export const DeviceIdParam = (name = 'id'): ParameterDecorator =>
  Param(name, new IdOrNotFoundPipe('device', (id) => DEVICE_ID_PATTERN.test(id)));
