// Models the user imported from Hugging Face-style folders: checked (main/models/hfFolder.ts), copied into
// <dataDir>/models/<id>/ (through a temporary folder, so a failed import leaves nothing), and listed from the
// `models` table beside the built-in ones.
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type { ModelInfo } from '../../common/evaluation';
import { notFound } from '../../common/result';
import { FAMILIES } from '../trainer/families';
import { inspectHfFolder } from './hfFolder';

const FAMILY_LABELS: Record<string, string> = Object.fromEntries(FAMILIES.map((f) => [f.id, f.label]));

interface ModelRow {
  id: string;
  name: string;
  arch: string;
  config: string;
  path: string;
}

export class ImportedModels {
  constructor(
    private readonly db: Database.Database,
    private readonly dataDir: string,
  ) {}

  import(folder: string, name?: string): ModelInfo {
    const source = resolve(folder);
    if (!existsSync(source)) throw notFound(`${folder} does not exist.`);
    const info = inspectHfFolder(source);
    const id = `im-${randomBytes(4).toString('hex')}`;
    const target = join(this.dataDir, 'models', id);
    const tmp = `${target}.partial`;
    mkdirSync(tmp, { recursive: true });
    try {
      for (const file of info.files) copyFileSync(join(source, file), join(tmp, file));
      renameSync(tmp, target);
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      throw err;
    }
    const config = { ...info.config, tunebench_parameters: info.parameters, tunebench_source: source, tunebench_family: info.family, tunebench_bytes: info.bytes };
    this.db
      .prepare("INSERT INTO models (id, name, kind, arch, config, path, created_at) VALUES (?, ?, 'imported', ?, ?, ?, ?)")
      .run(id, name ?? basename(source), info.arch, JSON.stringify(config), target, new Date().toISOString());
    return this.get(id);
  }

  list(): ModelInfo[] {
    const rows = this.db.prepare<[], ModelRow>("SELECT id, name, arch, config, path FROM models WHERE kind = 'imported' ORDER BY created_at").all();
    return rows.map(toInfo);
  }

  /** The family of an imported model (its id in main/trainer/families: llama, qwen2, qwen3, gemma3, gpt2). */
  arch(id: string): string {
    const row = this.db.prepare<[string], { arch: string }>("SELECT arch FROM models WHERE kind = 'imported' AND id = ?").get(id);
    if (!row) throw notFound(`No model '${id}'; see \`tunebench models list\`.`);
    return row.arch;
  }

  get(id: string): ModelInfo {
    const row = this.db.prepare<[string], ModelRow>("SELECT id, name, arch, config, path FROM models WHERE kind = 'imported' AND id = ?").get(id);
    if (!row) throw notFound(`No model '${id}'; see \`tunebench models list\`.`);
    return toInfo(row);
  }
}

function toInfo(row: ModelRow): ModelInfo {
  const config = JSON.parse(row.config) as { tunebench_parameters?: number; tunebench_source?: string; tunebench_family?: string; tunebench_bytes?: number };
  const family = config.tunebench_family ?? FAMILY_LABELS[row.arch] ?? row.arch;
  return {
    id: row.id,
    name: row.name,
    kind: 'generator',
    tasks: ['generate'],
    parameters: config.tunebench_parameters ?? 0,
    description: `A ${family} model imported from ${config.tunebench_source ?? 'a folder'}.`,
    license: 'as given by the folder it came from',
    path: row.path,
    imported: true,
    family,
    ...(config.tunebench_bytes ? { bytes: config.tunebench_bytes } : {}),
  };
}
