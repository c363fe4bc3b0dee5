// Logging in to a department app with yss: the consent page (which app, which department, each
// claim with its purpose and source; optional claims can be declined) and 我的授权 (list, revoke).
import { esc, fmtDate, act, pager, pageParam, withPage } from "/shared/api.js";
import { ctx } from "/app/app.js";

const LEVELS = ["微信登录", "绑定手机号", "实名认证", "人脸识别"];
const RETURN_KEY = "yss-return";

function fail(el, error) {
  el.innerHTML = `<div class="error" data-code="${esc(error.code || "")}">${esc(error.message)}</div>`;
}

async function answer(path, body) {
  const { redirect_to } = await ctx.api.post(path, body);
  sessionStorage.removeItem(RETURN_KEY);
  location.href = redirect_to; // back to the department app, with a code or error=access_denied
}

export const consentRoutes = {
  async consent(requestId) {
    const req = await ctx.api.get(`/me/oidc-requests/${encodeURIComponent(requestId)}`);
    const base = `/me/oidc-requests/${encodeURIComponent(requestId)}`;
    const head = `<div><span class="badge level" id="consent-logo">${esc(req.logo_text)}</span>
      <h2 id="consent-client">${esc(req.client_name)}</h2><div class="muted" id="consent-department">${esc(req.department)}</div></div>`;
    if (!req.level_met) {
      sessionStorage.setItem(RETURN_KEY, `#/consent/${requestId}`);
      ctx.view.innerHTML = `<div class="card">${head}
        <p id="consent-level">该应用要求先完成<strong>${LEVELS[req.required_level]}（L${req.required_level}）</strong>，您当前为 L${req.current_level}。完成后点“返回授权页”回到这里。</p>
        <a class="btn block" id="consent-verify" href="#/verify">去完成认证</a>
        <button class="block ghost" id="consent-deny">不登录，返回应用</button><div id="err"></div></div>`;
    } else {
      ctx.view.innerHTML = `<div class="card">${head}<p class="muted">申请使用粤省事登录，并获取以下信息：</p>
        <div class="checks" id="consent-claims">${req.claims.map((c) => `
          <label class="consent-claim" data-claim="${esc(c.name)}"><input type="checkbox" name="claim" value="${esc(c.name)}" checked ${c.optional ? "" : "disabled"}>
            <span><strong>${esc(c.label)}</strong>${c.optional ? ' <span class="muted">（可选）</span>' : ' <span class="badge">必需</span>'}
            <div class="muted">用途：${esc(c.purpose)}</div><div class="muted">来源：${esc(c.source)}</div></span></label>`).join("") || '<p class="muted">仅确认您的身份，不获取其他信息</p>'}</div>
        <p class="muted">您可以随时在“我的授权”中撤销。每次提供都会记录在“谁查看了我的数据”。</p>
        <button class="block" id="consent-approve">同意并登录</button>
        <button class="block ghost" id="consent-deny">拒绝</button><div id="err"></div></div>`;
      document.getElementById("consent-approve").onclick = async () => {
        const claims = [...document.querySelectorAll("input[name=claim]:checked")].map((i) => i.value);
        try { await answer(`${base}/approval`, { claims }); } catch (error) { fail(document.getElementById("err"), error); }
      };
    }
    document.getElementById("consent-deny").onclick = async () => {
      try { await answer(`${base}/denial`); } catch (error) { fail(document.getElementById("err"), error); }
    };
  },

  async authorizations() {
    const list = await ctx.api.get(withPage("/me/authorizations", pageParam()));
    const items = Array.isArray(list) ? list : list.items || [];
    ctx.view.innerHTML = `<div class="card"><h2>我的授权</h2><p class="muted">用粤省事登录过的部门应用，以及您同意提供的信息。</p>
      ${items.length ? items.map((a) => `
      <div class="row authorization" data-client="${esc(a.client_id)}"><div><div>${esc(a.client_name)}</div>
        <div class="muted">${esc(a.department)}</div>
        <div class="muted">已提供：${esc(a.claim_labels.join("、") || "仅身份")}${a.declined_labels.length ? `；已拒绝：${esc(a.declined_labels.join("、"))}` : ""}</div>
        <div class="muted">授权于 ${fmtDate(a.granted_at)}</div></div>
        <button class="danger revoke" data-client="${esc(a.client_id)}">撤销</button></div>`).join("") : '<p class="muted" id="no-authorizations">暂无授权</p>'}
      ${pager(list, "#/authorizations")}<div id="err"></div></div>`;
    document.querySelectorAll("button.revoke").forEach((b) => b.onclick = async () => {
      const done = await act(b, document.getElementById("err"),
        () => ctx.api.del(`/me/authorizations/${encodeURIComponent(b.dataset.client)}`), "已撤销授权");
      if (done.ok) consentRoutes.authorizations();
    });
  },
};

// After a missing verification step, go back to the consent request that asked for it.
export function pendingReturn() {
  return sessionStorage.getItem(RETURN_KEY);
}
