/**
 * Obtains a refresh token from the emulator the way an admin would by hand: authorize in the
 * browser as a demo user, then exchange the code at the token endpoint.
 */
import type { RunningEmulator } from '../server.js';
import { browserAuthorize } from '../scripted-browser.js';

export async function refreshTokenByHand(
  em: RunningEmulator,
  user = 'admin',
  scope = 'api refresh_token',
): Promise<{ refreshToken: string; accessToken: string }> {
  const u = em.banner.users.find((x) => x.username.startsWith(`${user}@`) || x.username === user);
  if (!u) throw new Error(`no emulator user ${user}`);
  const authorize = new URL(`${em.urls.login}/services/oauth2/authorize`);
  authorize.search = new URLSearchParams({ response_type: 'code', client_id: em.banner.clientId, redirect_uri: em.banner.redirectUri, scope }).toString();
  const { code } = await browserAuthorize(authorize.toString(), u.username, u.password);
  if (!code) throw new Error('the emulator did not return an authorization code');
  const res = await fetch(`${em.urls.login}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: em.banner.clientId,
      client_secret: em.banner.clientSecret,
      redirect_uri: em.banner.redirectUri,
    }),
  });
  const body = (await res.json()) as { refresh_token?: string; access_token?: string };
  if (!res.ok || !body.refresh_token || !body.access_token) throw new Error(`token exchange failed with HTTP ${res.status}`);
  return { refreshToken: body.refresh_token, accessToken: body.access_token };
}
