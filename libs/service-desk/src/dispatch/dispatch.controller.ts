import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrorSchema, type Principal } from '#contracts';
import { ApiZodBody, ApiZodResponse, CurrentPrincipal, Roles, ZodBody } from '#platform';
import { WorkOrderParam, type WorkOrderRef } from '../shared/id-params.js';
import { AutoAssignSchema, type AutoAssign } from '../work-orders/work-order.api.js';
import {
  AutoAssignResultSchema,
  CandidatesViewSchema,
  type AutoAssignResult,
  type CandidatesView,
} from './dispatch.api.js';
import { DispatchService } from './dispatch.service.js';

@ApiTags('dispatch')
@ApiBearerAuth()
@Controller('api/work-orders/:id')
export class DispatchController {
  constructor(private readonly service: DispatchService) {}

  @Get('candidates')
  @Roles('planner')
  @ApiZodResponse(200, CandidatesViewSchema, 'Ranked candidates and the excluded with every reason')
  candidates(@CurrentPrincipal() principal: Principal, @WorkOrderParam() ref: WorkOrderRef): Promise<CandidatesView> {
    return this.service.candidates(principal, ref);
  }

  @Post('auto-assign')
  @HttpCode(200)
  @Roles('planner')
  @ApiZodBody(AutoAssignSchema)
  @ApiZodResponse(200, AutoAssignResultSchema, 'Assigned to the best-ranked technician')
  @ApiZodResponse(409, ApiErrorSchema, 'Nobody qualifies (`excluded` says why), illegal move or stale version')
  autoAssign(
    @CurrentPrincipal() principal: Principal,
    @WorkOrderParam() ref: WorkOrderRef,
    @ZodBody(AutoAssignSchema) body: AutoAssign,
  ): Promise<AutoAssignResult> {
    return this.service.autoAssign(principal, ref, body);
  }
}
