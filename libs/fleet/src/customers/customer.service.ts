import { Injectable } from '@nestjs/common';
import type { Customer, CustomerCreate, CustomerListQuery, CustomerUpdateSchema, Principal } from '#contracts';
import type { z } from 'zod';
import { scopeAllows, scopedCustomerFilter, scopeOf } from '../access/customer-scope.js';
import { AssetRepository } from '../assets/asset.repository.js';
import { conflict, notFound } from '../shared/http-errors.js';
import { isReferencedRowError, referencingRows } from '../shared/pg-error.js';
import { ApiTokenCache } from '../tokens/api-token-cache.js';
import { toCustomer } from './customer.mapper.js';
import { CustomerRepository } from './customer.repository.js';

export type CustomerUpdate = z.infer<typeof CustomerUpdateSchema>;

@Injectable()
export class CustomerService {
  constructor(
    private readonly customers: CustomerRepository,
    private readonly assets: AssetRepository,
    private readonly tokenCache: ApiTokenCache,
  ) {}

  async create(dto: CustomerCreate): Promise<Customer> {
    return toCustomer(await this.customers.insert(dto));
  }

  async list(principal: Principal, query: CustomerListQuery): Promise<Customer[]> {
    const filter = scopedCustomerFilter(scopeOf(principal), undefined);
    if (filter === null) return [];
    const rows = await this.customers.list({ customerId: filter.customerId, limit: query.limit, offset: query.offset });
    return rows.map(toCustomer);
  }

  /** A customer the caller may see; 404 otherwise. */
  async get(principal: Principal, id: string): Promise<Customer> {
    const row = await this.customers.findById(id);
    if (!row || !scopeAllows(scopeOf(principal), row.id)) throw notFound('customer', id);
    return toCustomer(row);
  }

  /** Lookup for other libs: the customer, without access checks. */
  async find(id: string): Promise<Customer | undefined> {
    const row = await this.customers.findById(id);
    return row && toCustomer(row);
  }

  async update(id: string, patch: CustomerUpdate): Promise<Customer> {
    const row = await this.customers.update(id, patch);
    if (!row) throw notFound('customer', id);
    return toCustomer(row);
  }

  async delete(id: string): Promise<void> {
    const assetCount = await this.assets.countByCustomer(id);
    if (assetCount > 0) throw conflict(`customer ${id} still owns ${assetCount} asset(s): delete or move them first`);
    let deleted: boolean;
    try {
      deleted = await this.customers.delete(id);
    } catch (error) {
      // An asset added between the count and the delete.
      if (isReferencedRowError(error)) {
        throw conflict(`customer ${id} is still referred to by ${referencingRows(error)}: its service history is kept`);
      }
      throw error;
    }
    if (!deleted) throw notFound('customer', id);
    // The customer's API tokens were deleted with it (cascade): stop honouring cached ones now.
    this.tokenCache.clear();
  }
}
