#!/usr/bin/env node
// `npx kubeplay …`: runs the TypeScript CLI through tsx, so it needs no build step.
import { register } from 'tsx/esm/api';

register();
const { cli } = await import('../src/cli/kubeplay.ts');
cli();
