// Staff console, 办件: the department's application queue (state, service, overdue) and, beside it, the
// case (applicant data, form with sources, materials, timeline) offering only the actions its state allows.
import { esc, fmtDate, act } from "/shared/api.js";
import { panes, markCurrent, pager } from "/console/desk.js";

const STATES = { submitted: "待受理", accepted: "已受理", not_accepted: "不予受理", in_review: "审查中",
  supplement_requested: "待补正", approved: "已批准", rejected: "不予批准", completed: "已办结", withdrawn: "已撤回" };
const EVENTS = { created: "申请人创建草稿", rated: "申请人评价", rule_not_met: "未满足秒批规则，转人工", submitted: "申请人提交", accepted: "受理", not_accepted: "不予受理", in_review: "开始审查",
  supplement_requested: "要求补正", resubmitted: "申请人已补正", approved: "批准", rejected: "不予批准",
  completed: "办结", withdrawn: "申请人撤回", decided_by_rule: "秒批" };
// Each step staff may take: its label, endpoint, body, and whether the opinion box must be filled.
// Which of them a case offers comes from the API (the case's allowed_actions, from the lifecycle).
const ACTIONS = {
  accept: { label: "受理", body: (t) => ({ opinion: t || null }) },
  refuse: { label: "不予受理", body: (t) => ({ reason: t }), needs: true, danger: true },
  review: { label: "开始审查", body: (t) => ({ opinion: t || null }) },
  request_supplement: { label: "要求补正", path: "supplement", needs: true, ghost: true,
    body: (t) => ({ message: t, fields: checked("supplement-field"), materials: checked("supplement-material") }) },
  approve: { label: "批准", body: (t) => ({ opinion: t }), needs: true },
  reject: { label: "不予批准", body: (t) => ({ reason: t }), needs: true, danger: true },
};
const IDLE = { completed: "已办结", not_accepted: "不予受理", withdrawn: "申请人已撤回",
  supplement_requested: "等待申请人补正（承诺时限暂停计时）" };
const list = (data) => (Array.isArray(data) ? data : (data && data.items) || []);
const el = (id) => document.getElementById(id);
const checked = (name) => [...document.querySelectorAll(`input[name=${name}]:checked`)].map((i) => i.value);
const loading = (view) => { view.innerHTML = '<div class="card muted" id="loading">加载中…</div>'; };

function dueBadge(a) {
  if (a.overdue) return '<span class="badge expired">已超期</span>';
  if (a.due_soon) return '<span class="badge expiring">即将到期</span>';
  if (a.paused) return '<span class="badge expiring">补正暂停</span>';
  return a.due_at ? '<span class="badge valid">期限内</span>' : "";
}

function eventLine(e) {
  const d = e.details || {};
  const why = [d.opinion, d.reason, d.message, d.explain].filter(Boolean).map(esc).join("；");
  return `<div class="row case-event" data-kind="${esc(e.kind)}"><div><div>${esc(EVENTS[e.kind] || e.kind)}</div>
    <div class="muted">${esc(e.actor || "")}${why ? " · " + why : ""}</div></div><span class="muted">${fmtDate(e.at)}</span></div>`;
}

export function applicationRoutes(api, view) {
  let page = 1;
  async function renderQueue(pane, current) {
    const params = new URLSearchParams(location.hash.split("?")[1] || "");
    if (!pane.innerHTML.trim() || !pane.querySelector("#queue")) pane.innerHTML = '<div class="card muted" id="loading">加载中…</div>';
    const query = new URLSearchParams(params);
    query.set("page", String(page));
    const [queue, services] = await Promise.all([api.get(`/staff/applications?${query}`), api.get("/services")]);
    const state = params.get("state") || "";
    const service = params.get("service_code") || "";
    const paging = pager(queue, (n) => { page = n; renderQueue(pane, current); });
    pane.innerHTML = `<div class="card"><h2>办件队列</h2>
      <div class="filters">
        <select id="app-state" aria-label="按状态筛选"><option value="">全部状态</option>${Object.entries(STATES).map(([k, v]) => `<option value="${k}" ${k === state ? "selected" : ""}>${v}</option>`).join("")}</select>
        <select id="app-service" aria-label="按事项筛选"><option value="">全部事项</option>${list(services).map((s) => `<option value="${esc(s.code)}" ${s.code === service ? "selected" : ""}>${esc(s.name)}</option>`).join("")}</select>
        <label class="inline"><input type="checkbox" id="app-overdue" ${params.get("overdue") === "true" ? "checked" : ""}>只看超期</label></div>
      <table id="queue"><tr><th>办件</th><th>状态</th><th>承诺办结</th><th></th></tr>
      ${list(queue).map((a) => `<tr class="application-item" data-id="${a.id}" data-state="${esc(a.state)}">
        <td>${esc(a.number)}<div class="muted">${esc(a.service_name)} · 提交 ${fmtDate(a.submitted_at)}</div></td>
        <td>${esc(a.state_name || STATES[a.state] || a.state)}</td>
        <td>${a.due_at ? fmtDate(a.due_at) : "—"} ${dueBadge(a)}</td>
        <td><a class="btn" href="#/case/${a.id}">办理</a></td></tr>`).join("")}</table>
      ${list(queue).length ? "" : '<p class="muted" id="queue-empty">队列为空</p>'}${paging.html}</div>`;
    paging.bind(pane);
    const refilter = () => {
      const next = new URLSearchParams();
      if (el("app-state").value) next.set("state", el("app-state").value);
      if (el("app-service").value) next.set("service_code", el("app-service").value);
      if (el("app-overdue").checked) next.set("overdue", "true");
      page = 1;
      location.hash = `#/applications?${next}`;
    };
    ["app-state", "app-service", "app-overdue"].forEach((id) => { el(id).onchange = refilter; });
    if (current) markCurrent(pane, ".application-item", current);
  }

  const routes = {
    async applications() {
      await renderQueue(panes(view, "applications").list);
    },

    // Supervisors: running cases past their promised deadline or due within two working days.
    async deadlines() {
      loading(view);
      const watch = list(await api.get("/staff/application-deadlines"));
      view.innerHTML = `<div class="card"><h2>办件时限监控（已超期与即将到期）</h2>
        <table id="deadline-watch"><tr><th>办件编号</th><th>事项</th><th>状态</th><th>承诺办结</th><th></th></tr>
        ${watch.map((a) => `<tr class="deadline-item" data-id="${a.id}"><td>${esc(a.number)}</td><td>${esc(a.service_name)}</td>
          <td>${esc(a.state_name || STATES[a.state] || a.state)}</td><td>${fmtDate(a.due_at)} ${dueBadge(a)}</td>
          <td><a class="btn" href="#/case/${a.id}">办理</a></td></tr>`).join("")}</table>
        ${watch.length ? "" : '<p class="muted">没有超期或即将到期的办件</p>'}</div>`;
    },

    async case(id) {
      const { list: pane, detail } = panes(view, "applications");
      if (!pane.querySelector("#queue")) renderQueue(pane, id).catch(() => {});
      else markCurrent(pane, ".application-item", id);
      loading(detail);
      const { application: a, applicant, events, allowed_actions: allowed } = await api.get(`/staff/applications/${id}`);
      const actions = (allowed || []).filter((k) => ACTIONS[k]).map((k) => [k, ACTIONS[k]]);
      const d = a.deadline || {};
      detail.innerHTML = `<div class="case-grid">
        <div class="card wide"><h2>${esc(a.number)} ${esc(a.service_name)}</h2>
          <div class="muted">状态 <span id="case-state" data-state="${esc(a.state)}">${esc(a.state_name || STATES[a.state] || a.state)}</span>
            · 提交 ${fmtDate(a.submitted_at)} · 承诺时限 ${esc(d.promised_days)} 个工作日${d.due_at ? `，办结期限 ${fmtDate(d.due_at)}` : ""}
            ${d.paused ? `（补正暂停，剩余 ${esc(d.remaining_days)} 个工作日）` : ""} ${d.overdue ? '<span class="badge expired">已超期</span>' : ""}</div>
          <p class="muted">本次查看已记入申请人的“谁看了我的数据”。</p></div>
        <div class="card"><h2>申请人</h2>
          <div class="row"><span>姓名</span><span id="applicant-name">${esc(applicant.name || "—")}</span></div>
          <div class="row"><span>证件号码</span><span>${esc(applicant.id_number || "—")}</span></div>
          <div class="row"><span>联系电话</span><span>${esc(applicant.phone || "—")}</span></div>
          ${a.entity_uscc ? `<div class="row"><span>企业</span><span>${esc(a.entity_uscc)}</span></div>` : ""}
          <div class="row"><span>自动填写 / 申请人填写</span><span>${esc(a.prefilled_count)} / ${esc(a.typed_count)}</span></div></div>
        <div class="card"><h2>办理</h2>
          ${actions.length ? `<textarea id="opinion" placeholder="办理意见（不予受理、补正、批准、不予批准须填写）"></textarea>
          ${actions.some(([k]) => k === "request_supplement") ? `<details><summary class="muted">补正：勾选需补正的项目</summary><div class="checks">
            ${(a.fields || []).filter((f) => f.editable).map((f) => `<label><input type="checkbox" name="supplement-field" value="${esc(f.key)}">${esc(f.label)}</label>`).join("")}
            ${(a.materials || []).map((m) => `<label><input type="checkbox" name="supplement-material" value="${esc(m.code)}">${esc(m.name)}</label>`).join("")}</div></details>` : ""}
          <div class="case-actions">${actions.map(([k, x]) => `<button class="${x.danger ? "danger" : x.ghost ? "ghost" : ""}" data-action="${k}">${esc(x.label)}</button>`).join("")}</div>`
          : `<p class="muted" id="no-actions">${IDLE[a.state] || "当前状态无需办理"}${a.decision_reason ? "：" + esc(a.decision_reason) : ""}</p>`}
          <div id="err"></div></div>
        <div class="card"><h2>申请表</h2><table id="case-fields"><tr><th>项目</th><th>内容</th><th>来源</th></tr>
          ${(a.fields || []).map((f) => `<tr data-field="${esc(f.key)}"><td>${esc(f.label)}</td><td>${esc(f.value ?? "")}</td>
          <td class="muted">${esc(f.source_label || "申请人填写")}</td></tr>`).join("")}</table></div>
        <div class="card"><h2>材料</h2>${(a.materials || []).map((m) => `<div class="row case-material" data-material="${esc(m.code)}"><span>${esc(m.name)}</span>
          <span class="muted">${m.certificate_id ? `电子证照引用 #${m.certificate_id}（免提交）` : m.licence_id ? `许可证引用 #${m.licence_id}`
            : m.upload_id ? `<a href="#" data-upload="${m.upload_id}">${esc(m.file_name || "上传文件")}</a>` : esc(m.note || (m.satisfied ? "已核验" : "未提供"))}</span></div>`).join("") || '<p class="muted">无</p>'}</div>
        <div class="card"><h2>办理记录</h2>${list(events).map(eventLine).join("") || '<p class="muted">暂无</p>'}</div></div>`;
      document.querySelectorAll("[data-upload]").forEach((link) => link.onclick = async (event) => {
        event.preventDefault(); // the file needs the staff token, so it is fetched and opened as a blob
        const res = await fetch(`/api/v1/staff/applications/${id}/uploads/${link.dataset.upload}`,
          { headers: { Authorization: `Bearer ${api.tokens().access_token}` } });
        if (!res.ok) { el("err").innerHTML = '<div class="error">文件读取失败</div>'; return; }
        window.open(URL.createObjectURL(await res.blob()), "_blank");
      });
      document.querySelectorAll("[data-action]").forEach((b) => b.onclick = async () => {
        const x = ACTIONS[b.dataset.action];
        const text = el("opinion").value.trim();
        if (x.needs && !text) { el("err").innerHTML = '<div class="error">请填写办理意见</div>'; return; }
        const done = await act(b, el("err"), () => api.post(`/staff/applications/${id}/${x.path || b.dataset.action}`, x.body(text)),
          `已${x.label}`);
        if (done.ok) { await routes.case(id); renderQueue(pane, id).catch(() => {}); }
      });
    },
  };
  return routes;
}
