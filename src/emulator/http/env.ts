import type { HttpBindings } from '@hono/node-server';
import type { Org } from '../org.js';
import type { Principal } from '../perms/access.js';
import type { AccessSession, HostRole } from '../oauth/tokens.js';

/** Hono environment of every emulator route. */
export type EmuEnv = {
  Bindings: HttpBindings;
  Variables: {
    host: HostRole;
    principal: Principal;
    session: AccessSession;
    /** API version of the request, e.g. "66.0" (REST routes only). */
    apiVersion: string;
    /** Whether this call was counted against the daily API limit (for the request log). */
    counted: boolean;
  };
};

/** Path prefix of REST routes; `:version` is `vNN.0`. */
export const REST = '/services/data/:version';

export type { Org };
