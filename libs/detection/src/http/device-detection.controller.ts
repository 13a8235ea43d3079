import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiErrorSchema,
  DEVICE_ACCESS_POLICY,
  type DeviceAccessPolicy,
  type DeviceSensitivity,
  DeviceSensitivitySchema,
  type Principal,
  type ReplayQuery,
  ReplayQuerySchema,
  type ReplayResult,
  ReplayResultSchema,
} from '#contracts';
import { ApiZodQuery, ApiZodResponse, CurrentPrincipal, Roles, ZodQuery } from '#platform';
import { AlertService } from '../alerts/alert.service.js';
import { SENSITIVITY_MAX, SENSITIVITY_MIN } from '../core/index.js';
import { DeviceReplayService } from '../replay/device-replay.service.js';

/** A device's detection sensitivity (with its recorded changes) and the replay of its stored history. */
@ApiTags('detection')
@ApiBearerAuth()
@Controller('api/devices')
export class DeviceDetectionController {
  constructor(
    private readonly alerts: AlertService,
    private readonly replays: DeviceReplayService,
    @Inject(DEVICE_ACCESS_POLICY) private readonly access: DeviceAccessPolicy,
  ) {}

  @Get(':id/sensitivity')
  @Roles('planner', 'technician', 'customer')
  @ApiOperation({ summary: 'Detection sensitivity of the device and the history of its changes (false positives)' })
  @ApiZodResponse(200, DeviceSensitivitySchema)
  @ApiZodResponse(404, ApiErrorSchema, 'Unknown device, or not the caller’s')
  async sensitivity(
    @CurrentPrincipal() principal: Principal,
    @Param('id') deviceId: string,
  ): Promise<DeviceSensitivity> {
    await this.access.assertCanRead(principal, deviceId);
    const stored = await this.alerts.sensitivityOf(deviceId);
    return {
      deviceId,
      sensitivity: stored.value,
      min: SENSITIVITY_MIN,
      max: SENSITIVITY_MAX,
      history: stored.history.map((h) => ({ ...h, at: new Date(h.at).toISOString() })),
    };
  }

  @Post(':id/replay')
  @HttpCode(200)
  @Roles('planner')
  @ApiOperation({
    summary:
      'Replays the device’s stored readings in [from, to] (default the last 30 days) through the current rules ' +
      'with fresh detectors: the findings and the alerts they would raise. Writes nothing.',
  })
  @ApiZodQuery(ReplayQuerySchema)
  @ApiZodResponse(200, ReplayResultSchema)
  @ApiZodResponse(400, ApiErrorSchema, 'Invalid window, or too many readings in it')
  @ApiZodResponse(404, ApiErrorSchema, 'Unknown device')
  async replay(
    @CurrentPrincipal() principal: Principal,
    @Param('id') deviceId: string,
    @ZodQuery(ReplayQuerySchema) query: ReplayQuery,
  ): Promise<ReplayResult> {
    await this.access.assertCanRead(principal, deviceId);
    return this.replays.replay(deviceId, query);
  }
}
