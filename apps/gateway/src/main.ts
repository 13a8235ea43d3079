import { ConfigError, loadConfig } from './config.js';
import { startGateway } from './bootstrap.js';
import { JsonLogger } from './logger.js';

/** Process entry: validate settings, start, print the first admin token once, shut down gracefully. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = new JsonLogger(config.logLevel);
  const gateway = await startGateway(config, { logger });
  if (gateway.generatedAdminToken) {
    process.stdout.write(
      `\nADMIN TOKEN (shown once, only its digest is stored; keep it now): ${gateway.generatedAdminToken}\n\n`,
    );
  }
  logger.pino.info(
    {
      http: gateway.httpPort,
      mqtt: gateway.mqttPort,
      mqttWs: gateway.mqttWsPort,
      database: config.databaseUrl ? 'postgres' : `embedded (${config.dataDir})`,
    },
    `gateway ready: HTTP http://localhost:${gateway.httpPort}/api/docs, MQTT mqtt://localhost:${gateway.mqttPort}`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.pino.info({ signal }, 'shutting down: stop accepting, flush buffered readings, close');
    const timer = setTimeout(() => {
      logger.pino.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms, exiting`);
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    gateway.close().then(
      () => {
        logger.pino.info('stopped');
        process.exitCode = 0;
      },
      (error: unknown) => {
        logger.pino.error({ err: error }, 'error while shutting down');
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`gateway: ${error.message}\n`);
  } else {
    process.stderr.write(
      `gateway: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
