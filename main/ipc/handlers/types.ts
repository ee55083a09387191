import type { z } from 'zod';
import type { ImportSource } from '../../../common/contracts';
import type { Services } from '../../services';

export interface HandlerOptions {
  mode: 'electron' | 'browser';
  version: string;
  /** Turns an import source into a file path on this machine, or throws a bad-input error. */
  resolveImportSource(source: ImportSource): { path: string; fileName: string; release?: () => void };
}

export interface HandlerContext {
  services: Services;
  options: HandlerOptions;
}

type Contract = { input: z.ZodType; output: z.ZodType };

/** Handlers of one domain's calls: validated input in, the output (or a promise of it) back. */
export type DomainHandlers<T extends Record<string, Contract>> = {
  [K in keyof T]: (input: z.infer<T[K]['input']>) => Promise<z.infer<T[K]['output']>> | z.infer<T[K]['output']>;
};
