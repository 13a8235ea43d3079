import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeZodError, ZodValidationPipe } from './zod-validation.pipe.js';

describe('ZodValidationPipe', () => {
  const schema = z.strictObject({ name: z.string(), coating: z.strictObject({ nominalDftUm: z.number().positive() }) });

  it('answers the parsed value', () => {
    expect(new ZodValidationPipe(schema).transform({ name: 'a', coating: { nominalDftUm: 1 } })).toEqual({
      name: 'a',
      coating: { nominalDftUm: 1 },
    });
  });

  it('names a nested field', () => {
    const r = schema.safeParse({ name: 'a', coating: { nominalDftUm: -1 } });
    expect(r.success).toBe(false);
    expect(describeZodError(r.error!)).toMatchObject({ field: 'coating.nominalDftUm' });
  });

  it('names an unknown key of a strict object', () => {
    const r = schema.safeParse({ name: 'a', coating: { nominalDftUm: 1, colour: 'red' } });
    expect(describeZodError(r.error!)).toMatchObject({ field: 'coating.colour' });
  });

  it('throws a 400 with statusCode, error, message and field', () => {
    try {
      new ZodValidationPipe(schema).transform({ coating: { nominalDftUm: 1 } });
      expect.unreachable();
    } catch (error) {
      expect((error as { getStatus(): number }).getStatus()).toBe(400);
      expect((error as { getResponse(): unknown }).getResponse()).toMatchObject({ statusCode: 400, field: 'name' });
    }
  });
});
