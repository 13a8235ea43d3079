import { BadRequestException, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

/** Names the first offending field the way the API error contract wants: `coating.nominalDftUm`. */
export function describeZodError(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  if (!issue) return { field: '', message: 'invalid input' };
  // A strict object reports an unknown key with an empty path: name the key itself.
  const path =
    issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...issue.path, issue.keys[0]] : issue.path;
  const field = path.map(String).join('.');
  return { field, message: field ? `${field}: ${issue.message}` : issue.message };
}

/** Validates (and coerces, with schema defaults) a body, query or param against a zod schema. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    const { field, message } = describeZodError(result.error);
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message, field });
  }
}
