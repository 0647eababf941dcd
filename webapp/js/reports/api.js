// Admin API calls for the report pages: every request carries the admin token the user entered.
const TOKEN_KEY = 'parley.adminToken';

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY) || '',
  set: value => sessionStorage.setItem(TOKEN_KEY, value),
};

export function url(path, params = {}) {
  const u = new URL(path, document.baseURI);
  for (const [key, value] of Object.entries(params)) {
    if (value !== '' && value !== null && value !== undefined) u.searchParams.set(key, value);
  }
  return u;
}

async function request(path, params, accept) {
  const response = await fetch(url(path, params), {
    headers: { Authorization: `Bearer ${token.get()}`, Accept: accept },
  });
  if (!response.ok) {
    let message = `${response.status}`;
    try { message = (await response.json()).message || message; } catch { /* not JSON */ }
    const error = new Error(response.status === 401 ? 'The admin token is missing or wrong.' : message);
    error.status = response.status;
    throw error;
  }
  return response;
}

export const getJson = async (path, params) => (await request(path, params, 'application/json')).json();

/** Downloads every matching call as CSV (the server streams it). */
export async function downloadCsv(params) {
  const blob = await (await request('api/calls', params, 'text/csv')).blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = 'parley-calls.csv';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
