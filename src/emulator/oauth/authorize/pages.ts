/**
 * The HTML pages of the interactive flows: login, Allow/Deny, messages and errors. Plain forms
 * that a browser or curl can submit (no JavaScript, no CSRF token); the request's parameters
 * ride along in hidden fields. Submit controls are `<input type="submit" name="action">` as on
 * Salesforce's login page; their values ("Log In", "Allow", "Deny") are read case-insensitively,
 * so curl users may send `action=login`, `action=allow`, `action=deny`.
 */

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function hiddenFields(hidden: Iterable<[string, string]>): string {
  return [...hidden].map(([k, v]) => `    <input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('\n');
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <style>
    body { font-family: system-ui, sans-serif; background: #f3f3f3; margin: 0; }
    main { max-width: 26rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: .5rem; box-shadow: 0 1px 4px #0002; }
    h1 { font-size: 1.3rem; margin-top: 0; }
    label { display: block; margin: .8rem 0 .2rem; }
    input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .5rem; }
    input[type=submit] { margin-top: 1rem; padding: .5rem 1.2rem; margin-right: .5rem; }
    .error { color: #b00; background: #fee; padding: .5rem; }
    .muted { color: #666; font-size: .85rem; }
  </style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export interface FormPage {
  /** Form action path, e.g. `/services/oauth2/authorize`. */
  action: string;
  hidden: Iterable<[string, string]>;
}

/** The login page: username and password. */
export function loginPage(form: FormPage & { error?: string; username?: string; orgName: string }): string {
  return page(
    'Login | Salesforce',
    `  <h1>Log in to ${escapeHtml(form.orgName)}</h1>
  <p class="muted">forcebridge Salesforce emulator</p>
${form.error ? `  <p class="error" id="error">${escapeHtml(form.error)}</p>\n` : ''}  <form method="post" action="${escapeHtml(form.action)}">
${hiddenFields(form.hidden)}
    <label for="username">Username</label>
    <input type="text" id="username" name="username" value="${escapeHtml(form.username ?? '')}" autocomplete="username">
    <label for="password">Password</label>
    <input type="password" id="password" name="password" value="" autocomplete="current-password">
    <input type="submit" name="action" value="Log In" id="Login">
  </form>`,
  );
}

/** The Allow/Deny page. */
export function consentPage(form: FormPage & { appName: string; username: string; scopes: readonly string[] }): string {
  const scopes = form.scopes.map((s) => `    <li>${escapeHtml(s)}</li>`).join('\n');
  return page(
    'Allow Access? | Salesforce',
    `  <h1>Allow Access?</h1>
  <p><strong>${escapeHtml(form.appName)}</strong> is asking to access your account <strong>${escapeHtml(form.username)}</strong>:</p>
  <ul>
${scopes}
  </ul>
  <form method="post" action="${escapeHtml(form.action)}">
${hiddenFields(form.hidden)}
    <input type="submit" name="action" value="Allow" id="oaapprove">
    <input type="submit" name="action" value="Deny" id="oadeny">
  </form>`,
  );
}

/** The device flow's code-entry page. */
export function userCodePage(form: FormPage & { error?: string; userCode?: string }): string {
  return page(
    'Connect Your Device | Salesforce',
    `  <h1>Connect Your Device</h1>
${form.error ? `  <p class="error" id="error">${escapeHtml(form.error)}</p>\n` : ''}  <form method="post" action="${escapeHtml(form.action)}">
${hiddenFields(form.hidden)}
    <label for="user_code">Code shown on your device</label>
    <input type="text" id="user_code" name="user_code" value="${escapeHtml(form.userCode ?? '')}" autocomplete="off">
    <input type="submit" name="action" value="Connect">
  </form>`,
  );
}

/** A page with a heading and a sentence (results and errors). */
export function messagePage(title: string, text: string): string {
  return page(title, `  <h1>${escapeHtml(title)}</h1>\n  <p id="message">${escapeHtml(text)}</p>`);
}

/**
 * The page shown for authorize errors that cannot go to the redirect_uri (unknown client,
 * missing or unregistered redirect_uri). Salesforce prints the error as a query string.
 */
export function authorizeErrorPage(error: string, description: string): string {
  const text = new URLSearchParams({ error, error_description: description }).toString();
  return page('Error | Salesforce', `  <h1>Remote Access Error</h1>\n  <p id="message">${escapeHtml(text)}</p>`);
}
