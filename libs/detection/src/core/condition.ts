/**
 * Confirmation and hysteresis shared by every condition detector: raise after `confirm` consecutive
 * violating inputs, escalate after `confirm` consecutive inputs of a higher severity, clear after
 * `clearConfirm` consecutive inputs beyond the clear level. Inputs between the raise and the clear level
 * (the hysteresis band) neither confirm nor clear. Never de-escalates while active: a flapping severity
 * would make flapping alerts.
 */
import { SEVERITIES, type Severity } from './types.js';

export type Transition = 'raised' | 'escalated' | 'cleared' | null;

/** [active, violations, clears, severity rank, run start ts, run min rank, escalation count, escalation min rank] */
export type ConditionSnapshot = [number, number, number, number, number, number, number, number];

export class ConfirmedCondition {
  private active = false;
  private violations = 0;
  private clears = 0;
  private rank = -1;
  private runStart = 0;
  private runMinRank = 0;
  private escalations = 0;
  private escalationMinRank = 0;

  get isActive(): boolean {
    return this.active;
  }

  get severity(): Severity {
    return SEVERITIES[Math.max(0, this.rank)] ?? 'low';
  }

  /** Event time of the first violating input of the current (or last) run. */
  get onset(): number {
    return this.runStart;
  }

  /** Consecutive violating inputs so far. */
  get run(): number {
    return this.violations;
  }

  /**
   * @param severity the severity this input alone would have (ignored when not violating)
   * @param clearing the input is beyond the clear level (only meaningful when not violating)
   */
  observe(
    violating: boolean,
    clearing: boolean,
    severity: Severity,
    ts: number,
    confirm: number,
    clearConfirm: number,
  ): Transition {
    if (violating) {
      const rank = SEVERITIES.indexOf(severity);
      this.clears = 0;
      this.violations += 1;
      if (this.violations === 1) {
        this.runStart = ts;
        this.runMinRank = rank;
      } else {
        this.runMinRank = Math.min(this.runMinRank, rank);
      }
      if (!this.active) {
        if (this.violations >= confirm) {
          this.active = true;
          this.rank = this.runMinRank;
          this.escalations = 0;
          return 'raised';
        }
        return null;
      }
      if (rank > this.rank) {
        this.escalations += 1;
        this.escalationMinRank = this.escalations === 1 ? rank : Math.min(this.escalationMinRank, rank);
        if (this.escalations >= confirm) {
          this.rank = this.escalationMinRank;
          this.escalations = 0;
          return 'escalated';
        }
      } else {
        this.escalations = 0;
      }
      return null;
    }
    this.violations = 0;
    this.escalations = 0;
    if (!this.active) return null;
    if (!clearing) {
      this.clears = 0;
      return null;
    }
    this.clears += 1;
    if (this.clears >= clearConfirm) {
      this.active = false;
      this.clears = 0;
      this.rank = -1;
      return 'cleared';
    }
    return null;
  }

  /** Forget any run in progress (the condition itself stays as it is). */
  resetRun(): void {
    this.violations = 0;
    this.escalations = 0;
    this.clears = 0;
  }

  snapshot(): ConditionSnapshot {
    return [
      this.active ? 1 : 0,
      this.violations,
      this.clears,
      this.rank,
      this.runStart,
      this.runMinRank,
      this.escalations,
      this.escalationMinRank,
    ];
  }

  restore(s: ConditionSnapshot): void {
    [
      this.violations,
      this.clears,
      this.rank,
      this.runStart,
      this.runMinRank,
      this.escalations,
      this.escalationMinRank,
    ] = [s[1], s[2], s[3], s[4], s[5], s[6], s[7]];
    this.active = s[0] === 1;
  }
}
