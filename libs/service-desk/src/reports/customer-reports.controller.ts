import { Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrorSchema, type Principal } from '#contracts';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, CurrentPrincipal, Roles, ZodBody, ZodQuery } from '#platform';
import { z } from 'zod';
import {
  CustomerReportCreateSchema,
  CustomerReportListQuerySchema,
  CustomerReportResultSchema,
  CustomerReportViewSchema,
  type CustomerReportCreate,
  type CustomerReportListQuery,
  type CustomerReportResult,
  type CustomerReportView,
} from './customer-report.api.js';
import { CustomerReportService } from './customer-report.service.js';

@ApiTags('customer self-service')
@ApiBearerAuth()
@Controller('api/reports')
export class CustomerReportsController {
  constructor(private readonly service: CustomerReportService) {}

  @Post()
  @Roles('customer', 'planner')
  @ApiZodBody(CustomerReportCreateSchema)
  @ApiZodResponse(201, CustomerReportResultSchema, 'Linked to the open work order of that fault, or a new one')
  @ApiZodResponse(400, ApiErrorSchema, 'Invalid body, or not one of the caller’s assets')
  report(
    @CurrentPrincipal() principal: Principal,
    @ZodBody(CustomerReportCreateSchema) body: CustomerReportCreate,
  ): Promise<CustomerReportResult> {
    return this.service.report(principal, body);
  }

  @Get()
  @Roles('customer', 'planner')
  @ApiZodQuery(CustomerReportListQuerySchema)
  @ApiZodResponse(200, z.array(CustomerReportViewSchema), 'Newest first; a customer sees only its own')
  list(
    @CurrentPrincipal() principal: Principal,
    @ZodQuery(CustomerReportListQuerySchema) q: CustomerReportListQuery,
  ): Promise<CustomerReportView[]> {
    return this.service.list(principal, q);
  }
}
