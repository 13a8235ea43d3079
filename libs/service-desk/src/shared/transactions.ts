import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database, type DbExecutor } from '#database';

/** Runs work in one database transaction; repositories take the executor it hands over. */
@Injectable()
export class Transactions {
  constructor(@Inject(DATABASE) readonly db: Database) {}

  run<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(tx));
  }
}
