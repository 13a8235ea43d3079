import cliProgress from 'cli-progress';
import { DAY_MS } from '../core/time.js';
import type { ProgressSink, ProgressState } from './progress.js';

/** Progress bars (cli-progress) for long runs: simulated days, and the acknowledged messages. */
export class TerminalProgress implements ProgressSink {
  private readonly bars = new cliProgress.MultiBar(
    {
      stream: process.stdout,
      clearOnComplete: true,
      hideCursor: true,
      fps: 5,
      format: ' {label} [{bar}] {percentage}% | {value}/{total} {unit} | {extra}',
    },
    cliProgress.Presets.shades_classic,
  );
  private days: cliProgress.SingleBar | undefined;
  private startMs = 0;

  start(info: { startMs: number; endMs: number; devices: number }): void {
    this.startMs = info.startMs;
    const totalDays = Math.max(1, Math.ceil((info.endMs - info.startMs) / DAY_MS));
    this.days = this.bars.create(totalDays, 0, {
      label: 'simulated',
      unit: 'days',
      extra: `${info.devices} devices`,
    });
  }

  update(s: ProgressState): void {
    this.days?.update(Math.floor((s.eventMs - this.startMs) / DAY_MS), {
      extra: `published ${s.published}, acked ${s.acked}, rejected ${s.rejected}, in flight ${s.unacked}`,
    });
  }

  stop(): void {
    this.bars.stop();
  }
}
