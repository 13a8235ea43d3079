import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  ApiErrorSchema,
  type Asset,
  type AssetCreate,
  AssetCreateSchema,
  type AssetListQuery,
  AssetListQuerySchema,
  AssetSchema,
  AssetUpdateSchema,
  type Principal,
} from '#contracts';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, CurrentPrincipal, Roles, ZodBody, ZodQuery } from '#platform';
import { z } from 'zod';
import { UuidParam } from '../shared/id-params.js';
import type { AssetUpdate } from './asset.mapper.js';
import { AssetService } from './asset.service.js';

@ApiTags('assets')
@ApiBearerAuth()
@Controller('api/assets')
export class AssetsController {
  constructor(private readonly service: AssetService) {}

  @Post()
  @Roles('planner')
  @ApiZodBody(AssetCreateSchema)
  @ApiZodResponse(201, AssetSchema, 'Created')
  @ApiZodResponse(400, ApiErrorSchema, 'Invalid body, or customerId names no customer')
  create(@ZodBody(AssetCreateSchema) dto: AssetCreate): Promise<Asset> {
    return this.service.create(dto);
  }

  @Get()
  @Roles('planner', 'technician', 'customer')
  @ApiZodQuery(AssetListQuerySchema)
  @ApiZodResponse(200, z.array(AssetSchema), 'Assets the caller may see (a customer: only its own)')
  list(
    @CurrentPrincipal() principal: Principal,
    @ZodQuery(AssetListQuerySchema) query: AssetListQuery,
  ): Promise<Asset[]> {
    return this.service.list(principal, query);
  }

  @Get(':id')
  @Roles('planner', 'technician', 'customer')
  @ApiZodResponse(200, AssetSchema)
  @ApiZodResponse(404, ApiErrorSchema, 'Unknown, or not the caller’s')
  get(@CurrentPrincipal() principal: Principal, @UuidParam('asset') id: string): Promise<Asset> {
    return this.service.get(principal, id);
  }

  @Patch(':id')
  @Roles('planner')
  @ApiZodBody(AssetUpdateSchema)
  @ApiZodResponse(200, AssetSchema)
  update(@UuidParam('asset') id: string, @ZodBody(AssetUpdateSchema) dto: AssetUpdate): Promise<Asset> {
    return this.service.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('planner')
  @ApiZodResponse(
    409,
    ApiErrorSchema,
    'Devices, or service records (work orders, plans, reports), still refer to the asset',
  )
  delete(@UuidParam('asset') id: string): Promise<void> {
    return this.service.delete(id);
  }
}
