import { esc, fmtDate } from "/shared/api.js";

const REASONS = {
  show_signature_invalid: "签名无效：亮证码被篡改或不是本平台签发",
  show_expired: "亮证码已过期，请持证人重新生成",
  certificate_revoked: "该证照已被撤销",
  show_malformed: "无法识别的亮证码",
};

document.getElementById("verify").onclick = async () => {
  const out = document.getElementById("result");
  const payload = document.getElementById("payload").value.trim();
  const res = await fetch("/api/v1/verify", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ payload }),
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    out.innerHTML = `<div class="card" id="verify-failed" data-code="${esc(body.code)}"><h2>核验未通过</h2>
      <p class="error">${esc(REASONS[body.code] || body.message || "核验失败")}</p><p class="muted">错误码：${esc(body.code)}</p></div>`;
    return;
  }
  const claims = { ...(body.claims || {}), ...(body.derived || {}) };
  out.innerHTML = `<div class="card" id="verify-ok"><h2>核验通过 <span class="badge valid">真实有效</span></h2>
    <div class="row"><span>证照</span><span>${esc(body.certificate_type_name || body.certificate_type || "")}</span></div>
    <div class="row"><span>签发机关</span><span>${esc(body.issuer || "")}</span></div>
    ${Object.entries(claims).map(([k, v]) => `<div class="row claim" data-claim="${esc(k)}"><span>${esc((body.labels || {})[k] || k)}</span><span>${esc(v === true ? "是" : v === false ? "否" : v)}</span></div>`).join("")}
    <p class="muted">出示时间 ${fmtDate(body.issued_at)} · 有效至 ${fmtDate(body.expires_at)}</p></div>`;
};
