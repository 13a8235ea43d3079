import 'reflect-metadata';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AedesTransport, EmbeddedBroker, PortInUseError } from '#broker';
import { DatabaseConnection } from '#database';
import { AdminTokenBootstrap } from '#fleet';
import { AppModule } from './app.module.js';
import { ConfigError, type GatewayConfig } from './config.js';
import { acquireDataDirLock } from './data-dir-lock.js';
import { JsonLogger } from './logger.js';
import { mountOpenApi } from './openapi.js';

export const GATEWAY_VERSION = '0.1.0';

export interface RunningGateway {
  readonly app: NestExpressApplication;
  readonly httpPort: number;
  readonly mqttPort: number;
  readonly mqttWsPort: number | null;
  /** The admin token generated on this start (first start without ADMIN_TOKEN only). */
  readonly generatedAdminToken: string | undefined;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly logger?: JsonLogger;
  /** Use an already opened database (tests); otherwise it is opened from the config. */
  readonly database?: DatabaseConnection;
}

/**
 * Starts the whole gateway: database (migrated), HTTP API, embedded MQTT broker. Used by main.ts and
 * by the medium tests, so both run exactly the same wiring.
 */
export async function startGateway(config: GatewayConfig, options: StartOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? new JsonLogger(config.logLevel);
  const embedded = !options.database && !config.databaseUrl;
  const releaseLock = embedded ? await acquireDataDirLock(config.dataDir) : async () => undefined;
  let database: DatabaseConnection;
  try {
    database =
      options.database ??
      (await DatabaseConnection.open(
        config.databaseUrl
          ? { kind: 'postgres', url: config.databaseUrl }
          : { kind: 'pglite', dataDir: path.join(config.dataDir, 'pgdata') },
      ).catch((error: Error) => {
        throw new ConfigError(
          config.databaseUrl
            ? `cannot open the database at DATABASE_URL: ${error.message}`
            : `cannot open the embedded database in DATA_DIR ${config.dataDir}: ${error.message}`,
        );
      }));
  } catch (error) {
    await releaseLock();
    throw error;
  }

  let app: NestExpressApplication | undefined;
  try {
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, database), {
      logger,
      bufferLogs: false,
      abortOnError: false,
    });
    app.set('x-powered-by', false);
    app.useBodyParser('json', { limit: '2mb' });
    mountOpenApi(app, GATEWAY_VERSION);

    const { generated } = await app.get(AdminTokenBootstrap).ensure(config.adminToken);

    app.connectMicroservice({ strategy: new AedesTransport(app.get(EmbeddedBroker)) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
    const broker = app.get(EmbeddedBroker);

    await app.listen(config.httpPort, config.host).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        throw new ConfigError(`HTTP port ${config.httpPort} is already in use: set HTTP_PORT to a free port`);
      }
      throw error;
    });
    const httpPort = (app.getHttpServer().address() as AddressInfo).port;
    const ports = broker.boundPorts();
    const running = app;
    let closing: Promise<void> | undefined;
    return {
      app,
      httpPort,
      mqttPort: ports.mqttPort,
      mqttWsPort: ports.wsPort,
      generatedAdminToken: generated,
      close: () =>
        (closing ??= (async () => {
          try {
            await running.close();
          } finally {
            await database.close();
            await releaseLock();
          }
        })()),
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    await releaseLock();
    if (error instanceof PortInUseError) {
      const variable = error.listener === 'mqtt' ? 'MQTT_PORT' : 'MQTT_WS_PORT';
      throw new ConfigError(`${variable} ${error.port} is already in use: set ${variable} to a free port`);
    }
    throw error;
  }
}
