// Security keys and passkeys (WebAuthn): adding one on /account/security-keys, and
// signing in with one at the second factor. The server gives the options as JSON and
// checks what the authenticator answers; this only carries them.

const post = (url, body) => fetch(url, {
  method: 'POST', credentials: 'same-origin',
  headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
  body: JSON.stringify(body ?? {}),
});

function showError(message) {
  const el = document.getElementById('key-error');
  el.querySelector('span.app-key-error-text').textContent = message;
  el.hidden = false;
  el.focus();
}

async function answer(res) {
  let body = {};
  try { body = await res.json(); } catch { /* not JSON */ }
  if (!res.ok) throw new Error(body.error || 'Something went wrong. Reload the page and try again.');
  return body;
}

async function addKey() {
  const name = document.getElementById('key-name').value;
  const options = await answer(await post('/account/security-keys/begin', { name }));
  const credential = await navigator.credentials.create({
    publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options.publicKey),
  });
  const done = await answer(await post('/account/security-keys', { name, credential: credential.toJSON() }));
  window.location.assign(done.next);
}

async function signIn() {
  const options = await answer(await post('/login/mfa/security-key/begin'));
  const credential = await navigator.credentials.get({
    publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options.publicKey),
  });
  const done = await answer(await post('/login/mfa/security-key', credential.toJSON()));
  window.location.assign(done.next);
}

function wire(id, action) {
  const button = document.getElementById(id);
  if (!button) return;
  if (!window.PublicKeyCredential || !PublicKeyCredential.parseCreationOptionsFromJSON) {
    showError('This browser cannot use security keys. Use a recent Chrome, Edge, Firefox or Safari.');
    return;
  }
  button.hidden = false;
  button.addEventListener('click', async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      await action();
    } catch (err) {
      showError(err.name === 'NotAllowedError' ? 'The security key was not used, or it took too long. Try again.' : err.message);
    } finally {
      button.disabled = false;
    }
  });
}

wire('add-key', addKey);
wire('use-key', signIn);
