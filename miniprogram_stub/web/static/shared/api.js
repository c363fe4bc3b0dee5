// The yss API through the stub's same-origin /api forwarder, with tokens kept per tab.
export const NETWORK_MESSAGE = "网络连接失败，请检查网络后重试";

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `请求失败 (${status})`);
    this.status = status;
    this.code = body && body.code;
    this.details = (body && body.details) || {};
  }
}

export function makeApi(storageKey) {
  const load = () => JSON.parse(sessionStorage.getItem(storageKey) || "null");
  const save = (tokens) => tokens ? sessionStorage.setItem(storageKey, JSON.stringify(tokens))
                                  : sessionStorage.removeItem(storageKey);
  let headersFor = () => ({}); // e.g. X-Acting-For, set by the app's acting module (app/acting.js)
  async function raw(method, path, body, headers = {}) {
    const tokens = load();
    const init = { method, headers: { ...headersFor(path), ...headers } };
    if (tokens && tokens.access_token) init.headers.Authorization = `Bearer ${tokens.access_token}`;
    if (body instanceof FormData) init.body = body; // multipart: the browser writes the boundary
    else if (body !== undefined) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    const res = await reach(`/api/v1${path}`, init);
    return { res, data: await bodyOf(res) };
  }
  async function call(method, path, body) {
    let { res, data } = await raw(method, path, body);
    const tokens = load();
    if (res.status === 401 && tokens && tokens.refresh_token && path !== "/auth/refresh") {
      const refreshed = await raw("POST", "/auth/refresh", { refresh_token: tokens.refresh_token });
      if (refreshed.res.ok) {
        save({ ...tokens, ...refreshed.data });
        ({ res, data } = await raw(method, path, body));
      } else {
        save(null);
      }
    }
    if (!res.ok) throw new ApiError(res.status, data);
    const pagination = res.headers.get("X-Pagination");
    if (pagination && data && typeof data === "object") data.__pagination = JSON.parse(pagination);
    return data;
  }
  return {
    get: (p) => call("GET", p), post: (p, b) => call("POST", p, b ?? {}), put: (p, b) => call("PUT", p, b ?? {}),
    patch: (p, b) => call("PATCH", p, b ?? {}), del: (p) => call("DELETE", p),
    upload: (p, formData) => call("POST", p, formData),
    tokens: load, setTokens: save, setHeaders: (fn) => { headersFor = fn; },
  };
}

// fetch, with a network failure (offline, the server unreachable) as an ApiError in Chinese.
async function reach(url, init) {
  try {
    return await fetch(url, init);
  } catch (error) {
    throw new ApiError(0, { code: "network", message: NETWORK_MESSAGE });
  }
}

// A JSON body; anything else (a proxy's HTML error page, a cut-off answer) as no body, so the
// status decides and the message stays Chinese.
async function bodyOf(res) {
  const text = await res.text().catch(() => "");
  try { return text ? JSON.parse(text) : null; } catch { return null; }
}

export async function emulator(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
  const res = await reach(`/__emulator__${path}`, init);
  const data = await bodyOf(res);
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

export function toast(text) {
  const el = document.createElement("div");
  el.className = "toast";
  el.textContent = text;
  document.body.appendChild(el);
  setTimeout(() => el.remove(), 2500);
}

export function fmtDate(value) {
  if (!value) return "—";
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return esc(value);
  return d.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });
}

export const STATUS_TEXT = { valid: "有效", expiring: "即将到期", expired: "已过期", revoked: "已撤销",
  suspended: "已暂停", cancelled: "已注销" };

export function badge(status) {
  return `<span class="badge ${esc(status)}" data-status="${esc(status)}">${esc(STATUS_TEXT[status] || status)}</span>`;
}

// Runs one action of a page: the button shows a loading state and cannot be pressed twice, the
// outcome is shown in Chinese (a toast on success, the API's message beside the button on failure).
// Answers { ok, value }.
export async function act(button, out, work, done) {
  const label = button ? button.textContent : "";
  if (button) { button.disabled = true; button.classList.add("loading"); button.textContent = "处理中…"; }
  if (out) out.innerHTML = "";
  try {
    const result = await work();
    if (done) toast(done);
    return { ok: true, value: result };
  } catch (error) {
    if (out) out.innerHTML = `<div class="error" data-code="${esc(error.code || "")}">${esc(error.message)}</div>`;
    else toast(error.message);
    return { ok: false, error };
  } finally {
    if (button && button.isConnected) { button.disabled = false; button.classList.remove("loading"); button.textContent = label; }
  }
}

// Paged lists: the API pages with ?page=&page_size= and answers X-Pagination (kept as __pagination).
// A list page reads its page number from the route's query (#/inbox?page=2), so back and forward
// move between pages.
export function pageParam(hash = location.hash) {
  const n = Number(new URLSearchParams(hash.split("?")[1] || "").get("page"));
  return Number.isInteger(n) && n > 0 ? n : 1;
}

// Ten items a page on a phone screen, whatever an endpoint's own default.
export const PAGE_SIZE = 10;
export function withPage(path, page) {
  return `${path}${path.includes("?") ? "&" : "?"}page=${page}&page_size=${PAGE_SIZE}`;
}

// The pager under a list: 上一页 / 第 n / m 页（共 t 条） / 下一页; nothing for a single page.
export function pager(data, route) {
  const p = (data && data.__pagination) || {};
  const pages = p.total_pages || 1;
  if (pages <= 1) return "";
  const page = p.page || 1;
  const link = (n, id, text) => (n >= 1 && n <= pages
    ? `<a class="btn ghost" id="${id}" href="${route}?page=${n}">${text}</a>`
    : `<span class="btn ghost disabled" id="${id}" aria-disabled="true">${text}</span>`);
  return `<nav class="pager" aria-label="分页">${link(page - 1, "page-prev", "上一页")}
    <span class="muted" id="page-info">第 ${page} / ${pages} 页（共 ${p.total} 条）</span>${link(page + 1, "page-next", "下一页")}</nav>`;
}

// Ties each <label> written just before its input (no "for", no input inside) to that input, giving
// the input an id if it has none: screen readers then read the label with the field.
let labelled = 0;
export function linkLabels(root) {
  root.querySelectorAll("label:not([for])").forEach((label) => {
    if (label.querySelector("input, select, textarea")) return;
    const field = label.nextElementSibling;
    if (!field || !field.matches("input, select, textarea")) return;
    if (!field.id) field.id = `field-${++labelled}`;
    label.htmlFor = field.id;
  });
}
