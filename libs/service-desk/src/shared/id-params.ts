import { Param, type PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { isWorkOrderNumber } from '../domain/index.js';
import { notFound } from './http-errors.js';

const uuid = z.uuid();

/** A work order named by its id or its number (WO-2026-000123). */
export type WorkOrderRef =
  { readonly kind: 'id'; readonly id: string } | { readonly kind: 'number'; readonly number: string };

/** Anything else can name no work order: 404 without a query (an invalid uuid literal would fail it). */
class WorkOrderRefPipe implements PipeTransform<unknown, WorkOrderRef> {
  transform(value: unknown): WorkOrderRef {
    const text = typeof value === 'string' ? value : '';
    if (uuid.safeParse(text).success) return { kind: 'id', id: text.toLowerCase() };
    if (isWorkOrderNumber(text)) return { kind: 'number', number: text };
    throw notFound('work order', text);
  }
}

class UuidOrNotFoundPipe implements PipeTransform<unknown, string> {
  constructor(private readonly entity: string) {}

  transform(value: unknown): string {
    const text = typeof value === 'string' ? value : '';
    if (!uuid.safeParse(text).success) throw notFound(this.entity, text);
    return text.toLowerCase();
  }
}

/** The `:id` parameter of the work-order routes: a uuid or a number. */
export const WorkOrderParam = (name = 'id'): ParameterDecorator => Param(name, new WorkOrderRefPipe());

/** The uuid `:id` parameter of another resource (complaint, plan, follow-up). */
export const UuidParam = (entity: string, name = 'id'): ParameterDecorator =>
  Param(name, new UuidOrNotFoundPipe(entity));
