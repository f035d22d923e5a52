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
  },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // Test files run in parallel, one per core; the fuzz suite is split in two files for this.
    maxWorkers: Math.max(1, availableParallelism()),
  },
});
