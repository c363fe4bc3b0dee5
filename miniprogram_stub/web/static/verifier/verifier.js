// The verifier page: checks SD-JWT+KB presentations offline with the JWKS and the status list it
// fetched (kept in localStorage with the time it fetched them), scans QR codes from the camera or from
// a chosen or pasted screenshot, and checks online only when asked. Replay: each key binding (audience, nonce) is accepted once here,
// remembered until it could no longer verify; a challenge nonce is this verifier's own, used once.
import { esc, fmtDate } from "/shared/api.js";
import { CHALLENGE_MAX_AGE, CLOCK_SKEW, COUNTER_AUDIENCE, COUNTER_MAX_AGE, b64urlBytes, inflate, randomB64,
  sha256b64, splitJws, verifyEdDsa, verifyEs256 } from "/shared/sdjwt.js";

const LABELS = { name: "姓名", number: "证件号码", issued_on: "签发日期", expires_on: "有效期至", birth_date: "出生日期",
  sex: "性别", address: "住址", ethnicity: "民族", class: "准驾车型", age_over_18: "年满18周岁", age_over_60: "年满60周岁",
  valid_on_date: "证件今日有效" };
const label = (k) => LABELS[k] || (/^age_over_(\d+)$/.test(k) ? `年满${k.slice(9)}周岁` : k);
const REASONS = {
  presentation_malformed: "无法识别的亮证码",
  presentation_signature_invalid: "签名无效：亮证码被篡改或不是本平台签发",
  key_binding_invalid: "亮证码不是由领证的手机生成的",
  presentation_challenge_mismatch: "亮证码不是为本核验方生成的",
  presentation_stale: "亮证码已过期，请持证人重新生成",
  presentation_replayed: "该亮证码已被核验过，不能重复使用",
  credential_expired: "电子证照凭证已过期",
  credential_revoked: "该证照已注销或凭证已失效（状态列表）",
  status_unknown: "没有该证照的状态列表，请联网更新",
  certificate_revoked: "该证照已被发证机关注销",
  credential_superseded: "持证人已在新设备上重新领取，此凭证已失效",
  no_keys: "尚未下载平台公钥，请联网更新",
};
const CACHE = "yss-verifier-cache";
const SEEN = "yss-verifier-seen";
const STATUS_PATH = "/api/v1/status-lists/1";

class Refused extends Error { constructor(code) { super(code); this.code = code; } }

const audience = localStorage.getItem("yss-verifier-id") || `verifier:${randomB64(9)}`;
localStorage.setItem("yss-verifier-id", audience);
let challenge = null;

function newChallenge() {
  challenge = { nonce: randomB64(12), issued: Date.now() };
  document.getElementById("challenge").textContent = `${audience} ${challenge.nonce}`;
}

const cache = () => JSON.parse(localStorage.getItem(CACHE) || "null");

function showFreshness() {
  const c = cache();
  const el = document.getElementById("freshness");
  if (!c) { el.textContent = "尚未下载"; return; }
  const minutes = Math.floor((Date.now() - c.fetchedAt) / 60000);
  el.textContent = `更新于 ${fmtDate(new Date(c.fetchedAt).toISOString())}（${minutes ? minutes + " 分钟前" : "刚刚"}）`;
  el.dataset.fetchedAt = String(c.fetchedAt);
}

// The list is cacheable for its ttl; the refresh button asks past any cache ("no-cache" revalidates).
async function refresh(cache = "default") {
  const [jwks, token] = await Promise.all([
    fetch("/api/v1/auth/jwks", { cache }).then((r) => { if (!r.ok) throw new Error(); return r.json(); }),
    fetch(STATUS_PATH, { cache }).then((r) => { if (!r.ok) throw new Error(); return r.text(); }),
  ]);
  const list = splitJws(token);
  if (list.header.typ !== "statuslist+jwt" || !(await verifyEdDsa(jwks, list))) throw new Error("bad status list");
  localStorage.setItem(CACHE, JSON.stringify({ jwks, token, fetchedAt: Date.now() }));
  showFreshness();
}

function seen() { return JSON.parse(localStorage.getItem(SEEN) || "{}"); }

function remember(key, until) {
  const now = Date.now();
  const kept = Object.fromEntries(Object.entries(seen()).filter(([, t]) => t > now));
  kept[key] = until;
  localStorage.setItem(SEEN, JSON.stringify(kept));
}

async function statusBit(c, statusList) {
  if (!statusList || typeof statusList.uri !== "string" || !statusList.uri.endsWith(STATUS_PATH)) throw new Refused("status_unknown");
  const list = splitJws(c.token).payload;
  if (list.status_list.bits !== 1) throw new Refused("status_unknown");
  const bits = await inflate(b64urlBytes(list.status_list.lst));
  const idx = statusList.idx;
  if (!Number.isInteger(idx) || idx < 0 || idx >= bits.length * 8) throw new Refused("status_unknown");
  return (bits[idx >> 3] >> (idx & 7)) & 1;
}

// RFC 9901 §7: the issuer's signature, every disclosure among _sd, expiry, the key binding, then status.
async function verifyOffline(presentation) {
  const c = cache();
  if (!c) throw new Refused("no_keys");
  const parts = presentation.split("~");
  if (parts.length < 2 || parts.some((p) => !p)) throw new Refused("presentation_malformed");
  const kbJwt = parts.pop();
  const [issuerJwt, ...disclosures] = parts;
  let issued, kb;
  try { issued = splitJws(issuerJwt); kb = splitJws(kbJwt); } catch { throw new Refused("presentation_malformed"); }
  if (issued.header.typ !== "dc+sd-jwt" || !(await verifyEdDsa(c.jwks, issued))) throw new Refused("presentation_signature_invalid");
  if ((issued.payload._sd_alg || "sha-256") !== "sha-256" || !Array.isArray(issued.payload._sd)) {
    throw new Refused("presentation_malformed");
  }
  const claims = {};
  const digests = new Set();
  for (const d of disclosures) {
    const digest = await sha256b64(d);
    if (!issued.payload._sd.includes(digest)) throw new Refused("presentation_signature_invalid");
    if (digests.has(digest)) throw new Refused("presentation_malformed");
    digests.add(digest);
    const [, name, value] = JSON.parse(new TextDecoder().decode(b64urlBytes(d)));
    claims[name] = value;
  }
  const now = Date.now() / 1000;
  if (now >= issued.payload.exp) throw new Refused("credential_expired");
  if (kb.header.alg !== "ES256" || kb.header.typ !== "kb+jwt" || !(await verifyEs256(issued.payload.cnf.jwk, kb))) {
    throw new Refused("key_binding_invalid");
  }
  if (kb.payload.sd_hash !== await sha256b64(presentation.slice(0, presentation.lastIndexOf("~") + 1))) {
    throw new Refused("key_binding_invalid");
  }
  let maxAge;
  if (kb.payload.aud === audience) {
    if (!challenge || kb.payload.nonce !== challenge.nonce) throw new Refused("presentation_challenge_mismatch");
    maxAge = CHALLENGE_MAX_AGE;
  } else if (kb.payload.aud === COUNTER_AUDIENCE) {
    maxAge = COUNTER_MAX_AGE;
  } else {
    throw new Refused("presentation_challenge_mismatch");
  }
  if (!(kb.payload.iat >= now - maxAge && kb.payload.iat <= now + CLOCK_SKEW)) throw new Refused("presentation_stale");
  const key = `${kb.payload.aud}\u0000${kb.payload.nonce}`;
  if (seen()[key]) throw new Refused("presentation_replayed");
  if (await statusBit(c, (issued.payload.status || {}).status_list)) throw new Refused("credential_revoked");
  remember(key, (kb.payload.iat + maxAge + CLOCK_SKEW) * 1000);
  if (kb.payload.aud === audience) newChallenge();  // a challenge is used once
  return { claims, vct: issued.payload.vct, exp: issued.payload.exp, presentedAt: kb.payload.iat, fetchedAt: c.fetchedAt };
}

function refusedCard(code, message) {
  return `<div class="card" id="verify-failed" data-code="${esc(code)}"><h2>核验未通过</h2>
    <p class="error">${esc(REASONS[code] || message || "核验失败")}</p><p class="muted">错误码：${esc(code)}</p></div>`;
}

function okCard(mode, typeName, claims, note) {
  return `<div class="card" id="verify-ok" data-mode="${esc(mode)}"><h2>核验通过 <span class="badge valid">真实有效</span></h2>
    <div class="row"><span>证照</span><span id="cert-type">${esc(typeName)}</span></div>
    ${Object.entries(claims).map(([k, v]) => `<div class="row claim" data-claim="${esc(k)}"><span>${esc(label(k))}</span><span>${esc(v === true ? "是" : v === false ? "否" : v)}</span></div>`).join("")}
    <p class="muted">${note}</p></div>`;
}

const TYPE_NAMES = { "yss:resident_id_card": "居民身份证", "yss:driving_licence": "机动车驾驶证",
  "yss:social_security_card": "社会保障卡", "yss:residence_permit": "居住证" };

// Nothing to check yet: say what to do, before anything is sent or verified.
function missing(presentation) {
  const hint = document.getElementById("input-hint");
  hint.innerHTML = presentation ? "" : '<div class="error" id="empty-input">请先扫描亮证码，或粘贴亮证码文字或截图</div>';
  if (!presentation) document.getElementById("result").innerHTML = "";
  return !presentation;
}

async function check() {
  const out = document.getElementById("result");
  const presentation = document.getElementById("presentation").value.trim();
  if (missing(presentation)) return;
  try {
    const r = await verifyOffline(presentation);
    out.innerHTML = okCard("offline", TYPE_NAMES[r.vct] || r.vct, r.claims,
      `离线核验 · 出示于 ${fmtDate(new Date(r.presentedAt * 1000).toISOString())} · 状态列表更新于 ${fmtDate(new Date(r.fetchedAt).toISOString())}`);
  } catch (error) {
    out.innerHTML = refusedCard(error.code || "presentation_malformed");
  }
}

async function checkOnline() {
  const out = document.getElementById("result");
  const presentation = document.getElementById("presentation").value.trim();
  if (missing(presentation)) return;
  let aud;
  try { aud = splitJws(presentation.slice(presentation.lastIndexOf("~") + 1)).payload.aud; } catch { aud = null; }
  const body = { presentation };
  if (aud === audience && challenge) Object.assign(body, { audience, nonce: challenge.nonce });
  const res = await fetch("/api/v1/verify", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body) });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) { out.innerHTML = refusedCard(data.code, data.message); return; }
  out.innerHTML = okCard("online", data.certificate_type_name, { ...data.claims, ...data.derived },
    `联网核验 · 当前状态：${esc(data.status_label)} · 签发机关 ${esc(data.issuer)}`);
}

// The camera, decoded with jsQR (npm) on canvas frames. Not BarcodeDetector: its rawValue is text, and
// the QR carries zlib bytes (Linux Chromium has no BarcodeDetector anyway). A QR of plain text works too.
// The text of a QR found in RGBA pixels: the wallet's QR carries zlib bytes, a plain-text QR its text.
async function decodePixels(data, width, height, inversionAttempts = "dontInvert") {
  const found = window.jsQR(data, width, height, { inversionAttempts });
  if (!found) return null;
  const bytes = Uint8Array.from(found.binaryData);
  return bytes[0] === 0x78 ? new TextDecoder().decode(await inflate(bytes)) : found.data;
}

// A screenshot or photo of the QR (chosen or pasted), decoded here like a camera frame.
async function scanImage(blob) {
  const hint = document.getElementById("input-hint");
  hint.innerHTML = '<div class="muted" id="decoding">正在识别图片中的亮证码…</div>';
  let text = null;
  try {
    const image = await createImageBitmap(blob);
    const scale = Math.min(1, 1600 / Math.max(image.width, image.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(image.width * scale); canvas.height = Math.round(image.height * scale);
    const g = canvas.getContext("2d", { willReadFrequently: true });
    g.fillStyle = "#fff"; g.fillRect(0, 0, canvas.width, canvas.height); // a transparent PNG reads as white
    g.drawImage(image, 0, 0, canvas.width, canvas.height);
    text = await decodePixels(g.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height,
      "attemptBoth");
  } catch { text = null; }
  if (!text) { hint.innerHTML = '<div class="error" id="no-qr">图片中没有识别到亮证码，请换一张清晰、完整的截图</div>'; return; }
  hint.innerHTML = "";
  document.getElementById("presentation").value = text;
  document.getElementById("scan").dataset.decoder = "jsQR";
  await check();
}

async function scan() {
  const video = document.getElementById("camera");
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment", width: 1280 } });
  video.srcObject = stream;
  video.style.display = "block";
  await video.play();
  const canvas = document.createElement("canvas");
  const g = canvas.getContext("2d", { willReadFrequently: true });
  const detect = async () => {
    canvas.width = video.videoWidth; canvas.height = video.videoHeight;
    if (!canvas.width) return null;
    g.drawImage(video, 0, 0);
    return decodePixels(g.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
  };
  document.getElementById("scan").dataset.decoder = "jsQR";
  for (;;) {
    const text = await detect();
    if (text) {
      stream.getTracks().forEach((t) => t.stop());
      video.style.display = "none";
      document.getElementById("presentation").value = text;
      await check();
      return;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

document.getElementById("verify").onclick = check;
document.getElementById("verify-online").onclick = checkOnline;
document.getElementById("new-challenge").onclick = newChallenge;
document.getElementById("refresh").onclick = () => refresh("no-cache").catch(() => {
  document.getElementById("freshness").textContent = "无法联网更新，仍使用上次下载的";
});
document.getElementById("scan").onclick = () => {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    document.getElementById("input-hint").innerHTML = '<div class="error" id="no-camera">本设备无法使用摄像头，请选择或粘贴亮证码截图</div>';
    return;
  }
  scan().catch(() => {
    document.getElementById("input-hint").innerHTML = '<div class="error" id="no-camera">无法打开摄像头（未授权或没有摄像头），请选择或粘贴亮证码截图</div>';
  });
};
document.getElementById("qr-file").onchange = (e) => { const file = e.target.files[0]; e.target.value = ""; if (file) scanImage(file); };
document.getElementById("presentation").addEventListener("paste", (e) => {
  const image = [...(e.clipboardData ? e.clipboardData.items : [])].find((i) => i.type.startsWith("image/"));
  if (image) { e.preventDefault(); scanImage(image.getAsFile()); }
});
document.getElementById("presentation").addEventListener("input", () => { document.getElementById("input-hint").innerHTML = ""; });
newChallenge();
showFreshness();
if (navigator.onLine) refresh().catch(showFreshness);
setInterval(showFreshness, 30000);
