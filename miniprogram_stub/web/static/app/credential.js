// 亮证 with an SD-JWT credential held on this device. The device key is an ES256 (P-256) key made
// here with WebCrypto, non-extractable, kept in IndexedDB; its public half is registered when the
// credential is issued (a new device, or cleared storage, re-issues). Showing builds the
// presentation here — the chosen disclosures and a KB-JWT — and draws the QR here: no server call.
import { esc, fmtDate } from "/shared/api.js";
import { COUNTER_AUDIENCE, COUNTER_MAX_AGE, CHALLENGE_MAX_AGE, deflate, randomB64, sha256b64, signEs256, jsonOf }
  from "/shared/sdjwt.js";
import { ctx } from "/app/app.js";

// Loaded when the show page opens (online), so drawing the QR later needs no network; a dynamic import,
// so the rest of the app still runs where the npm packages are missing.
let qrcode = null;
const loadQrcode = async () => { qrcode ??= (await import("/vendor/qrcode.mjs")).default; };

function keyStore() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open("yss-wallet", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("keys");
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function idb(mode, fn) {
  const db = await keyStore();
  return new Promise((resolve, reject) => {
    const request = fn(db.transaction("keys", mode).objectStore("keys"));
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// The device key pair: made once, the private key never extractable (CryptoKey objects are stored as such).
export async function deviceKey() {
  let pair = await idb("readonly", (s) => s.get("device"));
  if (!pair) {
    pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
    await idb("readwrite", (s) => s.put(pair, "device"));
  }
  const jwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
  return { privateKey: pair.privateKey, jwk: { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y } };
}

const stored = (id) => JSON.parse(localStorage.getItem(`yss-credential-${id}`) || "null");

// The credential for this certificate on this device, asking yss for one when there is none, it is for
// another device key, or it has less than a day left.
export async function ensureCredential(api, id) {
  const device = await deviceKey();
  let credential = stored(id);
  const cnf = credential && jsonOf(credential.sd_jwt.split("~")[0].split(".")[1]).cnf.jwk;
  const fresh = credential && new Date(credential.expires_at).getTime() - Date.now() > 86400e3;
  if (!credential || !fresh || !credential.claims || cnf.x !== device.jwk.x || cnf.y !== device.jwk.y) {
    credential = await api.post(`/me/certificates/${id}/credential`, { device_key: device.jwk });
    localStorage.setItem(`yss-credential-${id}`, JSON.stringify(credential));
  }
  return { credential, device };
}

// The SD-JWT+KB presentation of the chosen claims. A challenge is the verifier's "audience nonce";
// without one it is the counter form: aud yss:counter and a nonce of our own, good for two minutes.
export async function present(credential, device, claims, challenge) {
  const issuerJwt = credential.sd_jwt.split("~")[0];
  const part = [issuerJwt, ...claims.map((c) => credential.disclosures[c])].join("~") + "~";
  const [aud, nonce] = challenge ? challenge : [COUNTER_AUDIENCE, randomB64(12)];
  const kb = await signEs256(device.privateKey, { alg: "ES256", typ: "kb+jwt" },
    { iat: Math.floor(Date.now() / 1000), aud, nonce, sd_hash: await sha256b64(part) });
  return { presentation: part + kb, maxAge: challenge ? CHALLENGE_MAX_AGE : COUNTER_MAX_AGE };
}

// The QR holds zlib(presentation) in byte mode (a "binary string": one char per byte, as the library reads it).
export function qrImage(bytes, width = 320) {
  const qr = qrcode(0, "L");
  qr.addData(String.fromCharCode(...bytes), "Byte");
  qr.make();
  const cell = Math.max(2, Math.floor(width / (qr.getModuleCount() + 8)));
  return { src: qr.createDataURL(cell, cell * 4), modules: qr.getModuleCount(), cell };
}

export const credentialRoutes = {
  async show(id) {
    const { api, view } = ctx;
    view.innerHTML = '<div class="card"><p class="muted">正在准备电子证照凭证…</p></div>';
    const [{ credential, device }] = await Promise.all([ensureCredential(api, id), loadQrcode()]);
    // The claims as yss lists them: labelled, in the certificate type's order, derived ones apart.
    const box = (c) => `<label><input type="checkbox" name="claim" value="${esc(c.name)}">${esc(c.label)}</label>`;
    view.innerHTML = `<div class="card" id="credential" data-status-index="${credential.status_index}">
        <h2>亮证：${esc(credential.certificate_type_name || "")}</h2>
        <p class="muted">凭证保存在本机，与本机密钥绑定，有效至 ${fmtDate(credential.expires_at)}。出示时不联网，
          所选以外的信息不会离开您的手机。</p>
        <div class="checks" id="claims-own">${credential.claims.filter((c) => !c.derived).map(box).join("")}</div>
        <p class="muted">只出示结论，不出示具体信息：</p>
        <div class="checks" id="claims-derived">${credential.claims.filter((c) => c.derived).map(box).join("")}</div>
        <label>核验方挑战码（可选，柜台扫码可不填）</label><input id="challenge" placeholder="核验方标识 随机数">
        <button class="block" id="make">生成亮证码</button><div id="err"></div></div><div id="qr"></div>`;
    const make = document.getElementById("make");
    make.onclick = async () => {
      const err = document.getElementById("err");
      const claims = [...document.querySelectorAll("input[name=claim]:checked")].map((i) => i.value);
      if (!claims.length) { err.innerHTML = '<div class="error">请至少选择一项要出示的信息</div>'; return; }
      const typed = document.getElementById("challenge").value.trim().split(/\s+/).filter(Boolean);
      if (typed.length && typed.length !== 2) { err.innerHTML = '<div class="error">挑战码应为“核验方标识 随机数”</div>'; return; }
      err.innerHTML = "";
      make.disabled = true;
      make.classList.add("loading");
      make.textContent = "正在生成亮证码…";
      document.getElementById("qr").innerHTML = '<div class="card qr-progress" id="qr-progress" role="status"><p class="muted">正在本机签名并生成二维码…</p></div>';
      let built;
      const started = performance.now();
      try {
        const { presentation, maxAge } = await present(credential, device, claims, typed.length ? typed : null);
        const packed = await deflate(presentation);
        built = { presentation, maxAge, packed, image: qrImage(packed) };
      } catch (error) {
        document.getElementById("qr").innerHTML = "";
        err.innerHTML = `<div class="error">生成亮证码失败：${esc(error.message)}</div>`;
        return;
      } finally {
        make.disabled = false;
        make.classList.remove("loading");
        make.textContent = "重新生成亮证码";
      }
      const { presentation, maxAge, packed, image } = built;
      const ms = performance.now() - started;
      const until = Date.now() + maxAge * 1000;
      // The QR and its countdown together, sized to fit a phone screen under the header and tabs.
      document.getElementById("qr").innerHTML = `<div class="card"><div id="qr-shown"><img class="qr" id="qr-image" alt="亮证二维码"
          style="width:auto;height:auto;max-width:100%;max-height:calc(100vh - 190px)" src="${image.src}" data-modules="${image.modules}" data-build-ms="${ms.toFixed(1)}" data-bytes="${packed.length}" data-text-bytes="${presentation.length}">
        <div class="countdown" id="countdown"></div></div>
        <p class="muted">${typed.length ? "为该核验方生成" : "柜台扫码：仅可核验一次"} · 二维码 ${packed.length} 字节 ·
          本机生成用时 ${ms.toFixed(0)} ms。仅本人现场出示有效。</p>
        <pre class="payload" id="presentation">${esc(presentation)}</pre></div>`;
      const tick = () => {
        const left = Math.max(0, Math.round((until - Date.now()) / 1000));
        const el = document.getElementById("countdown");
        if (!el) return;
        el.textContent = left ? `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")} 后失效` : "已失效，请重新生成";
        if (left) setTimeout(tick, 1000);
      };
      tick();
      const shown = document.getElementById("qr-shown");
      const scroll = () => shown.scrollIntoView({ block: "center" });
      const img = document.getElementById("qr-image");
      if (img.complete) scroll(); else img.addEventListener("load", scroll, { once: true });
    };
  },
};
