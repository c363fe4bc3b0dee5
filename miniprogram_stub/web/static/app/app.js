// The resident mini program, played in a browser. WeChat's client calls (wx.login, the phone
// button, wx.requestFacialVerify, wx.requestSubscribeMessage) go to the emulator's developer API.
import { makeApi, emulator, esc, fmtDate, badge, act, linkLabels, pager, pageParam, withPage } from "/shared/api.js";
import { businessRoutes } from "/app/business.js";
import { serviceRoutes } from "/app/services.js";
import { banshiRoutes } from "/app/banshi.js";
import { consentRoutes, pendingReturn } from "/app/consent.js";
import { credentialRoutes } from "/app/credential.js";
import { appointmentRoutes } from "/app/appointments.js";
import { notificationRoutes } from "/app/notifications.js";
import { lifeEventRoutes } from "/app/life-events.js";
import { actingRoutes, actingWithoutAccount, installActing } from "/app/acting.js";

const api = makeApi("yss-resident");
const view = document.getElementById("view");
const LEVELS = ["L0 微信登录", "L1 已绑手机", "L2 已实名", "L3 已刷脸"];
export const ctx = { api, view, me: null, wxUser: () => JSON.parse(sessionStorage.getItem("yss-wx-user") || "null") };
installActing(api);

async function wxLogin(user) {
  const { code } = await emulator("POST", `/users/${user.openid}/login-code`);
  const session = await api.post("/auth/wechat-login", { code });
  api.setTokens(session);
  return session;
}

// 长者模式 is the account's setting (PUT /me/display), so it follows the person to any device.
function applyDisplay(me) {
  document.documentElement.classList.toggle("elder", Boolean(me && me.elder_mode));
}

function elderSwitch() {
  const on = Boolean(ctx.me && ctx.me.elder_mode);
  return `<div class="card elder-switch"><span id="elder-label">长者模式<span class="muted">（大字体、精简首页）</span></span>
    <button id="elder-toggle" class="${on ? "" : "ghost"}" aria-pressed="${on}" aria-labelledby="elder-label">${on ? "已开启" : "已关闭"}</button></div>`;
}

function bindElderSwitch(rerender) {
  const button = document.getElementById("elder-toggle");
  button.onclick = async () => {
    const on = button.getAttribute("aria-pressed") !== "true";
    const r = await act(button, null, () => api.put("/me/display", { elder_mode: on }), on ? "已开启长者模式" : "已关闭长者模式");
    if (r.ok) { ctx.me = { ...ctx.me, elder_mode: r.value.elder_mode }; applyDisplay(ctx.me); rerender(); }
  };
}

async function refreshMe() {
  ctx.me = api.tokens() ? await api.get("/me") : null;
  applyDisplay(ctx.me);
  document.getElementById("level").innerHTML = ctx.me ? `<span class="badge level" id="level-badge">${LEVELS[ctx.me.level]}</span>` : "";
  if (ctx.me && !actingWithoutAccount()) {
    const { unread } = await api.get("/me/notifications/unread-count");
    document.getElementById("unread").innerHTML = unread ? `<span class="badge unread" id="unread-count">${unread}</span>` : "";
  }
  return ctx.me;
}

function showError(el, error) {
  el.innerHTML = `<div class="error" data-code="${esc(error.code || "")}">${esc(error.message)}</div>`;
}

export const routes = {
  async login() {
    const demo = { name: "张三", phone: "13800138000", id_number: "440106199005170014" };
    view.innerHTML = `
      <div class="card"><h2>微信登录</h2>
        <p class="muted">模拟器代替微信：填写这位“微信用户”的信息（手机号、姓名、身份证号将由模拟的微信与人口库提供）。</p>
        <label>姓名</label><input id="wx-name" value="${demo.name}">
        <label>手机号</label><input id="wx-phone" value="${demo.phone}">
        <label>身份证号</label><input id="wx-id_number" value="${demo.id_number}">
        <button class="block" id="login">微信一键登录</button><div id="err"></div>
      </div>`;
    document.getElementById("login").onclick = async () => {
      const fields = Object.fromEntries(["name", "phone", "id_number"].map((k) => [k, document.getElementById(`wx-${k}`).value.trim()]));
      try {
        const appid = (await (await fetch("/shared/config.json")).json()).appid;
        // Always ask the emulator: like WeChat it answers the same openid for the same phone (in a
        // new tab, after the curl journey, after a restart), so this tab's storage decides nothing.
        const user = await emulator("POST", "/users", { appid, ...fields });
        await emulator("POST", "/registry/persons", { name: fields.name, id_number: fields.id_number, status: "alive" });
        sessionStorage.setItem("yss-wx-user", JSON.stringify({ ...user, ...fields }));
        await wxLogin(ctx.wxUser());
        await refreshMe();
        location.hash = pendingReturn() || (ctx.me.level < 3 ? "#/verify" : "#/home");
      } catch (error) { showError(document.getElementById("err"), error); }
    };
  },

  async verify() {
    const me = await refreshMe();
    const user = ctx.wxUser();
    const step = me.level;
    view.innerHTML = `
      <div class="card"><h2>身份认证</h2><p class="muted">当前：${LEVELS[me.level]}。办理证照、企业业务需要 L3。</p>
        <div class="row"><span>① 绑定手机号</span>${step >= 1 ? '<span class="badge valid">已完成</span>' : '<button id="phone">获取手机号</button>'}</div>
        <div class="row"><span>② 实名认证</span>${step >= 2 ? '<span class="badge valid">已完成</span>' : (step === 1 ? '<button id="realname-go">去认证</button>' : '<span class="muted">待完成</span>')}</div>
        <div class="row"><span>③ 人脸识别</span>${step >= 3 ? '<span class="badge valid">已完成</span>' : (step === 2 ? '<button id="face">开始刷脸</button>' : '<span class="muted">待完成</span>')}</div>
        <div id="realname"></div><div id="err"></div>
        ${step >= 3 ? '<button class="block" id="done" onclick="location.hash=\'#/home\'">进入首页</button>' : ""}
        ${pendingReturn() ? `<a class="btn block ghost" id="back-to-consent" href="${pendingReturn()}">返回授权页</a>` : ""}
      </div>`;
    const err = document.getElementById("err");
    const phone = document.getElementById("phone");
    if (phone) phone.onclick = async () => {
      const done = await act(phone, err, async () => {
        const { code } = await emulator("POST", `/users/${user.openid}/phone-code`);
        return api.put("/me/phone", { code });
      }, "手机号已绑定");
      if (done.ok) routes.verify();
    };
    const go = document.getElementById("realname-go");
    if (go) go.onclick = () => {
      document.getElementById("realname").innerHTML = `
        <label>姓名</label><input id="rn-name" value="${esc(user.name || "")}">
        <label>身份证号</label><input id="rn-id" value="${esc(user.id_number || "")}">
        <button class="block" id="rn-submit">提交实名认证</button>`;
      const submit = document.getElementById("rn-submit");
      submit.onclick = async () => {
        const done = await act(submit, err, () => api.put("/me/real-name",
          { name: document.getElementById("rn-name").value, id_number: document.getElementById("rn-id").value }), "实名认证成功");
        if (done.ok) routes.verify();
      };
    };
    const face = document.getElementById("face");
    if (face) face.onclick = async () => {
      const done = await act(face, err, async () => {
        const { verify_id } = await api.post("/me/face-verifications");
        await emulator("POST", `/face/${verify_id}/run`, { verify_ret: 10000 }); // wx.requestFacialVerify
        return api.post("/me/face-verifications/result", { verify_id });
      }, "人脸识别通过");
      if (done.ok) routes.verify();
    };
  },

  async home() {
    const me = await refreshMe();
    view.innerHTML = `
      <div class="card"><h2>您好${me.name ? "，" + esc(me.name) : ""}</h2>
        <p class="muted">${LEVELS[me.level]}${me.level < 3 ? ' · <a href="#/verify">去认证</a>' : ""}</p></div>
      ${elderSwitch()}
      <div class="card"><h2>常用服务</h2><div class="grid" id="services-grid">
        <a class="core" href="#/certs"><span class="icon" aria-hidden="true">证</span>我的证照</a>
        <a href="#/events"><span class="icon" aria-hidden="true">历</span>人生事件</a>
        <a class="core" href="#/banshi"><span class="icon" aria-hidden="true">办</span>办事</a>
        <a href="#/business"><span class="icon" aria-hidden="true">企</span>企业服务</a>
        <a href="#/licence-check"><span class="icon" aria-hidden="true">查</span>许可查询</a>
        <a class="core" href="#/tickets"><span class="icon" aria-hidden="true">诉</span>咨询投诉</a>
        <a href="#/appointments"><span class="icon" aria-hidden="true">约</span>预约办理</a>
        <a class="core" href="#/inbox"><span class="icon" aria-hidden="true">信</span>消息提醒</a>
        <a class="core" href="#/access-log"><span class="icon" aria-hidden="true">查</span>谁看了我</a>
        <a href="#/authorizations"><span class="icon" aria-hidden="true">授</span>我的授权</a>
        <a href="#/acting" id="to-acting"><span class="icon" aria-hidden="true">代</span>为谁办理</a>
        <a class="core" href="#/verify"><span class="icon" aria-hidden="true">认</span>身份认证</a>
      </div><button class="block ghost elder-only" id="all-services" aria-expanded="false" aria-controls="services-grid">全部服务</button></div>`;
    bindElderSwitch(routes.home);
    const all = document.getElementById("all-services");
    all.onclick = () => {
      const open = document.getElementById("services-grid").classList.toggle("all");
      all.setAttribute("aria-expanded", String(open));
      all.textContent = open ? "收起" : "全部服务";
    };
  },

  async certs() {
    const list = await api.get("/me/certificates");
    const items = Array.isArray(list) ? list : list.items || [];
    view.innerHTML = `<div class="card"><h2>我的证照</h2>${items.length ? items.map((c) => `
        <div class="row cert" data-id="${c.id}" data-type="${esc(c.type)}"><div><div>${esc(c.type_name)}</div><div class="muted">${esc(c.issuer)} · 有效期至 ${esc(c.expires_on || "长期")}</div></div>
        <div>${badge(c.status)} <a class="btn" href="#/show/${c.id}">亮证</a></div></div>`).join("") : '<p class="muted">暂无证照</p>'}</div>`;
  },

  async me() {
    const me = await refreshMe();
    view.innerHTML = `<div class="card"><h2>我的账号</h2>
      <div class="row"><span>认证等级</span><span id="me-level">${LEVELS[me.level]}</span></div>
      <div class="row"><span>姓名</span><span id="me-name">${esc(me.name || "—")}</span></div>
      <div class="row"><span>身份证号</span><span id="me-id">${esc(me.id_number || "—")}</span></div>
      <div class="row"><span>手机号</span><span>${esc(me.phone || "—")}</span></div>
      <div class="row"><span>人脸认证有效至</span><span>${fmtDate(me.l3_lapses_at)}</span></div></div>
      ${elderSwitch()}<div class="card">
      <button class="block ghost" onclick="location.hash='#/access-log'">谁查看了我的数据</button>
      <button class="block ghost" id="my-authorizations" onclick="location.hash='#/authorizations'">我的授权</button>
      <button class="block ghost" id="my-notification-settings" onclick="location.hash='#/notification-settings'">消息设置</button>
      <button class="block danger" id="logout">退出登录</button></div>`;
    document.getElementById("logout").onclick = async () => {
      await api.post("/auth/logout").catch(() => null);
      api.setTokens(null);
      applyDisplay(null);
      location.hash = "#/login";
    };
    bindElderSwitch(routes.me);
  },

  async "access-log"() {
    const list = await api.get(withPage("/me/access-log", pageParam()));
    const items = Array.isArray(list) ? list : list.items || [];
    view.innerHTML = `<div class="card"><h2>谁查看了我的数据</h2>${items.length ? items.map((e) => `
      <div class="row access-entry"><div><div>${esc(e.actor)}</div><div class="muted">${esc((e.data || []).join("、"))} · ${esc(e.purpose || "")}</div></div>
      <span class="muted">${fmtDate(e.at)}</span></div>`).join("") : '<p class="muted">暂无记录</p>'}${pager(list, "#/access-log")}</div>`;
  },
  ...businessRoutes,
  ...serviceRoutes,
  ...banshiRoutes,
  ...consentRoutes,
  ...credentialRoutes,
  ...appointmentRoutes,
  ...notificationRoutes,
  ...lifeEventRoutes,
  ...actingRoutes(ctx),
};

async function render() {
  const [name, ...args] = (location.hash.replace(/^#\//, "").split("?")[0] || "home").split("/");
  if (!api.tokens() && name !== "login") {
    if (name === "consent") sessionStorage.setItem("yss-return", location.hash); // back here after logging in
    location.hash = "#/login"; return;
  }
  document.querySelectorAll("nav.tabs a").forEach((a) => {
    a.classList.toggle("on", a.dataset.tab === name);
    if (a.dataset.tab === name) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  });
  if (api.tokens() && !ctx.me && name !== "login") await refreshMe().catch(() => null); // the account's display mode
  const handler = routes[name] || routes.home;
  const done = routeLoading();
  const hash = location.hash;
  delete view.dataset.ready;
  try {
    await handler(...args.map(decodeURIComponent));
  } catch (error) {
    if (error.status === 401) { api.setTokens(null); location.hash = "#/login"; return; }
    view.innerHTML = `<div class="card"><div class="error" data-code="${esc(error.code || "")}">${esc(error.message)}</div>
      ${error.code === "level_required" ? '<a class="btn" href="#/verify">去认证</a>' : ""}</div>`;
  } finally {
    done();
  }
  view.dataset.ready = hash; // the page for this address is drawn (tests wait for it)
}

// A route change shows 加载中… over the page it leaves until the new page is drawn (on a slow
// network the old page would otherwise look like the answer). The latest route change wins.
let routing = 0;
function routeLoading() {
  const mine = ++routing;
  let bar = document.getElementById("route-loading");
  if (!bar) {
    bar = Object.assign(document.createElement("div"), { id: "route-loading", className: "route-loading", textContent: "加载中…" });
    bar.setAttribute("role", "status");
    document.body.appendChild(bar);
  }
  bar.hidden = false;
  view.setAttribute("aria-busy", "true");
  return () => {
    if (mine !== routing) return;
    bar.hidden = true;
    view.removeAttribute("aria-busy");
  };
}

// Every page's inputs get their labels tied to them, however a page writes its markup.
new MutationObserver(() => linkLabels(view)).observe(view, { childList: true, subtree: true });
window.addEventListener("hashchange", render);
render();
