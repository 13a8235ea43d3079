import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrorSchema, type Principal } from '#contracts';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, CurrentPrincipal, Roles, ZodBody, ZodQuery } from '#platform';
import { z } from 'zod';
import { ComplaintInvestigationSchema, type ComplaintInvestigation } from '../domain/index.js';
import { UuidParam } from '../shared/id-params.js';
import {
  ComplaintCreateSchema,
  ComplaintListQuerySchema,
  ComplaintRatingSchema,
  ComplaintViewSchema,
  type ComplaintCreate,
  type ComplaintListQuery,
  type ComplaintRating,
  type ComplaintView,
} from './complaint.api.js';
import { ComplaintService } from './complaint.service.js';

@ApiTags('complaints')
@ApiBearerAuth()
@Controller('api/complaints')
export class ComplaintsController {
  constructor(private readonly service: ComplaintService) {}

  @Post()
  @Roles('customer', 'planner')
  @ApiZodBody(ComplaintCreateSchema)
  @ApiZodResponse(201, ComplaintViewSchema, 'Filed: to be investigated within 24 h')
  @ApiZodResponse(400, ApiErrorSchema, 'Invalid body, or customerId / workOrderId names nothing usable')
  file(
    @CurrentPrincipal() principal: Principal,
    @ZodBody(ComplaintCreateSchema) body: ComplaintCreate,
  ): Promise<ComplaintView> {
    return this.service.file(principal, body);
  }

  @Get()
  @Roles('customer', 'planner')
  @ApiZodQuery(ComplaintListQuerySchema)
  @ApiZodResponse(200, z.array(ComplaintViewSchema), 'Newest first; a customer sees only its own')
  list(
    @CurrentPrincipal() principal: Principal,
    @ZodQuery(ComplaintListQuerySchema) q: ComplaintListQuery,
  ): Promise<ComplaintView[]> {
    return this.service.list(principal, q);
  }

  @Get(':id')
  @Roles('customer', 'planner')
  @ApiZodResponse(200, ComplaintViewSchema)
  @ApiZodResponse(404, ApiErrorSchema, 'Unknown, or not the caller’s')
  get(@CurrentPrincipal() principal: Principal, @UuidParam('complaint') id: string): Promise<ComplaintView> {
    return this.service.get(principal, id);
  }

  @Post(':id/investigation')
  @HttpCode(200)
  @Roles('planner')
  @ApiZodBody(ComplaintInvestigationSchema)
  @ApiZodResponse(200, ComplaintViewSchema, 'Investigated (the 24 h promise is judged on this time)')
  @ApiZodResponse(409, ApiErrorSchema, 'Already investigated')
  investigate(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('complaint') id: string,
    @ZodBody(ComplaintInvestigationSchema) body: ComplaintInvestigation,
  ): Promise<ComplaintView> {
    return this.service.investigate(principal, id, body);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('planner')
  @ApiZodResponse(200, ComplaintViewSchema)
  @ApiZodResponse(409, ApiErrorSchema, 'Not investigated yet, or already closed')
  close(@CurrentPrincipal() principal: Principal, @UuidParam('complaint') id: string): Promise<ComplaintView> {
    return this.service.close(principal, id);
  }

  @Post(':id/rating')
  @HttpCode(200)
  @Roles('customer', 'planner')
  @ApiZodBody(ComplaintRatingSchema)
  @ApiZodResponse(200, ComplaintViewSchema)
  @ApiZodResponse(409, ApiErrorSchema, 'Not closed yet, or already rated')
  rate(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('complaint') id: string,
    @ZodBody(ComplaintRatingSchema) body: ComplaintRating,
  ): Promise<ComplaintView> {
    return this.service.rate(principal, id, body.handlingScore);
  }
}
