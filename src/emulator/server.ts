/**
 * Starts an emulated org on loopback: one listener per host role (login, sandbox, My Domain —
 * the My Domain host is also the instance URL), and reports the URLs and demo credentials.
 */
import { createAdaptorServer } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { parseEmulatorConfig, type EmulatorConfig } from './config.js';
import { DEMO_APP } from './defaults.js';
import { createHostApp } from './http/app.js';
import { Org } from './org.js';
import type { HostRole } from './oauth/tokens.js';

export interface EmulatorOptions {
  /** Login host port; sandbox is port+1 and My Domain port+2. 0 picks free ports for all three. */
  port?: number;
  host?: string;
  config?: EmulatorConfig | unknown;
  /** Enables the `/__emulator/` control API (test and demo mode). */
  control?: boolean;
}

/** The JSON line `forcebridge emulator --json` prints (ARCHITECTURE.md "Emulator contract"). */
export interface EmulatorBanner {
  loginUrl: string;
  sandboxLoginUrl: string;
  myDomainUrl: string;
  instanceUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  controlUrl: string | null;
  users: { username: string; password: string; securityToken: string; profile: string }[];
}

export interface RunningEmulator {
  org: Org;
  urls: { login: string; sandbox: string; mydomain: string };
  banner: EmulatorBanner;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const config = parseEmulatorConfig(opts.config ?? {});
  const org = new Org(config);
  org.controlEnabled = opts.control ?? false;
  const host = opts.host ?? '127.0.0.1';
  const roles: HostRole[] = ['login', 'sandbox', 'mydomain'];
  const servers: Server[] = [];
  const ports: number[] = [];
  try {
    for (const [i, role] of roles.entries()) {
      const server = createAdaptorServer({ fetch: createHostApp(org, role).fetch }) as Server;
      server.keepAliveTimeout = 65_000;
      servers.push(server);
      ports.push(await listen(server, opts.port ? opts.port + i : 0, host));
    }
  } catch (e) {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    throw e;
  }
  const base = (p: number) => `http://${host.includes(':') ? `[${host}]` : host}:${p}`;
  org.urls = { login: base(ports[0]!), sandbox: base(ports[1]!), mydomain: base(ports[2]!) };
  const app = org.apps.get(DEMO_APP.clientId)!;
  const banner: EmulatorBanner = {
    loginUrl: org.urls.login,
    sandboxLoginUrl: org.urls.sandbox,
    myDomainUrl: org.urls.mydomain,
    instanceUrl: org.urls.mydomain,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUri: app.callbackUrls[0]!,
    controlUrl: org.controlEnabled ? `${org.urls.login}/__emulator/` : null,
    users: [...org.users.values()]
      .filter((u) => u.config.active)
      .map((u) => ({ username: u.config.username, password: u.config.password, securityToken: u.config.securityToken, profile: u.profile.name })),
  };
  return {
    org,
    urls: org.urls,
    banner,
    close: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections?.();
            }),
        ),
      );
    },
  };
}
