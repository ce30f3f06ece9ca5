/** The login site's pages: small, and each one says by its title where the browser is. */

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, char => `&#${char.charCodeAt(0)};`);
}

export function loginPage(message = ''): string {
  return page('login', `
<h1>Sign in</h1>
<p id="message">${escapeHtml(message)}</p>
<form method="post" action="/login">
  <input id="user" name="user" autocomplete="username">
  <input id="password" name="password" type="password" autocomplete="current-password">
  <button id="submit" type="submit">Sign in</button>
</form>`);
}

/** Right after the login: the page script keeps the API token in localStorage, then goes to the app. */
export function welcomePage(token: string): string {
  return page('welcome', `
<p>Welcome</p>
<script>
  localStorage.setItem('token', ${JSON.stringify(token)});
  location.replace('/app');
</script>`);
}

/**
 * The app: the user from the cookie (rendered by the server) and from the
 * API (called with the localStorage token), so a context shows whose state
 * it holds both ways. The title is `app ready` once the API answered.
 */
export function appPage(user: string): string {
  return page('app', `
<h1 id="user">${escapeHtml(user)}</h1>
<p id="api">…</p>
<script>
  (async () => {
    const token = localStorage.getItem('token');
    const response = await fetch('/api/me', { headers: token ? { authorization: 'Bearer ' + token } : {} });
    const api = document.getElementById('api');
    api.textContent = response.ok ? (await response.json()).user : 'error ' + response.status;
    document.title = 'app ready';
  })();
</script>`);
}

export function reportPage(user: string): string {
  return page('report', `<h1 id="user">${escapeHtml(user)}</h1><p id="report">monthly report of ${escapeHtml(user)}</p>`);
}

/** What a bot check shows instead of the page. */
export function challengePage(): string {
  return page('challenge', '<h1>Checking your browser before accessing this site…</h1><div id="challenge"></div>');
}

export function lockedPage(): string {
  return page('locked', '<h1 id="locked">Too many attempts: this account is locked.</h1>');
}
