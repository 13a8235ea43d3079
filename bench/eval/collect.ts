import type { AlertView } from '#contracts';
import type { WorkOrderDetail, WorkOrderView } from '#service-desk';
import type { SeenAlert, SeenWorkOrder } from './match.js';

const PAGE = 1000;

/** The gateway's REST API as the eval reads it (admin token). */
export class GatewayApi {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async get<T>(route: string): Promise<T> {
    const res = await fetch(this.baseUrl + route, { headers: { authorization: `Bearer ${this.token}` } });
    const text = await res.text();
    if (!res.ok) throw new Error(`GET ${route}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  async all<T>(route: string): Promise<T[]> {
    const out: T[] = [];
    const sep = route.includes('?') ? '&' : '?';
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.get<T[]>(`${route}${sep}limit=${PAGE}&offset=${offset}`);
      out.push(...page);
      if (page.length < PAGE) return out;
    }
  }
}

/** Every alert the run raised, whatever became of it. */
export async function collectAlerts(api: GatewayApi): Promise<SeenAlert[]> {
  const alerts = await api.all<AlertView>('/api/alerts');
  return alerts.map((a) => ({
    id: a.id,
    deviceId: a.deviceId,
    kind: a.kind,
    fault: a.fault,
    severity: a.severity,
    eventTime: Date.parse(a.eventTime),
  }));
}

/** Every detector work order with the alerts on it: the one that opened it and those linked later. */
export async function collectWorkOrders(api: GatewayApi, concurrency = 8): Promise<SeenWorkOrder[]> {
  const list = await api.all<WorkOrderView>('/api/work-orders?source=detector');
  const out: SeenWorkOrder[] = new Array<SeenWorkOrder>(list.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, list.length) }, async () => {
      for (let i = next++; i < list.length; i = next++) {
        const wo = list[i]!;
        const detail = await api.get<WorkOrderDetail>(`/api/work-orders/${wo.id}`);
        const linked = detail.log
          .filter((l) => l.kind === 'alert_linked')
          .map((l) => l.data['alertId'])
          .filter((id): id is string => typeof id === 'string');
        out[i] = {
          id: wo.id,
          status: wo.status,
          alertIds: [...(wo.evidence ? [wo.evidence.alertId] : []), ...linked],
        };
      }
    }),
  );
  return out;
}
