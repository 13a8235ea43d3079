import { afterEach } from 'vitest';
import { type DetectionTestApp, startDetectionApp } from './detection-test-app.js';
import { createReopenableDatabase, type ReopenableDatabase } from './reopenable-database.js';

type AppSetup = Omit<Parameters<typeof startDetectionApp>[0], 'connection'>;

/** Databases that outlive their apps, and the apps of each "process", for restart tests. */
export interface RestartableApps {
  readonly database: () => Promise<ReopenableDatabase>;
  /** Starts an app (a process) on the database, with the rest of `startDetectionApp`'s setup. */
  readonly app: (db: ReopenableDatabase, setup?: AppSetup) => Promise<DetectionTestApp>;
  /** Stops an app before the end of the test (a shutdown, then a restart). */
  readonly close: (t: DetectionTestApp) => Promise<void>;
}

/**
 * Call inside a `describe`: everything opened in a test is closed after it, apps before their databases.
 */
export function restartableApps(): RestartableApps {
  const open: Array<DetectionTestApp | ReopenableDatabase> = [];
  afterEach(async () => {
    for (const x of open.splice(0).reverse()) {
      if ('app' in x) await x.close();
      else await x.dispose();
    }
  });
  return {
    database: async () => {
      const db = await createReopenableDatabase();
      open.push(db);
      return db;
    },
    app: async (db, setup = {}) => {
      const t = await startDetectionApp({ ...setup, connection: await db.open() });
      open.push(t);
      return t;
    },
    close: async (t) => {
      open.splice(open.indexOf(t), 1);
      await t.close();
    },
  };
}
