/**
 * `GET /services/data/` (versions list, not counted, no auth), `GET /services/data/vXX.X/`
 * (resource map) and `GET /limits`.
 */
import type { Context, Hono } from 'hono';
import type { EmuEnv } from '../http/env.js';
import { REST } from '../http/env.js';
import { sfJson } from '../http/respond.js';
import type { Org } from '../org.js';

const RELEASES: Record<number, string> = {};
{
  // Three releases a year; Winter '24 = 59.0. Earlier labels follow the same cadence backwards.
  const seasons = ['Winter', 'Spring', 'Summer'];
  for (let v = 20; v <= 80; v++) {
    const offset = v - 59;
    const seasonIdx = ((offset % 3) + 3) % 3;
    const yearShift = Math.floor(offset / 3);
    const year = 24 + yearShift;
    RELEASES[v] = `${seasons[seasonIdx]} '${String(year).padStart(2, '0')}`;
  }
}

export function versionsList(latest: string): { label: string; url: string; version: string }[] {
  const max = Number(latest.split('.')[0]);
  const out = [];
  for (let v = 20; v <= max; v++) out.push({ label: RELEASES[v]!, url: `/services/data/v${v}.0`, version: `${v}.0` });
  return out;
}

/** Routes without authentication (versions list). Registered before the REST middleware. */
export function registerVersionsPublic(app: Hono<EmuEnv>, org: Org): void {
  const list = (c: Context<EmuEnv>) => sfJson(c, versionsList(org.settings.latestApiVersion));
  app.get('/services/data', list);
  app.get('/services/data/', list);
}

export function registerVersions(app: Hono<EmuEnv>, org: Org): void {
  const root = (c: Context<EmuEnv>) => {
    const v = `/services/data/v${c.get('apiVersion')}`;
    return sfJson(c, {
      tooling: `${v}/tooling`,
      metadata: `${v}/metadata`,
      eclair: `${v}/eclair`,
      folders: `${v}/folders`,
      prechatForms: `${v}/prechatForms`,
      chatter: `${v}/chatter`,
      tabs: `${v}/tabs`,
      appMenu: `${v}/appMenu`,
      quickActions: `${v}/quickActions`,
      queryAll: `${v}/queryAll`,
      commerce: `${v}/commerce`,
      wave: `${v}/wave`,
      iot: `${v}/iot`,
      analytics: `${v}/analytics`,
      search: `${v}/search`,
      identity: org.identityUrl(c.get('principal').userId, c.get('session').hostRole),
      composite: `${v}/composite`,
      parameterizedSearch: `${v}/parameterizedSearch`,
      theme: `${v}/theme`,
      nouns: `${v}/nouns`,
      recent: `${v}/recent`,
      licensing: `${v}/licensing`,
      limits: `${v}/limits`,
      process: `${v}/process`,
      query: `${v}/query`,
      match: `${v}/match`,
      emailConnect: `${v}/emailConnect`,
      compactLayouts: `${v}/compactLayouts`,
      knowledgeManagement: `${v}/knowledgeManagement`,
      sobjects: `${v}/sobjects`,
      actions: `${v}/actions`,
      support: `${v}/support`,
      jobs: `${v}/jobs`,
    });
  };
  app.get(`${REST}`, root);
  app.get(`${REST}/`, root);

  app.get(`${REST}/limits`, (c) => {
    const max = org.settings.dailyApiLimit;
    return sfJson(c, {
      ConcurrentAsyncGetReportInstances: { Max: 200, Remaining: 200 },
      ConcurrentSyncReportRuns: { Max: 20, Remaining: 20 },
      DailyApiRequests: { Max: max, Remaining: Math.max(0, max - org.apiUsage.used) },
      DailyAsyncApexExecutions: { Max: 250000, Remaining: 250000 },
      DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
      DailyBulkV2QueryFileStorageMB: { Max: 976562, Remaining: 976562 },
      DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
      DailyStreamingApiEvents: { Max: 1000000, Remaining: 1000000 },
      DataStorageMB: { Max: 1024, Remaining: 1024 },
      FileStorageMB: { Max: 1024, Remaining: 1024 },
      HourlyODataCallout: { Max: 10000, Remaining: 10000 },
      MassEmail: { Max: 5000, Remaining: 5000 },
      SingleEmail: { Max: 5000, Remaining: 5000 },
    });
  });
}
