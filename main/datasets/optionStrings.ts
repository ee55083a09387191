// Dataset options written as strings (the CLI's flags): `--map text=review,label=stars`, `--split 0.8,0.1,0.1`,
// `--delimiter tab`. Each bad value is one sentence naming the flag.
import { DELIMITERS, MAPPING_ROLES, splitRatiosSchema, type Mapping, type MappingRole, type SplitRatios } from '../../common/datasetTypes';
import { badInput } from '../../common/result';

/** `role=column` pairs, comma-separated, from one or more --map flags; a column name may not contain a comma. */
export function parseMapArg(values: readonly string[]): Mapping | undefined {
  if (values.length === 0) return undefined;
  const map: Mapping = {};
  for (const pair of values.flatMap((v) => v.split(','))) {
    const eq = pair.indexOf('=');
    const role = pair.slice(0, eq).trim() as MappingRole;
    const column = pair.slice(eq + 1).trim();
    if (eq <= 0 || column === '') throw badInput(`--map ${pair}: expected role=column, for example --map text=review,label=stars.`);
    if (!MAPPING_ROLES.includes(role)) throw badInput(`--map ${pair}: unknown role '${role}' (roles: ${MAPPING_ROLES.join(', ')}).`);
    map[role] = column;
  }
  return map;
}

/** `train,validation[,test]` fractions adding up to 1 (or percentages adding up to 100). */
export function parseSplitArg(value: string | undefined): SplitRatios | undefined {
  if (value === undefined) return undefined;
  const example = 'for example --split 0.8,0.1,0.1';
  const parts = value.split(',').map((p) => p.trim());
  const numbers = parts.map(Number);
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '') || numbers.some((n) => !Number.isFinite(n) || n < 0)) {
    throw badInput(`--split ${value}: expected two or three fractions train,validation,test, ${example}.`);
  }
  const total = numbers.reduce((a, b) => a + b, 0);
  const scale = Math.abs(total - 100) < 1e-6 ? 100 : 1;
  const [train, validation, test = 0] = numbers.map((n) => n / scale);
  const parsed = splitRatiosSchema.safeParse({ train, validation, test });
  if (!parsed.success) throw badInput(`--split ${value}: the fractions must add up to 1 and leave some rows for training, ${example}.`);
  return parsed.data;
}

export function parseDelimiterArg(value: string | undefined): (typeof DELIMITERS)[number] | undefined {
  if (value === undefined) return undefined;
  const d = value === 'tab' || value === '\\t' ? '\t' : value === 'comma' ? ',' : value === 'semicolon' ? ';' : value === 'pipe' ? '|' : value;
  if (!(DELIMITERS as readonly string[]).includes(d)) throw badInput(`--delimiter ${value}: use one of , ; | tab.`);
  return d as (typeof DELIMITERS)[number];
}

/** A whole number from a flag, at least `min`. */
export function parseIntArg(flag: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw badInput(`--${flag} ${value}: expected a whole number of at least ${min}.`);
  return n;
}

/** One of `allowed`, named in the error. */
export function parseChoiceArg<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw badInput(`--${flag} ${value}: use one of ${allowed.join(', ')}.`);
  return value as T;
}
