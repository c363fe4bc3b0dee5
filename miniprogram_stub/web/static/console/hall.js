// Hall officers (窗口工作人员): the day's appointments at my hall, who came, and the counter's checks —
// look a person up by the ID card they show, raise them to L3 in person, lift a real-name lockout.
import { esc, act, fmtDate } from "/shared/api.js";

const STATUS = { booked: "待办理", attended: "已到场", no_show: "未到场" };
const LEVELS = ["L0 微信登录", "L1 已绑手机", "L2 已实名", "L3 已核验"];
const list = (data) => (Array.isArray(data) ? data : (data && data.items) || []);
const localDay = (d) => d.toLocaleDateString("en-CA", { timeZone: "Asia/Shanghai" });
const clock = (iso) => new Date(iso).toLocaleTimeString("zh-CN", { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", hour12: false });

export function hallRoutes(api, view) {
  const person = (p) => `<div class="card person-at-counter" data-level="${p.level}">
    <div class="row"><span>姓名</span><span>${esc(p.name)}</span></div>
    <div class="row"><span>身份证号</span><span>${esc(p.id_number)}</span></div>
    <div class="row"><span>认证等级</span><span id="person-level">${LEVELS[p.level]}${p.l3_method === "in_person" ? "（柜面核验）" : ""}</span></div>
    ${p.l3_lapses_at ? `<div class="row"><span>有效至</span><span>${fmtDate(p.l3_lapses_at)}</span></div>` : ""}</div>`;

  async function dayList(hall, day) {
    const visitors = list(await api.get(`/halls/${hall.code}/appointments?date=${day}&page_size=200`));
    const el = document.getElementById("day-list");
    el.innerHTML = visitors.map((v) => `<div class="row visitor" data-id="${v.id}" data-status="${esc(v.status)}">
      <div><div>${clock(v.starts_at)} ${esc(v.name)} <span class="muted">${esc(v.id_number)}</span></div>
        <div class="muted">${esc(v.service_name)} · ${esc(STATUS[v.status] || v.status)}</div></div>
      <div><button class="ghost" data-outcome="attended">到场</button> <button class="ghost" data-outcome="no_show">未到</button></div></div>`).join("")
      + '<div id="outcome-err"></div>';
    if (!visitors.length) el.innerHTML = '<p class="muted" id="no-visitors">当日无预约</p>';
    el.querySelectorAll("[data-outcome]").forEach((b) => {
      b.onclick = async () => {
        const id = b.closest(".visitor").dataset.id;
        const done = await act(b, document.getElementById("outcome-err"),
          () => api.put(`/halls/${hall.code}/appointments/${id}/outcome`, { outcome: b.dataset.outcome }), "已登记");
        if (done.ok) dayList(hall, day);
      };
    });
  }

  return {
    async hall() {
      const hall = await api.get("/staff/hall");
      const today = localDay(new Date());
      view.innerHTML = `<div class="card"><h2>${esc(hall.name)}</h2><p class="muted">${esc(hall.address)} · 工作日 ${esc(hall.opening.join("、"))}</p>
        <label for="day">预约日期</label><input id="day" type="date" value="${today}"><div id="day-list"></div></div>
        <div class="card"><h2>柜面核验</h2><p class="muted">核对群众本人与所持居民身份证一致后，输入证件号码。</p>
          <label for="id-number">身份证号码</label><input id="id-number" autocomplete="off">
          <button class="block ghost" id="look-up">查询账号</button>
          <button class="block" id="verify">核验通过，升级为 L3</button>
          <div id="counter-err"></div><div id="person"></div></div>
        <div class="card"><h2>解除实名认证锁定</h2><p class="muted">群众当日实名认证失败次数过多时，核对身份证后输入证件号码和其账号绑定的手机号。</p>
          <label for="lift-id">身份证号码</label><input id="lift-id" autocomplete="off">
          <label for="lift-phone">手机号</label><input id="lift-phone" inputmode="tel" autocomplete="off">
          <button class="block ghost" id="lift">解除锁定</button><div id="lift-err"></div></div>`;
      const day = document.getElementById("day");
      day.onchange = () => dayList(hall, day.value);
      await dayList(hall, today);
      const idNumber = () => document.getElementById("id-number").value.trim();
      const out = document.getElementById("counter-err");
      for (const [button, path, done] of [["look-up", "person-lookups", ""], ["verify", "in-person-verifications", "已升级为 L3（柜面核验）"]]) {
        const el = document.getElementById(button);
        el.onclick = async () => {
          const result = await act(el, out, () => api.post(`/halls/${hall.code}/${path}`, { id_number: idNumber() }), done);
          document.getElementById("person").innerHTML = result.ok ? person(result.value) : "";
        };
      }
      const lift = document.getElementById("lift");
      lift.onclick = () => act(lift, document.getElementById("lift-err"), () => api.post(`/halls/${hall.code}/real-name-lockout-lifts`, {
        id_number: document.getElementById("lift-id").value.trim(), phone: document.getElementById("lift-phone").value.trim() }),
      "已解除，请群众在手机上重新实名认证");
    },
  };
}
