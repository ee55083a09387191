// Calls of the system domain.
import { z } from 'zod';
import { systemInfoSchema } from '../domain';

export const systemCalls = {
  'system.info': { input: z.object({}).strict(), output: systemInfoSchema },
} as const;
