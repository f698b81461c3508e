/**
 * The demo org's connected app and users. Credentials are fixed so the demo and tests can print
 * and use them; they only ever unlock this local emulator. The admin's password deliberately
 * contains `#`, `&`, `%` and a space: clients that do not form-encode break on it, as on Salesforce.
 */
import type { ConnectedAppConfig, UserConfig } from './config.js';

export const DEMO_DOMAIN = 'forcebridge-demo.example';

export const DEMO_APP: ConnectedAppConfig = {
  name: 'forcebridge Demo',
  clientId: '3MVG9forcebridge.DemoConnectedApp.ConsumerKey0000000000000000000000000000000000000000',
  clientSecret: 'DEMO0SECRET0000000000000000000000000000000000000000000000000000',
  callbackUrls: [
    'http://localhost:1717/OauthRedirect',
    'http://127.0.0.1:1717/OauthRedirect',
    'http://localhost:8787/api/integrations/callback/salesforce',
    'http://127.0.0.1:8787/api/integrations/callback/salesforce',
    'https://login.salesforce.com/services/oauth2/success',
  ],
  scopes: ['api', 'refresh_token', 'offline_access', 'openid', 'id', 'profile', 'email', 'web', 'full'],
  requireSecretForWebServerFlow: false,
  pkceRequired: false,
  refreshTokenRotation: false,
  clientCredentialsUser: `integration@${DEMO_DOMAIN}`,
  deviceFlowEnabled: true,
  usernamePasswordEnabled: true,
  adminApprovedOnly: false,
  preAuthorizedProfiles: [],
  approvedUsers: [`admin@${DEMO_DOMAIN}`, `integration@${DEMO_DOMAIN}`],
};

export const DEMO_USERS: UserConfig[] = [
  {
    username: `admin@${DEMO_DOMAIN}`,
    password: 'Demo pass#1&%',
    securityToken: 'AdminToken0000000000000',
    profile: 'System Administrator',
    firstName: 'Ada',
    lastName: 'Admin',
    email: `admin@${DEMO_DOMAIN}`,
    active: true,
    trustedIp: false,
  },
  {
    username: `sales@${DEMO_DOMAIN}`,
    password: 'SalesPass1',
    securityToken: 'SalesToken000000000000',
    profile: 'Standard User',
    firstName: 'Sam',
    lastName: 'Sales',
    email: `sales@${DEMO_DOMAIN}`,
    active: true,
    trustedIp: false,
  },
  {
    username: `viewer@${DEMO_DOMAIN}`,
    password: 'ViewerPass1',
    securityToken: 'ViewerToken00000000000',
    profile: 'Read Only',
    firstName: 'Vera',
    lastName: 'Viewer',
    email: `viewer@${DEMO_DOMAIN}`,
    active: true,
    trustedIp: false,
  },
  {
    username: `integration@${DEMO_DOMAIN}`,
    password: 'IntegrationPass1',
    securityToken: 'IntegrationToken000000',
    profile: 'System Administrator',
    firstName: 'Integration',
    lastName: 'User',
    email: `integration@${DEMO_DOMAIN}`,
    active: true,
    trustedIp: false,
  },
  {
    username: `noapi@${DEMO_DOMAIN}`,
    password: 'NoApiPass1',
    securityToken: 'NoApiToken000000000000',
    profile: 'No API Access',
    firstName: 'Nora',
    lastName: 'NoApi',
    email: `noapi@${DEMO_DOMAIN}`,
    active: true,
    trustedIp: false,
  },
  {
    username: `inactive@${DEMO_DOMAIN}`,
    password: 'InactivePass1',
    securityToken: 'InactiveToken000000000',
    profile: 'Standard User',
    firstName: 'Ivan',
    lastName: 'Inactive',
    email: `inactive@${DEMO_DOMAIN}`,
    active: false,
    trustedIp: false,
  },
];
