import {
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  type PipeTransform,
  Patch,
  Post,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  ApiErrorSchema,
  type Webhook,
  type WebhookCreate,
  type WebhookCreated,
  WebhookCreatedSchema,
  WebhookCreateSchema,
  type WebhookDelivery,
  type WebhookDeliveryListQuery,
  WebhookDeliveryListQuerySchema,
  WebhookDeliverySchema,
  type WebhookPatch,
  WebhookPatchSchema,
  WebhookSchema,
} from '#contracts';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, Roles, ZodBody, ZodQuery } from '#platform';
import { WebhookService } from './webhook.service.js';

const uuid = z.uuid();

/** A malformed id names no webhook: 404 like an unknown one (and never reaches PostgreSQL). */
class WebhookIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    const id = typeof value === 'string' ? value : '';
    if (!uuid.safeParse(id).success) throw new NotFoundException({ message: `webhook ${id} not found` });
    return id;
  }
}
const WebhookId = () => Param('id', new WebhookIdPipe());

/** Webhook registrations: planners and admins. */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('api/webhooks')
@Roles('planner')
export class WebhooksController {
  constructor(private readonly service: WebhookService) {}

  @Post()
  @ApiZodBody(WebhookCreateSchema)
  @ApiZodResponse(201, WebhookCreatedSchema, 'Created (the secret is shown this once)')
  @ApiZodResponse(400, ApiErrorSchema, 'Invalid body')
  create(@ZodBody(WebhookCreateSchema) dto: WebhookCreate): Promise<WebhookCreated> {
    return this.service.create(dto);
  }

  @Get()
  @ApiZodResponse(200, z.array(WebhookSchema))
  list(): Promise<Webhook[]> {
    return this.service.list();
  }

  @Get(':id')
  @ApiZodResponse(200, WebhookSchema)
  @ApiZodResponse(404, ApiErrorSchema, 'Unknown webhook')
  get(@WebhookId() id: string): Promise<Webhook> {
    return this.service.get(id);
  }

  @Patch(':id')
  @ApiZodBody(WebhookPatchSchema)
  @ApiZodResponse(200, WebhookSchema)
  @ApiZodResponse(404, ApiErrorSchema, 'Unknown webhook')
  update(@WebhookId() id: string, @ZodBody(WebhookPatchSchema) dto: WebhookPatch): Promise<Webhook> {
    return this.service.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiZodResponse(404, ApiErrorSchema, 'Unknown webhook')
  delete(@WebhookId() id: string): Promise<void> {
    return this.service.delete(id);
  }

  @Get(':id/deliveries')
  @ApiZodQuery(WebhookDeliveryListQuerySchema)
  @ApiZodResponse(200, z.array(WebhookDeliverySchema), 'Newest first')
  @ApiZodResponse(404, ApiErrorSchema, 'Unknown webhook')
  deliveries(
    @WebhookId() id: string,
    @ZodQuery(WebhookDeliveryListQuerySchema) query: WebhookDeliveryListQuery,
  ): Promise<WebhookDelivery[]> {
    return this.service.deliveriesOf(id, query);
  }
}
