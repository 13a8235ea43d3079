import { z } from 'zod';
import {
  CUSTOMER_CATEGORY,
  CUSTOMER_PRIORITY,
  type CustomerReportAnswer,
  type CustomerReportOutcome,
} from '../core/customer-report.js';
import type { CustomerFaultReport } from '../core/simulation.js';
import { isoTime } from '../core/time.js';
import type { CustomerReporter, ReporterContext } from './customer-reporter.js';

const ReportAnswerSchema = z.object({
  reportId: z.string(),
  outcome: z.enum(['linked', 'opened']),
  platformWasFirst: z.boolean(),
  workOrder: z.object({ id: z.string(), number: z.string(), source: z.string() }).loose(),
});
const TokenSchema = z.object({ token: z.string() });
const ErrorBodySchema = z.object({ message: z.union([z.string(), z.array(z.string())]) }).loose();

export interface HttpCustomerReporterOptions {
  /** Gateway REST base URL. */
  readonly apiUrl: string;
  /** Admin token: issues one customer token per customer, which the reports are then sent with. */
  readonly adminToken: string;
  /** Waited for before each report (the eval lets detection catch up with the event time first). */
  readonly beforeReport?: (report: CustomerFaultReport) => Promise<void>;
  /** Attempts at a report the gateway could not take (unreachable, 5xx); a 4xx is not retried. */
  readonly attempts?: number;
  readonly fetchImpl?: typeof fetch;
}

/**
 * The simulated customers report through the service desk's self-service API, `POST /api/reports`, each with
 * its own customer token (a customer may report on its own assets only), and the answer says whether the
 * platform had opened the work order first.
 */
export class HttpCustomerReporter implements CustomerReporter {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;
  private context: ReporterContext | undefined;
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(private readonly options: HttpCustomerReporterOptions) {
    this.base = options.apiUrl.replace(/\/+$/, '').replace(/\/api$/, '');
    this.fetchImpl = options.fetchImpl ?? fetch;
  }

  /** Whether the gateway has the customer self-service API (a gateway before issue 4 answers 404). */
  static async supported(apiUrl: string, adminToken: string, fetchImpl: typeof fetch = fetch): Promise<boolean> {
    const base = apiUrl.replace(/\/+$/, '').replace(/\/api$/, '');
    const res = await fetchImpl(`${base}/api/reports?limit=1`, { headers: { authorization: `Bearer ${adminToken}` } });
    await res.body?.cancel();
    return res.ok;
  }

  attach(context: ReporterContext): void {
    this.context = context;
  }

  async report(report: CustomerFaultReport): Promise<CustomerReportOutcome> {
    const context = this.context;
    if (context === undefined) throw new Error('HttpCustomerReporter.report before attach()');
    const assetId = context.assetIds.get(report.assetKey);
    const customerId = context.customerOfAsset.get(report.assetKey);
    if (assetId === undefined || customerId === undefined) {
      return { status: 'failed', error: `asset ${report.assetKey} was not provisioned` };
    }
    await this.options.beforeReport?.(report);
    const body = {
      assetId,
      title: report.description.slice(0, 200),
      description: `${report.description}. Noticed ${isoTime(report.failureAt)}.`,
      faultCategory: CUSTOMER_CATEGORY[report.kind],
      priority: CUSTOMER_PRIORITY[report.kind],
    };
    const attempts = this.options.attempts ?? 3;
    let last = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const token = await this.customerToken(customerId);
        const res = await this.request('POST', '/api/reports', token, body);
        const text = await res.text();
        if (res.status === 201 || res.status === 200) {
          return { status: 'sent', answer: answerOf(JSON.parse(text)) };
        }
        last = `POST /api/reports: ${res.status} ${errorText(text)}`;
        if (res.status < 500) break;
      } catch (error) {
        last = `POST /api/reports: ${error instanceof Error ? error.message : String(error)}`;
      }
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    }
    return { status: 'failed', error: last };
  }

  /** One token per customer, issued on its first report. */
  private customerToken(customerId: string): Promise<string> {
    let token = this.tokens.get(customerId);
    if (token === undefined) {
      token = this.issueToken(customerId);
      // A failed issue is tried again at the next report.
      token.catch(() => this.tokens.delete(customerId));
      this.tokens.set(customerId, token);
    }
    return token;
  }

  private async issueToken(customerId: string): Promise<string> {
    const res = await this.request('POST', '/api/tokens', this.options.adminToken, {
      role: 'customer',
      customerId,
      name: 'simulated customer',
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`POST /api/tokens: ${res.status} ${errorText(text)}`);
    return TokenSchema.parse(JSON.parse(text)).token;
  }

  private request(method: 'POST', route: string, token: string, body: unknown): Promise<Response> {
    return this.fetchImpl(this.base + route, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }
}

function answerOf(json: unknown): CustomerReportAnswer {
  const a = ReportAnswerSchema.parse(json);
  return {
    reportId: a.reportId,
    outcome: a.outcome,
    platformWasFirst: a.platformWasFirst,
    workOrderId: a.workOrder.id,
    workOrderNumber: a.workOrder.number,
    workOrderSource: a.workOrder.source,
  };
}

function errorText(text: string): string {
  try {
    const parsed = ErrorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) return [parsed.data.message].flat().join('; ');
  } catch {
    // not JSON
  }
  return text.slice(0, 300);
}
