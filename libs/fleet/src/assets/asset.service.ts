import { Injectable } from '@nestjs/common';
import type { Asset, AssetCreate, AssetListQuery, Principal } from '#contracts';
import { scopeAllows, scopedCustomerFilter, scopeOf } from '../access/customer-scope.js';
import { CustomerRepository } from '../customers/customer.repository.js';
import { DeviceRepository } from '../devices/device.repository.js';
import { conflict, notFound, unknownReference } from '../shared/http-errors.js';
import { isReferencedRowError, PG_FOREIGN_KEY_VIOLATION, pgErrorCode, referencingRows } from '../shared/pg-error.js';
import { assetInsertOf, assetPatchOf, type AssetUpdate, toAsset } from './asset.mapper.js';
import { AssetRepository } from './asset.repository.js';

@Injectable()
export class AssetService {
  constructor(
    private readonly assets: AssetRepository,
    private readonly customers: CustomerRepository,
    private readonly devices: DeviceRepository,
  ) {}

  async create(dto: AssetCreate): Promise<Asset> {
    if (!(await this.customers.exists(dto.customerId)))
      throw unknownReference('customerId', 'customer', dto.customerId);
    try {
      return toAsset(await this.assets.insert(assetInsertOf(dto)));
    } catch (error) {
      // The customer was deleted between the check and the insert.
      if (pgErrorCode(error) === PG_FOREIGN_KEY_VIOLATION)
        throw unknownReference('customerId', 'customer', dto.customerId);
      throw error;
    }
  }

  async list(principal: Principal, query: AssetListQuery): Promise<Asset[]> {
    const filter = scopedCustomerFilter(scopeOf(principal), query.customerId);
    if (filter === null) return [];
    const rows = await this.assets.list({ customerId: filter.customerId, limit: query.limit, offset: query.offset });
    return rows.map(toAsset);
  }

  /** An asset the caller may see; 404 otherwise. */
  async get(principal: Principal, id: string): Promise<Asset> {
    const row = await this.assets.findById(id);
    if (!row || !scopeAllows(scopeOf(principal), row.customerId)) throw notFound('asset', id);
    return toAsset(row);
  }

  /** Lookup for other libs (e.g. the coating spec a detector judges against), without access checks. */
  async find(id: string): Promise<Asset | undefined> {
    const row = await this.assets.findById(id);
    return row && toAsset(row);
  }

  /** Lookup of several assets in one query, for other libs, without access checks (unknown ids are absent). */
  async findMany(ids: readonly string[]): Promise<Map<string, Asset>> {
    const rows = await this.assets.findByIds(ids);
    return new Map(rows.map((r) => [r.id, toAsset(r)]));
  }

  /** A coating spec in the patch replaces the stored one whole, so its own rules hold for what is stored. */
  async update(id: string, dto: AssetUpdate): Promise<Asset> {
    const row = await this.assets.update(id, assetPatchOf(dto));
    if (!row) throw notFound('asset', id);
    return toAsset(row);
  }

  async delete(id: string): Promise<void> {
    const deviceCount = await this.devices.countByAsset(id);
    if (deviceCount > 0)
      throw conflict(`asset ${id} still has ${deviceCount} device(s) attached: delete or move them first`);
    let deleted: boolean;
    try {
      deleted = await this.assets.delete(id);
    } catch (error) {
      // Devices were checked above: what still refers to the asset is its service history (work orders, plans...).
      if (isReferencedRowError(error)) {
        throw conflict(`asset ${id} is still referred to by ${referencingRows(error)}: its service history is kept`);
      }
      throw error;
    }
    if (!deleted) throw notFound('asset', id);
  }
}
