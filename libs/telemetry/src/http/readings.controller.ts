import { BadRequestException, Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiErrorSchema,
  DEVICE_ACCESS_POLICY,
  type DeviceAccessPolicy,
  type LatestValuesResponse,
  LatestValuesResponseSchema,
  type Principal,
  type ReadingsQuery,
  ReadingsQuerySchema,
  type ReadingsResponse,
  ReadingsResponseSchema,
} from '#contracts';
import { ApiZodQuery, ApiZodResponse, Clock, CurrentPrincipal, Roles, ZodQuery } from '#platform';
import { TELEMETRY_STORE, type TelemetryStore } from '../store/telemetry-store.js';
import { planReadingsQuery, ReadingsQueryError } from './readings-window.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** Stored telemetry of one device, for every role; a customer only for its own devices. */
@ApiTags('readings')
@ApiBearerAuth()
@Roles('admin', 'planner', 'technician', 'customer')
@Controller('api/devices')
export class ReadingsController {
  constructor(
    @Inject(TELEMETRY_STORE) private readonly store: TelemetryStore,
    @Inject(DEVICE_ACCESS_POLICY) private readonly access: DeviceAccessPolicy,
    private readonly clock: Clock,
  ) {}

  @Get(':id/readings')
  @ApiOperation({
    summary:
      'Readings of one metric: raw (the newest `limit` of the window, ascending) or, with `step`, ' +
      'min / max / avg / count per bucket aligned to the epoch. Window both ends inclusive; default the last 24 h.',
  })
  @ApiZodQuery(ReadingsQuerySchema)
  @ApiZodResponse(200, ReadingsResponseSchema)
  @ApiZodResponse(400, ApiErrorSchema, 'Invalid query (the field is named), from after to, or too many buckets')
  @ApiZodResponse(404, ApiErrorSchema, 'Unknown device, or not the caller’s')
  async readings(
    @CurrentPrincipal() principal: Principal,
    @Param('id') deviceId: string,
    @ZodQuery(ReadingsQuerySchema) query: ReadingsQuery,
  ): Promise<ReadingsResponse> {
    const plan = planOrBadRequest(query, this.clock.now());
    await this.access.assertCanRead(principal, deviceId);
    const window = { deviceId, metric: query.metric, from: iso(plan.from), to: iso(plan.to) };
    switch (plan.kind) {
      case 'raw': {
        const points = await this.store.query(deviceId, query.metric, plan.from, plan.to, plan.limit);
        return { ...window, points: points.map((p) => ({ ts: iso(p.ts), value: p.value })) };
      }
      case 'buckets': {
        const buckets = await this.store.queryBuckets(deviceId, query.metric, plan.from, plan.to, plan.stepMs);
        return {
          ...window,
          step: query.step,
          points: buckets.map((b) => ({ ts: iso(b.ts), min: b.min, max: b.max, avg: b.avg, count: b.count })),
        };
      }
    }
  }

  @Get(':id/latest')
  @ApiOperation({ summary: 'The latest value of every metric the device has sent' })
  @ApiZodResponse(200, LatestValuesResponseSchema)
  @ApiZodResponse(404, ApiErrorSchema, 'Unknown device, or not the caller’s')
  async latest(@CurrentPrincipal() principal: Principal, @Param('id') deviceId: string): Promise<LatestValuesResponse> {
    await this.access.assertCanRead(principal, deviceId);
    const latest = await this.store.latest(deviceId);
    const metrics: LatestValuesResponse['metrics'] = {};
    for (const [metric, point] of latest) metrics[metric] = { ts: iso(point.ts), value: point.value };
    return { deviceId, metrics };
  }
}

function planOrBadRequest(query: ReadingsQuery, now: number) {
  try {
    return planReadingsQuery(query, now);
  } catch (error) {
    if (error instanceof ReadingsQueryError) {
      throw new BadRequestException({ message: error.message, field: error.field });
    }
    throw error;
  }
}
