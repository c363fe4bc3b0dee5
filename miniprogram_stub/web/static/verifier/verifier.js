import { esc, fmtDate } from "/shared/api.js";

const LABELS = { name: "姓名", number: "证件号码", issued_on: "签发日期", expires_on: "有效期至", birth_date: "出生日期",
  sex: "性别", age_over_18: "年满18周岁", valid_on_date: "今日有效" };
const REASONS = {
  show_signature_invalid: "签名无效：亮证码被篡改或不是本平台签发",
  show_expired: "亮证码已过期，请持证人重新生成",
  certificate_revoked: "该证照已被撤销",
  certificate_expired: "该证照已过期",
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
    <div class="row"><span>证照</span><span id="cert-type">${esc(body.certificate_type_name)}</span></div>
    <div class="row"><span>当前状态</span><span>${esc(body.status_label || body.status)}</span></div>
    <div class="row"><span>签发机关</span><span>${esc(body.issuer || "")}</span></div>
    ${Object.entries(claims).map(([k, v]) => `<div class="row claim" data-claim="${esc(k)}"><span>${esc(LABELS[k] || k)}</span><span>${esc(v === true ? "是" : v === false ? "否" : v)}</span></div>`).join("")}
    <p class="muted">出示时间 ${fmtDate(body.shown_at)} · 亮证码有效至 ${fmtDate(body.expires_at)}</p></div>`;
};
