/**
 * Drives the emulator's HTML authorize pages the way a person in a browser would: load the page,
 * fill the login form, press Allow, and read `code`/`state` from the redirect. Forms are found by
 * parsing the HTML (no knowledge of the emulator's internals), so this also checks the pages are
 * plain submittable forms. Tests use it, and `forcebridge demo` uses it to act for the demo admin.
 */

interface ParsedForm {
  action: string;
  method: string;
  fields: Map<string, string>;
  buttons: { name: string; value: string; label: string }[];
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? decodeHtml(m[2] ?? m[3] ?? m[4] ?? '') : undefined;
}

function decodeHtml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Every <form> in a page with its inputs and submit buttons. */
export function parseForms(html: string, pageUrl: string): ParsedForm[] {
  const forms: ParsedForm[] = [];
  const formRe = /<form\b([^>]*)>([\s\S]*?)<\/form>/gi;
  for (let m = formRe.exec(html); m; m = formRe.exec(html)) {
    const fields = new Map<string, string>();
    const buttons: ParsedForm['buttons'] = [];
    const body = m[2]!;
    const inputRe = /<input\b([^>]*)>/gi;
    for (let i = inputRe.exec(body); i; i = inputRe.exec(body)) {
      const tag = i[1]!;
      const name = attr(tag, 'name');
      const type = (attr(tag, 'type') ?? 'text').toLowerCase();
      const value = attr(tag, 'value') ?? '';
      if (type === 'submit') buttons.push({ name: name ?? '', value, label: value });
      else if (name) fields.set(name, value);
    }
    const buttonRe = /<button\b([^>]*)>([\s\S]*?)<\/button>/gi;
    for (let b = buttonRe.exec(body); b; b = buttonRe.exec(body)) {
      const type = (attr(b[1]!, 'type') ?? 'submit').toLowerCase();
      if (type !== 'submit') continue;
      buttons.push({ name: attr(b[1]!, 'name') ?? '', value: attr(b[1]!, 'value') ?? '', label: b[2]!.replace(/<[^>]+>/g, '').trim() });
    }
    forms.push({
      action: new URL(attr(m[1]!, 'action') ?? pageUrl, pageUrl).toString(),
      method: (attr(m[1]!, 'method') ?? 'GET').toUpperCase(),
      fields,
      buttons,
    });
  }
  return forms;
}

class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    const all = (res.headers as Headers & { getSetCookie?: () => string[] }).getSetCookie?.() ?? [];
    for (const c of all) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      if (eq > 0) this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

async function submit(form: ParsedForm, jar: CookieJar, button?: ParsedForm['buttons'][number]): Promise<Response> {
  const body = new URLSearchParams([...form.fields]);
  if (button?.name) body.set(button.name, button.value);
  const init: RequestInit = { method: form.method, redirect: 'manual', headers: { Cookie: jar.header(), 'Content-Type': 'application/x-www-form-urlencoded' } };
  const url = new URL(form.action);
  if (form.method === 'GET') for (const [k, v] of body) url.searchParams.set(k, v);
  else init.body = body.toString();
  const res = await fetch(url, init);
  jar.take(res);
  return res;
}

/** What the scripted browser just did, for a caller that narrates it (the demo). */
export type AuthorizeStep = { step: 'login'; username: string } | { step: 'consent'; button: string } | { step: 'callback'; url: string };

/**
 * Logs in on the authorize page and presses the button whose label matches `choice`
 * (default Allow). Returns the callback's query parameters.
 */
export async function browserAuthorize(
  authorizeUrl: string,
  username: string,
  password: string,
  choice: RegExp = /allow/i,
  onStep?: (s: AuthorizeStep) => void,
): Promise<Record<string, string>> {
  const jar = new CookieJar();
  let res = await fetch(authorizeUrl, { redirect: 'manual' });
  jar.take(res);
  let pageUrl = authorizeUrl;
  for (let step = 0; step < 6; step++) {
    if (res.status >= 300 && res.status < 400) {
      const loc = new URL(res.headers.get('location')!, pageUrl);
      if (loc.searchParams.has('code') || loc.searchParams.has('error')) {
        onStep?.({ step: 'callback', url: `${loc.origin}${loc.pathname}` });
        return Object.fromEntries(loc.searchParams);
      }
      pageUrl = loc.toString();
      res = await fetch(pageUrl, { redirect: 'manual', headers: { Cookie: jar.header() } });
      jar.take(res);
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`authorize page answered ${res.status}: ${html.slice(0, 300)}`);
    const forms = parseForms(html, pageUrl);
    const login = forms.find((f) => [...f.fields.keys()].some((k) => /pass|pw/i.test(k)));
    if (login) {
      for (const k of login.fields.keys()) {
        if (/user/i.test(k)) login.fields.set(k, username);
        if (/pass|^pw$/i.test(k)) login.fields.set(k, password);
      }
      res = await submit(login, jar, login.buttons[0]);
      onStep?.({ step: 'login', username });
      continue;
    }
    const consent = forms.find((f) => f.buttons.some((b) => choice.test(b.label) || choice.test(b.value)));
    if (!consent) throw new Error(`no login or consent form on the page: ${html.slice(0, 500)}`);
    const button = consent.buttons.find((b) => choice.test(b.label) || choice.test(b.value));
    res = await submit(consent, jar, button);
    onStep?.({ step: 'consent', button: button?.label || button?.value || '' });
  }
  throw new Error('authorize flow did not reach the callback');
}

/**
 * Approves a device-flow user code on the verification page as a person would: enter the code,
 * log in, press Allow. Returns the final page's HTML.
 */
export async function browserApproveDevice(verificationUri: string, userCode: string, username: string, password: string): Promise<string> {
  const jar = new CookieJar();
  let res = await fetch(verificationUri, { redirect: 'manual' });
  jar.take(res);
  let html = await res.text();
  for (let step = 0; step < 5; step++) {
    const forms = parseForms(html, verificationUri);
    const codeForm = forms.find((f) => f.fields.has('user_code') && ![...f.fields.keys()].some((k) => /pass/i.test(k)) && !f.fields.has('sid'));
    const login = forms.find((f) => [...f.fields.keys()].some((k) => /pass/i.test(k)));
    const consent = forms.find((f) => f.buttons.some((b) => /allow/i.test(b.label) || /allow/i.test(b.value)));
    if (login) {
      for (const k of login.fields.keys()) {
        if (/user/i.test(k) && k !== 'user_code') login.fields.set(k, username);
        if (/pass/i.test(k)) login.fields.set(k, password);
      }
      res = await submit(login, jar, login.buttons[0]);
    } else if (consent) {
      res = await submit(
        consent,
        jar,
        consent.buttons.find((b) => /allow/i.test(b.label) || /allow/i.test(b.value)),
      );
      return await res.text();
    } else if (codeForm) {
      codeForm.fields.set('user_code', userCode);
      res = await submit(codeForm, jar, codeForm.buttons[0]);
    } else throw new Error(`no form on the device page: ${html.slice(0, 300)}`);
    html = await res.text();
  }
  throw new Error('device approval did not finish');
}
