// Staff console, a desk application: password + TOTP login, department queues with the ticket open
// beside them (only the actions the API says it would accept), SLA watch, the ratings dashboard,
// rectification cases and (for admins) appeals of bad ratings; tabs by role. Staff tokens are kept
// apart from residents'.
import { makeApi, esc, toast, fmtDate, act } from "/shared/api.js";
import { applicationRoutes } from "/console/applications.js";
import { oidcClientRoutes } from "/console/oidc-clients.js";
import { panes, markCurrent, pager } from "/console/desk.js";
import { hallRoutes } from "/console/hall.js";

const api = makeApi("yss-staff");
const view = document.getElementById("view");
const STATES = { new: "新建", assigned: "已分派", in_progress: "办理中", awaiting_requester: "待补充", resolved: "已办结", closed: "已关闭" };
const KINDS = { consultation: "咨询", complaint: "投诉", suggestion: "建议", help: "求助" };
const STEPS = { start: "开始办理", await_requester: "请申请人补充", resume: "继续办理", resolve: "办结", close: "关闭" };
// The API labels each event (e.label); these stand in for an older answer without one.
const EVENTS = { opened: "提交工单", claim: "认领", assign: "分派", transfer: "转交", reopen: "重新打开", notice: "通知申请人",
  rated: "评价", rerated: "再评价", ...STEPS };
// The navigation: each tab with the lowest role that may open it (the API refuses the others). A new
// page adds its line here and its route below.
const RANK = { agent: 1, supervisor: 2, admin: 3 };
const TABS = [
  { tab: "queue", label: "工单队列" },
  { tab: "applications", label: "办件" },
  { tab: "deadlines", label: "办件时限", role: "supervisor" },
  { tab: "sla", label: "SLA 监控", role: "supervisor" },
  { tab: "ratings", label: "好差评", role: "supervisor" },
  { tab: "rectifications", label: "整改", role: "supervisor" },
  { tab: "appeals", label: "申诉审核", role: "admin" },
  { tab: "oidc-clients", label: "部门应用", role: "admin" },
  { tab: "hall", label: "服务大厅", only: "hall_officer" }, // a hall officer sees their hall and nothing else
];
// Where a case route belongs in the navigation.
const TAB_OF = { ticket: "queue", case: "applications" };
const GROUPS = { department: "按部门", service: "按事项", staff: "按工作人员", month: "按月份" };
const list = (data) => (Array.isArray(data) ? data : (data && data.items) || []);
let me = null;
let queuePage = 1;
let loginNotice = ""; // why the last session ended, shown on the login card
let renderSeq = 0; // a slower, older render must not overwrite a newer one

function fail(el, error) {
  el.innerHTML = `<div class="error" data-code="${esc(error.code || "")}">${esc(error.message)}</div>`;
}

function sla(t) {
  if (t.state === "resolved" || t.state === "closed") return `<span class="badge voided">${STATES[t.state]}</span>`;
  if (t.overdue) return '<span class="badge expired">已超期</span>';
  if (t.at_risk) return '<span class="badge expiring">即将超期</span>';
  return '<span class="badge valid">正常</span>';
}

const CASE_STATES = { open: ["整改中", "expiring"], appealed: ["申诉审核中", "expiring"], rectified: ["已整改", "valid"], voided: ["申诉成立", "voided"] };

function caseBadge(c) {
  const [text, cls] = c.state === "open" && c.overdue ? ["已超期", "expired"] : CASE_STATES[c.state] || [c.state, ""];
  return `<span class="badge ${cls}">${esc(text)}</span>`;
}

function appealLine(c) {
  if (!c.appeal) return "";
  const decided = c.appeal.decision ? `；${c.appeal.decision === "upheld" ? "成立" : "驳回"}：${esc(c.appeal.decision_note || "")}` : "";
  return `<div class="muted">申诉：${esc(c.appeal.reason)}（${esc(c.appeal.filed_by || "")}）${decided}</div>`;
}

// The ticket queue in the list pane: open work first, earliest deadline first (the API's order), paged.
async function renderQueue(pane, current) {
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  const state = params.get("state") || "";
  const page = Number(params.get("page") || queuePage || 1);
  const query = new URLSearchParams({ page: String(page), page_size: "20" });
  if (state) query.set("state", state);
  const tickets = await api.get(`/staff/tickets?${query}`);
  const paging = pager(tickets, (n) => { queuePage = n; renderQueue(pane, current); });
  pane.innerHTML = `<div class="card" id="queue-card"><h2>工单队列</h2>
    <select id="state-filter" aria-label="按状态筛选"><option value="">全部状态</option>${Object.entries(STATES).map(([k, v]) => `<option value="${k}" ${k === state ? "selected" : ""}>${v}</option>`).join("")}</select>
    ${list(tickets).map((t) => `<div class="row queue-item" data-id="${t.id}" data-state="${esc(t.state)}"><div><div class="title">#${t.id} ${esc(t.title)}</div>
      <div class="muted">${esc(KINDS[t.kind] || t.kind)} · ${esc(STATES[t.state] || t.state)} · ${esc(t.department.name)}</div>
      <div class="muted due">办结期限 ${fmtDate(t.resolution_due)}</div></div>
      <div>${sla(t)} <a class="btn" href="#/ticket/${t.id}">处理</a></div></div>`).join("") || '<p class="muted">队列为空</p>'}
    ${paging.html}</div>`;
  paging.bind(pane);
  pane.querySelectorAll(".queue-item").forEach((item) => { item.onclick = (e) => { if (!e.target.closest("a")) location.hash = `#/ticket/${item.dataset.id}`; }; });
  pane.querySelector("#state-filter").onchange = (e) => { queuePage = 1; location.hash = `#/queue?state=${e.target.value}`; };
  if (current) markCurrent(pane, ".queue-item", current);
}

const routes = {
  async login() {
    view.innerHTML = `<div class="card"><h2>工作人员登录</h2>
      <label for="username">用户名</label><input id="username" autocomplete="username">
      <label for="password">密码</label><input id="password" type="password" autocomplete="current-password">
      <label for="totp">动态验证码（TOTP）</label><input id="totp" inputmode="numeric" maxlength="6">
      <button class="block" id="login">登录</button><div id="err">${loginNotice ? `<div class="error">${esc(loginNotice)}</div>` : ""}</div></div>`;
    document.getElementById("login").onclick = async () => {
      try {
        const session = await api.post("/staff/sessions", {
          username: document.getElementById("username").value.trim(),
          password: document.getElementById("password").value,
          totp: document.getElementById("totp").value.trim(),
        });
        api.setTokens(session);
        location.hash = "#/queue";
      } catch (error) { fail(document.getElementById("err"), error); }
    };
  },

  async queue() {
    const { list: pane } = panes(view, "tickets");
    await renderQueue(pane);
  },

  async ticket(id) {
    const seq = ++renderSeq;
    const { list: pane, detail } = panes(view, "tickets");
    if (!pane.querySelector("#queue-card")) renderQueue(pane, id).catch((error) => fail(pane, error));
    else markCurrent(pane, ".queue-item", id);
    const [t, messages, events, departments] = await Promise.all([
      api.get(`/staff/tickets/${id}`), api.get(`/staff/tickets/${id}/messages`),
      api.get(`/staff/tickets/${id}/events`), api.get("/departments")]);
    if (seq !== renderSeq) return;
    const offered = new Set(t.actions || []);
    const steps = Object.entries(STEPS).filter(([k]) => offered.has(k));
    const closed = t.state === "closed";
    detail.innerHTML = `<div class="case-grid">
      <div class="card wide"><div class="case-head"><h2 id="ticket-title">#${t.id} ${esc(t.title)}</h2>${sla(t)}</div>
        <div class="muted">${esc(KINDS[t.kind] || t.kind)} · <span id="ticket-state" data-state="${esc(t.state)}">${esc(STATES[t.state] || t.state)}</span>
          · ${esc(t.service.name)} · ${esc(t.department.name)}${t.handler ? ` · 承办人 ${esc(t.handler)}` : ""}</div>
        <p>${esc(t.description)}</p>
        <div class="muted">首次响应期限 ${fmtDate(t.first_response_due)} · 办结期限 ${fmtDate(t.resolution_due)}${t.sla_estimated ? "（估算）" : ""}</div>
        ${offered.has("resolve") ? '<textarea id="step-note" placeholder="办理结果（办结时必填，申请人会看到）" aria-label="办理结果"></textarea>' : ""}
        <div id="actions" class="ticket-actions">
          ${offered.has("claim") ? '<button id="claim">认领</button>' : ""}
          ${steps.map(([k, v]) => `<button class="${k === "resolve" ? "" : "ghost"}" data-step="${k}">${v}</button>`).join("")}
          <button class="ghost" id="requester">查看申请人联系方式</button>
        </div>
        ${offered.size ? "" : `<p class="muted" id="no-actions">${closed ? "工单已关闭，无需再办理" : "当前没有您可执行的操作"}</p>`}
        <div id="requester-details"></div><div id="err"></div></div>
      <div class="card thread"><h2>沟通记录</h2>${list(messages).map((m) => `<div class="msg ${m.author_type === "staff" ? "mine" : ""}">
          <div class="muted">${esc(m.author_name)} · ${fmtDate(m.at)}</div>${esc(m.body)}</div>`).join("") || '<p class="muted">暂无消息</p>'}
        ${closed ? '<p class="muted" id="reply-closed">工单已关闭，不能再回复</p>'
          : '<textarea id="reply" placeholder="回复申请人" aria-label="回复申请人"></textarea><button class="block" id="send">回复</button><div id="reply-err"></div>'}</div>
      <div class="case-side">${offered.has("transfer") ? `<div class="card" id="transfer-card"><h2>转办</h2><select id="department" aria-label="转办至部门">${list(departments)
          .filter((d) => d.id !== t.department.id).map((d) => `<option value="${d.id}">${esc(d.name)}</option>`).join("")}</select>
        <input id="transfer-reason" placeholder="转办理由" aria-label="转办理由"><button class="block ghost" id="transfer">转办</button><div id="transfer-err"></div></div>` : ""}
      <div class="card ticket-log"><h2>工单日志</h2>${list(events).map((e) => `<div class="row" data-kind="${esc(e.kind)}"><div>${esc(e.label || EVENTS[e.kind] || e.kind)}${
          e.to_state && e.kind !== "opened" ? ` → ${esc(STATES[e.to_state] || e.to_state)}` : ""}${e.details && e.details.note ? `：${esc(e.details.note)}` : ""}${
          e.details && e.details.reason && e.kind !== "notice" ? `：${esc(e.details.reason)}` : ""}</div>
        <div class="muted">${esc(e.actor || "")} · ${fmtDate(e.at)}</div></div>`).join("")}</div></div></div>`;
    const el = (x) => document.getElementById(x);
    const after = async (message) => { toast(message); await routes.ticket(id); renderQueue(pane, id).catch(() => {}); };
    const run = async (button, out, work, message) => {
      const done = await act(button, out, work);
      if (done.ok) await after(message);
    };
    if (el("claim")) el("claim").onclick = (e) => run(e.target, el("err"), () => api.post(`/staff/tickets/${id}/claim`), "已认领");
    document.querySelectorAll("[data-step]").forEach((b) => b.onclick = () => {
      const step = b.dataset.step;
      const note = el("step-note") ? el("step-note").value.trim() : "";
      if (step === "resolve" && !note) { el("err").innerHTML = '<div class="error">请填写办理结果后再办结</div>'; el("step-note").focus(); return; }
      run(b, el("err"), () => api.post(`/staff/tickets/${id}/transitions`, note && step === "resolve" ? { action: step, note } : { action: step }), STEPS[step]);
    });
    if (el("send")) el("send").onclick = (e) => {
      const body = el("reply").value.trim();
      if (!body) { el("reply-err").innerHTML = '<div class="error">请先输入回复内容</div>'; el("reply").focus(); return; }
      run(e.target, el("reply-err"), () => api.post(`/staff/tickets/${id}/messages`, { body }), "已回复");
    };
    if (el("transfer")) el("transfer").onclick = (e) => {
      const reason = el("transfer-reason").value.trim();
      if (!reason) { el("transfer-err").innerHTML = '<div class="error">请填写转办理由</div>'; return; }
      act(e.target, el("transfer-err"), () => api.post(`/staff/tickets/${id}/transfer`, {
        department_id: Number(el("department").value), reason })).then((done) => {
        if (!done.ok) return;
        toast("已转办，工单已离开本部门队列");
        location.hash = "#/queue";
      });
    };
    el("requester").onclick = async () => {
      try {
        const r = await api.get(`/staff/tickets/${id}/requester`);
        el("requester-details").innerHTML = `<p class="muted">（本次查看已记入申请人的数据访问记录）</p>
          <div class="row"><span>姓名</span><span>${esc(r.name || "—")}</span></div><div class="row"><span>手机</span><span>${esc(r.phone || "—")}</span></div>`;
      } catch (error) { fail(el("err"), error); }
    };
  },

  async sla() {
    const tickets = list(await api.get("/staff/sla-watch"));
    view.innerHTML = `<div class="card"><h2>SLA 监控（已超期与即将超期）</h2>${tickets.map((t) => `
      <div class="row sla-item"><div><div>#${t.id} ${esc(t.title)}</div><div class="muted">${esc(t.department.name)} · 办结期限 ${fmtDate(t.resolution_due)}</div></div>
      <div>${sla(t)} <a class="btn" href="#/ticket/${t.id}">处理</a></div></div>`).join("") || '<p class="muted">没有超期或即将超期的工单</p>'}</div>`;
  },

  async ratings() {
    const group = new URLSearchParams(location.hash.split("?")[1] || "").get("group_by") || "department";
    const rows = list(await api.get(`/staff/ratings/aggregates?group_by=${group}`));
    const max = Math.max(1, ...rows.map((r) => r.count));
    view.innerHTML = `<div class="card"><h2>好差评统计</h2>
      <select id="group" aria-label="统计维度">${Object.entries(GROUPS).map(([k, v]) => `<option value="${k}" ${k === group ? "selected" : ""}>${v}</option>`).join("")}</select>
      <canvas id="chart" width="340" height="${Math.max(60, rows.length * 34)}" aria-label="评价数量与平均分"></canvas>
      <table id="aggregates"><tr><th>${esc(GROUPS[group])}</th><th>评价数</th><th>平均分</th><th>差评率</th><th>按期整改</th></tr>
      ${rows.map((r) => `<tr class="aggregate" data-key="${esc(r.key)}"><td>${esc(r.label ?? r.key)}</td><td class="count">${r.count}</td><td>${r.average.toFixed(2)}</td>
        <td>${(r.bad_share * 100).toFixed(0)}%</td><td>${r.rectified_on_time}/${r.rectification_cases}</td></tr>`).join("")}</table></div>`;
    const ctx = document.getElementById("chart").getContext("2d");
    ctx.font = "12px sans-serif";
    rows.forEach((r, i) => {
      const y = i * 34 + 6;
      ctx.fillStyle = "#4e5969";
      ctx.fillText(String(r.label ?? r.key).slice(0, 10), 0, y + 14);
      ctx.fillStyle = r.bad_share > 0.2 ? "#f53f3f" : "#1a6fe8";
      ctx.fillRect(130, y, (190 * r.count) / max, 20);
      ctx.fillStyle = "#1d2129";
      ctx.fillText(`${r.count} · ${r.average.toFixed(1)}分`, 134, y + 14);
    });
    document.getElementById("group").onchange = (e) => { location.hash = `#/ratings?group_by=${e.target.value}`; };
  },

  async rectifications() {
    const cases = list(await api.get("/staff/rectifications"));
    view.innerHTML = `<div class="card"><h2>差评整改</h2>${cases.map((c) => `
      <div class="card case" data-id="${c.id}" data-state="${c.state}"><div class="row"><strong>整改 #${c.id}</strong>${caseBadge(c)}</div>
        <div class="muted">评分 ${c.rating.original_score ? `${c.rating.original_score} → 整改后再评 ${c.rating.score}` : c.rating.score}${c.rating.comment ? ` · ${esc(c.rating.comment)}` : ""} · 期限 ${fmtDate(c.due)}</div>
        ${c.follow_ups.map((f) => `<div class="muted">跟进：${esc(f.note)}（${esc(f.staff)}）</div>`).join("")}
        ${appealLine(c)}
        ${c.outcome ? `<div>整改结果：${esc(c.outcome)}</div>` : ""}
        ${["open", "appealed"].includes(c.state) ? `<input placeholder="跟进记录" data-note="${c.id}"><button class="ghost" data-follow="${c.id}">记录跟进</button>` : ""}
        ${c.state === "open" ? `<input placeholder="整改结果" data-outcome-text="${c.id}"><button data-outcome="${c.id}">提交整改结果</button>
          ${c.appeal ? "" : `<input placeholder="申诉理由（误评、恶意差评）" data-appeal-text="${c.id}"><button class="ghost" data-appeal="${c.id}">申诉</button>`}` : ""}</div>`).join("") || '<p class="muted">暂无整改工单</p>'}</div>`;
    const act = (selector, send) => document.querySelectorAll(selector).forEach((b) => b.onclick = async () => {
      try { await send(b); routes.rectifications(); } catch (error) { toast(error.message); }
    });
    const text = (attr, id) => document.querySelector(`[${attr}="${id}"]`).value;
    act("[data-follow]", (b) => api.post(`/staff/rectifications/${b.dataset.follow}/follow-ups`, { note: text("data-note", b.dataset.follow) }));
    act("[data-outcome]", (b) => api.put(`/staff/rectifications/${b.dataset.outcome}/outcome`, { outcome: text("data-outcome-text", b.dataset.outcome) }));
    act("[data-appeal]", (b) => api.post(`/staff/rectifications/${b.dataset.appeal}/appeal`, { reason: text("data-appeal-text", b.dataset.appeal) }));
  },

  async appeals() {
    const cases = list(await api.get("/staff/rating-appeals?pending=true"));
    view.innerHTML = `<div class="card"><h2>差评申诉审核</h2>${cases.map((c) => `
      <div class="card appeal" data-id="${c.id}"><div class="row"><strong>整改 #${c.id}</strong>${caseBadge(c)}</div>
        <div class="muted">评分 ${c.rating.score}${c.rating.comment ? ` · ${esc(c.rating.comment)}` : ""}</div>${appealLine(c)}
        <input placeholder="审核意见" data-decision-note="${c.id}">
        <button data-decide="${c.id}" data-decision="upheld">申诉成立</button>
        <button class="ghost" data-decide="${c.id}" data-decision="rejected">驳回</button></div>`).join("") || '<p class="muted">没有待审核的申诉</p>'}</div>`;
    document.querySelectorAll("[data-decide]").forEach((b) => b.onclick = async () => {
      try {
        await api.put(`/staff/rating-appeals/${b.dataset.decide}/decision`, {
          decision: b.dataset.decision, note: document.querySelector(`[data-decision-note="${b.dataset.decide}"]`).value });
        routes.appeals();
      } catch (error) { toast(error.message); }
    });
  },
  ...applicationRoutes(api, view),
  ...oidcClientRoutes(api, view),
  ...hallRoutes(api, view),
};

function showTabs(role) {
  const nav = document.getElementById("tabs");
  const officer = role === "hall_officer";
  nav.innerHTML = TABS.filter((t) => (officer ? t.only === role : !t.only && (!t.role || (RANK[role] || 0) >= RANK[t.role])))
    .map((t) => `<a href="#/${t.tab}" data-tab="${t.tab}">${esc(t.label)}</a>`).join("");
  nav.hidden = false;
}

async function render() {
  const [name, ...args] = (location.hash.replace(/^#\//, "").split("?")[0] || "queue").split("/");
  if (!api.tokens() && name !== "login") { location.hash = "#/login"; return; }
  const markTab = () => document.querySelectorAll("nav.tabs a").forEach((a) => a.classList.toggle("on", a.dataset.tab === (TAB_OF[name] || name)));
  markTab();
  if (name === "login") document.getElementById("tabs").hidden = true;
  try {
    if (name !== "login" && !me) {
      me = await api.get("/staff/me");
      document.getElementById("who").textContent = `${me.display_name}`;
      showTabs(me.role);
      const calendar = me.calendar || {};
      const warning = document.getElementById("calendar-warning");
      warning.hidden = !calendar.warning;
      warning.textContent = calendar.warning
        ? `节假日官方数据只覆盖到 ${calendar.official_until}（剩 ${calendar.days_left} 天）：此后的工单与整改期限按周末估算，请尽快在 config/calendar/holidays.toml 录入国务院放假通知。`
        : "";
    }
    markTab();
    const home = me && me.role === "hall_officer" ? routes.hall : routes.queue; // a hall officer works no ticket queue
    await (name === "queue" ? home : routes[name] || home)(...args);
  } catch (error) {
    if (error.status === 401) {
      api.setTokens(null); me = null;
      loginNotice = error.code === "not_a_staff_token" ? error.message : "";
      location.hash = "#/login"; return;
    }
    view.innerHTML = `<div class="card"><div class="error" data-code="${esc(error.code || "")}">${esc(error.message)}</div></div>`;
  }
}

window.addEventListener("hashchange", render);
render();
