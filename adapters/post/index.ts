import type { AdapterDefinition } from '../kit/adapter-contract.ts';
import { createPostAdapter } from './post.adapter.ts';
import { type PostConfig, postConfigSchema } from './post.config.ts';
import { startPostSimulator } from './post.simulator.ts';

/** The post's (EMS) entry in the adapter registry. */
export const postAdapter: AdapterDefinition<PostConfig> = {
  name: 'post',
  config: postConfigSchema,
  baseUrlVariable: 'POST_BASE_URL',
  create: (config, baseUrl, deps) => createPostAdapter({ ...config, POST_BASE_URL: baseUrl }, deps),
  startSimulator: () => startPostSimulator(),
};
