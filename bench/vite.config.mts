// Builds every bench/*.ts script into out/bench/<name>.js for Node, with tfjs bundled as in the
// trainer (see electron.vite.config.ts). `npm run bench` and `npm run bench:fewshot` build then run them.
import { readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const entries = Object.fromEntries(
  readdirSync(here)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => [f.replace(/\.ts$/, ''), resolve(here, f)]),
);
const bundled = /^@tensorflow\/tfjs-(core|backend-)/;

export default defineConfig({
  build: {
    ssr: true,
    outDir: resolve(here, '../out/bench'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rollupOptions: {
      input: entries,
      output: { format: 'cjs', entryFileNames: '[name].js' },
      external: (id) => !bundled.test(id) && (builtinModules.includes(id) || id.startsWith('node:') || /^[a-z@][^:]*$/.test(id) && !id.startsWith('.')),
    },
  },
  ssr: { noExternal: [bundled] },
});
