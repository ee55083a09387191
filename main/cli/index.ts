// `tunebench` — the command line over the same services as the app. Bundled to out/main/cli.js; bin/tunebench.js
// loads it. Progress on stderr, results on stdout, exit 0 / 2 (bad input) / 1 (anything else).
import { join } from 'node:path';
import { TunebenchError } from '../../common/result';
import { resolveDataDir, resolveResourcesDir } from '../dataDir';
import { DATABASE_FILE_NAME, databaseFileError } from '../db/database';
import { startServer } from '../server/serve';
import { createServices, type Services } from '../services';
import { forkLauncher } from '../services/trainerProcess';
import { VERSION } from '../version';
import { extractGlobals, parseCommandArgs, USAGE } from './args';
import { datasetsCommand } from './datasetsCommand';
import { classifyCommand, evalCommand, exportCommand, generateCommand, modelsCommand } from './modelCommands';
import type { CliIo } from './output';
import { runsCommand } from './runsCommand';
import { trainCommand } from './trainCommand';

const DEFAULT_PORT = 4477;

export async function runCli(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let services: Services | undefined;
  let dataDir: string | undefined;
  try {
    const { globals, rest } = extractGlobals(argv);
    if (globals.version) {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const [command, ...args] = rest;
    if (globals.help || !command) {
      io.stdout.write(`${USAGE}\n`);
      return command || globals.help ? 0 : 2;
    }
    if (!['datasets', 'train', 'runs', 'serve', 'models', 'generate', 'classify', 'eval', 'export'].includes(command)) {
      throw new TunebenchError('bad-input', `Unknown command '${command}'. See \`tunebench --help\`.`);
    }
    dataDir = resolveDataDir(globals.dataDir);
    services = createServices({ dataDir, resourcesDir: resolveResourcesDir(__dirname), launchTrainer: forkLauncher(join(__dirname, 'trainer.js')) });
    switch (command) {
      case 'datasets':
        return await datasetsCommand(services, io, args);
      case 'train':
        return await trainCommand(services, io, args);
      case 'runs':
        return await runsCommand(services, io, args);
      case 'models':
        return await modelsCommand(services, io, args);
      case 'generate':
        return await generateCommand(services, io, args);
      case 'classify':
        return await classifyCommand(services, io, args);
      case 'eval':
        return await evalCommand(services, io, args);
      case 'export':
        return await exportCommand(services, io, args);
      default:
        return await serveCommand(services, io, args);
    }
  } catch (caught) {
    const err = (dataDir && databaseFileError(caught, join(dataDir, DATABASE_FILE_NAME))) || caught;
    const kind = err instanceof TunebenchError ? err.kind : 'internal';
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`tunebench: ${message}\n`);
    if (kind === 'internal' && process.env.TUNEBENCH_DEBUG && err instanceof Error) io.stderr.write(`${err.stack}\n`);
    return kind === 'bad-input' || kind === 'not-found' ? 2 : 1;
  } finally {
    services?.close();
  }
}

async function serveCommand(services: Services, io: CliIo, args: string[]): Promise<number> {
  const { values } = parseCommandArgs('serve', args, {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: String(DEFAULT_PORT) },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TunebenchError('bad-input', `--port ${values.port}: expected a port number from 0 to 65535.`);
  const host = values.host as string;
  const interrupted = services.store.markOrphansInterrupted();
  if (interrupted) io.stderr.write(`${interrupted} run(s) that were training when Tunebench last stopped are marked interrupted.\n`);
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    io.stderr.write(`warning: serving on ${host} makes Tunebench reachable from other machines; anyone with the token can use it.\n`);
  }
  const server = await startServer(services, { host, port, rendererDir: join(__dirname, '..', 'renderer') });
  io.stdout.write(`Tunebench is running at ${server.url}\nOpen that URL in a browser (it carries the access token). Press Ctrl+C to stop.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.stderr.write('stopping…\n');
  await server.close();
  return 0;
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
