import { Global, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DatabaseConnection, type DatabaseTarget } from './connection.js';

/** Injection token of the Drizzle database (type `Database`). */
export const DATABASE = Symbol('Database');

@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(private readonly moduleRef: ModuleRef) {}

  /** Opens (and migrates) the database from a target, or adopts a connection opened elsewhere. */
  static forRoot(source: DatabaseTarget | DatabaseConnection): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DatabaseConnection,
          useFactory: () => (source instanceof DatabaseConnection ? source : DatabaseConnection.open(source)),
        },
        { provide: DATABASE, useFactory: (c: DatabaseConnection) => c.db, inject: [DatabaseConnection] },
      ],
      exports: [DatabaseConnection, DATABASE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.moduleRef.get(DatabaseConnection, { strict: false }).close();
  }
}
