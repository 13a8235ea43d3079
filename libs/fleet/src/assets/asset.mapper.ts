import {
  type Asset,
  ASSET_KINDS,
  type AssetCreate,
  type AssetUpdateSchema,
  type CoatingSpec,
  CORROSIVITY_CATEGORIES,
  DURABILITY_CLASSES,
} from '#contracts';
import type { z } from 'zod';
import { toIso } from '../shared/iso.js';
import { storedEnum } from '../shared/stored-enum.js';
import type { AssetInsert, AssetPatch, AssetRow } from './asset.repository.js';

export type AssetUpdate = z.infer<typeof AssetUpdateSchema>;

type CoatingColumns = Pick<
  AssetInsert,
  'coatingSystem' | 'nominalDftUm' | 'corrosivityCategory' | 'durability' | 'installedAt' | 'warrantyUntil'
>;

/** A coating spec is always written whole: fields it leaves out become NULL. */
function coatingColumns(c: CoatingSpec): Required<CoatingColumns> {
  return {
    coatingSystem: c.system ?? null,
    nominalDftUm: c.nominalDftUm,
    corrosivityCategory: c.corrosivityCategory,
    durability: c.durability,
    installedAt: c.installedAt,
    warrantyUntil: c.warrantyUntil ?? null,
  };
}

export function assetInsertOf(dto: AssetCreate): AssetInsert {
  return {
    customerId: dto.customerId,
    name: dto.name,
    kind: dto.kind,
    lat: dto.location?.lat ?? null,
    lon: dto.location?.lon ?? null,
    region: dto.region ?? null,
    ...coatingColumns(dto.coating),
  };
}

/** PATCH semantics: undefined leaves a field alone, null clears it. */
export function assetPatchOf(dto: AssetUpdate): AssetPatch {
  return {
    name: dto.name,
    kind: dto.kind,
    ...(dto.location === undefined
      ? {}
      : { lat: dto.location === null ? null : dto.location.lat, lon: dto.location === null ? null : dto.location.lon }),
    region: dto.region,
    ...(dto.coating === undefined ? {} : coatingColumns(dto.coating)),
  };
}

export function toAsset(row: AssetRow): Asset {
  return {
    id: row.id,
    customerId: row.customerId,
    name: row.name,
    kind: storedEnum(ASSET_KINDS, row.kind, 'assets.kind'),
    location: row.lat === null || row.lon === null ? null : { lat: row.lat, lon: row.lon },
    region: row.region,
    coating: {
      ...(row.coatingSystem === null ? {} : { system: row.coatingSystem }),
      nominalDftUm: row.nominalDftUm,
      corrosivityCategory: storedEnum(CORROSIVITY_CATEGORIES, row.corrosivityCategory, 'assets.corrosivity_category'),
      durability: storedEnum(DURABILITY_CLASSES, row.durability, 'assets.durability'),
      installedAt: row.installedAt,
      ...(row.warrantyUntil === null ? {} : { warrantyUntil: row.warrantyUntil }),
    },
    createdAt: toIso(row.createdAt),
  };
}
