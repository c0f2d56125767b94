import type { z } from 'zod';

/**
 * Development credentials are in this repository (shared with the simulators), so in production they
 * would let anyone who read it forge calls or callbacks: each one left at its development value is a
 * configuration error naming the variable. (Outside production a configured URL may point at one of
 * our simulators, which only knows the development values.) The schema reads `NODE_ENV` for this.
 */
export function refuseDevelopmentCredentials(developmentValues: Record<string, string>) {
  return (config: Record<string, unknown>, context: z.RefinementCtx): void => {
    if (config.NODE_ENV !== 'production') return;
    for (const [variable, value] of Object.entries(developmentValues)) {
      if (config[variable] === value) {
        context.addIssue({
          code: 'custom',
          path: [variable],
          message:
            'must be set to the credential agreed with the department in production (the development value is public)',
        });
      }
    }
  };
}
