// Appointments (预约) at a service hall: choose the service, the hall, the day and a slot; see,
// reschedule and cancel. Halls open on working days only: a closed day simply has no slots.
import { esc, act } from "/shared/api.js";
import { ctx } from "/app/app.js";

const STATUS = { booked: "已预约", cancelled: "已取消", attended: "已办理", no_show: "未到场" };
const DEFAULT_SERVICE = "gd-gat-sfz-hl"; // 居民身份证换领
const items = (data) => (Array.isArray(data) ? data : (data && data.items) || []);
const hashQuery = () => new URLSearchParams(location.hash.split("?")[1] || "");
const localDay = (d) => d.toLocaleDateString("en-CA", { timeZone: "Asia/Shanghai" }); // YYYY-MM-DD
const clock = (iso) => new Date(iso).toLocaleTimeString("zh-CN", { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", hour12: false });
const when = (a) => `${localDay(new Date(a.starts_at))} ${clock(a.starts_at)}–${clock(a.ends_at)}`;

// A reminder's page: the ID-card and driving-licence renewals open booking, the day-before reminder its appointment.
export function appointmentLink(page) {
  const query = new URLSearchParams((page || "").split("?")[1] || "");
  if (page.startsWith("pages/appointments/book") && query.get("service")) {
    return `<a class="btn go-book" href="#/book?service=${encodeURIComponent(query.get("service"))}">预约办理</a>`;
  }
  if (page.startsWith("pages/appointments/detail") && query.get("id")) {
    return `<a class="btn ghost go-appointment" href="#/appointment/${encodeURIComponent(query.get("id"))}">查看预约</a>`;
  }
  return "";
}

function days(ahead) {
  const today = new Date();
  return Array.from({ length: ahead }, (_, i) => localDay(new Date(today.getTime() + (i + 1) * 86400000)));
}

// The slots of one day as buttons; a full one is shown but cannot be chosen.
async function showSlots(el, hallCode, service, day, onPick) {
  const slots = await ctx.api.get(`/halls/${encodeURIComponent(hallCode)}/slots?service=${encodeURIComponent(service)}&date=${day}`);
  el.innerHTML = slots.length ? `<div class="slots">${slots.map((s) => `
    <button class="ghost slot" data-starts="${esc(s.starts_at)}" ${s.seats_left ? "" : "disabled"}
      aria-label="${clock(s.starts_at)} 余${s.seats_left}">${clock(s.starts_at)}<br><span class="muted">余 ${s.seats_left}</span></button>`).join("")}</div>
    <div id="slot-err"></div>` : '<p class="muted" id="no-slots">该日不开放（节假日或周末）或已无可约时段，请选择其他日期。</p>';
  el.querySelectorAll("button.slot").forEach((b) => { b.onclick = () => onPick(b, b.dataset.starts); });
}

export const appointmentRoutes = {
  async appointments() {
    const mine = items(await ctx.api.get("/me/appointments"));
    ctx.view.innerHTML = `<div class="card"><h2>我的预约</h2>${mine.map((a) => `
      <div class="row my-appointment" data-id="${a.id}" data-status="${esc(a.status)}"><div><div>${esc(a.service_name)}</div>
        <div class="muted">${esc(a.hall_name)} · ${when(a)}</div></div>
        <div><span class="badge">${esc(STATUS[a.status] || a.status)}</span> <a class="btn" href="#/appointment/${a.id}">查看</a></div></div>`).join("")
      || '<p class="muted">暂无预约</p>'}
      <a class="btn block" id="new-appointment" href="#/book">预约到大厅办理</a></div>`;
  },

  async book() {
    const halls = await ctx.api.get("/halls");
    const services = new Map(halls.flatMap((h) => h.services.map((s) => [s.service_code, s.service_name])));
    const wanted = hashQuery().get("service");
    const service = services.has(wanted) ? wanted : DEFAULT_SERVICE;
    const serving = halls.filter((h) => h.services.some((s) => s.service_code === service));
    ctx.view.innerHTML = `<div class="card"><h2>预约到大厅办理</h2>
      <label for="service">办理事项</label><select id="service">${[...services].map(([code, name]) => `<option value="${esc(code)}" ${code === service ? "selected" : ""}>${esc(name)}</option>`).join("")}</select>
      <label for="hall">服务大厅</label><select id="hall">${serving.map((h) => `<option value="${esc(h.code)}">${esc(h.name)}</option>`).join("")}</select>
      <p class="muted" id="hall-info"></p>
      <label for="day">日期</label><select id="day"></select>
      <div id="slots"></div><div id="err"></div></div>`;
    const hallSelect = document.getElementById("hall"), daySelect = document.getElementById("day");
    const refresh = async () => {
      const hall = serving.find((h) => h.code === hallSelect.value);
      document.getElementById("hall-info").textContent = `${hall.address} · 工作日 ${hall.opening.join("、")}`;
      await showSlots(document.getElementById("slots"), hall.code, service, daySelect.value, async (button, startsAt) => {
        const done = await act(button, document.getElementById("slot-err"),
          () => ctx.api.post("/me/appointments", { hall_code: hall.code, service_code: service, starts_at: startsAt }), "预约成功");
        if (done.ok) location.hash = `#/appointment/${done.value.id}`;
      });
    };
    const fillDays = () => {
      const hall = serving.find((h) => h.code === hallSelect.value);
      daySelect.innerHTML = days(hall.book_days_ahead).map((d) => `<option value="${d}">${d}</option>`).join("");
    };
    document.getElementById("service").onchange = (e) => { location.hash = `#/book?service=${encodeURIComponent(e.target.value)}`; };
    hallSelect.onchange = async () => { fillDays(); await firstOpenDay(); await refresh(); };
    daySelect.onchange = refresh;
    // Start on the first day the hall is open with a seat left (weekends and holidays have no slots).
    const firstOpenDay = async () => {
      for (const option of daySelect.options) {
        const slots = await ctx.api.get(`/halls/${encodeURIComponent(hallSelect.value)}/slots?service=${encodeURIComponent(service)}&date=${option.value}`);
        if (slots.some((s) => s.seats_left)) { daySelect.value = option.value; return; }
      }
    };
    fillDays();
    await firstOpenDay();
    await refresh();
  },

  async appointment(id) {
    const a = await ctx.api.get(`/me/appointments/${id}`);
    const open = a.status === "booked";
    ctx.view.innerHTML = `<div class="card"><h2>${esc(a.service_name)}</h2>
      <div class="row"><span>状态</span><span id="appointment-status">${esc(STATUS[a.status] || a.status)}</span></div>
      <div class="row"><span>服务大厅</span><span>${esc(a.hall_name)}</span></div>
      <div class="row"><span>地址</span><span>${esc(a.hall_address)}</span></div>
      <div class="row"><span>时间</span><span id="appointment-time">${when(a)}</span></div>
      ${open ? '<p class="muted">请携带居民身份证准时到达；前一天会提醒您。</p>' : ""}</div>
      ${open ? `<div class="card"><h2>改约</h2><label for="day">新的日期</label><select id="day">${days(14).map((d) => `<option value="${d}">${d}</option>`).join("")}</select>
        <div id="slots"></div></div>
      <div class="card"><button class="block danger" id="cancel">取消预约</button><div id="err"></div></div>` : ""}`;
    if (!open) return;
    const daySelect = document.getElementById("day");
    const refresh = () => showSlots(document.getElementById("slots"), a.hall_code, a.service_code, daySelect.value, async (button, startsAt) => {
      const done = await act(button, document.getElementById("slot-err"),
        () => ctx.api.patch(`/me/appointments/${id}`, { starts_at: startsAt }), "已改约");
      if (done.ok) appointmentRoutes.appointment(id);
    });
    daySelect.onchange = refresh;
    await refresh();
    const cancel = document.getElementById("cancel");
    cancel.onclick = async () => {
      const done = await act(cancel, document.getElementById("err"), () => ctx.api.del(`/me/appointments/${id}`), "已取消预约");
      if (done.ok) appointmentRoutes.appointment(id);
    };
  },
};
