/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { availableParallelism } from 'node:os';

export default defineConfig({
  plugins: [react()],
  // Relative asset paths: the built site works from any static host and sub-path.
  base: './',
  build: {
    target: 'es2022',
    sourcemap: true,
    // Monaco's chunk is large by nature and loads lazily, after the cluster is on screen.
    chunkSizeWarningLimit: 4096,
  },
  // The engine runs in a module worker.
  worker: { format: 'es' },
  // Without this the dev server's first load re-optimises monaco-yaml's worker, reloads, and loses markers.
  optimizeDeps: { include: ['monaco-yaml/yaml.worker.js', 'monaco-editor/esm/vs/editor/editor.api.js', 'monaco-yaml'] },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // Test files run in parallel, one per core; the fuzz suite is split in two files for this.
    maxWorkers: Math.max(1, availableParallelism()),
  },
});
