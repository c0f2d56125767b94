// `npm run tokens`: prints a development token for each role (signed with the key under DATA_DIR).

import { loadOrCreateDevSigningKey } from './auth/signing-keys.ts';
import { demoTokens } from './auth/token-setup.ts';
import { loadConfig } from './config.ts';

const config = loadConfig(process.env);
if (config.AUTH_JWKS) {
  console.error('AUTH_JWKS is set: tokens come from your identity provider, not from this command.');
  process.exit(2);
}
const key = await loadOrCreateDevSigningKey(config.DATA_DIR);
for (const t of await demoTokens(config, key)) console.log(`${t.role}\t${t.name}\t${t.token}`);
