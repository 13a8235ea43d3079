import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '#database';

/** Runs work in one database transaction; repositories take the handle it gives as their `db`. */
@Injectable()
export class Transactions {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  run<T>(work: (db: Database) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(tx));
  }
}
