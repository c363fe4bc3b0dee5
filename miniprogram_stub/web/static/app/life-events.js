// 人生事件: my timeline (paged), each event's details, and reporting an event myself (就业, 迁居 —
// the types the API accepts from a resident).
import { esc, act, pager, pageParam, withPage } from "/shared/api.js";
import { ctx } from "/app/app.js";

const EVENTS = { birth: "出生", school_enrolment: "入学", employment: "就业", marriage: "婚姻登记", childbirth: "生育",
  relocation: "迁居", retirement: "退休", death: "死亡" };
const FIELDS = { place_area_code: "出生地区划代码", hospital: "医院", school: "学校", stage: "学段", employer: "工作单位",
  role: "岗位", registry_office: "登记机关", child_sex: "孩子性别", to_area_code: "迁入地区划代码", reason: "原因",
  pension_type: "养老保险类型" };
const VALUES = { kindergarten: "幼儿园", primary: "小学", junior_secondary: "初中", senior_secondary: "高中", university: "大学",
  male: "男", female: "女", work: "工作", study: "学习", family: "家庭", other: "其他", enterprise: "企业职工",
  institution: "机关事业单位", resident: "城乡居民" };

function details(e) {
  const rows = Object.entries(e.payload || {}).map(([k, v]) =>
    `<div class="row kv"><span>${esc(FIELDS[k] || "其他信息")}</span><span>${esc(VALUES[v] || v)}</span></div>`).join("");
  return `<details class="event-details"><summary class="muted">详情</summary>
    <div class="row kv"><span>日期</span><span>${esc(e.date)}</span></div>
    <div class="row kv"><span>来源</span><span>${e.source === "self" ? "本人申报" : "部门提供"}</span></div>${rows}</details>`;
}

const reportFields = {
  employment: `<label for="ev-employer">工作单位</label><input id="ev-employer" maxlength="100">
    <label for="ev-role">岗位（选填）</label><input id="ev-role" maxlength="100">`,
  relocation: `<label for="ev-area">迁入地行政区划代码（6 位）</label><input id="ev-area" inputmode="numeric" maxlength="6">
    <label for="ev-reason">原因</label><select id="ev-reason"><option value="work">工作</option><option value="study">学习</option>
    <option value="family">家庭</option><option value="other">其他</option></select>`,
};

function payloadOf(type) {
  const value = (id) => document.getElementById(id).value.trim();
  if (type === "employment") return { employer: value("ev-employer"), ...(value("ev-role") ? { role: value("ev-role") } : {}) };
  return { to_area_code: value("ev-area"), reason: value("ev-reason") };
}

export const lifeEventRoutes = {
  async events() {
    const data = await ctx.api.get(withPage("/me/life-events", pageParam()));
    const items = Array.isArray(data) ? data : data.items || [];
    ctx.view.innerHTML = `<div class="card"><h2>人生事件</h2>${items.length ? items.map((e) => `
      <div class="life-event" data-id="${e.id}"><div class="row"><div><div>${esc(EVENTS[e.type] || "其他事件")}</div>
        <div class="muted">${e.source === "self" ? "本人申报" : "部门提供"}</div></div><span>${esc(e.date)}</span></div>${details(e)}</div>`).join("")
      : '<p class="muted">暂无记录</p>'}${pager(data, "#/events")}</div>
      <div class="card"><h2>申报人生事件</h2><p class="muted">就业、迁居可由您本人申报；出生、婚姻等由部门提供。</p>
        <label for="ev-type">事件</label><select id="ev-type"><option value="employment">就业</option><option value="relocation">迁居</option></select>
        <label for="ev-date">日期</label><input id="ev-date" type="date">
        <div id="ev-fields">${reportFields.employment}</div>
        <button class="block" id="report-event">提交申报</button><div id="ev-err"></div></div>`;
    const type = document.getElementById("ev-type");
    type.onchange = () => { document.getElementById("ev-fields").innerHTML = reportFields[type.value]; };
    const report = document.getElementById("report-event");
    report.onclick = async () => {
      const out = document.getElementById("ev-err");
      const date = document.getElementById("ev-date").value;
      if (!date) { out.innerHTML = '<div class="error" data-code="empty">请选择日期</div>'; return; }
      const done = await act(report, out, () => ctx.api.post("/me/life-events", { type: type.value, date, payload: payloadOf(type.value) }), "已申报");
      if (done.ok) lifeEventRoutes.events();
    };
  },
};
