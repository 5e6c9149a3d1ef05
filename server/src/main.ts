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

// The first signal drains (running calls go on, new ones are refused); a second stops at once.
let signals = 0;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    signals++;
    logger.info({ signal }, signals === 1 ? 'stopping after running calls end' : 'stopping now');
    const done = signals === 1 ? server.drain() : server.stop();
    void done.then(() => {
      logger.info('stopped');
      process.exit(0);
    });
  });
}
