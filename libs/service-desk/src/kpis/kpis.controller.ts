import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrorSchema } from '#contracts';
import { ApiZodQuery, ApiZodResponse, Roles, ZodQuery } from '#platform';
import type { Response } from 'express';
import { KpiQuerySchema, KpiReportViewSchema, type KpiQuery, type KpiReportView } from './kpi.api.js';
import { kpiReportCsv } from './kpi-csv.js';
import { KpiService } from './kpi.service.js';

@ApiTags('kpis')
@ApiBearerAuth()
@Controller('api/kpis')
export class KpisController {
  constructor(private readonly service: KpiService) {}

  @Get()
  @Roles('planner')
  @ApiZodQuery(KpiQuerySchema)
  @ApiProduces('application/json', 'text/csv')
  @ApiZodResponse(200, KpiReportViewSchema, 'KPIs of the period, overall and per group; CSV on request')
  @ApiZodResponse(400, ApiErrorSchema, 'Invalid query (named in `field`)')
  async report(
    @ZodQuery(KpiQuerySchema) q: KpiQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<KpiReportView | string> {
    const report = await this.service.report(q);
    const csv = q.format === 'csv' || (q.format === undefined && /\btext\/csv\b/.test(accept ?? ''));
    if (!csv) return report;
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', 'attachment; filename="kpis.csv"');
    return kpiReportCsv(report);
  }
}
