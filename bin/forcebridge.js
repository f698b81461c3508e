#!/usr/bin/env node
// Runs the compiled CLI (built by `npm install` through the `prepare` script). When dist/ is
// missing (e.g. installed with --ignore-scripts), runs the TypeScript sources through tsx.
// First, where Node can (process.execve), it restarts in place with the V8 flags the CLI wants
// (src/cli/v8-flags.ts).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = (name) => fileURLToPath(new URL(`../dist/cli/${name}.js`, import.meta.url));
const compiled = existsSync(dist('main'));
if (!compiled) {
  const { register } = await import('tsx/esm/api');
  register();
}
const load = (name) => import(compiled ? pathToFileURL(dist(name)).href : new URL(`../src/cli/${name}.ts`, import.meta.url).href);
(await load('v8-flags')).restartWithV8Flags();
await load('main');
