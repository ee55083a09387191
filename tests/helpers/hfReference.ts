// Random-weight Hugging Face folders and their logits from the independent PyTorch reference (tests/python): the
// generator writes the real layouts, hf_reference.py runs transformers' conventions in plain torch.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const PYTHON = '/usr/bin/python3';
const SCRIPTS = resolve(__dirname, '../python');

/** Whether Debian's python3-torch is there (the reference needs it); otherwise tests skip with a message. */
export const torchAvailable = (() => spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0)();
export const NO_TORCH = `PyTorch is not installed (${PYTHON} cannot import torch; apt-get install python3-torch): skipping the PyTorch reference checks.`;

export interface MakeModel {
  shape: string;
  layers?: number;
  vocab?: number;
  dtype?: 'f32' | 'f16' | 'bf16';
  shards?: number;
  seed?: number;
  tied?: boolean;
  set?: Record<string, unknown>;
  extra?: string[];
}

/** Writes a random-weight folder of `m.shape` and returns its path. */
export function makeHfModel(m: MakeModel, out = mkdtempSync(join(tmpdir(), `tb-${m.shape}-`))): string {
  const args = [join(SCRIPTS, 'make_hf_model.py'), '--shape', m.shape, '--out', out, '--layers', String(m.layers ?? 2), '--vocab', String(m.vocab ?? 512), '--dtype', m.dtype ?? 'f32', '--seed', String(m.seed ?? 0)];
  if (m.shards) args.push('--shards', String(m.shards));
  if (m.tied !== undefined) args.push(m.tied ? '--tied' : '--untied');
  for (const [k, v] of Object.entries(m.set ?? {})) args.push('--set', `${k}=${JSON.stringify(v)}`);
  args.push(...(m.extra ?? []));
  execFileSync(PYTHON, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return out;
}

/** The reference's logits at every position of `ids` and its greedy continuation of `greedy` tokens. */
export function referenceForward(folder: string, ids: readonly number[], greedy = 0): { logits: number[][]; greedy: number[] } {
  const args = [join(SCRIPTS, 'hf_reference.py'), folder, '--ids', ids.join(',')];
  if (greedy > 0) args.push('--greedy', String(greedy));
  const out = execFileSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out) as { logits: number[][]; greedy: number[] };
}

/** Largest |a − b| over two (T, V) arrays. */
export function maxAbsDiff(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  let worst = 0;
  a.forEach((row, t) => {
    for (let v = 0; v < row.length; v++) worst = Math.max(worst, Math.abs(row[v] - b[t][v]));
  });
  return worst;
}
