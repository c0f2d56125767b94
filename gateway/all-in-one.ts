// `npm start`: the whole hub in one process on embedded defaults — gateway, workers and the
// simulated department systems — printing its URLs and a token for each role.
import { createLogger } from '../adapters/kit/logger.ts';
import { runEntryPoint } from '../jobs/process-entry.ts';
import { demoTokens } from './auth/token-setup.ts';
import { loadConfig } from './config.ts';
import { startHubProcess } from './hub-process.ts';

await runEntryPoint('onewindow-hub', async () => {
  const config = loadConfig(process.env);
  const logger = createLogger(config.LOG_LEVEL, 'hub');
  const hub = await startHubProcess(config, logger, { workers: true, env: process.env });
  const lines = [
    '',
    'OneWindow Hub is running.',
    `  GraphiQL   ${hub.url}/graphiql`,
    `  GraphQL    ${hub.url}/graphql`,
    `  health     ${hub.url}/healthz   ready ${hub.url}/readyz`,
    `  certificates ${hub.url}/certificates/jwks.json   verify POST ${hub.url}/certificates/verify`,
    `  queues     ${hub.url}/dashboard/queues (supervisor token)`,
    `  database   ${config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite under ${config.DATA_DIR}/`}`,
  ];
  for (const [name, url] of hub.simulators) lines.push(`  simulated ${name.padEnd(10)} ${url}`);
  if (hub.tokens.devKey) {
    lines.push(
      '',
      'Bearer tokens (12 h) — put one in GraphiQL\'s Headers as {"Authorization": "Bearer <token>"}:',
    );
    for (const t of await demoTokens(config, hub.tokens.devKey))
      lines.push(`  ${t.role.padEnd(21)} ${t.name}`, `    ${t.token}`);
  }
  console.log(lines.join('\n'));
  return hub;
});
