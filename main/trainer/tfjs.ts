// The one place the trainer imports tfjs-core from. tfjs-core's Node build (package.json "main") registers no
// gradients; they ship only as ES module sources under dist/, which plain Node cannot load (extensionless imports),
// so the bundler (electron-vite for out/main/trainer.js, vite for vitest) must compile them in. The engine and the
// kernel / gradient registries are process-wide globals, so these registrations serve every tfjs-core copy loaded.
import '@tensorflow/tfjs-core/dist/register_all_gradients';

export * from '@tensorflow/tfjs-core';
