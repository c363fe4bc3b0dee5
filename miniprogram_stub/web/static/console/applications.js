// Staff console, 办件: the department's application queue (state, service, overdue) and the case page
// (applicant data, form, materials, events) with only the actions the case's state allows.
import { esc, fmtDate, act } from "/shared/api.js";

const STATES = { submitted: "待受理", accepted: "已受理", refused: "不予受理", in_review: "审查中",
  supplement_requested: "待补正", approved: "已批准", rejected: "不予批准", completed: "已办结", withdrawn: "已撤回" };
const ACTIONS = { accept: "受理", refuse: "不予受理", request_supplement: "要求补正", approve: "批准", reject: "不予批准" };
const NEEDS_OPINION = ["refuse", "request_supplement", "reject"];
const list = (data) => (Array.isArray(data) ? data : (data && data.items) || []);
const el = (id) => document.getElementById(id);

function dueBadge(a) {
  if (a.overdue) return '<span class="badge expired">已超期</span>';
  if (a.due_soon) return '<span class="badge expiring">即将超期</span>';
  return a.due_on ? '<span class="badge valid">正常</span>' : "";
}

export function applicationRoutes(api, view) {
  const routes = {
    async applications() {
      const params = new URLSearchParams(location.hash.split("?")[1] || "");
      view.innerHTML = '<div class="card muted" id="loading">加载中…</div>';
      const [queue, services] = await Promise.all([
        api.get(`/staff/applications?${params}`), api.get("/services")]);
      const state = params.get("state") || "";
      const service = params.get("service") || "";
      view.innerHTML = `<div class="card"><h2>办件队列</h2>
        <div class="filters">
          <select id="app-state"><option value="">全部状态</option>${Object.entries(STATES).map(([k, v]) => `<option value="${k}" ${k === state ? "selected" : ""}>${v}</option>`).join("")}</select>
          <select id="app-service"><option value="">全部事项</option>${list(services).map((s) => `<option value="${esc(s.code)}" ${s.code === service ? "selected" : ""}>${esc(s.name)}</option>`).join("")}</select>
          <label class="inline"><input type="checkbox" id="app-overdue" ${params.get("overdue") === "true" ? "checked" : ""}>只看超期</label></div>
        ${list(queue).map((a) => `<div class="row application-item" data-id="${a.id}" data-state="${esc(a.state)}"><div><div>${esc(a.number)} ${esc(a.service.name)}</div>
          <div class="muted">${esc(a.applicant_name || "")} · ${esc(STATES[a.state] || a.state)} · 提交 ${fmtDate(a.submitted_at)}${a.due_on ? " · 承诺办结 " + esc(a.due_on) : ""}</div></div>
          <div>${dueBadge(a)} <a class="btn" href="#/case/${a.id}">办理</a></div></div>`).join("") || '<p class="muted">队列为空</p>'}</div>`;
      const refilter = () => {
        const next = new URLSearchParams();
        if (el("app-state").value) next.set("state", el("app-state").value);
        if (el("app-service").value) next.set("service", el("app-service").value);
        if (el("app-overdue").checked) next.set("overdue", "true");
        location.hash = `#/applications?${next}`;
      };
      ["app-state", "app-service", "app-overdue"].forEach((id) => { el(id).onchange = refilter; });
    },

    async case(id) {
      view.innerHTML = '<div class="card muted" id="loading">加载中…</div>';
      const [a, events] = await Promise.all([api.get(`/staff/applications/${id}`), api.get(`/staff/applications/${id}/events`)]);
      const actions = a.allowed_actions || [];
      view.innerHTML = `<div class="case-layout">
        <div class="card wide"><h2>${esc(a.number)} ${esc(a.service.name)}</h2>
          <div class="muted">状态 <span id="case-state" data-state="${esc(a.state)}">${esc(STATES[a.state] || a.state)}</span> · 提交 ${fmtDate(a.submitted_at)}
            ${a.due_on ? ` · 承诺办结 ${esc(a.due_on)}` : ""} ${dueBadge(a)}</div>
          <p class="muted">（打开本页已记入申请人的数据访问记录）</p></div>
        <div class="card"><h2>申请人</h2>
          <div class="row"><span>姓名</span><span id="applicant-name">${esc(a.applicant.name || "—")}</span></div>
          <div class="row"><span>证件号码</span><span>${esc(a.applicant.id_number || "—")}</span></div>
          ${a.applicant.entity ? `<div class="row"><span>企业</span><span>${esc(a.applicant.entity.name)}（${esc(a.applicant.entity.uscc)}）</span></div>` : ""}</div>
        <div class="card"><h2>申请表</h2><table id="case-fields"><tr><th>项目</th><th>内容</th><th>来源</th></tr>
          ${(a.fields || []).map((f) => `<tr data-field="${esc(f.name)}"><td>${esc(f.label)}</td><td>${esc(f.value ?? "")}</td>
          <td class="muted">${esc(f.source_label || (f.prefilled ? f.source : "申请人填写"))}</td></tr>`).join("")}</table></div>
        <div class="card"><h2>材料</h2>${(a.materials || []).map((m) => `<div class="row case-material" data-material="${esc(m.code)}"><span>${esc(m.name)}</span>
          <span class="muted">${m.attached ? esc(m.attached.kind === "upload" ? "上传：" + (m.attached.filename || "") : "电子证照：" + (m.attached.label || "")) + (m.attached.status ? `（${esc(m.attached.status)}）` : "") : "未提供"}</span></div>`).join("")}</div>
        <div class="card"><h2>办理</h2>
          ${actions.length ? `<textarea id="opinion" placeholder="办理意见（不予受理、补正、不予批准须填写）"></textarea>
          <div class="case-actions">${actions.map((k) => `<button class="${["refuse", "reject"].includes(k) ? "danger" : k === "request_supplement" ? "ghost" : ""}" data-action="${k}">${esc(ACTIONS[k] || k)}</button>`).join("")}</div>`
          : '<p class="muted" id="no-actions">当前状态无可办理操作</p>'}<div id="err"></div></div>
        <div class="card"><h2>办理记录</h2>${list(events).map((e) => `<div class="row case-event"><div><div>${esc(e.label || STATES[e.to_state] || e.kind)}</div>
          <div class="muted">${esc(e.actor || "")}${e.reason ? " · " + esc(e.reason) : ""}</div></div><span class="muted">${fmtDate(e.at)}</span></div>`).join("")}</div></div>`;
      document.querySelectorAll("[data-action]").forEach((b) => b.onclick = async () => {
        const opinion = el("opinion").value.trim();
        if (NEEDS_OPINION.includes(b.dataset.action) && !opinion) {
          el("err").innerHTML = '<div class="error">请填写办理意见</div>';
          return;
        }
        const done = await act(b, el("err"), () => api.post(`/staff/applications/${id}/transitions`,
          { action: b.dataset.action, opinion }), `已${ACTIONS[b.dataset.action]}`);
        if (done.ok) routes.case(id);
      });
    },
  };
  return routes;
}
