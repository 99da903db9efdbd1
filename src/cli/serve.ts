/**
 * `skypulse serve`: validates the configuration, starts the service and shuts it down
 * gracefully on SIGTERM or SIGINT within SHUTDOWN_TIMEOUT_SECONDS.
 */
import { loadConfig } from '../config/load.ts';
import { ConfigError } from '../config/parsers.ts';
import { createLogger } from '../log/logger.ts';
import { onShutdownSignal, readEnvironment, stderr, exitProcess } from '../runtime/index.ts';
import { startService } from './service.ts';

export async function serve(): Promise<number> {
  let config;
  try {
    config = loadConfig(readEnvironment());
  } catch (error) {
    if (error instanceof ConfigError) {
      stderr(`skypulse: ${error.message}\nRun with --help to list every variable.\n`);
      return 2;
    }
    throw error;
  }

  const logger = createLogger(config.LOG_LEVEL);
  // Listening before start-up means a signal that arrives while the service opens is not lost.
  const signalled = new Promise<string>((resolve) => onShutdownSignal(resolve));
  let service;
  try {
    service = await startService({ config, logger });
  } catch (error) {
    logger.fatal({ component: 'service', err: error }, 'start-up failed');
    stderr(`skypulse: start-up failed: ${(error as Error).message}\n`);
    return 1;
  }

  const signal = await signalled;
  logger.info({ component: 'service', signal }, 'shutting down');
  const deadline = setTimeout(() => {
    logger.error({ component: 'service', timeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS }, 'shutdown timed out');
    exitProcess(1);
  }, config.SHUTDOWN_TIMEOUT_SECONDS * 1000);
  await service.close();
  clearTimeout(deadline);
  return 0;
}
