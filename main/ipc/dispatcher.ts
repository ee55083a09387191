// One entry point for every call into main, whatever the transport (Electron IPC, the browser-mode WebSocket): look up
// the contract, validate the input with its zod schema, run the handler, answer with a Result. Never throws.
import type { z } from 'zod';
import { calls, type CallInput, type CallName, type CallOutput } from '../../common/contracts';
import { badInput, ok, toFailure, type Result } from '../../common/result';

export type Handlers = { [C in CallName]: (input: z.infer<(typeof calls)[C]['input']>) => Promise<CallOutput<C>> | CallOutput<C> };
export type Dispatch = (name: string, input: unknown) => Promise<Result<unknown>>;

export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length ? `'${issue.path.join('.')}'` : 'the input';
  return `${where}: ${issue.message}`;
}

export function createDispatcher(handlers: Handlers): Dispatch {
  return async (name, input) => {
    try {
      if (!Object.hasOwn(calls, name)) throw badInput(`Unknown call '${name}'.`);
      const call = name as CallName;
      const parsed = calls[call].input.safeParse(input ?? {});
      if (!parsed.success) throw badInput(`Invalid input for ${call}: ${describeZodError(parsed.error)}.`);
      const handler = handlers[call] as (input: unknown) => Promise<unknown> | unknown;
      return ok(await handler(parsed.data));
    } catch (err) {
      return toFailure(err);
    }
  };
}

/** Typed convenience for in-process callers (CLI, tests). */
export async function invoke<C extends CallName>(dispatch: Dispatch, name: C, input: CallInput<C>): Promise<Result<CallOutput<C>>> {
  return (await dispatch(name, input)) as Result<CallOutput<C>>;
}
