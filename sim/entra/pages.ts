/** The simulator's HTML: a sign-in form (like login.microsoftonline.com, minus the branding) and an error page. */

const escape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:Segoe UI,system-ui,sans-serif;background:#f2f2f2;margin:0}main{background:#fff;max-width:420px;margin:8vh auto;padding:32px 40px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:22px;font-weight:600}label{display:block;margin-top:12px}input[type=text],input[type=password]{width:100%;padding:6px 0;border:0;border-bottom:1px solid #666;font-size:15px}
.row{margin-top:24px;display:flex;gap:8px;justify-content:flex-end}button{padding:6px 20px;font-size:15px}button.primary{background:#0067b8;color:#fff;border:0}.error{color:#e81123}.hint{color:#555;font-size:13px}</style>
</head><body><main>${body}</main></body></html>`;
}

export interface SignInPageInput {
  /** Every authorize parameter, carried through the form post. */
  params: URLSearchParams;
  appName: string;
  scopes: string[];
  /** The token's resource (its audience), as Entra's consent page names the API. */
  resource?: string;
  loginHint?: string;
  error?: string;
  demoUsers: Array<{ username: string; password: string }>;
}

export function signInPage(input: SignInPageInput): string {
  const hidden = [...input.params.entries()]
    .filter(([k]) => k !== 'username' && k !== 'password' && k !== 'action')
    .map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`).join('');
  const demo = input.demoUsers.map((u) => `<li><code>${escape(u.username)}</code> / <code>${escape(u.password)}</code></li>`).join('');
  return page('Sign in to your account', `
<h1>Sign in</h1>
<p><strong>${escape(input.appName)}</strong> wants to access ${escape(input.resource ?? 'your data')} on your behalf: ${input.scopes.map(escape).join(', ')}.</p>
${input.error ? `<p class="error" role="alert">${escape(input.error)}</p>` : ''}
<form method="post">
${hidden}
<label>Email<input type="text" name="username" autocomplete="username" value="${escape(input.loginHint ?? '')}"></label>
<label>Password<input type="password" name="password" autocomplete="current-password"></label>
<div class="row"><button type="submit" name="action" value="cancel">Cancel</button><button class="primary" type="submit" name="action" value="accept">Sign in and accept</button></div>
</form>
<p class="hint">Local Microsoft Entra ID simulator. Demo accounts:</p><ul class="hint">${demo}</ul>`);
}

export function errorPage(message: string): string {
  return page('Sign-in problem', `<h1>We couldn't sign you in</h1><p class="error">${escape(message)}</p>`);
}
