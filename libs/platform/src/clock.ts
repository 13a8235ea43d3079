import { Injectable } from '@nestjs/common';

/** Wall-clock time behind an injectable, so tests can freeze it. */
@Injectable()
export class Clock {
  now(): number {
    return Date.now();
  }
  date(): Date {
    return new Date(this.now());
  }
}

/** A clock that only moves when told to. */
export class FrozenClock extends Clock {
  constructor(private current: number) {
    super();
  }
  override now(): number {
    return this.current;
  }
  set(ms: number): void {
    this.current = ms;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
