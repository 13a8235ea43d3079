import { Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  type AlertActionRequest,
  AlertActionRequestSchema,
  type AlertDetail,
  AlertDetailSchema,
  type AlertListQuery,
  AlertListQuerySchema,
  AlertSchema,
  type AlertView,
  ApiErrorSchema,
  type Principal,
} from '#contracts';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, CurrentPrincipal, Roles, ZodBody, ZodQuery } from '#platform';
import { alertDetailView, alertView } from '../alerts/alert-view.js';
import { AlertService } from '../alerts/alert.service.js';

const AlertIdSchema = z.uuid();

/** Alerts: staff read all, a customer only its own; planners act on them. */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertService) {}

  @Get()
  @Roles('planner', 'technician', 'customer')
  @ApiOperation({ summary: 'Alerts, newest event time first; from / to select on the event time' })
  @ApiZodQuery(AlertListQuerySchema)
  @ApiZodResponse(200, z.array(AlertSchema), 'Alerts the caller may see (a customer: only its own)')
  @ApiZodResponse(400, ApiErrorSchema, 'Invalid filter (the field is named)')
  async list(
    @CurrentPrincipal() principal: Principal,
    @ZodQuery(AlertListQuerySchema) query: AlertListQuery,
  ): Promise<AlertView[]> {
    return (await this.alerts.list(principal, query)).map(alertView);
  }

  @Get(':id')
  @Roles('planner', 'technician', 'customer')
  @ApiOperation({ summary: 'One alert with its evidence and history' })
  @ApiZodResponse(200, AlertDetailSchema)
  @ApiZodResponse(404, ApiErrorSchema, 'Unknown, or not the caller’s')
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<AlertDetail> {
    const { alert, history } = await this.alerts.get(principal, alertId(id));
    return alertDetailView(alert, history);
  }

  @Post(':id/actions')
  @HttpCode(200)
  @Roles('planner')
  @ApiOperation({
    summary:
      'acknowledge (active -> acknowledged), dismiss (open -> dismissed) or false_positive (lowers the ' +
      'device’s detection sensitivity; the change is recorded in GET /api/devices/{id}/sensitivity)',
  })
  @ApiZodBody(AlertActionRequestSchema)
  @ApiZodResponse(200, AlertDetailSchema, 'The alert after the action')
  @ApiZodResponse(404, ApiErrorSchema, 'Unknown alert')
  @ApiZodResponse(409, ApiErrorSchema, 'The alert’s status does not allow the action, or its version moved on')
  async act(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @ZodBody(AlertActionRequestSchema) body: AlertActionRequest,
  ): Promise<AlertDetail> {
    const change = await this.alerts.act(alertId(id), body.action, principal.tokenId, body.note ?? null, body.version);
    const { alert, history } = await this.alerts.get(principal, change.alert.id);
    return alertDetailView(alert, history);
  }
}

function alertId(id: string): string {
  if (!AlertIdSchema.safeParse(id).success)
    throw new NotFoundException({ message: `alert ${id} not found`, field: 'id' });
  return id;
}
