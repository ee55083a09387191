// The Playground's sampling controls: fields as typed, validated with the contract's schema (common/protocol.ts)
// so a bad value is named before the call. Stop sequences are typed one per line.
import { generateRequestSchema, type GenerateRequest } from '../../../common/protocol';
import { describeIssue } from './configDraft';

export const SAMPLING_FIELDS = ['temperature', 'topK', 'topP', 'maxTokens', 'seed'] as const;
export type SamplingField = (typeof SAMPLING_FIELDS)[number];
export type SamplingDraft = Record<SamplingField, string> & { stop: string };
export type SamplingErrors = Partial<Record<SamplingField | 'stop' | 'prompt', string>>;

/** Greedy decoding of 64 tokens: the same output every time. */
export const DEFAULT_SAMPLING: SamplingDraft = { temperature: '0', topK: '0', topP: '1', maxTokens: '64', seed: '1337', stop: '' };

export const SAMPLING_HELP: Record<SamplingField | 'stop', { label: string; help: string }> = {
  temperature: { label: 'Temperature', help: '0 always takes the likeliest token (greedy); higher is more varied.' },
  topK: { label: 'Top-k', help: 'Sample only from the k likeliest tokens; 0 turns it off.' },
  topP: { label: 'Top-p', help: 'Sample from the likeliest tokens covering this share of probability; 1 turns it off.' },
  maxTokens: { label: 'Max tokens', help: 'Tokens to generate at most.' },
  seed: { label: 'Seed', help: 'The same seed and settings repeat a sampled generation.' },
  stop: { label: 'Stop sequences', help: 'One per line (up to 8); generation ends before the first one it writes.' },
};

export function stopSequences(raw: string): string[] {
  return raw.split('\n').filter((line) => line.length > 0);
}

/** Draft → the request to send, or the errors by field (request null). */
export function resolveSampling(prompt: string, draft: SamplingDraft): { request: GenerateRequest | null; errors: SamplingErrors } {
  const errors: SamplingErrors = {};
  const values: Record<string, number> = {};
  for (const field of SAMPLING_FIELDS) {
    const text = draft[field].trim();
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) errors[field] = 'Enter a number.';
    else values[field] = value;
  }
  const parsed = generateRequestSchema.safeParse({ prompt, ...values, stop: stopSequences(draft.stop) });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as SamplingField | 'stop' | 'prompt';
      if (!errors[key]) errors[key] = key === 'stop' ? 'At most 8 sequences of 1–200 characters.' : describeIssue(issue as Parameters<typeof describeIssue>[0]);
    }
  }
  return { request: parsed.success && Object.keys(errors).length === 0 ? parsed.data : null, errors };
}
