import { Injectable } from '@nestjs/common';
import type { Technician, TechnicianCreate, TechnicianListQuery, TechnicianPatch } from '#contracts';
import { notFound } from '../shared/http-errors.js';
import { ApiTokenCache } from '../tokens/api-token-cache.js';
import { technicianInsertOf, technicianPatchOf, toTechnician } from './technician.mapper.js';
import { TechnicianRepository } from './technician.repository.js';

/**
 * Technicians are staff: every staff role may read them (dispatch needs colleagues' skills and
 * regions); only admin and planner write them; customers see none (enforced by the controller's roles).
 */
@Injectable()
export class TechnicianService {
  constructor(
    private readonly technicians: TechnicianRepository,
    private readonly tokenCache: ApiTokenCache,
  ) {}

  async create(dto: TechnicianCreate): Promise<Technician> {
    return toTechnician(await this.technicians.insert(technicianInsertOf(dto)));
  }

  async list(query: TechnicianListQuery): Promise<Technician[]> {
    const rows = await this.technicians.list({
      level: query.level,
      region: query.region,
      available: query.available,
      limit: query.limit,
      offset: query.offset,
    });
    return rows.map(toTechnician);
  }

  async get(id: string): Promise<Technician> {
    const technician = await this.find(id);
    if (!technician) throw notFound('technician', id);
    return technician;
  }

  /** Lookup for other libs (dispatch). */
  async find(id: string): Promise<Technician | undefined> {
    const row = await this.technicians.findById(id);
    return row && toTechnician(row);
  }

  async update(id: string, dto: TechnicianPatch): Promise<Technician> {
    const row = await this.technicians.update(id, technicianPatchOf(dto));
    if (!row) throw notFound('technician', id);
    return toTechnician(row);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.technicians.delete(id))) throw notFound('technician', id);
    // The technician's API tokens were deleted with it (cascade): stop honouring cached ones now.
    this.tokenCache.clear();
  }
}
