import { describe, expect, it } from 'vitest';
import type { CustomerFaultReport } from '../core/simulation.js';
import { HttpCustomerReporter } from './http-customer-reporter.js';

interface Call {
  readonly method: string;
  readonly url: string;
  readonly token: string;
  readonly body: Record<string, unknown> | undefined;
}

/** A gateway that issues tokens and answers reports from a script. */
function fakeGateway(reportStatuses: number[]) {
  const calls: Call[] = [];
  let issued = 0;
  const fetchImpl = (async (input: string, init?: RequestInit) => {
    const url = input;
    const token = String((init?.headers as Record<string, string>)['authorization']).replace('Bearer ', '');
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : undefined;
    calls.push({ method: init?.method ?? 'GET', url, token, body });
    if (url.endsWith('/api/tokens')) {
      issued++;
      return Response.json(
        { id: crypto.randomUUID(), role: 'customer', token: `customer-token-${issued}` },
        { status: 201 },
      );
    }
    if (url.includes('/api/reports?')) return Response.json([], { status: 200 });
    const status = reportStatuses.shift() ?? 201;
    if (status !== 201)
      return Response.json({ statusCode: status, error: 'x', message: `refused ${status}` }, { status });
    return Response.json(
      {
        reportId: crypto.randomUUID(),
        outcome: 'linked',
        platformWasFirst: true,
        workOrder: { id: 'wo-1', number: 'WO-2025-000001', source: 'detector', title: 'Coating repair' },
      },
      { status: 201 },
    );
  }) as typeof fetch;
  return { calls, fetchImpl };
}

const report = (assetKey: string, kind: CustomerFaultReport['kind'] = 'coating_damage'): CustomerFaultReport => ({
  faultId: `f-${assetKey}`,
  kind,
  deviceId: 'dev-1',
  assetKey,
  failureAt: Date.UTC(2025, 3, 5, 5),
  reportAt: Date.UTC(2025, 3, 5, 13),
  description: 'Tank 3: coating damaged, bare steel and rust visible',
});

const context = {
  assetIds: new Map([
    ['a1', '00000000-0000-4000-8000-0000000000a1'],
    ['a2', '00000000-0000-4000-8000-0000000000a2'],
    ['a3', '00000000-0000-4000-8000-0000000000a3'],
  ]),
  customerOfAsset: new Map([
    ['a1', '00000000-0000-4000-8000-0000000000c1'],
    ['a2', '00000000-0000-4000-8000-0000000000c1'],
    ['a3', '00000000-0000-4000-8000-0000000000c2'],
  ]),
};

describe('HttpCustomerReporter', () => {
  it('reports as the asset owner, with a category and the time the failure was noticed, and keeps the answer', async () => {
    const gw = fakeGateway([]);
    const reporter = new HttpCustomerReporter({
      apiUrl: 'http://gw:3000/api',
      adminToken: 'admin',
      fetchImpl: gw.fetchImpl,
    });
    reporter.attach(context);
    const outcome = await reporter.report(report('a1'));
    expect(outcome).toEqual({
      status: 'sent',
      answer: {
        reportId: expect.any(String),
        outcome: 'linked',
        platformWasFirst: true,
        workOrderId: 'wo-1',
        workOrderNumber: 'WO-2025-000001',
        workOrderSource: 'detector',
      },
    });
    expect(gw.calls[0]).toMatchObject({
      url: 'http://gw:3000/api/tokens',
      token: 'admin',
      body: { role: 'customer', customerId: context.customerOfAsset.get('a1') },
    });
    expect(gw.calls[1]).toMatchObject({
      method: 'POST',
      url: 'http://gw:3000/api/reports',
      token: 'customer-token-1',
      body: {
        assetId: context.assetIds.get('a1'),
        title: 'Tank 3: coating damaged, bare steel and rust visible',
        faultCategory: 'coating_damage',
        priority: 'P2',
        description: expect.stringContaining('Noticed 2025-04-05T05:00:00.000Z'),
      },
    });
  });

  it('issues one token per customer', async () => {
    const gw = fakeGateway([]);
    const reporter = new HttpCustomerReporter({
      apiUrl: 'http://gw:3000',
      adminToken: 'admin',
      fetchImpl: gw.fetchImpl,
    });
    reporter.attach(context);
    await reporter.report(report('a1'));
    await reporter.report(report('a2', 'offline'));
    await reporter.report(report('a3', 'spikes'));
    const tokenCalls = gw.calls.filter((c) => c.url.endsWith('/api/tokens'));
    expect(tokenCalls.map((c) => c.body!['customerId'])).toEqual([
      context.customerOfAsset.get('a1'),
      context.customerOfAsset.get('a3'),
    ]);
    const reports = gw.calls.filter((c) => c.url.endsWith('/api/reports'));
    expect(reports.map((c) => [c.token, c.body!['faultCategory']])).toEqual([
      ['customer-token-1', 'coating_damage'],
      ['customer-token-1', 'communication'],
      ['customer-token-2', 'sensor_fault'],
    ]);
  });

  it('retries what the gateway could not take, not what it refused', async () => {
    const busy = fakeGateway([503]);
    const a = new HttpCustomerReporter({ apiUrl: 'http://gw', adminToken: 'admin', fetchImpl: busy.fetchImpl });
    a.attach(context);
    expect((await a.report(report('a1'))).status).toBe('sent');

    const refused = fakeGateway([400]);
    const b = new HttpCustomerReporter({ apiUrl: 'http://gw', adminToken: 'admin', fetchImpl: refused.fetchImpl });
    b.attach(context);
    expect(await b.report(report('a1'))).toEqual({ status: 'failed', error: 'POST /api/reports: 400 refused 400' });
    expect(refused.calls.filter((c) => c.url.endsWith('/api/reports'))).toHaveLength(1);
    expect(await b.report(report('unknown'))).toEqual({ status: 'failed', error: 'asset unknown was not provisioned' });
  });

  it('tells whether the gateway has the customer report API', async () => {
    const gw = fakeGateway([]);
    expect(await HttpCustomerReporter.supported('http://gw', 'admin', gw.fetchImpl)).toBe(true);
    const none = (async () => new Response('not found', { status: 404 })) as typeof fetch;
    expect(await HttpCustomerReporter.supported('http://gw', 'admin', none)).toBe(false);
  });
});
