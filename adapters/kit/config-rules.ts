import type { z } from 'zod';

/**
 * Development credentials are in this repository (shared with the simulators), so against a real
 * department system — its URL configured — they would let anyone forge calls or callbacks: each one
 * left at its development value is a configuration error naming the variable.
 */
export function refuseDevelopmentCredentials(urlVariable: string, developmentValues: Record<string, string>) {
  return (config: Record<string, unknown>, context: z.RefinementCtx): void => {
    if (!config[urlVariable]) return;
    for (const [variable, value] of Object.entries(developmentValues)) {
      if (config[variable] === value) {
        context.addIssue({
          code: 'custom',
          path: [variable],
          message: `must be set to the credential agreed with the department (${urlVariable} is set; the development value is public)`,
        });
      }
    }
  };
}
