// Business pages: bind a company as its legal representative, company administrators (appointed by
// the representative; suspended when it changes, until the new one reinstates or ends them), agents,
// licences, annual reports.
import { esc, toast, fmtDate, badge, act, pager, pageParam, withPage } from "/shared/api.js";
import { ctx } from "/app/app.js";

const TICKET_STATES = { new: "待受理", assigned: "已分派", in_progress: "处理中", awaiting_requester: "待补充", resolved: "已办结", closed: "已关闭" };
const SCOPES = { view_licences: "查看许可证", manage_tickets: "办理工单", receive_notifications: "接收提醒", apply_services: "申办事项" };
const ROLES = { legal_representative: "法定代表人", administrator: "企业管理员", agent: "经办人" };
const GRANT_STATUS = { revoked: "已撤销", expired: "已过期", suspended: "已暂停" };
const endOfDay = (value, days) => new Date((value || new Date(Date.now() + days * 864e5).toISOString().slice(0, 10)) + "T23:59:59+08:00").toISOString();

export const businessRoutes = {
  async business() {
    const list = await ctx.api.get("/me/entities");
    const items = Array.isArray(list) ? list : list.items || [];
    ctx.view.innerHTML = `
      <div class="card"><h2>我的企业</h2>${items.length ? items.map((e) => `
        <div class="row entity"><div><div>${esc(e.name)}</div><div class="muted">${esc(e.uscc)} · ${esc(ROLES[e.role] || e.role)}</div></div>
        <a class="btn" href="#/entity/${esc(e.uscc)}">进入</a></div>`).join("") : '<p class="muted">尚未绑定企业</p>'}</div>
      <div class="card"><h2>绑定企业（法定代表人）</h2>
        <label>统一社会信用代码</label><input id="uscc" placeholder="18 位代码">
        <button class="block" id="bind">核验并绑定</button><div id="err"></div></div>`;
    document.getElementById("bind").onclick = async () => {
      try {
        await ctx.api.post("/me/entities", { uscc: document.getElementById("uscc").value.trim().toUpperCase() });
        toast("企业已绑定");
        businessRoutes.business();
      } catch (error) {
        document.getElementById("err").innerHTML = `<div class="error" data-code="${esc(error.code || "")}">${esc(error.message)}</div>`;
      }
    };
  },

  async entity(uscc) {
    const entity = await ctx.api.get(`/entities/${uscc}`);
    const scopes = entity.scopes || [];
    const licences = scopes.includes("view_licences") ? await ctx.api.get(withPage(`/entities/${uscc}/licences`, pageParam())) : [];
    const tickets = scopes.includes("manage_tickets") ? await ctx.api.get(`/tickets?entity_uscc=${uscc}`) : null;
    const items = Array.isArray(licences) ? licences : licences.items || [];
    const reports = entity.annual_reports || [];
    const isRep = entity.role === "legal_representative";
    const managesAgents = scopes.includes("manage_agents");
    const STAGES = { establishment: "设立", operating: "存续（在营）", in_liquidation: "清算中", deregistered: "已注销" };
    const REPORTS = { not_submitted: "未报送", submitted: "已报送", overdue: "逾期未报" };
    ctx.view.innerHTML = `
      <div class="card"><h2>${esc(entity.name)}</h2><div class="muted">${esc(entity.uscc)} · ${esc(STAGES[entity.stage] || entity.stage)} · 法定代表人 ${esc(entity.legal_representative || "")}</div></div>
      <div class="card"><h2>许可证</h2>${items.map((l) => `
        <div class="row licence" data-number="${esc(l.number)}"><div><div>${esc(l.licence_type_name)}</div>
        <div class="muted">${esc(l.number)} · 有效期至 ${esc(l.valid_until || "长期")}</div></div>${badge(l.status)}</div>`).join("") || '<p class="muted">暂无许可证</p>'}${pager(licences, `#/entity/${esc(uscc)}`)}</div>
      ${tickets ? `<div class="card"><h2>企业工单</h2>${tickets.map((t) => `
        <div class="row company-ticket"><div><div>${esc(t.title)}</div><div class="muted">${esc(t.department.name)} · ${fmtDate(t.created_at)}</div></div>
        <a class="btn" href="#/ticket/${t.id}">${esc(TICKET_STATES[t.state] || t.state)}</a></div>`).join("") || '<p class="muted">暂无企业工单</p>'}</div>` : ""}
      <div class="card"><h2>年报</h2>${reports.map((r) => `<div class="row"><span>${esc(r.year)} 年度（报送期 ${esc(r.window_opens)} 至 ${esc(r.window_closes)}）</span><span>${esc(REPORTS[r.status] || r.status)}</span></div>`).join("") || '<p class="muted">暂无年报记录</p>'}</div>
      ${isRep ? `<div class="card"><h2>企业管理员</h2><p class="muted">企业管理员可授权、撤销经办人；法定代表人变更后暂停，由新任法定代表人恢复或终止。</p>
        <div id="administrators"></div>
        <label>企业管理员身份证号</label><input id="admin-id">
        <label>任命至</label><input id="admin-until" type="date">
        <button class="block" id="appoint">任命企业管理员</button><div id="admin-err"></div></div>` : ""}
      ${managesAgents ? `<div class="card"><h2>经办人</h2><div id="agents"></div>
        <label>经办人身份证号</label><input id="agent-id">
        <div class="checks">${Object.entries(SCOPES).map(([k, v]) => `<label><input type="checkbox" name="scope" value="${k}">${v}</label>`).join("")}</div>
        <label>有效期至</label><input id="agent-until" type="date">
        <button class="block" id="grant">授权</button><div id="err"></div></div>` : ""}`;
    if (isRep) {
      const admins = await ctx.api.get(`/entities/${uscc}/administrators`);
      document.getElementById("administrators").innerHTML = (Array.isArray(admins) ? admins : admins.items || []).map((g) => `
        <div class="row administrator" data-id="${g.id}" data-status="${esc(g.status)}"><div><div>${esc(g.agent_name)} ${esc(g.agent_id_number)}</div>
          <div class="muted">至 ${fmtDate(g.expires_at)}${GRANT_STATUS[g.status] ? " · " + GRANT_STATUS[g.status] : ""}</div></div>
        <div>${g.status === "suspended" ? `<button class="ghost" data-reinstate="${g.id}">恢复</button> ` : ""}${["active", "suspended"].includes(g.status) ? `<button class="danger" data-end="${g.id}">终止</button>` : ""}</div></div>`).join("")
        || '<p class="muted">暂无企业管理员</p>';
      const out = document.getElementById("admin-err");
      document.querySelectorAll("[data-reinstate]").forEach((b) => b.onclick = async () => {
        if ((await act(b, out, () => ctx.api.post(`/entities/${uscc}/administrators/${b.dataset.reinstate}/reinstatement`), "已恢复")).ok) businessRoutes.entity(uscc);
      });
      document.querySelectorAll("[data-end]").forEach((b) => b.onclick = async () => {
        if ((await act(b, out, () => ctx.api.del(`/entities/${uscc}/administrators/${b.dataset.end}`), "已终止")).ok) businessRoutes.entity(uscc);
      });
      const appoint = document.getElementById("appoint");
      appoint.onclick = async () => {
        const done = await act(appoint, out, () => ctx.api.post(`/entities/${uscc}/administrators`, {
          id_number: document.getElementById("admin-id").value.trim(),
          expires_at: endOfDay(document.getElementById("admin-until").value, 365),
        }), "已任命");
        if (done.ok) businessRoutes.entity(uscc);
      };
    }
    if (managesAgents) {
      const agents = await ctx.api.get(`/entities/${uscc}/agents`);
      const grants = Array.isArray(agents) ? agents : agents.items || [];
      document.getElementById("agents").innerHTML = grants.map((g) => `
        <div class="row agent"><div><div>${esc(g.agent_name)} ${esc(g.agent_id_number)}</div><div class="muted">${g.scopes.map((s) => SCOPES[s] || s).join("、")} · 至 ${fmtDate(g.expires_at)}</div></div>
        ${g.status !== "active" ? `<span class="muted">${g.status === "revoked" ? "已撤销" : "已过期"}</span>` : `<button class="ghost" data-revoke="${g.id}">撤销</button>`}</div>`).join("") || '<p class="muted">暂无经办人</p>';
      document.querySelectorAll("[data-revoke]").forEach((b) => b.onclick = async () => {
        await ctx.api.del(`/entities/${uscc}/agents/${b.dataset.revoke}`);
        toast("已撤销");
        businessRoutes.entity(uscc);
      });
      document.getElementById("grant").onclick = async () => {
        try {
          const until = document.getElementById("agent-until").value;
          await ctx.api.post(`/entities/${uscc}/agents`, {
            id_number: document.getElementById("agent-id").value.trim(),
            scopes: [...document.querySelectorAll("input[name=scope]:checked")].map((i) => i.value),
            expires_at: endOfDay(until, 90),
          });
          toast("已授权");
          businessRoutes.entity(uscc);
        } catch (error) {
          document.getElementById("err").innerHTML = `<div class="error">${esc(error.message)}</div>`;
        }
      };
    }
  },

  async "licence-check"() {
    ctx.view.innerHTML = `<div class="card"><h2>许可证状态查询</h2>
      <label>许可证编号</label><input id="number"><button class="block" id="check">查询</button><div id="result"></div></div>`;
    document.getElementById("check").onclick = async () => {
      const out = document.getElementById("result");
      try {
        const r = await ctx.api.get(`/licences/check?number=${encodeURIComponent(document.getElementById("number").value.trim())}`);
        out.innerHTML = r.found === false ? '<p class="muted" id="check-none">未查到该许可证</p>'
          : `<div class="row" id="check-result"><span>${esc(r.holder_name)}</span>${badge(r.status)}</div>
          <div class="muted">${esc(r.licence_type_name)} · ${esc(r.issuer)} · 有效期至 ${esc(r.valid_until || "长期")}</div>`;
      } catch (error) { out.innerHTML = `<div class="error">${esc(error.message)}</div>`; }
    };
  },
};
