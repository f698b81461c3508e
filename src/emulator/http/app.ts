/**
 * Builds the Hono app for one host role. Login and sandbox hosts serve OAuth and identity; the My
 * Domain host (which is also the instance) serves OAuth, identity, REST and Bulk 2.0. Every host
 * serves the control API when the org has it enabled.
 */
import { Hono } from 'hono';
import { registerBulk } from '../bulk/routes.js';
import { registerControl } from '../control/control.js';
import type { Org } from '../org.js';
import { registerOAuth } from '../oauth/routes.js';
import type { HostRole } from '../oauth/tokens.js';
import { registerComposite } from '../rest/composite.js';
import { registerDescribe } from '../rest/describe.js';
import { registerQuery } from '../rest/query.js';
import { registerSearch } from '../rest/search.js';
import { registerSObjects } from '../rest/sobjects.js';
import { registerUpdatedDeleted } from '../rest/updated-deleted.js';
import { registerVersions, registerVersionsPublic } from '../rest/versions.js';
import { registerSoapUndelete } from '../soap/undelete.js';
import type { EmuEnv } from './env.js';
import { apiLimit, apiVersion, errorHandler, faultInjector, requestLogger, requireSession } from './middleware.js';
import { sfError } from './respond.js';

export function createHostApp(org: Org, host: HostRole): Hono<EmuEnv> {
  const app = new Hono<EmuEnv>();
  app.use('*', async (c, next) => {
    c.set('host', host);
    c.set('counted', false);
    await next();
    // The org's own clock (tests may move it), as a real server's Date header is its clock.
    c.res.headers.set('Date', new Date(org.clock.nowPrecise()).toUTCString());
  });
  app.use('*', requestLogger(org));
  app.use('*', faultInjector(org));
  app.onError(errorHandler);

  registerControl(app, org);
  registerOAuth(app, org);

  if (host === 'mydomain') {
    registerVersionsPublic(app, org);
    const guard = [apiVersion(org), requireSession(org), apiLimit(org)] as const;
    app.use('/services/data/:version', ...guard);
    app.use('/services/data/:version/*', ...guard);
    registerVersions(app, org);
    registerDescribe(app, org);
    registerQuery(app, org);
    // getUpdated/getDeleted before the generic /sobjects/:object/:id routes.
    registerUpdatedDeleted(app, org);
    registerSObjects(app, org);
    registerSearch(app, org);
    registerComposite(app, org);
    registerBulk(app, org);
    registerSoapUndelete(app, org);
  }

  app.notFound((c) => sfError(c, 404, 'NOT_FOUND', 'The requested resource does not exist'));
  return app;
}
