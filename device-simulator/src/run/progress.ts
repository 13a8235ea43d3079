/** Where a run reports its progress; the CLI shows bars, tests and pipes see nothing. */
export interface ProgressSink {
  start(info: { readonly startMs: number; readonly endMs: number; readonly devices: number }): void;
  update(state: ProgressState): void;
  stop(): void;
}

export interface ProgressState {
  /** Event time reached. */
  readonly eventMs: number;
  readonly published: number;
  readonly acked: number;
  readonly rejected: number;
  readonly unacked: number;
}

export const silentProgress: ProgressSink = {
  start: () => undefined,
  update: () => undefined,
  stop: () => undefined,
};
