import { Controller, Get, NotFoundException, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  ApiErrorSchema,
  type DetectionSettingsUpdate,
  DetectionSettingsUpdateSchema,
  type DetectionSettingsView,
  DetectionSettingsViewSchema,
  type EffectiveConfigQuery,
  EffectiveConfigQuerySchema,
  type EffectiveDetectionConfig,
  EffectiveDetectionConfigSchema,
  type Principal,
} from '#contracts';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, CurrentPrincipal, Roles, ZodBody, ZodQuery } from '#platform';
import { DetectionSettingsService } from './detection-settings.service.js';

const AssetIdSchema = z.uuid();

/** An asset's detector settings: planners write them; technicians read; customers read their own assets'. */
@ApiTags('detection')
@ApiBearerAuth()
@Controller('api/assets')
export class DetectionSettingsController {
  constructor(private readonly settings: DetectionSettingsService) {}

  @Get(':id/detection-settings')
  @Roles('planner', 'technician', 'customer')
  @ApiOperation({ summary: 'The asset’s detector settings (empty: defaults), their version and recent changes' })
  @ApiZodResponse(200, DetectionSettingsViewSchema)
  @ApiZodResponse(404, ApiErrorSchema, 'Unknown asset, or not the caller’s')
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<DetectionSettingsView> {
    return this.settings.view(principal, assetId(id));
  }

  @Put(':id/detection-settings')
  @Roles('planner')
  @ApiOperation({
    summary:
      'Replaces the asset’s detector settings (per-asset thresholds, per-metric detector overrides; null ' +
      'switches a detector off). The asset’s devices run with them from their next reading.',
  })
  @ApiZodBody(DetectionSettingsUpdateSchema)
  @ApiZodResponse(200, DetectionSettingsViewSchema, 'The settings as stored')
  @ApiZodResponse(400, ApiErrorSchema, 'Invalid settings (the field is named), also ones the detectors cannot run')
  @ApiZodResponse(404, ApiErrorSchema, 'Unknown asset')
  @ApiZodResponse(409, ApiErrorSchema, 'The settings changed since `version`')
  async put(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @ZodBody(DetectionSettingsUpdateSchema) body: DetectionSettingsUpdate,
  ): Promise<DetectionSettingsView> {
    return this.settings.update(principal, assetId(id), body);
  }

  @Get(':id/detection-settings/effective')
  @Roles('planner', 'technician', 'customer')
  @ApiOperation({
    summary:
      'What the detectors of one metric run with on this asset: the metric’s defaults, the coating ' +
      'specification and the settings merged (null: detector off)',
  })
  @ApiZodQuery(EffectiveConfigQuerySchema)
  @ApiZodResponse(200, EffectiveDetectionConfigSchema)
  @ApiZodResponse(400, ApiErrorSchema, 'Missing or invalid metric')
  @ApiZodResponse(404, ApiErrorSchema, 'Unknown asset, or a device not on it')
  async effective(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @ZodQuery(EffectiveConfigQuerySchema) query: EffectiveConfigQuery,
  ): Promise<EffectiveDetectionConfig> {
    return this.settings.effective(principal, assetId(id), query);
  }
}

function assetId(id: string): string {
  if (!AssetIdSchema.safeParse(id).success) {
    throw new NotFoundException({ message: `asset ${id} not found`, field: 'id' });
  }
  return id;
}
