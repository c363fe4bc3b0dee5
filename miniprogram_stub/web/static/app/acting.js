// 为谁办理: the resident chooses whom they act for (themself, a child under 18, or someone who granted
// them), and every call to an endpoint that supports acting then carries X-Acting-For. The choice is
// kept per tab; a banner says whom the pages are for. Also the pages to grant and end 代办授权.
import { esc, fmtDate, act } from "/shared/api.js";

const KEY = "yss-acting-for";
// The API's acting endpoints (OpenAPI: the X-Acting-For parameter); anything else is always "me".
const ACTING_PATHS = ["/me/certificates", "/applications", "/me/applications", "/tickets", "/me/notifications"];
const SCOPE_LABELS = { view_certificates: "查看证照", show_certificates: "出示证照（亮证）", apply_services: "代办事项",
  receive_reminders: "代收提醒", handle_tickets: "处理工单" };

export const actingFor = () => JSON.parse(sessionStorage.getItem(KEY) || "null");
// Someone without an account (a baby) has no inbox, applications or tickets: only certificates.
export const actingWithoutAccount = () => Boolean(actingFor() && !actingFor().has_account);
const covered = (path) => ACTING_PATHS.some((p) => path === p || path.startsWith(p + "/") || path.startsWith(p + "?"));

function banner() {
  let el = document.getElementById("acting-banner");
  if (!el) {
    el = document.createElement("div");
    el.id = "acting-banner";
    el.className = "card";
    el.setAttribute("role", "status");
    document.getElementById("view").before(el);
  }
  const who = actingFor();
  el.hidden = !who;
  el.innerHTML = who ? `正在为 <strong id="acting-name">${esc(who.name)}</strong> 办理 · <a href="#/acting">切换</a>` : "";
}

function choose(who) {
  if (who) sessionStorage.setItem(KEY, JSON.stringify(who)); else sessionStorage.removeItem(KEY);
  banner();
}

export function installActing(api) {
  api.setHeaders((path) => {
    const who = actingFor();
    return who && covered(path) ? { "X-Acting-For": who.ref } : {};
  });
  banner();
}

export function actingRoutes(ctx) {
  return {
    async acting() {
      const people = await ctx.api.get("/me/acting-for");
      const current = actingFor();
      ctx.view.innerHTML = `<div class="card"><h2>为谁办理</h2>
        <p class="muted">为子女（未满18周岁）或授权您的家人办理：查看、出示证照，办事，工单，代收提醒。每一次代办都会记在对方的“谁查看了我的数据”中。</p>
        <div class="row"><span>本人</span><button class="acting-choice" data-ref="" ${current ? "" : "disabled"}>${current ? "切换" : "当前"}</button></div>
        ${people.map((p) => `<div class="row acting-person" data-ref="${esc(p.ref)}"><div><div>${esc(p.name)}</div>
          <div class="muted">${esc(p.relation_label)} · ${p.relation === "guardian" ? "至 " + esc(p.until) + " 止" : "授权至 " + fmtDate(p.until)}</div>
          <div class="muted">${p.scopes.map((s) => esc(SCOPE_LABELS[s] || s)).join("、")}</div></div>
          <button class="acting-choice" data-ref="${esc(p.ref)}" ${current && current.ref === p.ref ? "disabled" : ""}>${current && current.ref === p.ref ? "当前" : "为其办理"}</button></div>`).join("")}
        ${people.length ? "" : '<p class="muted" id="acting-none">暂无可代办的人员</p>'}
        <a class="btn block ghost" href="#/proxy-grants" id="to-proxy-grants">代办授权管理</a></div>`;
      ctx.view.querySelectorAll(".acting-choice").forEach((button) => {
        button.onclick = () => {
          const person = people.find((p) => p.ref === button.dataset.ref);
          choose(person ? { ref: person.ref, name: person.name, has_account: person.has_account } : null);
          location.hash = "#/home";
        };
      });
    },

    async "proxy-grants"() {
      const [made, held] = await Promise.all([ctx.api.get("/me/proxy-grants"), ctx.api.get("/me/proxy-grants/received")]);
      const row = (g) => `<div class="row proxy-grant" data-id="${g.id}" data-status="${esc(g.status)}"><div>
          <div>${esc(g.other_name)} <span class="muted">${esc(g.other_id_number)}</span></div>
          <div class="muted">${g.scopes.map((s) => esc(SCOPE_LABELS[s] || s)).join("、")} · 至 ${fmtDate(g.expires_at)}${g.recorded_by === "staff" ? " · 大厅登记" : ""}</div></div>
          ${g.status === "active" ? `<button class="danger end-grant" data-id="${g.id}">${g.side === "granted" ? "撤销" : "放弃"}</button>` : `<span class="muted">${g.status === "revoked" ? "已撤销" : "已过期"}</span>`}</div>`;
      const until = new Date(Date.now() + 365 * 86400e3).toISOString().slice(0, 10);
      ctx.view.innerHTML = `<div class="card"><h2>我授权的代办人</h2>${made.map(row).join("") || '<p class="muted">暂无</p>'}
        <h2>授权家人代办</h2><p class="muted">对方须已在本平台实名认证；有效期最长三年，您或对方可随时撤销。需要您已完成人脸识别（L3）。</p>
        <label for="pg-name">代办人姓名</label><input id="pg-name" autocomplete="off">
        <label for="pg-id">代办人身份证号</label><input id="pg-id" autocomplete="off">
        <fieldset><legend>授权范围</legend>${Object.entries(SCOPE_LABELS).map(([k, v]) => `
          <label><input type="checkbox" name="pg-scope" value="${k}"> ${esc(v)}</label>`).join("")}</fieldset>
        <label for="pg-until">有效期至</label><input id="pg-until" type="date" value="${until}">
        <button class="block" id="pg-create">授权</button><div id="pg-out"></div></div>
        <div class="card"><h2>授权我代办的人</h2>${held.map(row).join("") || '<p class="muted">暂无</p>'}</div>`;
      document.getElementById("pg-create").onclick = async (event) => {
        const scopes = [...ctx.view.querySelectorAll("input[name=pg-scope]:checked")].map((b) => b.value);
        const body = { grantee_name: document.getElementById("pg-name").value.trim(),
          grantee_id_number: document.getElementById("pg-id").value.trim(), scopes,
          expires_at: `${document.getElementById("pg-until").value}T23:59:59+08:00` };
        const done = await act(event.target, document.getElementById("pg-out"), () => ctx.api.post("/me/proxy-grants", body), "已授权");
        if (done.ok) this["proxy-grants"]();
      };
      ctx.view.querySelectorAll(".end-grant").forEach((button) => {
        button.onclick = async () => {
          const done = await act(button, null, () => ctx.api.del(`/me/proxy-grants/${button.dataset.id}`), "已撤销");
          if (done.ok) this["proxy-grants"]();
        };
      });
    },
  };
}
