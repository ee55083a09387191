// Builds every bench/*.ts script (except this config) into out/bench/<name>.js for Node, with tfjs bundled as in the
// trainer (see electron.vite.config.ts). `npm run bench` and `npm run bench:fewshot` build then run them.
import { readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const entries = Object.fromEntries(
  readdirSync(__dirname)
    .filter((f) => f.endsWith('.ts') && f !== 'vite.config.ts')
    .map((f) => [f.replace(/\.ts$/, ''), resolve(__dirname, f)]),
);
const bundled = /^@tensorflow\/tfjs-(core|backend-)/;

export default defineConfig({
  build: {
    ssr: true,
    outDir: resolve(__dirname, '../out/bench'),
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
