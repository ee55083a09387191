// The Result envelope every IPC / WebSocket call answers with. Errors never cross a process boundary as throws:
// Electron flattens thrown errors to strings, so handlers return `{ ok: false, error: { kind, message } }` instead.
import { z } from 'zod';

export const ERROR_KINDS = ['bad-input', 'not-found', 'conflict', 'cancelled', 'unavailable', 'internal'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export const appErrorSchema = z.object({ kind: z.enum(ERROR_KINDS), message: z.string() });
export type AppError = z.infer<typeof appErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** An error meant for the user: one clear sentence in `message`, classified by `kind`. */
export class TunebenchError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'TunebenchError';
  }
}

export const badInput = (message: string): TunebenchError => new TunebenchError('bad-input', message);
export const notFound = (message: string): TunebenchError => new TunebenchError('not-found', message);

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

/** Converts anything thrown into the envelope; unexpected errors keep their message but are kind `internal`. */
export function toFailure(err: unknown): { ok: false; error: AppError } {
  if (err instanceof TunebenchError) return { ok: false, error: { kind: err.kind, message: err.message } };
  const message = err instanceof Error ? err.message : String(err);
  return { ok: false, error: { kind: 'internal', message } };
}

/** Rebuilds a thrown error from an envelope, for callers (CLI, tests) that prefer exceptions. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new TunebenchError(result.error.kind, result.error.message);
}
