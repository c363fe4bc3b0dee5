// 办事: find a service guide, apply with a form the government has already filled (each value's
// source shown), attach held certificates by reference, upload only where asked, follow the case,
// answer a 补正, rate the decided case; 出生一件事 as one form with each department's part.
import { esc, fmtDate, act } from "/shared/api.js";
import { ctx } from "/app/app.js";

export const STATES = { draft: "草稿", submitted: "已提交", accepted: "已受理", refused: "不予受理", in_review: "审查中",
  supplement_requested: "待补正", approved: "已批准", rejected: "不予批准", completed: "已办结", withdrawn: "已撤回" };
const STATE_CLASS = { draft: "voided", submitted: "level", accepted: "level", in_review: "level",
  supplement_requested: "expiring", approved: "valid", completed: "valid", refused: "expired", rejected: "expired",
  withdrawn: "voided" };
const APPLICANTS = { person: "个人", entity: "法人（企业）" };
const CHANNELS = { online: "全程网办", one_visit: "最多跑一次" };
const RATINGS = { 5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意" };
const DECIDED = ["approved", "rejected", "refused", "completed"];
const items = (data) => (Array.isArray(data) ? data : (data && data.items) || []);
const el = (id) => document.getElementById(id);
const loading = () => { ctx.view.innerHTML = '<div class="card muted" id="loading">加载中…</div>'; };

export function stateBadge(state) {
  return `<span class="badge ${STATE_CLASS[state] || ""}" data-state="${esc(state)}">${esc(STATES[state] || state)}</span>`;
}

function provenance(field) {
  if (field.source_label) return `来自：${esc(field.source_label)}`;
  return field.typed || !field.source ? "本人填写" : `来自：${esc(field.source)}`;
}

// The list of who may apply, as residents read it ("个人、法人（企业）").
function applicantText(guide) {
  return (guide.applicant_types || []).map((t) => APPLICANTS[t] || t).join("、");
}

function guideRow(g) {
  return `<div class="row guide-item" data-code="${esc(g.code)}"><div><div>${esc(g.name)}</div>
    <div class="muted">${esc(g.department.name)} · ${esc(CHANNELS[g.channel] || g.channel)}${g.instant ? " · 秒批" : ""}</div></div>
    <a class="btn" href="#/guide/${esc(g.code)}">查看</a></div>`;
}

function applicationRow(a) {
  return `<div class="row my-application" data-id="${a.id}"><div><div>${esc(a.service.name)}</div>
    <div class="muted">${esc(a.number || "草稿")} · ${fmtDate(a.updated_at || a.created_at)}</div></div>
    <div>${stateBadge(a.state)} <a class="btn" href="#/${a.state === "draft" ? "apply" : "application"}/${a.id}">${a.state === "draft" ? "继续" : "进度"}</a></div></div>`;
}

// A draft of the service, resumed if one is open: the reminder's "去办理" and the guide's "在线办理".
async function openDraft(serviceCode, extra = {}) {
  return ctx.api.post("/me/applications", { service_code: serviceCode, ...extra });
}

function fieldInput(f) {
  const value = esc(f.value ?? "");
  const locked = f.authoritative ? "readonly" : "";
  const input = f.type === "textarea"
    ? `<textarea name="${esc(f.name)}" ${locked}>${value}</textarea>`
    : `<input name="${esc(f.name)}" value="${value}" ${locked} ${f.type === "date" ? 'type="date"' : ""}>`;
  return `<div class="form-field ${f.authoritative ? "authoritative" : "declared"}" data-field="${esc(f.name)}"
      data-prefilled="${f.prefilled ? "1" : ""}"><label>${esc(f.label)}${f.required ? ' <span class="req">*</span>' : ""}
      ${f.authoritative ? '<span class="lock" title="权威数据，不可修改">🔒</span>' : ""}</label>${input}
    <div class="provenance muted">${provenance(f)}${f.authoritative ? " · 不可修改" : f.prefilled ? " · 可修改" : ""}</div></div>`;
}

function materialBlock(m, wallet) {
  const held = wallet.filter((c) => c.type === m.certificate_type);
  let body;
  if (m.attached) {
    body = `<div class="attached">${m.attached.kind === "upload" ? "已上传" : "已引用电子证照（免提交）"}：${esc(m.attached.label || m.attached.filename || "")}</div>`;
  } else if (m.satisfied_by === "certificate" || m.satisfied_by === "licence") {
    body = held.length ? held.map((c) => `<button class="ghost" data-attach="${esc(m.code)}" data-certificate="${c.id}">引用「${esc(c.type_name)}」（有效期至 ${esc(c.expires_on || "长期")}）</button>`).join("")
      : '<div class="muted">您未持有该电子证照，请先申领或到窗口办理。</div>';
  } else if (m.satisfied_by === "upload") {
    body = `<input type="file" accept="application/pdf,image/jpeg,image/png" data-file="${esc(m.code)}">
      <button class="ghost" data-upload="${esc(m.code)}">上传</button><div class="muted">PDF、JPG 或 PNG，不超过 5 MB</div>`;
  } else {
    body = `<div class="attached">${esc(m.satisfied_label || "由部门数据核验（免提交）")}</div>`;
  }
  return `<div class="material card" data-material="${esc(m.code)}" data-attached="${m.attached ? "1" : ""}">
    <div class="row"><strong>${esc(m.name)}</strong>${m.attached ? '<span class="badge valid">已备齐</span>' : m.required === false ? '<span class="muted">选交</span>' : '<span class="badge expiring">待提供</span>'}</div>
    ${body}<div class="err"></div></div>`;
}

function formValues() {
  return Object.fromEntries([...document.querySelectorAll(".form-field.declared [name]")].map((i) => [i.name, i.value]));
}

function timeline(events) {
  return `<div class="timeline">${items(events).map((e) => `<div class="event" data-state="${esc(e.to_state || "")}">
    <div class="row"><strong>${esc(e.label || STATES[e.to_state] || e.kind)}</strong><span class="muted">${fmtDate(e.at)}</span></div>
    <div class="muted">${esc(e.actor || "")}${e.reason ? " · " + esc(e.reason) : ""}</div></div>`).join("") || '<p class="muted">暂无记录</p>'}</div>`;
}

function ruleText(decision) {
  if (!decision || !decision.rule) return "";
  const facts = Object.entries(decision.facts || {}).map(([k, v]) => `${esc(k)}：${esc(v)}`).join("；");
  return `<div class="card" id="instant-decision"><h2>秒批：由规则自动审批</h2>
    <div class="muted">规则「${esc(decision.rule.id)}」（第 ${esc(decision.rule.version)} 版）：${esc(decision.rule.description || "")}</div>
    ${facts ? `<div class="muted">依据的事实：${facts}</div>` : ""}</div>`;
}

export const banshiRoutes = {
  async banshi() {
    loading();
    const [departments, mine] = await Promise.all([ctx.api.get("/departments"), ctx.api.get("/me/applications")]);
    ctx.view.innerHTML = `
      <div class="card"><h2>办事</h2>
        <input id="q" placeholder="搜索事项，如“身份证”“社保卡”" enterkeyhint="search">
        <div class="filters"><select id="department"><option value="">全部部门</option>${items(departments).map((d) => `<option value="${esc(d.code)}">${esc(d.name)}</option>`).join("")}</select>
        <select id="applicant"><option value="">全部对象</option>${Object.entries(APPLICANTS).map(([k, v]) => `<option value="${k}">${v}</option>`).join("")}</select></div>
        <button class="block" id="search">搜索</button><div id="err"></div><div id="results"></div></div>
      <div class="card"><h2>我的办件</h2><div id="mine">${items(mine).map(applicationRow).join("") || '<p class="muted">暂无办件</p>'}</div></div>`;
    const search = async () => {
      const params = new URLSearchParams();
      for (const k of ["q", "department", "applicant"]) if (el(k).value.trim()) params.set(k, el(k).value.trim());
      const done = await act(el("search"), el("err"), () => ctx.api.get(`/guides?${params}`));
      if (!done.ok) return;
      const found = items(done.value);
      el("results").innerHTML = `<div class="muted" id="found">找到 ${done.value.__pagination ? done.value.__pagination.total : found.length} 项</div>
        ${found.map(guideRow).join("") || '<p class="muted">没有找到相关事项，换个关键词试试</p>'}`;
    };
    el("search").onclick = search;
    el("q").onkeydown = (e) => { if (e.key === "Enter") search(); };
    await search();
  },

  async guide(code) {
    loading();
    const g = await ctx.api.get(`/guides/${encodeURIComponent(code)}`);
    const fields = g.fields || [];
    const prefilled = fields.filter((f) => f.source).length;
    ctx.view.innerHTML = `
      <div class="card"><h2 id="guide-name">${esc(g.name)}</h2><div class="muted">${esc(g.department.name)} · 事项编码 ${esc(g.code)}</div>
        <div class="row"><span>办理对象</span><span>${esc(applicantText(g))}</span></div>
        <div class="row"><span>办理渠道</span><span>${esc(CHANNELS[g.channel] || g.channel)}</span></div>
        <div class="row"><span>承诺时限</span><span>${esc(g.promised_days)} 个工作日（法定 ${esc(g.statutory_days)} 个工作日）</span></div>
        <div class="row"><span>收费</span><span>${esc(g.fee || "不收费")}</span></div>
        <div class="row"><span>办理结果</span><span>${esc(g.result_name || g.result || "")}</span></div>
        <div class="row"><span>预填</span><span id="prefill-count">${prefilled}/${fields.length} 项由部门数据自动填写</span></div>
        <button class="block" id="apply">在线办理</button><div id="err"></div></div>
      <div class="card"><h2>申请条件</h2>${(g.conditions || []).map((c) => `<p>${esc(c)}</p>`).join("") || '<p class="muted">无</p>'}
        ${g.legal_basis ? `<div class="muted">设定依据：${esc([].concat(g.legal_basis).join("；"))}</div>` : ""}</div>
      <div class="card"><h2>申请材料</h2>${(g.materials || []).map((m) => `<div class="row guide-material"><span>${esc(m.name)}</span>
        <span class="muted">${m.satisfied_by === "upload" ? "需上传" : "免提交"}</span></div>`).join("") || '<p class="muted">无需材料</p>'}</div>`;
    el("apply").onclick = async () => {
      const done = await act(el("apply"), el("err"), () => openDraft(g.code));
      if (done.ok) location.hash = `#/apply/${done.value.id}`;
    };
  },

  // From a reminder: open (or resume) the prefilled draft of the service the rule names.
  async go(serviceCode, ...rest) {
    ctx.view.innerHTML = '<div class="card muted" id="loading">正在为您预填申请表…</div>';
    const extra = rest.length ? { notification_id: Number(rest[0]) } : {};
    const draft = await openDraft(serviceCode, extra);
    location.replace(`#/apply/${draft.id}`);
  },

  async apply(id) {
    loading();
    const [a, wallet] = await Promise.all([ctx.api.get(`/me/applications/${id}`), ctx.api.get("/me/certificates")]);
    if (a.state !== "draft" && a.state !== "supplement_requested") { location.replace(`#/application/${id}`); return; }
    const fields = a.fields || [];
    ctx.view.innerHTML = `
      <div class="card"><h2>${esc(a.service.name)}</h2><div class="muted">${esc(a.service.department_name || "")} · ${stateBadge(a.state)}</div>
        <p class="muted" id="prefill-summary">已为您自动填写 ${a.prefilled_count ?? fields.filter((f) => f.prefilled).length} 项，
          您需填写 ${fields.filter((f) => !f.prefilled && !f.authoritative).length} 项。带 🔒 的为部门权威数据，不可修改。</p></div>
      ${a.supplement ? `<div class="card" id="supplement-request"><h2>请补正</h2><p>${esc(a.supplement.message)}</p></div>` : ""}
      <div class="card" id="form"><h2>申请表</h2>${fields.map(fieldInput).join("")}</div>
      <div class="card"><h2>申请材料</h2>${(a.materials || []).map((m) => materialBlock(m, items(wallet))).join("") || '<p class="muted">无需材料</p>'}</div>
      <div class="card actions">
        ${a.state === "draft" ? '<button class="block ghost" id="save">保存草稿</button><button class="block" id="submit">提交申请</button>'
          : '<button class="block" id="resubmit">提交补正</button>'}
        <div id="err"></div></div>`;
    const save = () => ctx.api.patch(`/me/applications/${id}`, { fields: formValues() });
    if (el("save")) el("save").onclick = () => act(el("save"), el("err"), save, "草稿已保存");
    if (el("submit")) el("submit").onclick = async () => {
      const done = await act(el("submit"), el("err"), async () => { await save(); return ctx.api.post(`/me/applications/${id}/submit`); }, "申请已提交");
      if (done.ok) location.hash = `#/application/${id}`;
    };
    if (el("resubmit")) el("resubmit").onclick = async () => {
      const done = await act(el("resubmit"), el("err"), async () => { await save(); return ctx.api.post(`/me/applications/${id}/supplement`); }, "补正已提交");
      if (done.ok) location.hash = `#/application/${id}`;
    };
    document.querySelectorAll("[data-attach]").forEach((b) => b.onclick = async () => {
      const out = b.closest(".material").querySelector(".err");
      const done = await act(b, out, () => ctx.api.put(`/me/applications/${id}/materials/${b.dataset.attach}`,
        { certificate_id: Number(b.dataset.certificate) }), "已引用电子证照");
      if (done.ok) banshiRoutes.apply(id);
    });
    document.querySelectorAll("[data-upload]").forEach((b) => b.onclick = async () => {
      const out = b.closest(".material").querySelector(".err");
      const file = document.querySelector(`[data-file="${b.dataset.upload}"]`).files[0];
      if (!file) { out.innerHTML = '<div class="error">请先选择文件</div>'; return; }
      const form = new FormData();
      form.append("file", file);
      const done = await act(b, out, () => ctx.api.upload(`/me/applications/${id}/materials/${b.dataset.upload}/upload`, form), "已上传");
      if (done.ok) banshiRoutes.apply(id);
    });
  },

  async application(id) {
    loading();
    const [a, events] = await Promise.all([ctx.api.get(`/me/applications/${id}`), ctx.api.get(`/me/applications/${id}/events`)]);
    if (a.state === "draft") { location.replace(`#/apply/${id}`); return; }
    const decided = DECIDED.includes(a.state);
    const rating = a.rating;
    ctx.view.innerHTML = `
      <div class="card"><h2>${esc(a.service.name)}</h2>
        <div class="row"><span>办件编号</span><span id="application-number">${esc(a.number)}</span></div>
        <div class="row"><span>状态</span><span id="application-state">${stateBadge(a.state)}</span></div>
        ${a.due_on ? `<div class="row"><span>承诺办结</span><span>${esc(a.due_on)}${a.clock_paused ? "（补正期间暂停计时）" : ""}</span></div>` : ""}
        <div class="row"><span>预填 / 手填</span><span id="field-counts">${esc(a.prefilled_count)} 项 / ${esc(a.typed_count)} 项</span></div>
        ${a.state === "supplement_requested" ? `<div id="supplement-request"><p>请补正：${esc((a.supplement || {}).message || "")}</p>
          <a class="btn" href="#/apply/${id}" id="go-supplement">去补正</a></div>` : ""}
        ${a.result ? `<div id="result">办理结果：${esc(a.result.label || "")} ${a.result.certificate_id ? `<a class="btn" href="#/show/${a.result.certificate_id}" id="show-result">亮证</a>` : ""}</div>` : ""}
        ${a.decision_reason ? `<p class="muted">意见：${esc(a.decision_reason)}</p>` : ""}
        ${!decided && a.state !== "withdrawn" ? '<button class="block ghost" id="withdraw">撤回申请</button>' : ""}<div id="err"></div></div>
      ${ruleText(a.instant_decision)}
      <div class="card"><h2>办理进度</h2>${timeline(events)}</div>
      ${decided ? `<div class="card" id="rating"><h2>评价本次办件（一事一评）</h2>
        ${rating ? `<p id="rated">已评价：${esc(RATINGS[rating.score])}</p>` : `<div class="stars">${[5, 4, 3, 2, 1].map((s) => `<button data-score="${s}">${RATINGS[s]}</button>`).join(" ")}</div>
        <textarea id="comment" placeholder="意见（选填）"></textarea>`}<div id="rate-err"></div></div>` : ""}`;
    if (el("withdraw")) el("withdraw").onclick = async () => {
      const done = await act(el("withdraw"), el("err"), () => ctx.api.post(`/me/applications/${id}/withdraw`), "已撤回");
      if (done.ok) banshiRoutes.application(id);
    };
    document.querySelectorAll("[data-score]").forEach((b) => b.onclick = async () => {
      const done = await act(b, el("rate-err"), () => ctx.api.put(`/me/applications/${id}/rating`,
        { score: Number(b.dataset.score), comment: el("comment").value }), "感谢您的评价");
      if (done.ok) banshiRoutes.application(id);
    });
  },
};
