// `vite build -c bench/vite.config.mts && node out/bench/tokenizers.js [--vocab 1024] [--repeat 3] [--json]
//  [--python PY] [--data DIR] [--write DIR]`: Tunebench's tokenizer.json reader against @huggingface/tokenizers (npm,
// pure JS; install it with `npm install --no-save @huggingface/tokenizers` to compare, it is not a dependency) and,
// with --python, against Hugging Face's Rust `tokenizers` (a Python with `pip install tokenizers`). Tokenizers: the
// family fixtures of tests/helpers/familyTokenizers.ts (GPT-2, SmolLM2, Llama 2 legacy and Metaspace, Llama 3,
// Qwen2.5, Qwen3, Gemma 3 at --vocab ids) and GPT-2's whole 50,257-token tokenizer.json. For each tokenizer and corpus
// under shared/data/corpora (tinyshakespeare, the six Jane Austen novels, the TinyStories subset) it checks that
// every implementation gives the same ids, whole files encoded without special tokens, and prints the median ms per
// MB of UTF-8 over --repeat runs, each on a freshly built tokenizer (cold word caches, as an import sees them), plus
// the time to build it from the parsed JSON. It also compares the TRICKY_TEXTS (encode with and without specials,
// decode skipping and keeping them). --write DIR only writes the fixture folders (for hfReference.py) and exits.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tokenizerFromHfDocument } from '../main/trainer/tokenizers/hfTokenizerJson';
import { referenceFixtures, TRICKY_TEXTS, writeFamilyTokenizer, type FamilyTokenizer } from '../tests/helpers/familyTokenizers';

interface Options {
  vocab: number;
  repeat: number;
  json: boolean;
  python: string | null;
  data: string;
  write: string | null;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { vocab: 1024, repeat: 3, json: false, python: null, data: resolve(__dirname, '../../../shared/data'), write: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--vocab') o.vocab = Number(value());
    else if (arg === '--repeat') o.repeat = Number(value());
    else if (arg === '--json') o.json = true;
    else if (arg === '--python') o.python = value();
    else if (arg === '--data') o.data = resolve(value());
    else if (arg === '--write') o.write = resolve(value());
    else throw new Error(`unknown option ${arg}`);
  }
  return o;
}

interface Impl {
  name: string;
  /** Builds the tokenizer from tokenizer.json / tokenizer_config.json; returns encode / decode. */
  build(doc: unknown, config: unknown): { encode(text: string, special: boolean): number[]; decode(ids: number[], skip: boolean): string };
}

const ours: Impl = {
  name: 'tunebench',
  build(doc) {
    const tok = tokenizerFromHfDocument(structuredClone(doc));
    return {
      encode: (text, special) => tok.encode(text, { addSpecialTokens: special }),
      decode: (ids, skip) => tok.decode(ids, { skipSpecialTokens: skip }),
    };
  },
};

async function hfJs(): Promise<Impl | null> {
  try {
    const optional = '@huggingface/tokenizers'; // not a dependency: a variable keeps tsc and the bundler from requiring it
    const { Tokenizer } = (await import(optional)) as { Tokenizer: new (doc: unknown, config: unknown) => { encode(t: string, o: object): { ids: number[] }; decode(ids: number[], o: object): string } };
    return {
      name: '@huggingface/tokenizers',
      build(doc, config) {
        const tok = new Tokenizer(structuredClone(doc), structuredClone(config));
        return {
          encode: (text, special) => tok.encode(text, { add_special_tokens: special }).ids,
          decode: (ids, skip) => (ids.length === 0 ? '' : tok.decode(ids, { skip_special_tokens: skip })), // it throws on []
        };
      },
    };
  } catch {
    return null;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (s: string) => process.stderr.write(s + '\n');

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

function corpora(data: string): { name: string; files: string[] }[] {
  const dir = join(data, 'corpora');
  const txt = (sub: string) => (existsSync(join(dir, sub)) ? readdirSync(join(dir, sub)).filter((f) => f.endsWith('.txt') && !f.startsWith('debian')).map((f) => join(dir, sub, f)) : []);
  return [
    { name: 'tinyshakespeare', files: txt('tinyshakespeare') },
    { name: 'jane-austen', files: txt('jane-austen') },
    { name: 'tinystories-subset', files: txt('tinystories-subset') },
  ].filter((c) => c.files.length > 0);
}

interface Row {
  tokenizer: string;
  corpus: string;
  mb: number;
  ids: number;
  /** implementation → ms per MB (median), build ms (median), and whether its ids equal ours */
  results: Record<string, { msPerMb: number; buildMs?: number; sameIds: boolean; firstDiff?: number }>;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const gpt2Dir = join(o.data, 'tokenizers/gpt2-bpe');
  if (!existsSync(gpt2Dir)) throw new Error(`${gpt2Dir} not found: the fixtures are built from GPT-2's encoder.json and vocab.bpe (pass --data DIR).`);
  const fixtures = referenceFixtures(o.vocab, { gpt2Dir });
  if (o.write) {
    for (const [name, fixture] of Object.entries(fixtures)) writeFamilyTokenizer(join(o.write, name), fixture);
    writeFileSync(join(o.write, 'texts.json'), JSON.stringify(TRICKY_TEXTS));
    log(`wrote ${Object.keys(fixtures).length} fixture folders and texts.json to ${o.write}`);
    return;
  }
  const impls: Impl[] = [ours];
  const js = await hfJs();
  if (js) impls.push(js);
  else log('@huggingface/tokenizers is not installed (npm install --no-save @huggingface/tokenizers); timing ours alone.');
  const pyScript = resolve(__dirname, '../../tests/fixtures/tokenizers/hfReference.py');
  const scratch = mkdtempSync(join(tmpdir(), 'tb-tokbench-'));
  const rows: Row[] = [];
  const tricky: Record<string, Record<string, number>> = {};
  try {
    for (const [name, fixture] of Object.entries(fixtures)) {
      const doc = fixture.files['tokenizer.json'];
      const config = fixture.files['tokenizer_config.json'];
      tricky[name] = trickyMismatches(fixture, impls);
      let docFile = '';
      if (o.python) docFile = join(writeFamilyTokenizer(join(scratch, name), fixture), 'tokenizer.json');
      for (const corpus of corpora(o.data)) {
        const texts = corpus.files.map((f) => readFileSync(f, 'utf8'));
        const mb = texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1e6;
        const row: Row = { tokenizer: name, corpus: corpus.name, mb, ids: 0, results: {} };
        let reference: number[][] = [];
        for (const impl of impls) {
          const encodeMs: number[] = [];
          const buildMs: number[] = [];
          let ids: number[][] = [];
          for (let r = 0; r < o.repeat; r++) {
            const t0 = performance.now();
            const tok = impl.build(doc, config);
            const t1 = performance.now();
            ids = texts.map((t) => tok.encode(t, false));
            encodeMs.push(performance.now() - t1);
            buildMs.push(t1 - t0);
          }
          if (impl === ours) {
            reference = ids;
            row.ids = ids.reduce((n, x) => n + x.length, 0);
          }
          const diffs = ids.map((x, i) => firstDifference(x, reference[i]));
          const at = diffs.findIndex((d) => d >= 0);
          row.results[impl.name] = { msPerMb: median(encodeMs) / mb, buildMs: median(buildMs), sameIds: at < 0, ...(at >= 0 ? { firstDiff: diffs[at] } : {}) };
        }
        if (o.python) {
          let ms = 0;
          let same = true;
          corpus.files.forEach((file, i) => {
            const out = join(scratch, 'ids.bin');
            const run = spawnSync(o.python!, [pyScript, 'corpus', docFile, file, out], { encoding: 'utf8' });
            if (run.status !== 0) throw new Error(`${o.python} ${pyScript}: ${run.stderr.trim()}`);
            ms += JSON.parse(run.stdout).ms;
            const buf = readFileSync(out);
            if (firstDifference(new Int32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4), reference[i]) >= 0) same = false;
          });
          row.results['tokenizers (Rust, Python)'] = { msPerMb: ms / mb, sameIds: same };
        }
        rows.push(row);
        log(`${name.padEnd(17)} ${corpus.name.padEnd(19)} ${row.ids.toString().padStart(8)} ids  ` + Object.entries(row.results).map(([k, v]) => `${k}: ${v.msPerMb.toFixed(0)} ms/MB${v.sameIds ? '' : ` DIFFERENT ids from #${v.firstDiff}`}`).join('  '));
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  printSummary(rows, tricky, impls);
  if (o.json) console.log(JSON.stringify({ vocab: o.vocab, repeat: o.repeat, rows, tricky }));
}

/** Per implementation other than ours: how many tricky-text results (4 per text) differ from ours. */
function trickyMismatches(fixture: FamilyTokenizer, impls: Impl[]): Record<string, number> {
  const doc = fixture.files['tokenizer.json'];
  const config = fixture.files['tokenizer_config.json'];
  const run = (impl: Impl) => {
    const tok = impl.build(doc, config);
    return TRICKY_TEXTS.map((t) => {
      const ids = tok.encode(t, true);
      return JSON.stringify([ids, tok.encode(t, false), tok.decode(ids, true), tok.decode(ids, false)]);
    });
  };
  const mine = run(ours);
  const out: Record<string, number> = {};
  for (const impl of impls.slice(1)) {
    const theirs = run(impl);
    out[impl.name] = theirs.filter((r, i) => r !== mine[i]).length;
  }
  return out;
}

function printSummary(rows: Row[], tricky: Record<string, Record<string, number>>, impls: Impl[]): void {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.results)))];
  log('\nms per MB (median; whole corpus group), ids equal to ours?');
  log(['tokenizer', 'corpus', ...names].join(' | '));
  for (const r of rows) log([r.tokenizer, r.corpus, ...names.map((n) => (r.results[n] ? `${r.results[n].msPerMb.toFixed(0)}${r.results[n].sameIds ? '' : ' (ids differ)'}` : '-'))].join(' | '));
  if (impls.length > 1) log(`\ntricky texts differing from ours (of ${TRICKY_TEXTS.length} texts): ` + Object.entries(tricky).map(([k, v]) => `${k} ${Object.values(v).join('/')}`).join(', '));
  const build = names.filter((n) => rows.some((r) => r.results[n]?.buildMs !== undefined));
  log('build from parsed JSON, ms (median over rows): ' + build.map((n) => `${n} ${median(rows.map((r) => r.results[n].buildMs!)).toFixed(0)}`).join(', '));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
