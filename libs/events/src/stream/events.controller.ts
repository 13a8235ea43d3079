import { BadRequestException, Controller, Get, Headers, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ApiErrorSchema, type EventStreamQuery, EventStreamQuerySchema, type Principal } from '#contracts';
import { ApiZodQuery, ApiZodResponse, CurrentPrincipal, Roles, ZodQuery } from '#platform';
import { EventStreams } from './event-streams.js';

const EventIdSchema = z.uuid();

@ApiTags('events')
@ApiBearerAuth()
@Controller('api/events')
export class EventsController {
  constructor(private readonly streams: EventStreams) {}

  /**
   * Server-Sent Events: `id: <event id>`, `event: <type>`, `data: <PublicEvent JSON>`, a `: heartbeat`
   * comment every 15 s. Each caller sees what its role may (customer: its own; technician: events
   * naming it; planner, admin: all).
   */
  @Get()
  @Roles('planner', 'technician', 'customer')
  @ApiProduces('text/event-stream')
  @ApiZodQuery(EventStreamQuerySchema)
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'resume after this event id' })
  @ApiOkResponse({
    description: 'text/event-stream of public events (data: PublicEvent JSON)',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiZodResponse(400, ApiErrorSchema, 'Invalid type filter or Last-Event-ID')
  async stream(
    @CurrentPrincipal() principal: Principal,
    @ZodQuery(EventStreamQuerySchema) query: EventStreamQuery,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.streams.start(
      { principal, types: query.types, lastEventId: parseLastEventId(lastEventIdHeader) ?? query.lastEventId },
      req,
      res,
    );
  }
}

function parseLastEventId(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const parsed = EventIdSchema.safeParse(header.trim());
  if (parsed.success) return parsed.data;
  throw new BadRequestException({
    message: 'Last-Event-ID: not an event id (the id: of an event this stream sent)',
    field: 'Last-Event-ID',
  });
}
