import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  ApiErrorSchema,
  type Device,
  type DeviceCreate,
  DeviceCreatedSchema,
  DeviceCreateSchema,
  type DeviceListQuery,
  DeviceListQuerySchema,
  DeviceSchema,
  DeviceUpdateSchema,
  type Principal,
} from '#contracts';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, CurrentPrincipal, Roles, ZodBody, ZodQuery } from '#platform';
import { z } from 'zod';
import { DeviceIdParam } from '../shared/id-params.js';
import { DeviceService, type DeviceToken, type DeviceUpdate } from './device.service.js';

@ApiTags('devices')
@ApiBearerAuth()
@Controller('api/devices')
export class DevicesController {
  constructor(private readonly service: DeviceService) {}

  @Post()
  @Roles('planner')
  @ApiZodBody(DeviceCreateSchema)
  @ApiZodResponse(201, DeviceCreatedSchema, 'Registered: the token is shown this once')
  @ApiZodResponse(400, ApiErrorSchema, 'Invalid body, or assetId names no asset')
  @ApiZodResponse(409, ApiErrorSchema, 'The id is taken')
  create(@ZodBody(DeviceCreateSchema) dto: DeviceCreate): Promise<DeviceToken> {
    return this.service.create(dto);
  }

  @Get()
  @Roles('planner', 'technician', 'customer')
  @ApiZodQuery(DeviceListQuerySchema)
  @ApiZodResponse(200, z.array(DeviceSchema), 'Devices the caller may see (a customer: only its own)')
  list(
    @CurrentPrincipal() principal: Principal,
    @ZodQuery(DeviceListQuerySchema) query: DeviceListQuery,
  ): Promise<Device[]> {
    return this.service.list(principal, query);
  }

  @Get(':id')
  @Roles('planner', 'technician', 'customer')
  @ApiZodResponse(200, DeviceSchema)
  @ApiZodResponse(404, ApiErrorSchema, 'Unknown, or not the caller’s')
  get(@CurrentPrincipal() principal: Principal, @DeviceIdParam() id: string): Promise<Device> {
    return this.service.get(principal, id);
  }

  @Patch(':id')
  @Roles('planner')
  @ApiZodBody(DeviceUpdateSchema)
  @ApiZodResponse(200, DeviceSchema)
  update(@DeviceIdParam() id: string, @ZodBody(DeviceUpdateSchema) dto: DeviceUpdate): Promise<Device> {
    return this.service.update(id, dto);
  }

  @Post(':id/token')
  @HttpCode(200)
  @Roles('planner')
  @ApiZodResponse(200, DeviceCreatedSchema, 'The new token, shown this once; the old one stops working')
  rotateToken(@DeviceIdParam() id: string): Promise<DeviceToken> {
    return this.service.rotateToken(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('planner')
  delete(@DeviceIdParam() id: string): Promise<void> {
    return this.service.delete(id);
  }
}
