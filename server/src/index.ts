export { loadConfig, ConfigError, type Config } from './config.ts';
export { createLogger } from './logger.ts';
export { startTupa, type TupaServer } from './TupaServer.ts';
