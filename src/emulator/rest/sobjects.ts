// PLACEHOLDER: routes land with their own module.
import type { Hono } from 'hono';
import type { EmuEnv } from '../http/env.js';
import type { Org } from '../org.js';

export function registerSObjects(_app: Hono<EmuEnv>, _org: Org): void {}
