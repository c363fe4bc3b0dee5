// Messages (inbox with "why you got this") and tickets (open, thread, rate).
import { esc, fmtDate, act, pager, pageParam, withPage } from "/shared/api.js";
import { ctx } from "/app/app.js";
import { appointmentLink } from "/app/appointments.js";

const KINDS = { consultation: "咨询", complaint: "投诉", suggestion: "建议", help: "求助" };
const STATES = { new: "已受理", assigned: "已分派", in_progress: "办理中", awaiting_requester: "待您补充", resolved: "已办结", closed: "已关闭" };
const RATINGS = { 5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意" };
// 为什么收到这条消息: the API's sentence (the rule's own wording) and the matched facts, labelled.
function whyText(why) {
  if (!why || !why.text) return "";
  return `<p class="why-text">${esc(why.text)}</p>${(why.matched || []).map((m) =>
    `<div class="row kv why-fact"><span>${esc(m.label)}</span><span>${esc(m.value)}</span></div>`).join("")}`;
}

// A reminder whose rule names the service that acts on it opens that service's prefilled draft; its
// page ("pages/applications/apply?service=…&origin=…&life_event_id=…") carries what the draft needs.
// A notice of an application's step ("pages/applications/detail?id=…") opens its progress view.
function applyLink(n) {
  const page = n.page || "";
  const query = new URLSearchParams(page.split("?")[1] || "");
  if (page.startsWith("pages/applications/detail") && query.get("id")) {
    return `<a class="btn ghost go-application" href="#/application/${encodeURIComponent(query.get("id"))}">查看办件</a>`;
  }
  const code = query.get("service");
  const goApply = () => `<a class="btn go-apply" href="#/go/${encodeURIComponent(code)}?${esc(query)}">去办理</a>`;
  // A renewal done at a hall (ID card, driving licence) offers the booking first, and still the online form.
  if (page.startsWith("pages/appointments/")) return appointmentLink(page) + (code ? ` ${goApply()}` : "");
  if (!code || !page.startsWith("pages/applications/apply")) return "";
  return goApply();
}

const items = (data) => (Array.isArray(data) ? data : (data && data.items) || []);

export const serviceRoutes = {
  async inbox() {
    const data = await ctx.api.get(withPage("/me/notifications", pageParam()));
    const list = items(data);
    ctx.view.innerHTML = `<div class="card"><h2>消息提醒 <button class="ghost" id="all-read">全部已读</button></h2>
      <a class="btn ghost" id="go-preferences" href="#/notification-settings">消息设置</a><div id="inbox-err"></div>${list.map((n) => `
      <div class="notification card" data-id="${n.id}">
        <div class="row"><strong>${esc(n.title)}</strong>${n.read_at ? "" : '<span class="badge unread">未读</span>'}</div>
        <div>${esc(n.body)}</div>${applyLink(n)}
        <details data-read="${n.read ? "" : n.id}"><summary class="muted">为什么收到这条消息</summary><div class="why muted">${whyText(n.why)}</div></details>
        <div class="muted">${fmtDate(n.created_at)}</div></div>`).join("") || '<p class="muted">暂无消息</p>'}
      ${pager(data, "#/inbox")}</div>`;
    const allRead = document.getElementById("all-read");
    allRead.onclick = async () => {
      if ((await act(allRead, document.getElementById("inbox-err"), () => ctx.api.post("/me/notifications/read-all"), "已全部标为已读")).ok) serviceRoutes.inbox();
    };
    document.querySelectorAll("details[data-read]").forEach((d) => d.addEventListener("toggle", async () => {
      if (d.open && d.dataset.read) {
        const id = d.dataset.read;
        d.dataset.read = "";
        await ctx.api.post(`/me/notifications/${id}/read`).catch(() => { d.dataset.read = id; });
      }
    }));
  },

  async tickets() {
    const [mine, services, entities] = await Promise.all([ctx.api.get(withPage("/tickets", pageParam())), ctx.api.get("/services"),
      ctx.me && ctx.me.level >= 2 ? ctx.api.get("/me/entities") : []]);
    const companies = items(entities).filter((e) => (e.scopes || []).includes("manage_tickets"));
    ctx.view.innerHTML = `
      <div class="card"><h2>我的工单</h2>${items(mine).map((t) => `
        <div class="row ticket"><div><div>${esc(t.title)}</div><div class="muted">${esc(KINDS[t.kind] || t.kind)} · ${esc(STATES[t.state] || t.state)}</div></div>
        <a class="btn" href="#/ticket/${t.id}">查看</a></div>`).join("") || '<p class="muted">暂无工单</p>'}${pager(mine, "#/tickets")}</div>
      <div class="card"><h2>新建咨询/投诉</h2>
        ${companies.length ? `<label>办理主体</label><select id="for"><option value="">本人</option>${companies.map((e) => `<option value="${esc(e.uscc)}">${esc(e.name)}</option>`).join("")}</select>` : ""}
        <label>类型</label><select id="kind">${Object.entries(KINDS).map(([k, v]) => `<option value="${k}">${v}</option>`).join("")}</select>
        <label>事项</label><select id="service">${items(services).map((s) => `<option value="${s.id}">${esc(s.name)}</option>`).join("")}</select>
        <label>标题</label><input id="title"><label>描述</label><textarea id="description"></textarea>
        <button class="block" id="open">提交</button><div id="err"></div></div>`;
    const open = document.getElementById("open");
    open.onclick = async () => {
      const made = await act(open, document.getElementById("err"), () => ctx.api.post("/tickets", {
          kind: document.getElementById("kind").value, service_id: Number(document.getElementById("service").value),
          title: document.getElementById("title").value, description: document.getElementById("description").value,
          contact_preference: "message",
          ...(document.getElementById("for") && document.getElementById("for").value ? { entity_uscc: document.getElementById("for").value } : {}),
        }), "已提交");
      if (made.ok) location.hash = `#/ticket/${made.value.id}`;
    };
  },

  async ticket(id) {
    const ratingNote = (r) => (r.source === "default" ? "（办结7天未评价，默认）" : r.original_score ? `（整改后再评价，原为${RATINGS[r.original_score]}）` : "");
    const [t, messages] = await Promise.all([ctx.api.get(`/tickets/${id}`), ctx.api.get(`/tickets/${id}/messages`)]);
    const rating = t.rating;
    ctx.view.innerHTML = `<div class="card"><h2>${esc(t.title)}</h2>
        <div class="muted">${esc(KINDS[t.kind] || t.kind)} · <span id="ticket-state">${esc(STATES[t.state] || t.state)}</span>${t.handler ? " · 承办人 " + esc(t.handler) : ""}</div>
        <p>${esc(t.description)}</p></div>
      <div class="card thread"><h2>沟通记录</h2>${items(messages).map((m) => `<div class="msg ${m.author_type === "requester" ? "mine" : ""}">
        <div class="muted">${esc(m.author_name)} · ${fmtDate(m.at)}</div>${esc(m.body)}</div>`).join("") || '<p class="muted">暂无消息</p>'}
        ${t.state === "closed" ? '<p class="muted" id="closed-note">工单已关闭，不能再回复。如有新问题，请新建咨询投诉。</p>'
          : '<textarea id="reply" aria-label="回复内容" placeholder="输入回复内容" maxlength="5000"></textarea><button class="block ghost" id="send">发送</button><div id="send-err"></div>'}</div>
      ${t.state === "resolved" ? `<div class="card" id="after-resolve"><h2>问题解决了吗？</h2>
        <p class="muted">${t.reopen_until ? `${fmtDate(t.reopen_until)} 前可重新打开；` : ""}确认已解决可直接关闭工单。</p>
        <button class="block" id="close-ticket">已解决，关闭工单</button>
        <label for="reopen-reason">未解决？说明原因后重新打开</label><textarea id="reopen-reason" maxlength="500"></textarea>
        <button class="block ghost" id="reopen">重新打开</button><div id="state-err"></div></div>` : ""}
      ${t.state === "resolved" || t.state === "closed" ? `<div class="card"><h2>评价（好差评）</h2>
        ${rating ? `<p id="rated">已评价：${RATINGS[rating.score]}${ratingNote(rating)}</p>` : ""}
        ${!rating || rating.can_rerate ? `${rating ? '<p class="muted">差评已整改，您可以再评价一次</p>' : ""}
        <div class="stars">${[5, 4, 3, 2, 1].map((s) => `<button data-score="${s}">${RATINGS[s]}</button>`).join(" ")}</div>
        <textarea id="comment" placeholder="意见（选填）"></textarea>` : ""}<div id="err"></div></div>` : ""}`;
    const send = document.getElementById("send");
    if (send) send.onclick = async () => {
      const out = document.getElementById("send-err");
      const text = document.getElementById("reply").value.trim();
      if (!text) { out.innerHTML = '<div class="error" data-code="empty">请先填写回复内容</div>'; return; }
      if ((await act(send, out, () => ctx.api.post(`/tickets/${id}/messages`, { body: text }), "已发送")).ok) serviceRoutes.ticket(id);
    };
    const closeTicket = document.getElementById("close-ticket");
    if (closeTicket) closeTicket.onclick = async () => {
      if ((await act(closeTicket, document.getElementById("state-err"), () => ctx.api.post(`/tickets/${id}/close`), "工单已关闭")).ok) serviceRoutes.ticket(id);
    };
    const reopen = document.getElementById("reopen");
    if (reopen) reopen.onclick = async () => {
      const out = document.getElementById("state-err");
      const reason = document.getElementById("reopen-reason").value.trim();
      if (!reason) { out.innerHTML = '<div class="error" data-code="empty">请说明仍未解决的原因</div>'; return; }
      if ((await act(reopen, out, () => ctx.api.post(`/tickets/${id}/reopen`, { reason }), "工单已重新打开")).ok) serviceRoutes.ticket(id);
    };
    document.querySelectorAll("[data-score]").forEach((b) => b.onclick = async () => {
      const body = { score: Number(b.dataset.score), comment: document.getElementById("comment").value };
      const done = await act(b, document.getElementById("err"),
        () => (rating ? ctx.api.post(`/ratings/${rating.id}/rerating`, body) : ctx.api.put(`/tickets/${id}/rating`, body)), "感谢您的评价");
      if (done.ok) serviceRoutes.ticket(id);
    });
  },
};
