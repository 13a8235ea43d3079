import { Controller, Get, HttpCode, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DatabaseConnection } from '#database';
import { MetricsRegistry, Public } from '#platform';

/** Liveness, readiness (the database must answer) and Prometheus metrics. */
@ApiTags('operations')
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly database: DatabaseConnection,
    private readonly metrics: MetricsRegistry,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'Readiness: 200 when the database answers, 503 otherwise' })
  async health(@Res() res: Response): Promise<void> {
    const started = performance.now();
    try {
      await this.database.ping();
      res.status(HttpStatus.OK).json({
        status: 'ok',
        checks: { database: { status: 'ok', kind: this.database.kind, ms: round(performance.now() - started) } },
      });
    } catch (error) {
      res.status(HttpStatus.SERVICE_UNAVAILABLE).json({
        status: 'unavailable',
        checks: { database: { status: 'down', kind: this.database.kind, error: (error as Error).message } },
      });
    }
  }

  @Get('health/live')
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('metrics')
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format)' })
  async prometheus(@Res() res: Response): Promise<void> {
    const { contentType, body } = await this.metrics.render();
    res.setHeader('Content-Type', contentType);
    res.send(body);
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
