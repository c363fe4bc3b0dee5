// 办事: find a service guide, apply with a form the government has already filled (each value's
// source shown), attach held certificates by reference, upload only where asked, follow the case,
// answer a 补正, rate the decided case; 一件事 (出生一件事) as one form with each department's part.
import { esc, fmtDate, act, pager, pageParam, withPage } from "/shared/api.js";
import { ctx } from "/app/app.js";

export const STATES = { draft: "草稿", submitted: "已提交", accepted: "已受理", not_accepted: "不予受理", in_review: "审查中",
  supplement_requested: "待补正", approved: "已批准", rejected: "不予批准", completed: "已办结", withdrawn: "已撤回",
  in_progress: "办理中" };
const STATE_CLASS = { draft: "voided", submitted: "level", accepted: "level", in_review: "level", in_progress: "level",
  supplement_requested: "expiring", approved: "valid", completed: "valid", not_accepted: "expired", rejected: "expired",
  withdrawn: "voided" };
const EVENTS = { created: "创建草稿", rated: "评价", rule_not_met: "未满足秒批规则，转人工办理", submitted: "提交申请", accepted: "部门受理", not_accepted: "不予受理", in_review: "开始审查",
  supplement_requested: "要求补正", resubmitted: "已补正，重新提交", approved: "审批通过（批准）", rejected: "不予批准",
  completed: "办结", withdrawn: "撤回申请", decided_by_rule: "秒批：规则自动审批", parts_created: "分送各部门办理" };
const APPLICANTS = { person: "个人", entity: "法人（企业）" };
const CHANNELS = { online: "全程网办", one_visit: "最多跑一次" };
const RESULTS = { certificate: "电子证照（发至卡包）", licence: "许可证（发至企业证照）", decision: "书面决定" };
const RATINGS = { 5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意" };
const DECIDED = ["approved", "rejected", "not_accepted", "completed"];
const EDITABLE = ["draft", "supplement_requested"];
const items = (data) => (Array.isArray(data) ? data : (data && data.items) || []);
const el = (id) => document.getElementById(id);
const loading = (text = "加载中…") => { ctx.view.innerHTML = `<div class="card muted" id="loading">${esc(text)}</div>`; };

export function stateBadge(state, name) {
  return `<span class="badge ${STATE_CLASS[state] || ""}" data-state="${esc(state)}">${esc(name || STATES[state] || state)}</span>`;
}

function applicantText(guide) {
  return guide.applicant === "both" ? "个人、法人（企业）" : APPLICANTS[guide.applicant] || guide.applicant;
}

function guideRow(g) {
  return `<div class="row guide-item" data-code="${esc(g.code)}"><div><div>${esc(g.name)}</div>
    <div class="muted">${esc(g.department_name)} · ${esc(g.channel_name || CHANNELS[g.channel] || g.channel)}${g.instant ? ' · <span class="badge valid">秒批</span>' : ""}</div></div>
    <a class="btn" href="#/guide/${esc(g.code)}">查看</a></div>`;
}

function applicationRow(a) {
  const draft = a.state === "draft";
  return `<div class="row my-application" data-id="${a.id}"><div><div>${esc(a.service_name)}</div>
    <div class="muted">${esc(a.number || "未提交")} · ${fmtDate(a.updated_at)}</div></div>
    <div>${stateBadge(a.state, a.state_name)} <a class="btn" href="#/${draft ? "apply" : "application"}/${a.id}">${draft ? "继续" : "进度"}</a></div></div>`;
}

function fieldInput(f, redo = false) {
  const value = f.value ?? "";
  const key = esc(f.key);
  const locked = !f.editable;
  let input;
  if (f.kind === "choice" && !locked) {
    input = `<select name="${key}"><option value="">请选择</option>${(f.choices || []).map((c) => `<option ${c === value ? "selected" : ""}>${esc(c)}</option>`).join("")}</select>`;
  } else {
    input = `<input name="${key}" value="${esc(value)}" ${locked ? "readonly" : ""} ${f.kind === "date" && !locked ? 'type="date"' : ""}>`;
  }
  const source = f.source_label || (f.prefilled ? `来自：${f.source}` : "本人填写");
  return `<div class="form-field ${locked ? "authoritative" : "declared"}${redo ? " to-fix" : ""}" data-field="${key}" data-prefilled="${f.prefilled ? "1" : ""}">
    <label>${esc(f.label)}${f.required ? ' <span class="req">*</span>' : ""}${locked ? ' <span class="lock">权威数据</span>' : ""}</label>${input}
    <div class="provenance muted">${esc(source)}${locked ? " · 不可修改" : f.prefilled ? " · 可修改" : ""}</div></div>`;
}

// A material: how it is satisfied, or the means to satisfy it; one named in a 补正 can be given again.
function materialBlock(m, wallet, editable, redo = false) {
  let body = "";
  if (m.satisfied && !redo) {
    const cert = wallet.find((c) => c.id === m.certificate_id);
    const how = m.certificate_id ? `已引用电子证照（免提交）：${esc(cert ? `${cert.type_name}，有效期至 ${cert.expires_on || "长期"}` : "#" + m.certificate_id)}` : m.licence_id ? "已引用企业许可证（免提交）"
      : m.upload_id ? `已上传：${esc(m.file_name || "")}` : esc(m.note || "由部门共享数据核验（免提交）");
    body = `<div class="attached">${how}</div>`;
  } else if (m.by === "certificate" && editable) {
    const held = wallet.filter((c) => c.type === m.type && ["valid", "expiring"].includes(c.status));
    body = held.map((c) => `<button class="ghost" data-attach="${esc(m.code)}" data-certificate="${c.id}">引用「${esc(c.type_name)}」（有效期至 ${esc(c.expires_on || "长期")}）</button>`).join("")
      || '<div class="muted">卡包中没有可用的该电子证照，请先申领，或到窗口办理。</div>';
  } else if (m.by === "upload" && editable) {
    body = `<div class="file-pick"><label class="btn ghost">选择文件<input type="file" hidden accept="application/pdf,image/jpeg,image/png" data-file="${esc(m.code)}"></label>
      <span class="muted file-name">未选择文件</span></div>
      <button class="ghost" data-upload="${esc(m.code)}">上传</button><div class="muted">PDF、JPG 或 PNG，不超过 5 MB</div>`;
  } else if (m.note) {
    body = `<div class="muted">${esc(m.note)}</div>`;
  }
  const badge = redo ? '<span class="badge expiring">需补正</span>' : m.satisfied ? '<span class="badge valid">已备齐</span>' : m.required ? '<span class="badge expiring">待提供</span>' : '<span class="muted">选交</span>';
  return `<div class="material card${redo ? " to-fix" : ""}" data-material="${esc(m.code)}" data-attached="${m.satisfied && !redo ? "1" : ""}">
    <div class="row"><strong>${esc(m.name)}</strong>${badge}</div>${body}<div class="err"></div></div>`;
}

function eventText(e) {
  const d = e.details || {};
  return [d.opinion, d.reason, d.message, d.explain].filter(Boolean).map(esc).join("；");
}

// The case's steps; a 一件事's timeline also holds its parts' steps, each named by its part.
function timeline(events, parts = []) {
  const partName = Object.fromEntries(parts.map((p) => [p.id, p.service_name]));
  return `<div class="timeline">${items(events).map((e) => `<div class="event" data-kind="${esc(e.kind)}" data-state="${esc(e.to_state || "")}">
    <div class="row"><strong>${esc(EVENTS[e.kind] || STATES[e.to_state] || e.kind)}${partName[e.application_id] ? ` · ${esc(partName[e.application_id])}` : ""}</strong><span class="muted">${fmtDate(e.at)}</span></div>
    <div class="muted">${esc(e.actor || "")}${eventText(e) ? " · " + eventText(e) : ""}</div></div>`).join("") || '<p class="muted">暂无记录</p>'}</div>`;
}

// 秒批: the rule, its version and the facts it used, as the inbox explains a push.
function ruleBlock(outcome) {
  if (!outcome || !outcome.rule) return "";
  const conditions = (outcome.conditions || []).map((c) => `<li>${c.holds ? "✓" : "✗"} ${esc(c.text || `${c.fact} ${c.op} ${c.expected}`)}（实际：${esc(c.actual)}）</li>`).join("");
  return `<div class="card" id="rule-outcome" data-holds="${outcome.holds ? "1" : ""}"><h2>${outcome.holds ? "秒批：规则自动审批" : "未满足秒批规则，已转人工办理"}</h2>
    <p>${esc(outcome.explain || "")}</p><div class="muted">规则「${esc(outcome.rule.id)}」（第 ${esc(outcome.rule.version)} 版）</div>
    <ul class="muted rule-conditions">${conditions}</ul></div>`;
}

// One department's part of a 一件事 application: its own number and state.
function partBlock(p) {
  return `<div class="bundle-part card" data-part="${p.id}" data-service="${esc(p.service_code)}" data-state="${esc(p.state)}">
    <div class="row"><strong>${esc(p.service_name)}</strong>${stateBadge(p.state, p.state_name)}</div>
    <div class="muted">${esc(p.department_name)}${p.number ? " · " + esc(p.number) : ""}${p.due_at ? " · 承诺办结 " + fmtDate(p.due_at) : ""}</div></div>`;
}

function deadlineRow(a) {
  const d = a.deadline || {};
  if (d.paused) return `<div class="row kv"><span>承诺时限</span><span id="deadline">补正期间暂停计时（剩余 ${esc(d.remaining_days)} 个工作日）</span></div>`;
  if (d.due_at) return `<div class="row kv"><span>承诺办结</span><span id="deadline">${fmtDate(d.due_at)}${d.overdue ? ' <span class="badge expired">已超期</span>' : ""}</span></div>`;
  return d.promised_days ? `<div class="row kv"><span>承诺时限</span><span id="deadline">受理后 ${esc(d.promised_days)} 个工作日</span></div>` : "";
}

async function startDraft(serviceCode, extra = {}) {
  return ctx.api.post("/applications", { service_code: serviceCode, ...extra });
}

// Materials given again during this 补正 (application id:material code), so the page shows them done.
const redone = new Set();

export const banshiRoutes = {
  async banshi() {
    loading();
    const [departments, mine] = await Promise.all([ctx.api.get("/departments"), ctx.api.get(withPage("/me/applications", pageParam()))]);
    const own = items(mine).filter((a) => !a.bundle_id);
    ctx.view.innerHTML = `
      <div class="card"><h2>办事</h2>
        <input id="q" aria-label="搜索事项" placeholder="搜索事项，如“身份证”“社保卡”" enterkeyhint="search">
        <div class="filters"><select id="department" aria-label="部门"><option value="">全部部门</option>${items(departments).map((d) => `<option value="${esc(d.code)}">${esc(d.name)}</option>`).join("")}</select>
        <select id="applicant" aria-label="办理对象"><option value="">个人和企业</option>${Object.entries(APPLICANTS).map(([k, v]) => `<option value="${k}">${v}可办</option>`).join("")}</select></div>
        <button class="block" id="search">搜索</button><div id="err"></div><div id="results"></div></div>
      <div class="card"><h2>我的办件</h2><div id="mine">${own.map(applicationRow).join("") || '<p class="muted">暂无办件</p>'}</div>${pager(mine, "#/banshi")}</div>`;
    // Results 50 at a time; 加载更多 appends the next page of the same search.
    const search = async (page = 1) => {
      const params = new URLSearchParams({ page_size: "50", page: String(page) });
      for (const k of ["q", "department", "applicant"]) if (el(k).value.trim()) params.set(k, el(k).value.trim());
      const button = page === 1 ? el("search") : el("more-guides");
      const done = await act(button, el("err"), () => ctx.api.get(`/service-guides?${params}`));
      if (!done.ok || !el("results")) return; // the resident may have left the page meanwhile
      const found = items(done.value);
      const p = done.value.__pagination || {};
      const total = p.total ?? found.length;
      const more = p.next_page ? '<button class="block ghost" id="more-guides">加载更多</button>' : "";
      if (page === 1) {
        el("results").innerHTML = `<div class="muted" id="found" data-q="${esc(params.get("q") || "")}">找到 ${total} 项</div>
          <div id="guide-list">${found.map(guideRow).join("") || '<p class="muted">没有找到相关事项，换个关键词试试</p>'}</div>${more}`;
      } else {
        el("more-guides").remove();
        el("guide-list").insertAdjacentHTML("beforeend", found.map(guideRow).join(""));
        el("results").insertAdjacentHTML("beforeend", more);
      }
      if (more) el("more-guides").onclick = () => search(p.next_page);
    };
    el("search").onclick = () => search();
    el("q").onkeydown = (e) => { if (e.key === "Enter") search(); };
    await search();
  },

  async guide(code) {
    loading();
    const g = await ctx.api.get(`/service-guides/${encodeURIComponent(code)}`);
    // A company's service is applied for by its legal representative or an agent with apply_services.
    const companies = g.applicant === "person" || !ctx.me || ctx.me.level < 2 ? []
      : items(await ctx.api.get("/me/entities")).filter((e) => e.role === "legal_representative" || (e.scopes || []).includes("apply_services"));
    const fields = g.fields || [];
    const prefilled = fields.filter((f) => f.source).length;
    const parts = g.parts || [];
    ctx.view.innerHTML = `
      <div class="card"><h2 id="guide-name">${esc(g.name)}</h2><div class="muted">${esc(g.department_name)} · 事项编码 ${esc(g.code)}</div>
        <div class="row kv"><span>办理对象</span><span>${esc(applicantText(g))}</span></div>
        <div class="row kv"><span>办理渠道</span><span>${esc(g.channel_name || CHANNELS[g.channel])}${g.instant ? ' <span class="badge valid">秒批</span>' : ""}</span></div>
        <div class="row kv"><span>承诺时限</span><span>${esc(g.promised_days)} 个工作日（法定 ${esc(g.statutory_days)}）</span></div>
        <div class="row kv"><span>收费</span><span>${esc(g.fee || "不收费")}</span></div>
        <div class="row kv"><span>办理结果</span><span>${esc(RESULTS[(g.result || {}).kind] || "")}</span></div>
        <div class="row kv"><span>自动填写</span><span id="prefill-count">${prefilled}/${fields.length} 项由部门数据带出</span></div>
        ${companies.length ? `<label>办理主体</label><select id="for">${g.applicant === "both" ? '<option value="">本人</option>' : ""}
          ${companies.map((e) => `<option value="${esc(e.uscc)}">${esc(e.name)}</option>`).join("")}</select>` : ""}
        <button class="block" id="apply">在线办理</button><div id="err"></div></div>
      ${parts.length ? `<div class="card"><h2>一件事一次办：一张表，分送 ${parts.length} 个事项</h2>${parts.map((p) => `<div class="row guide-part"><span>${esc(p.name)}</span><span class="muted">${esc(p.department_name)}</span></div>`).join("")}</div>` : ""}
      <div class="card"><h2>申请条件</h2>${(g.conditions || []).map((c) => `<p>${esc(c)}</p>`).join("") || '<p class="muted">无</p>'}
        ${(g.legal_basis || []).length ? `<div class="muted">设定依据：${g.legal_basis.map(esc).join("；")}</div>` : ""}</div>
      <div class="card"><h2>申请材料</h2>${(g.materials || []).map((m) => `<div class="row guide-material"><span>${esc(m.name)}</span>
        <span class="muted">${m.by === "upload" ? "需上传" : "免提交"}</span></div>`).join("") || '<p class="muted">无需材料</p>'}</div>`;
    el("apply").onclick = async () => {
      const entity = el("for") && el("for").value;
      const done = await act(el("apply"), el("err"), () => startDraft(g.code, entity ? { entity_uscc: entity } : {}));
      if (done.ok) location.hash = `#/apply/${done.value.id}`;
      else if (done.error.code === "level_required") el("err").insertAdjacentHTML("beforeend", '<a class="btn" href="#/verify" id="go-verify">去认证</a>');
    };
  },

  // From a reminder: open (or resume) the prefilled draft of the service the rule names.
  async go(serviceCode) {
    loading("正在为您预填申请表…");
    const params = new URLSearchParams(location.hash.split("?")[1] || "");
    const extra = {};
    if (params.get("origin")) extra.origin = params.get("origin");
    if (params.get("life_event_id")) extra.life_event_id = Number(params.get("life_event_id"));
    const draft = await startDraft(serviceCode, extra);
    location.replace(`#/apply/${draft.id}`);
  },

  async apply(id) {
    loading();
    const [a, wallet] = await Promise.all([ctx.api.get(`/applications/${id}`), ctx.api.get("/me/certificates")]);
    if (!EDITABLE.includes(a.state)) { location.replace(`#/application/${id}`); return; }
    const fields = a.fields || [];
    const toType = fields.filter((f) => f.editable && !f.prefilled).length;
    const supplement = a.supplement || {};
    const toFix = [...fields.filter((f) => (supplement.fields || []).includes(f.key)).map((f) => f.label),
      ...(a.materials || []).filter((m) => (supplement.materials || []).includes(m.code)).map((m) => m.name)];
    ctx.view.innerHTML = `
      <div class="card"><h2>${esc(a.service_name)}</h2><div class="muted">${esc(a.department_name)} · ${stateBadge(a.state, a.state_name)}</div>
        <p class="muted" id="prefill-summary">已为您自动填写 ${fields.filter((f) => f.prefilled).length} 项，需您填写 ${toType} 项。
          标有“权威数据”的项来自发证、登记部门，不可修改。</p></div>
      ${a.state === "supplement_requested" ? `<div class="card" id="supplement-request"><h2>请补正</h2><p>${esc(supplement.message || "")}</p>
        ${toFix.length ? `<div class="muted" id="to-fix">需补正：${toFix.map(esc).join("、")}</div>` : ""}</div>` : ""}
      ${(a.parts || []).length ? `<div class="card"><h2>一件事一次办</h2><p class="muted">一张表，提交后分送：${a.parts.map((p) => esc(p.department_name)).join("、")}</p></div>` : ""}
      <div class="card" id="form"><h2>申请表</h2>${fields.map((f) => fieldInput(f, (supplement.fields || []).includes(f.key))).join("")}</div>
      ${(a.materials || []).length ? `<div class="card"><h2>申请材料</h2>${a.materials.map((m) => materialBlock(m, items(wallet), true,
        (supplement.materials || []).includes(m.code) && !redone.has(`${id}:${m.code}`))).join("")}</div>` : ""}
      <div class="card actions">
        ${a.state === "draft" ? '<button class="block ghost" id="save">保存草稿</button><button class="block" id="submit">提交申请</button>'
          : '<textarea id="resubmit-message" placeholder="补正说明（选填）"></textarea><button class="block" id="resubmit">提交补正</button>'}
        <div id="err"></div></div>`;
    const changed = () => Object.fromEntries([...document.querySelectorAll(".form-field.declared [name]")]
      .filter((i) => i.value !== (fields.find((f) => f.key === i.name).value ?? "")).map((i) => [i.name, i.value]));
    const save = async () => {
      const fieldsChanged = changed();
      return Object.keys(fieldsChanged).length ? ctx.api.patch(`/applications/${id}`, { fields: fieldsChanged }) : a;
    };
    if (el("save")) el("save").onclick = () => act(el("save"), el("err"), save, "草稿已保存");
    const send = (button, path, body, message) => async () => {
      const done = await act(button, el("err"), async () => { await save(); return ctx.api.post(path, body()); }, message);
      if (done.ok) location.hash = `#/application/${id}`;
    };
    if (el("submit")) el("submit").onclick = send(el("submit"), `/applications/${id}/submit`, () => ({}), "申请已提交");
    if (el("resubmit")) el("resubmit").onclick = send(el("resubmit"), `/applications/${id}/resubmit`,
      () => ({ message: el("resubmit-message").value.trim() || null }), "补正已提交");
    document.querySelectorAll("[data-attach]").forEach((b) => b.onclick = async () => {
      const out = b.closest(".material").querySelector(".err");
      const done = await act(b, out, async () => { await save(); return ctx.api.put(`/applications/${id}/materials/${b.dataset.attach}`,
        { certificate_id: Number(b.dataset.certificate) }); }, "已引用电子证照");
      if (done.ok) redone.add(`${id}:${b.dataset.attach}`);
      if (done.ok) banshiRoutes.apply(id);
    });
    document.querySelectorAll("[data-file]").forEach((input) => input.onchange = () => {
      input.closest(".file-pick").querySelector(".file-name").textContent = input.files[0] ? input.files[0].name : "未选择文件";
    });
    document.querySelectorAll("[data-upload]").forEach((b) => b.onclick = async () => {
      const out = b.closest(".material").querySelector(".err");
      const file = document.querySelector(`[data-file="${b.dataset.upload}"]`).files[0];
      if (!file) { out.innerHTML = '<div class="error">请先选择文件</div>'; return; }
      const form = new FormData();
      form.append("file", file);
      const done = await act(b, out, async () => { await save(); return ctx.api.upload(`/applications/${id}/materials/${b.dataset.upload}/upload`, form); }, "已上传");
      if (done.ok) redone.add(`${id}:${b.dataset.upload}`);
      if (done.ok) banshiRoutes.apply(id);
    });
  },

  async application(id) {
    loading();
    const [a, events] = await Promise.all([ctx.api.get(`/applications/${id}`), ctx.api.get(`/applications/${id}/events`)]);
    if (a.state === "draft") { location.replace(`#/apply/${id}`); return; }
    const decided = DECIDED.includes(a.state) || a.decision;
    const result = a.result || {};
    ctx.view.innerHTML = `
      <div class="card"><h2>${esc(a.service_name)}</h2><div class="muted">${esc(a.department_name)}</div>
        <div class="row kv"><span>办件编号</span><span id="application-number">${esc(a.number || "")}</span></div>
        <div class="row kv"><span>状态</span><span id="application-state">${stateBadge(a.state, a.state_name)}</span></div>
        ${deadlineRow(a)}
        <div class="row kv"><span>自动填写 / 本人填写</span><span id="field-counts">${esc(a.prefilled_count)} 项 / ${esc(a.typed_count)} 项</span></div>
        ${a.state === "supplement_requested" ? `<div id="supplement-request"><p>请补正：${esc((a.supplement || {}).message || "")}</p>
          <a class="btn" href="#/apply/${id}" id="go-supplement">去补正</a></div>` : ""}
        ${a.decision_reason ? `<p id="decision-reason">${a.decision === "approved" ? "审批意见" : "理由"}：${esc(a.decision_reason)}</p>` : ""}
        ${result.certificate_id ? `<div id="result" class="row"><span>办理结果：${esc(RESULTS.certificate)}，有效期至 ${esc(result.valid_until || "")}</span>
          <a class="btn" href="#/show/${result.certificate_id}" id="show-result">亮证</a></div>` : ""}
        ${result.licence_id ? `<div id="result">办理结果：${esc(RESULTS.licence)}，有效期至 ${esc(result.valid_until || "")}</div>` : ""}
        ${!decided && !["withdrawn", "in_progress"].includes(a.state) ? '<button class="block ghost" id="withdraw">撤回申请</button>' : ""}<div id="err"></div></div>
      ${ruleBlock(a.rule_outcome)}
      ${(a.parts || []).length ? `<div class="card" id="bundle-parts"><h2>一件事一次办：各部门办理进度</h2>${a.parts.map(partBlock).join("")}</div>` : ""}
      <div class="card"><h2>办理进度</h2>${timeline(events, a.parts || [])}</div>
      ${decided && !(a.parts || []).length ? `<div class="card" id="rating"><h2>评价本次办件（一事一评）</h2>
        ${a.rating ? `<p id="rated">已评价：<span id="rated-score">${esc(RATINGS[a.rating.score] || a.rating.score)}</span>，感谢您的反馈</p>
          ${a.rating.comment ? `<p id="rated-comment">${esc(a.rating.comment)}</p>` : ""}` : `<div class="stars">${[5, 4, 3, 2, 1].map((s) => `<button data-score="${s}">${RATINGS[s]}</button>`).join(" ")}</div>
        <textarea id="comment" placeholder="意见（选填）"></textarea>`}<div id="rate-err"></div></div>` : ""}`;
    if (el("withdraw")) el("withdraw").onclick = async () => {
      if (!window.confirm("确定撤回这件申请吗？")) return;
      const done = await act(el("withdraw"), el("err"), () => ctx.api.post(`/applications/${id}/withdraw`, {}), "已撤回");
      if (done.ok) banshiRoutes.application(id);
    };
    document.querySelectorAll("[data-score]").forEach((b) => b.onclick = async () => {
      const done = await act(b, el("rate-err"), () => ctx.api.post(`/applications/${id}/rating`,
        { score: Number(b.dataset.score), comment: el("comment").value.trim() }), "感谢您的评价");
      if (done.ok) banshiRoutes.application(id);
    });
  },
};
