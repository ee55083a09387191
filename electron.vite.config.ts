import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// Top-level folders: main/ (Electron main, the CLI and the trainer process), preload/, renderer/.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // tfjs-core's Node entry has no gradients (they ship as ES modules only), so tfjs is bundled into the trainer;
      // the .wasm binaries are still found in node_modules through require.resolve.
      externalizeDeps: {
        exclude: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu'],
      },
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'main/index.ts'), // Electron main process
          cli: resolve(__dirname, 'main/cli/index.ts'), // `tunebench` command, no electron import
          trainer: resolve(__dirname, 'main/trainer/worker.ts'), // trainer process entry
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'preload/index.ts') },
        output: { format: 'cjs' }, // sandboxed preloads must be CommonJS
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    base: './',
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
    plugins: [react()],
  },
});
