// PLACEHOLDER: routes land with their own module.
import type { Hono } from 'hono';
import type { EmuEnv } from '../http/env.js';
import type { Org } from '../org.js';

export function registerComposite(_app: Hono<EmuEnv>, _org: Org): void {}
