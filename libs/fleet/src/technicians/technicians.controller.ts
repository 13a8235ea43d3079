import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  ApiErrorSchema,
  type Technician,
  type TechnicianCreate,
  TechnicianCreateSchema,
  type TechnicianListQuery,
  TechnicianListQuerySchema,
  type TechnicianPatch,
  TechnicianPatchSchema,
  TechnicianSchema,
} from '#contracts';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, Roles, ZodBody, ZodQuery } from '#platform';
import { z } from 'zod';
import { UuidParam } from '../shared/id-params.js';
import { TechnicianService } from './technician.service.js';

@ApiTags('technicians')
@ApiBearerAuth()
@Controller('api/technicians')
export class TechniciansController {
  constructor(private readonly service: TechnicianService) {}

  @Post()
  @Roles('planner')
  @ApiZodBody(TechnicianCreateSchema)
  @ApiZodResponse(201, TechnicianSchema, 'Created')
  @ApiZodResponse(400, ApiErrorSchema, 'Invalid body')
  create(@ZodBody(TechnicianCreateSchema) dto: TechnicianCreate): Promise<Technician> {
    return this.service.create(dto);
  }

  @Get()
  @Roles('planner', 'technician')
  @ApiZodQuery(TechnicianListQuerySchema)
  @ApiZodResponse(200, z.array(TechnicianSchema))
  list(@ZodQuery(TechnicianListQuerySchema) query: TechnicianListQuery): Promise<Technician[]> {
    return this.service.list(query);
  }

  @Get(':id')
  @Roles('planner', 'technician')
  @ApiZodResponse(200, TechnicianSchema)
  @ApiZodResponse(404, ApiErrorSchema, 'Unknown technician')
  get(@UuidParam('technician') id: string): Promise<Technician> {
    return this.service.get(id);
  }

  @Patch(':id')
  @Roles('planner')
  @ApiZodBody(TechnicianPatchSchema)
  @ApiZodResponse(200, TechnicianSchema)
  update(
    @UuidParam('technician') id: string,
    @ZodBody(TechnicianPatchSchema) dto: TechnicianPatch,
  ): Promise<Technician> {
    return this.service.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('planner')
  delete(@UuidParam('technician') id: string): Promise<void> {
    return this.service.delete(id);
  }
}
