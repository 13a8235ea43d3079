import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Clock } from '#platform';
import { ComplaintOverdueScheduler } from '../complaints/complaint-overdue-scheduler.js';
import { SERVICE_DESK_CONFIG, type ServiceDeskConfig } from '../config/service-desk-options.js';
import { PreventiveScheduler } from '../preventive/preventive-scheduler.js';
import { SlaScheduler } from '../sla/sla-scheduler.js';

interface Job {
  readonly name: string;
  readonly everyMs: number;
  readonly tick: (now: number) => Promise<unknown>;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
}

/**
 * Runs the service desk's sweeps on timers: the SLA escalation, overdue complaints and preventive plans. Started
 * when the application has bootstrapped (once at once, then every interval), stopped on shutdown after the
 * sweep in progress finishes. Time comes from the Clock, so a frozen clock drives them in tests; tests usually
 * disable the timers and call each scheduler's `tick(now)` directly.
 */
@Injectable()
export class SchedulerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ServiceDeskSchedulers');
  private readonly jobs: Job[];

  constructor(
    sla: SlaScheduler,
    complaints: ComplaintOverdueScheduler,
    preventive: PreventiveScheduler,
    private readonly clock: Clock,
    @Inject(SERVICE_DESK_CONFIG) private readonly config: ServiceDeskConfig,
  ) {
    const s = config.schedulers;
    this.jobs = [
      { name: 'sla-escalation', everyMs: s.slaSweepMs, tick: (now) => sla.tick(now) },
      { name: 'complaints-overdue', everyMs: s.complaintSweepMs, tick: (now) => complaints.tick(now) },
      { name: 'preventive-plans', everyMs: s.preventiveSweepMs, tick: (now) => preventive.tick(now) },
    ];
  }

  onApplicationBootstrap(): void {
    if (!this.config.schedulers.enabled) return;
    for (const job of this.jobs) {
      job.timer = setInterval(() => this.run(job), job.everyMs);
      // The process may exit while a sweep waits for its next turn.
      job.timer.unref();
      this.run(job);
    }
  }

  /** Before the shutdown hooks run: the database (closed by its module on shutdown) is still open for the sweep. */
  async beforeApplicationShutdown(): Promise<void> {
    for (const job of this.jobs) clearInterval(job.timer);
    await Promise.all(this.jobs.flatMap((job) => (job.running === undefined ? [] : [job.running])));
  }

  /** One sweep; a sweep still running when the next is due is not overlapped. */
  private run(job: Job): void {
    if (job.running !== undefined) return;
    job.running = job
      .tick(this.clock.now())
      .then(
        () => undefined,
        (error: unknown) => {
          this.logger.error(`${job.name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        },
      )
      .finally(() => {
        job.running = undefined;
      });
  }
}
