/**
 * Deterministic demo data. PLACEHOLDER until the full generator lands: only bootstrap records.
 */
import type { Org } from '../org.js';

export function generateData(_org: Org): void {}
