// The page's access to the ledgerflow API: every request carries the API key when one was
// given, and a 401 asks the user for a key once and retries.

const KEY_STORE = 'ledgerflow-api-key';

/** An API error with the server's code and message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function authHeaders() {
  const key = sessionStorage.getItem(KEY_STORE);
  return key ? { authorization: `Bearer ${key}` } : {};
}

// One prompt at a time: concurrent 401s wait for the same answer.
let asking = null;

function askForKey() {
  asking ??= new Promise((resolve) => {
    const dialog = document.getElementById('key-dialog');
    const input = document.getElementById('key-input');
    input.value = '';
    dialog.addEventListener('close', () => {
      asking = null;
      if (input.value.trim() !== '') sessionStorage.setItem(KEY_STORE, input.value.trim());
      resolve(input.value.trim() !== '');
    }, { once: true });
    dialog.showModal();
  });
  return asking;
}

async function failure(response) {
  let code = `HTTP_${response.status}`;
  let message = response.statusText;
  try {
    const body = await response.json();
    code = body.error?.code ?? code;
    message = body.error?.message ?? message;
  } catch { /* not JSON: keep the status text */ }
  return new ApiError(response.status, code, message);
}

/** GETs a path; `as` is 'json' or 'text'. */
export async function get(path, as = 'json', signal) {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(path, { headers: authHeaders(), signal });
    if (response.status === 401 && attempt < 3 && await askForKey()) continue;
    if (!response.ok) throw await failure(response);
    return as === 'json' ? response.json() : response.text();
  }
}

/**
 * Uploads a file as the raw body, reporting the share sent (XMLHttpRequest: fetch cannot
 * report upload progress). Resolves with the log record and the status (201 or 202).
 */
export function upload(file, onProgress) {
  const send = () => new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/logs?name=${encodeURIComponent(file.name)}`);
    for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'the upload did not reach the server'));
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* keep null */ }
      if (xhr.status === 201 || xhr.status === 202) resolve({ status: xhr.status, record: body });
      else {
        reject(new ApiError(xhr.status, body?.error?.code ?? `HTTP_${xhr.status}`,
          body?.error?.message ?? xhr.statusText));
      }
    };
    xhr.send(file);
  });
  return send().catch(async (err) => {
    if (err.status === 401 && await askForKey()) return send();
    throw err;
  });
}
