import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startTupa } from './TupaServer.ts';

// `npm start`: one process with everything in it. SIGTERM or SIGINT stops it cleanly.

const startedAt = performance.now();
let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
const logger = createLogger(config.logLevel);
process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));

const server = await startTupa(config, logger).catch((error: unknown) => {
  logger.fatal({ err: error }, 'Tupa could not start');
  process.exit(1);
});
logger.info(
  { url: config.publicUrl, listening: server.url, startMs: Math.round(performance.now() - startedAt) },
  `Tupa is ready: open ${config.publicUrl}`,
);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    void server.stop().then(() => {
      logger.info('stopped');
      process.exit(0);
    });
  });
}
