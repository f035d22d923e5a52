import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The purity rules in eslint.config.js, exercised on snippets as if they lived in
// src/engine (and, as a control, in src/ui where they must not apply).
const eslint = new ESLint({ cwd: process.cwd() });

async function problems(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

const ENGINE_FILE = 'src/engine/__purity_probe__.ts';

describe('engine purity lint', () => {
  const forbidden: [string, string, RegExp][] = [
    ['React', "import { useState } from 'react';\nexport const x = useState;", /must not import React/],
    ['zustand', "import { create } from 'zustand';\nexport const x = create;", /zustand/],
    ['d3', "import * as d3 from 'd3';\nexport const x = d3;", /d3/],
    ['d3 submodules', "import { scaleLinear } from 'd3-scale';\nexport const x = scaleLinear;", /d3/],
    ['monaco', "import * as m from 'monaco-editor';\nexport const x = m;", /Monaco/],
    ['src/ui', "import { x as y } from '../ui/store';\nexport const x = y;", /src\/ui/],
    ['src/lessons', "import { x as y } from '../../lessons/one';\nexport const x = y;", /src\/lessons/],
    ['window', 'export const w = window.innerWidth;', /no DOM/],
    ['document', 'export const t = document.title;', /no DOM/],
    ['localStorage', "export const v = localStorage.getItem('k');", /no storage/],
    ['Math.random', 'export const r = Math.random();', /Math\.random/],
    ['Date.now', 'export const t = Date.now();', /No Date/],
    ['new Date', 'export const t = new Date();', /No Date/],
    ['performance.now', 'export const t = performance.now();', /wall clock/],
    ['setTimeout', 'setTimeout(() => {}, 1);', /No timers/],
    ['setInterval', 'setInterval(() => {}, 1);', /No timers/],
    ['globalThis.setTimeout', 'globalThis.setTimeout(() => {}, 1);', /globalThis/],
  ];

  it.each(forbidden)('rejects %s in src/engine', async (_name, code, message) => {
    const found = await problems(code, ENGINE_FILE);
    expect(found.some((p) => message.test(p)), found.join('\n')).toBe(true);
  });

  it('allows Date as a type in src/engine', async () => {
    expect(await problems('export function f(d: Date): string { return d.toISOString(); }\n', ENGINE_FILE)).toEqual([]);
  });

  it('allows the same globals outside src/engine', async () => {
    const code = 'export const t = Date.now() + Math.random() + window.innerWidth;\n';
    expect(await problems(code, 'src/ui/__purity_probe__.ts')).toEqual([]);
  });
});
