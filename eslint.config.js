// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The engine is pure and deterministic: no DOM, no React or UI code, no wall
 * clock, no timers, no Math.random. These rules make the house rule mechanical.
 * (tsconfig.engine.json is a second guard: it type-checks the engine without the
 * DOM library.)
 */
const engineForbiddenImports = {
  patterns: [
    { group: ['react', 'react/*', 'react-dom', 'react-dom/*'], message: 'src/engine must not import React: it runs headless.' },
    { group: ['zustand', 'zustand/*'], message: 'src/engine must not import zustand: UI state lives in src/ui.' },
    { group: ['d3', 'd3-*', 'd3/*'], message: 'src/engine must not import d3: drawing belongs to src/ui.' },
    { group: ['monaco-editor', 'monaco-editor/*', 'monaco-yaml', 'monaco-yaml/*'], message: 'src/engine must not import Monaco.' },
    { group: ['**/ui', '**/ui/*', '**/ui/**'], message: 'src/engine must not import from src/ui: data flows one way.' },
    { group: ['**/lessons', '**/lessons/*', '**/lessons/**'], message: 'src/engine must not import from src/lessons.' },
  ],
};

const wallClock = 'Use the world clock (world.now) and the event queue instead.';
const engineForbiddenGlobals = [
  { name: 'window', message: 'src/engine has no DOM.' },
  { name: 'document', message: 'src/engine has no DOM.' },
  { name: 'localStorage', message: 'src/engine has no storage; persistence belongs to src/ui.' },
  { name: 'sessionStorage', message: 'src/engine has no storage; persistence belongs to src/ui.' },
  { name: 'performance', message: `No wall clock in src/engine. ${wallClock}` },
  { name: 'setTimeout', message: `No timers in src/engine. ${wallClock}` },
  { name: 'setInterval', message: `No timers in src/engine. ${wallClock}` },
  { name: 'setImmediate', message: `No timers in src/engine. ${wallClock}` },
  { name: 'requestAnimationFrame', message: `No timers in src/engine. ${wallClock}` },
  { name: 'queueMicrotask', message: 'No hidden scheduling in src/engine: use the event queue.' },
  { name: 'crypto', message: 'No randomness but the world PRNG in src/engine (world.rng.fork(name)).' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/generated/**', 'test-results/**', 'playwright-report/**', 'scripts/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[property.name='innerHTML']", message: 'Never write innerHTML: user data must not become markup.' },
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Never use dangerouslySetInnerHTML.' },
        { selector: "CallExpression[callee.name='eval']", message: 'No eval.' },
        { selector: "NewExpression[callee.name='Function']", message: 'No new Function: it is eval.' },
      ],
    },
  },
  {
    // The engine, and everything that runs with it (kubectl, scenarios, the worker's session side):
    // pure, so the same actions give the same run in Node and in the browser. The worker's entry
    // (worker.ts) is the one place there that reads the wall clock and sets timers.
    files: ['src/engine/**/*.ts', 'src/kubectl/**/*.ts', 'src/scenario/**/*.ts', 'src/ui/engine/**/*.ts', 'src/ui/console/completion.ts'],
    ignores: ['src/**/*.test.ts', 'src/ui/engine/worker.ts'],
    rules: {
      'no-restricted-imports': ['error', engineForbiddenImports],
      'no-restricted-globals': ['error', ...engineForbiddenGlobals],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: `No Math.random in src/engine: use the world PRNG (world.rng.fork(name)).` },
        // Date is allowed as a type only: no `new Date()`, no `Date.now()`, no Date value at all.
        {
          selector: "Identifier[name='Date']:not(TSTypeReference > Identifier):not(TSQualifiedName > Identifier)",
          message: `No Date in src/engine (as a type it is fine). ${wallClock}`,
        },
        {
          selector: "MemberExpression[object.name='globalThis'][property.name=/^(window|document|localStorage|sessionStorage|performance|setTimeout|setInterval|setImmediate|requestAnimationFrame|queueMicrotask|crypto|Date|Math)$/]",
          message: 'No reaching around the purity rules through globalThis in src/engine.',
        },
      ],
    },
  },
);
