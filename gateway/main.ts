// Production entry point of the gateway alone (workers run as their own processes: jobs/main.ts).
import { createLogger } from '../adapters/kit/logger.ts';
import { runEntryPoint } from '../jobs/process-entry.ts';
import { loadConfig } from './config.ts';
import { startHubProcess } from './hub-process.ts';

await runEntryPoint('gateway', async () => {
  const config = loadConfig(process.env);
  const logger = createLogger(config.LOG_LEVEL, 'gateway');
  const hub = await startHubProcess(config, logger, { workers: false, env: process.env });
  logger.info({ url: hub.url }, 'gateway listening');
  return hub;
});
