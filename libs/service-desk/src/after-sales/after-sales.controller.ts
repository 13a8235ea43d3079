import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrorSchema, type Principal } from '#contracts';
import { ApiZodBody, ApiZodResponse, CurrentPrincipal, Roles, ZodBody } from '#platform';
import { z } from 'zod';
import { CommentInputSchema, SurveyInputSchema, type CommentInput, type SurveyInput } from '../domain/index.js';
import { UuidParam, WorkOrderParam, type WorkOrderRef } from '../shared/id-params.js';
import {
  CommentViewSchema,
  FollowUpCreateSchema,
  FollowUpDoneSchema,
  FollowUpViewSchema,
  SurveyViewSchema,
  type CommentView,
  type FollowUpCreate,
  type FollowUpDone,
  type FollowUpView,
  type SurveyView,
} from './after-sales.api.js';
import { AfterSalesService } from './after-sales.service.js';

@ApiTags('work orders')
@ApiBearerAuth()
@Controller('api/work-orders/:id')
export class AfterSalesController {
  constructor(private readonly service: AfterSalesService) {}

  @Post('survey')
  @Roles('customer', 'planner')
  @ApiZodBody(SurveyInputSchema)
  @ApiZodResponse(201, SurveyViewSchema, 'Recorded')
  @ApiZodResponse(409, ApiErrorSchema, 'Not accepted yet, or already rated')
  submitSurvey(
    @CurrentPrincipal() principal: Principal,
    @WorkOrderParam() ref: WorkOrderRef,
    @ZodBody(SurveyInputSchema) body: SurveyInput,
  ): Promise<SurveyView> {
    return this.service.submitSurvey(principal, ref, body);
  }

  @Get('survey')
  @Roles('customer', 'planner', 'technician')
  @ApiZodResponse(200, SurveyViewSchema)
  @ApiZodResponse(404, ApiErrorSchema, 'Not rated yet')
  survey(@CurrentPrincipal() principal: Principal, @WorkOrderParam() ref: WorkOrderRef): Promise<SurveyView> {
    return this.service.survey(principal, ref);
  }

  @Get('follow-ups')
  @Roles('planner', 'technician', 'customer')
  @ApiZodResponse(200, z.array(FollowUpViewSchema))
  followUps(@CurrentPrincipal() principal: Principal, @WorkOrderParam() ref: WorkOrderRef): Promise<FollowUpView[]> {
    return this.service.followUps(principal, ref);
  }

  @Post('follow-ups')
  @Roles('planner')
  @ApiZodBody(FollowUpCreateSchema)
  @ApiZodResponse(201, FollowUpViewSchema)
  @ApiZodResponse(409, ApiErrorSchema, 'The work order is not closed')
  scheduleFollowUp(
    @CurrentPrincipal() principal: Principal,
    @WorkOrderParam() ref: WorkOrderRef,
    @ZodBody(FollowUpCreateSchema) body: FollowUpCreate,
  ): Promise<FollowUpView> {
    return this.service.scheduleFollowUp(principal, ref, body);
  }

  @Post('follow-ups/:followUpId/done')
  @HttpCode(200)
  @Roles('planner', 'technician')
  @ApiZodBody(FollowUpDoneSchema)
  @ApiZodResponse(200, FollowUpViewSchema)
  completeFollowUp(
    @CurrentPrincipal() principal: Principal,
    @WorkOrderParam() ref: WorkOrderRef,
    @UuidParam('follow-up', 'followUpId') followUpId: string,
    @ZodBody(FollowUpDoneSchema) body: FollowUpDone,
  ): Promise<FollowUpView> {
    return this.service.completeFollowUp(principal, ref, followUpId, body);
  }

  @Get('comments')
  @Roles('planner', 'technician', 'customer')
  @ApiZodResponse(200, z.array(CommentViewSchema), 'Oldest first; a customer does not see internal notes')
  comments(@CurrentPrincipal() principal: Principal, @WorkOrderParam() ref: WorkOrderRef): Promise<CommentView[]> {
    return this.service.comments(principal, ref);
  }

  @Post('comments')
  @Roles('planner', 'technician', 'customer')
  @ApiZodBody(CommentInputSchema)
  @ApiZodResponse(201, CommentViewSchema)
  addComment(
    @CurrentPrincipal() principal: Principal,
    @WorkOrderParam() ref: WorkOrderRef,
    @ZodBody(CommentInputSchema) body: CommentInput,
  ): Promise<CommentView> {
    return this.service.addComment(principal, ref, body);
  }
}
