import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrorSchema } from '#contracts';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, Roles, ZodBody, ZodQuery } from '#platform';
import { z } from 'zod';
import { UuidParam } from '../shared/id-params.js';
import {
  PreventivePlanCreateSchema,
  PreventivePlanListQuerySchema,
  PreventivePlanPatchSchema,
  PreventivePlanViewSchema,
  type PreventivePlanCreate,
  type PreventivePlanListQuery,
  type PreventivePlanPatch,
  type PreventivePlanView,
} from './preventive-plan.api.js';
import { PreventivePlanService } from './preventive-plan.service.js';

@ApiTags('preventive plans')
@ApiBearerAuth()
@Controller('api/preventive-plans')
export class PreventivePlansController {
  constructor(private readonly service: PreventivePlanService) {}

  @Post()
  @Roles('planner')
  @ApiZodBody(PreventivePlanCreateSchema)
  @ApiZodResponse(201, PreventivePlanViewSchema, 'Created; its work orders open `leadDays` before each due date')
  @ApiZodResponse(400, ApiErrorSchema, 'Invalid body (e.g. leadDays not shorter than the interval), or unknown asset')
  create(@ZodBody(PreventivePlanCreateSchema) body: PreventivePlanCreate): Promise<PreventivePlanView> {
    return this.service.create(body);
  }

  @Get()
  @Roles('planner', 'technician')
  @ApiZodQuery(PreventivePlanListQuerySchema)
  @ApiZodResponse(200, z.array(PreventivePlanViewSchema))
  list(@ZodQuery(PreventivePlanListQuerySchema) q: PreventivePlanListQuery): Promise<PreventivePlanView[]> {
    return this.service.list(q);
  }

  @Get(':id')
  @Roles('planner', 'technician')
  @ApiZodResponse(200, PreventivePlanViewSchema)
  @ApiZodResponse(404, ApiErrorSchema, 'Unknown plan')
  get(@UuidParam('preventive plan') id: string): Promise<PreventivePlanView> {
    return this.service.get(id);
  }

  @Patch(':id')
  @Roles('planner')
  @ApiZodBody(PreventivePlanPatchSchema)
  @ApiZodResponse(200, PreventivePlanViewSchema)
  update(
    @UuidParam('preventive plan') id: string,
    @ZodBody(PreventivePlanPatchSchema) body: PreventivePlanPatch,
  ): Promise<PreventivePlanView> {
    return this.service.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('planner')
  delete(@UuidParam('preventive plan') id: string): Promise<void> {
    return this.service.delete(id);
  }
}
