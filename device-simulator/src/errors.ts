/** A run that cannot start or go on: a message for the user, without a stack trace. */
export class SimulationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulationError';
  }
}
