import { Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrorSchema, type Principal } from '#contracts';
import { ApiZodBody, ApiZodResponse, CurrentPrincipal, Roles, ZodBody } from '#platform';
import {
  FeeLineSchema,
  LabourEntrySchema,
  PartUsageSchema,
  type FeeLine,
  type LabourEntry,
  type PartUsage,
  type WarrantyExclusions,
} from '../domain/index.js';
import { WorkOrderParam, type WorkOrderRef } from '../shared/id-params.js';
import {
  ChargesViewSchema,
  RecordedLineSchema,
  WarrantyRequestSchema,
  WarrantyViewSchema,
  type ChargesView,
  type WarrantyView,
} from './charges.api.js';
import { ChargesService } from './charges.service.js';

type RecordedLine = { line: Record<string, unknown>; workOrderVersion: number };

@ApiTags('work orders')
@ApiBearerAuth()
@Controller('api/work-orders/:id')
export class ChargesController {
  constructor(private readonly service: ChargesService) {}

  @Post('parts')
  @Roles('planner', 'technician')
  @ApiZodBody(PartUsageSchema)
  @ApiZodResponse(201, RecordedLineSchema, 'Recorded, priced; the work order moved to the next version')
  @ApiZodResponse(403, ApiErrorSchema, 'A technician not assigned to this work order')
  @ApiZodResponse(409, ApiErrorSchema, 'The work order is closed or cancelled')
  addPart(
    @CurrentPrincipal() principal: Principal,
    @WorkOrderParam() ref: WorkOrderRef,
    @ZodBody(PartUsageSchema) body: PartUsage,
  ): Promise<RecordedLine> {
    return this.service.addPart(principal, ref, body);
  }

  @Post('labour')
  @Roles('planner', 'technician')
  @ApiZodBody(LabourEntrySchema)
  @ApiZodResponse(201, RecordedLineSchema)
  addLabour(
    @CurrentPrincipal() principal: Principal,
    @WorkOrderParam() ref: WorkOrderRef,
    @ZodBody(LabourEntrySchema) body: LabourEntry,
  ): Promise<RecordedLine> {
    return this.service.addLabour(principal, ref, body);
  }

  @Post('fees')
  @Roles('planner', 'technician')
  @ApiZodBody(FeeLineSchema)
  @ApiZodResponse(201, RecordedLineSchema)
  addFee(
    @CurrentPrincipal() principal: Principal,
    @WorkOrderParam() ref: WorkOrderRef,
    @ZodBody(FeeLineSchema) body: FeeLine,
  ): Promise<RecordedLine> {
    return this.service.addFee(principal, ref, body);
  }

  @Post('warranty')
  @Roles('planner', 'technician')
  @ApiZodBody(WarrantyRequestSchema)
  @ApiZodResponse(201, WarrantyViewSchema, 'Covered or billable, with the reason')
  decideWarranty(
    @CurrentPrincipal() principal: Principal,
    @WorkOrderParam() ref: WorkOrderRef,
    @ZodBody(WarrantyRequestSchema) body: WarrantyExclusions,
  ): Promise<WarrantyView> {
    return this.service.decideWarranty(principal, ref, body);
  }

  @Get('charges')
  @Roles('planner', 'technician', 'customer')
  @ApiZodResponse(200, ChargesViewSchema, 'Parts, labour and fees priced, and who pays')
  summary(@CurrentPrincipal() principal: Principal, @WorkOrderParam() ref: WorkOrderRef): Promise<ChargesView> {
    return this.service.summary(principal, ref);
  }
}
