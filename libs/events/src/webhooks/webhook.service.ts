import { Injectable, NotFoundException } from '@nestjs/common';
import type {
  Webhook,
  WebhookCreate,
  WebhookCreated,
  WebhookDelivery,
  WebhookDeliveryListQuery,
  WebhookPatch,
} from '#contracts';
import { Clock, generateToken } from '#platform';
import { DeliveryRepository } from '../outbox/delivery.repository.js';
import { toDelivery, toWebhook } from './webhook.mapper.js';
import { WebhookRepository } from './webhook.repository.js';
import { WebhookTargets } from './webhook-targets.js';

function notFound(id: string): NotFoundException {
  return new NotFoundException({ message: `webhook ${id} not found` });
}

/** Webhook registrations and their delivery history. */
@Injectable()
export class WebhookService {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly clock: Clock,
    private readonly targets: WebhookTargets,
  ) {}

  /** Registers a webhook; the answer is the only place its secret is ever shown. */
  async create(dto: WebhookCreate): Promise<WebhookCreated> {
    const now = this.clock.date();
    const secret = dto.secret ?? generateToken('whsec');
    const row = await this.webhooks.insert({
      url: dto.url,
      secret,
      types: dto.types ?? ['*'],
      active: dto.active ?? true,
      createdAt: now,
      updatedAt: now,
    });
    this.targets.invalidate();
    return { ...toWebhook(row), secret };
  }

  async list(): Promise<Webhook[]> {
    return (await this.webhooks.list()).map(toWebhook);
  }

  async get(id: string): Promise<Webhook> {
    const row = await this.webhooks.findById(id);
    if (!row) throw notFound(id);
    return toWebhook(row);
  }

  /** New types apply to events published from now on; a new url also to the deliveries still queued. */
  async update(id: string, patch: WebhookPatch): Promise<Webhook> {
    const row = await this.webhooks.update(id, { ...patch, updatedAt: this.clock.date() });
    this.targets.invalidate();
    if (!row) throw notFound(id);
    return toWebhook(row);
  }

  async delete(id: string): Promise<void> {
    const deleted = await this.webhooks.delete(id);
    this.targets.invalidate();
    if (!deleted) throw notFound(id);
  }

  async deliveriesOf(id: string, query: WebhookDeliveryListQuery): Promise<WebhookDelivery[]> {
    if (!(await this.webhooks.findById(id))) throw notFound(id);
    return (await this.deliveries.listForWebhook(id, query.status, query.limit)).map(toDelivery);
  }
}
