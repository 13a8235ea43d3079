import {
  type Technician,
  type TechnicianCreate,
  TECHNICIAN_LEVELS,
  type TechnicianPatch as TechnicianUpdate,
} from '#contracts';
import { toIso } from '../shared/iso.js';
import { storedEnum } from '../shared/stored-enum.js';
import type { TechnicianInsert, TechnicianPatch, TechnicianRow } from './technician.repository.js';

export function technicianInsertOf(dto: TechnicianCreate): TechnicianInsert {
  return {
    name: dto.name,
    level: dto.level,
    skills: dto.skills,
    region: dto.region ?? null,
    baseLat: dto.base?.lat ?? null,
    baseLon: dto.base?.lon ?? null,
    available: dto.available,
  };
}

/** PATCH semantics: undefined leaves a field alone, null clears it. */
export function technicianPatchOf(dto: TechnicianUpdate): TechnicianPatch {
  return {
    name: dto.name,
    level: dto.level,
    skills: dto.skills,
    region: dto.region,
    ...(dto.base === undefined
      ? {}
      : { baseLat: dto.base === null ? null : dto.base.lat, baseLon: dto.base === null ? null : dto.base.lon }),
    available: dto.available,
  };
}

export function toTechnician(row: TechnicianRow): Technician {
  return {
    id: row.id,
    name: row.name,
    level: storedEnum(TECHNICIAN_LEVELS, row.level, 'technicians.level'),
    skills: row.skills,
    region: row.region,
    base: row.baseLat === null || row.baseLon === null ? null : { lat: row.baseLat, lon: row.baseLon },
    available: row.available,
    createdAt: toIso(row.createdAt),
  };
}
