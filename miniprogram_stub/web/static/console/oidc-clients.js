// Admins: the department apps registered to log residents in with yss (`flask oidc register-client`).
import { esc, fmtDate } from "/shared/api.js";

const LEVELS = ["L0 微信登录", "L1 绑定手机号", "L2 实名认证", "L3 人脸识别"];

export function oidcClientRoutes(api, view) {
  return {
    async "oidc-clients"() {
      const data = await api.get("/staff/oidc-clients");
      const items = Array.isArray(data) ? data : (data && data.items) || [];
      view.innerHTML = `<div class="card"><h2>已登记的部门应用</h2>
        <p class="muted">用 <code>flask oidc register-client</code> 登记；密钥只在登记时显示一次。</p>${items.map((c) => `
        <div class="card oidc-client" data-client="${esc(c.client_id)}"><div class="row"><strong>${esc(c.name)}</strong>
          <span class="badge">${c.public ? "公开客户端" : "机密客户端"}</span></div>
          <div class="muted">${esc(c.department)} · ${esc(c.client_id)} · 最低 ${LEVELS[c.min_level]} · 登记于 ${fmtDate(c.created_at)}</div>
          <div class="muted">回调：${c.redirect_uris.map(esc).join("，")}</div>
          ${c.claims.map((k) => `<div class="row"><span>${esc(k.label)}${k.optional ? "（可选）" : ""}</span><span class="muted">${esc(k.purpose)}</span></div>`).join("")}
        </div>`).join("") || '<p class="muted">尚未登记</p>'}</div>`;
    },
  };
}
