import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrorSchema, type Principal } from '#contracts';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, CurrentPrincipal, Roles, ZodBody, ZodQuery } from '#platform';
import { z } from 'zod';
import { TransitionRequestSchema, type TransitionRequest } from '../domain/index.js';
import { WorkOrderParam, type WorkOrderRef } from '../shared/id-params.js';
import {
  AcceptanceRequestSchema,
  WorkOrderCreateSchema,
  WorkOrderDetailSchema,
  WorkOrderListQuerySchema,
  WorkOrderViewSchema,
  type AcceptanceRequest,
  type WorkOrderCreate,
  type WorkOrderDetail,
  type WorkOrderListQuery,
  type WorkOrderView,
} from './work-order.api.js';
import { WorkOrderService } from './work-order.service.js';

@ApiTags('work orders')
@ApiBearerAuth()
@Controller('api/work-orders')
export class WorkOrdersController {
  constructor(private readonly service: WorkOrderService) {}

  @Post()
  @Roles('planner')
  @ApiZodBody(WorkOrderCreateSchema)
  @ApiZodResponse(201, WorkOrderViewSchema, 'Opened, with its SLA deadlines')
  @ApiZodResponse(400, ApiErrorSchema, 'Invalid body, or assetId / deviceId names nothing usable')
  create(
    @CurrentPrincipal() principal: Principal,
    @ZodBody(WorkOrderCreateSchema) dto: WorkOrderCreate,
  ): Promise<WorkOrderView> {
    return this.service.create(principal, dto);
  }

  @Get()
  @Roles('planner', 'technician', 'customer')
  @ApiZodQuery(WorkOrderListQuerySchema)
  @ApiZodResponse(200, z.array(WorkOrderViewSchema), 'Newest first; a customer sees only its own')
  list(
    @CurrentPrincipal() principal: Principal,
    @ZodQuery(WorkOrderListQuerySchema) query: WorkOrderListQuery,
  ): Promise<WorkOrderView[]> {
    return this.service.list(principal, query);
  }

  @Get(':id')
  @Roles('planner', 'technician', 'customer')
  @ApiZodResponse(200, WorkOrderDetailSchema, 'By id or by number (WO-2026-000123), with its event log')
  @ApiZodResponse(404, ApiErrorSchema, 'Unknown, or not the caller’s')
  get(@CurrentPrincipal() principal: Principal, @WorkOrderParam() ref: WorkOrderRef): Promise<WorkOrderDetail> {
    return this.service.get(principal, ref);
  }

  @Post(':id/transitions')
  @HttpCode(200)
  @Roles('planner', 'technician', 'customer')
  @ApiZodBody(TransitionRequestSchema)
  @ApiZodResponse(200, WorkOrderViewSchema, 'Moved; the version is one more (or more, with follow-ups)')
  @ApiZodResponse(400, ApiErrorSchema, 'A field is missing or wrong (named in `field`)')
  @ApiZodResponse(403, ApiErrorSchema, 'Not this role’s move, or not the caller’s work order')
  @ApiZodResponse(409, ApiErrorSchema, 'Illegal move (`allowed` names the targets) or stale `version`')
  transition(
    @CurrentPrincipal() principal: Principal,
    @WorkOrderParam() ref: WorkOrderRef,
    @ZodBody(TransitionRequestSchema) request: TransitionRequest,
  ): Promise<WorkOrderView> {
    return this.service.transition(principal, ref, request);
  }

  @Post(':id/acceptance')
  @HttpCode(200)
  @Roles('customer', 'technician', 'planner')
  @ApiZodBody(AcceptanceRequestSchema)
  @ApiZodResponse(200, WorkOrderViewSchema, 'Accepted, or rejected and sent to rework')
  @ApiZodResponse(409, ApiErrorSchema, 'Not resolved, or stale version')
  acceptance(
    @CurrentPrincipal() principal: Principal,
    @WorkOrderParam() ref: WorkOrderRef,
    @ZodBody(AcceptanceRequestSchema) body: AcceptanceRequest,
  ): Promise<WorkOrderView> {
    return this.service.acceptance(principal, ref, body);
  }
}
