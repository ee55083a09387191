// Splits a command line into the global options, the command words and the command's own options.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { badInput } from '../../common/result';

export interface GlobalOptions {
  dataDir?: string;
  help: boolean;
  version: boolean;
}

/** Pulls --data-dir, --help and --version out of argv wherever they stand; returns them and the rest. */
export function extractGlobals(argv: readonly string[]): { globals: GlobalOptions; rest: string[] } {
  const globals: GlobalOptions = { help: false, version: false };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--data-dir') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw badInput('--data-dir needs a folder, for example --data-dir ./tunebench-data.');
      globals.dataDir = value;
    } else if (arg.startsWith('--data-dir=')) globals.dataDir = arg.slice('--data-dir='.length);
    else if (arg === '--help' || arg === '-h') globals.help = true;
    else if (arg === '--version' || arg === '-v') globals.version = true;
    else rest.push(arg);
  }
  return { globals, rest };
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with our error wording: unknown flags and missing values become one bad-input sentence. */
export function parseCommandArgs<O extends Options>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    const message = err instanceof Error ? err.message.replace(/\.$/, '') : String(err);
    throw badInput(`${command}: ${message}. See \`tunebench --help\`.`);
  }
}

export const USAGE = `Tunebench — fine-tune small language models on your own machine.

Usage: tunebench [--data-dir DIR] <command> [options]

Commands:
  datasets import <file|folder> [--name N] [--json]
                                               import CSV, TSV, JSON, JSONL, Parquet, .txt, TREC .label, or a
                                               folder with one sub-folder of .txt files per class
      reading:    --format F  --task auto|classify|generate|pairs|instruction|chat  --map role=column[,…]
                  --header | --no-header  --delimiter , ; | tab  --txt lines|corpus
      preprocess: --normalize-whitespace --lowercase --remove-stopwords [--stopword-language eng] --tokenize
                  --min-length N --max-length N [--length-unit char|word] --dedupe | --dedupe-near
      split:      --split 0.8,0.1,0.1 [--seed S]      --test-for <dataset>  attach the file as its test split
  datasets inspect <file|folder> [reading and preprocess flags] [--tokenizer char|word] [--max-tokens N] [--json]
                                               what an import would detect, statistics, first rows; nothing stored
  datasets show <dataset> [--tokenizer char|word] [--max-tokens N] [--rows N] [--offset N] [--json]
  datasets list [--json]                       the imported datasets
  train --dataset <id|name|file> [--preset few-shot|quick|standard] [--set key=value]... [--dry-run] [--json]
                                               train a model in a separate trainer process; few-shot picks a
                                               pretrained base and settings from the data, then evaluates;
                                               --dry-run prints the config and its memory and time estimate only
  models list [--json]                         the built-in base models, imported ones, and those in the Hugging
                                               Face cache (hf:org/name, used in place; the rest with the reason)
  models import <folder> [--name N] [--json]   a Hugging Face-style folder (config.json, model.safetensors,
                                               tokenizer) of a Llama or GPT-2 model, to generate and evaluate with
  models search <query> [--json]               text-generation models on the Hub (HF_ENDPOINT) whose name contains
                                               the query, most downloaded first
  models pull <org/name>[@revision] [--json]   download a model by name into the Hugging Face cache (only the files
                                               it needs, resumable; HF_ENDPOINT, HF_TOKEN); then base=hf:org/name
  generate <model|run> [--prompt TEXT] [--temperature 0] [--top-k K] [--top-p P] [--max-tokens N]
           [--stop S]... [--seed S] [--json]   continue text (temperature 0 = greedy), streamed
  classify <run> --text TEXT [--text TEXT]... [--json]
                                               class probabilities from a trained classifier
  eval <run> [--dataset <id|name|file>] [--json]
                                               metrics on held-out data (a file is imported whole as test data)
  export <run> [--format safetensors|tfjs|adapter|gguf] [--quant f16|q8_0|q4_k_m] [--json]
                                               write the model to <data-dir>/exports/<run>-<format>/
                                               (gguf: <run>-gguf-<quant>/ with model.gguf and an Ollama
                                               Modelfile; --quant defaults to f16)
  runs list [--json]                           every run, newest first
  runs show <run> [--json]                     one run with its config and metric series
  runs continue <run> [--from-step N] [--json] train a stopped run on from its latest (or step N's) checkpoint
  runs delete <run>                            a finished run, its metrics and checkpoints
  serve [--host 127.0.0.1] [--port 4477]       the app in a browser (prints the URL with its token)

Global options:
  --data-dir DIR   where the database and files live (or TUNEBENCH_DATA_DIR); default: the per-user app data folder
  --json           print one JSON document on stdout; progress always goes to stderr
  --help, --version

Exit status: 0 success, 2 bad input (one sentence on stderr, nothing written), 1 any other failure.`;
