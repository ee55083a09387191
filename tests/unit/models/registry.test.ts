import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { modelInfoSchema } from '../../../common/evaluation';
import { TunebenchError } from '../../../common/result';
import { builtinModelPath, listBuiltinModels } from '../../../main/models/registry';

const RESOURCES = resolve(__dirname, '../../../resources');

describe('built-in model registry', () => {
  const empty = mkdtempSync(join(tmpdir(), 'tunebench-models-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it('lists scratch and stories260K from the repository resources, in the contract shape', () => {
    const models = listBuiltinModels(RESOURCES);
    for (const m of models) expect(modelInfoSchema.parse(m)).toEqual(m);
    expect(models[0]).toMatchObject({ id: 'scratch', kind: 'scratch', path: null });
    const stories = models.find((m) => m.id === 'stories260k');
    expect(stories).toMatchObject({ kind: 'generator', tasks: ['generate'], parameters: 260_032, path: join(RESOURCES, 'models', 'stories260k') });
    expect(stories!.license).toMatch(/MIT/);
  });

  it('lists only scratch when no base folder exists, and says which folder is missing', () => {
    expect(listBuiltinModels(empty).map((m) => m.id)).toEqual(['scratch']);
    expect(() => builtinModelPath(empty, 'stories260k')).toThrow(/stories260k.*model\.json/);
    const kindOf = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return (err as TunebenchError).kind;
      }
      return 'no error';
    };
    expect(kindOf(() => builtinModelPath(empty, 'glove-6b-100d'))).toBe('not-found');
    expect(() => builtinModelPath(empty, 'gpt-5')).toThrow(/no built-in model 'gpt-5'/);
    expect(() => builtinModelPath(empty, 'scratch')).toThrow(/random weights/);
  });

  it("describes the GloVe encoder, taking name and size from its model.json", () => {
    const folder = join(empty, 'models', 'glove-6b-100d');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'model.json'), JSON.stringify({ id: 'glove-6b-100d', name: 'GloVe test', parameters: 1234, license: 7 }));
    const glove = listBuiltinModels(empty).find((m) => m.id === 'glove-6b-100d')!;
    expect(glove).toMatchObject({ kind: 'encoder', tasks: ['classify'], name: 'GloVe test', parameters: 1234, path: folder });
    expect(glove.license).toMatch(/ODC-PDDL/); // a field of the wrong type keeps the built-in text
    expect(builtinModelPath(empty, 'glove-6b-100d')).toBe(folder);
  });
});
