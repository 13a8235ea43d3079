import type { Customer } from '#contracts';
import { toIso } from '../shared/iso.js';
import type { CustomerRow } from './customer.repository.js';

/** CustomerSchema has optional (not nullable) contact fields: a NULL column is left out. */
export function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    name: row.name,
    ...(row.email === null ? {} : { email: row.email }),
    ...(row.phone === null ? {} : { phone: row.phone }),
    ...(row.region === null ? {} : { region: row.region }),
    createdAt: toIso(row.createdAt),
  };
}
