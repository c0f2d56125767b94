import { AdapterConfigError } from '../adapters/registry.ts';
import { CatalogueSeedError } from '../db/seed/seed-catalogue.ts';
import { ConfigError } from './config.ts';
import { RedisNotReadyError } from './redis.ts';

/**
 * Runs an entry point: a start-up failure the operator can fix prints its message and exits 2;
 * SIGTERM/SIGINT stop the process gracefully (a second signal exits at once).
 */
export async function runEntryPoint(
  name: string,
  start: () => Promise<{ stop(): Promise<void> }>,
): Promise<void> {
  let running: { stop(): Promise<void> };
  try {
    running = await start();
  } catch (error) {
    if (
      error instanceof ConfigError ||
      error instanceof RedisNotReadyError ||
      error instanceof CatalogueSeedError ||
      error instanceof AdapterConfigError
    ) {
      console.error(`${name} cannot start: ${error.message}`);
      process.exit(2);
    }
    console.error(`${name} failed to start:`, error);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    console.error(`${signal}: stopping (in-flight work finishes first; send again to exit at once)`);
    running.stop().then(
      () => process.exit(0),
      (error) => {
        console.error('error while stopping:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
