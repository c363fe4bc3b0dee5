// The resident mini program, played in a browser. WeChat's client calls (wx.login, the phone
// button, wx.requestFacialVerify, wx.requestSubscribeMessage) go to the emulator's developer API.
import { makeApi, emulator, esc, toast, fmtDate, badge } from "/shared/api.js";
import { businessRoutes } from "/app/business.js";
import { serviceRoutes } from "/app/services.js";
import { banshiRoutes } from "/app/banshi.js";
import { consentRoutes, pendingReturn } from "/app/consent.js";
import { credentialRoutes } from "/app/credential.js";
import { appointmentRoutes } from "/app/appointments.js";

const api = makeApi("yss-resident");
const view = document.getElementById("view");
const LEVELS = ["L0 微信登录", "L1 已绑手机", "L2 已实名", "L3 已刷脸"];
const EVENTS = { birth: "出生", school_enrolment: "入学", employment: "就业", marriage: "婚姻登记", childbirth: "生育",
  relocation: "迁居", retirement: "退休", death: "死亡" };
export const ctx = { api, view, me: null, wxUser: () => JSON.parse(sessionStorage.getItem("yss-wx-user") || "null") };

async function wxLogin(user) {
  const { code } = await emulator("POST", `/users/${user.openid}/login-code`);
  const session = await api.post("/auth/wechat-login", { code });
  api.setTokens(session);
  return session;
}

async function refreshMe() {
  ctx.me = api.tokens() ? await api.get("/me") : null;
  document.getElementById("level").innerHTML = ctx.me ? `<span class="badge level" id="level-badge">${LEVELS[ctx.me.level]}</span>` : "";
  if (ctx.me) {
    const { unread } = await api.get("/me/notifications/unread-count");
    document.getElementById("unread").innerHTML = unread ? `<span class="badge unread" id="unread-count">${unread}</span>` : "";
  }
  return ctx.me;
}

function showError(el, error) {
  el.innerHTML = `<div class="error" data-code="${esc(error.code || "")}">${esc(error.message)}</div>`;
}

const routes = {
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
        let user = ctx.wxUser();
        if (!user || user.phone !== fields.phone || user.id_number !== fields.id_number) {
          user = await emulator("POST", "/users", { appid, ...fields });
          await emulator("POST", "/registry/persons", { name: fields.name, id_number: fields.id_number, status: "alive" });
          sessionStorage.setItem("yss-wx-user", JSON.stringify({ ...user, ...fields }));
        }
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
      try {
        const { code } = await emulator("POST", `/users/${user.openid}/phone-code`);
        await api.put("/me/phone", { code });
        toast("手机号已绑定");
        routes.verify();
      } catch (error) { showError(err, error); }
    };
    const go = document.getElementById("realname-go");
    if (go) go.onclick = () => {
      document.getElementById("realname").innerHTML = `
        <label>姓名</label><input id="rn-name" value="${esc(user.name || "")}">
        <label>身份证号</label><input id="rn-id" value="${esc(user.id_number || "")}">
        <button class="block" id="rn-submit">提交实名认证</button>`;
      document.getElementById("rn-submit").onclick = async () => {
        try {
          await api.put("/me/real-name", { name: document.getElementById("rn-name").value, id_number: document.getElementById("rn-id").value });
          toast("实名认证成功");
          routes.verify();
        } catch (error) { showError(err, error); }
      };
    };
    const face = document.getElementById("face");
    if (face) face.onclick = async () => {
      try {
        const { verify_id } = await api.post("/me/face-verifications");
        await emulator("POST", `/face/${verify_id}/run`, { verify_ret: 10000 }); // wx.requestFacialVerify
        await api.post("/me/face-verifications/result", { verify_id });
        toast("人脸识别通过");
        routes.verify();
      } catch (error) { showError(err, error); }
    };
  },

  async home() {
    const me = await refreshMe();
    view.innerHTML = `
      <div class="card"><h2>您好${me.name ? "，" + esc(me.name) : ""}</h2>
        <p class="muted">${LEVELS[me.level]}${me.level < 3 ? ' · <a href="#/verify">去认证</a>' : ""}</p></div>
      <div class="card"><h2>常用服务</h2><div class="grid">
        <a href="#/certs"><span class="icon">证</span>我的证照</a>
        <a href="#/events"><span class="icon">历</span>人生事件</a>
        <a href="#/banshi"><span class="icon">办</span>办事</a>
        <a href="#/business"><span class="icon">企</span>企业服务</a>
        <a href="#/licence-check"><span class="icon">查</span>许可查询</a>
        <a href="#/tickets"><span class="icon">诉</span>咨询投诉</a>
        <a href="#/appointments"><span class="icon">约</span>预约办理</a>
        <a href="#/inbox"><span class="icon">信</span>消息提醒</a>
        <a href="#/access-log"><span class="icon">查</span>谁看了我</a>
        <a href="#/authorizations"><span class="icon">授</span>我的授权</a>
        <a href="#/verify"><span class="icon">认</span>身份认证</a>
      </div></div>`;
  },

  async certs() {
    const list = await api.get("/me/certificates");
    const items = Array.isArray(list) ? list : list.items || [];
    view.innerHTML = `<div class="card"><h2>我的证照</h2>${items.length ? items.map((c) => `
        <div class="row cert" data-id="${c.id}" data-type="${esc(c.type)}"><div><div>${esc(c.type_name)}</div><div class="muted">${esc(c.issuer)} · 有效期至 ${esc(c.expires_on || "长期")}</div></div>
        <div>${badge(c.status)} <a class="btn" href="#/show/${c.id}">亮证</a></div></div>`).join("") : '<p class="muted">暂无证照</p>'}</div>`;
  },

  async events() {
    const list = await api.get("/me/life-events");
    const items = Array.isArray(list) ? list : list.items || [];
    view.innerHTML = `<div class="card"><h2>人生事件</h2>${items.length ? items.map((e) => `
      <div class="row life-event"><div><div>${esc(EVENTS[e.type] || e.type)}</div><div class="muted">${e.source === "self" ? "本人申报" : "部门提供"}</div></div><span>${esc(e.date)}</span></div>`).join("")
      : '<p class="muted">暂无记录</p>'}</div>`;
  },

  async me() {
    const me = await refreshMe();
    view.innerHTML = `<div class="card"><h2>我的账号</h2>
      <div class="row"><span>认证等级</span><span id="me-level">${LEVELS[me.level]}</span></div>
      <div class="row"><span>姓名</span><span id="me-name">${esc(me.name || "—")}</span></div>
      <div class="row"><span>身份证号</span><span id="me-id">${esc(me.id_number || "—")}</span></div>
      <div class="row"><span>手机号</span><span>${esc(me.phone || "—")}</span></div>
      <div class="row"><span>人脸认证有效至</span><span>${fmtDate(me.l3_lapses_at)}</span></div>
      <button class="block ghost" onclick="location.hash='#/access-log'">谁查看了我的数据</button>
      <button class="block ghost" id="my-authorizations" onclick="location.hash='#/authorizations'">我的授权</button>
      <button class="block danger" id="logout">退出登录</button></div>`;
    document.getElementById("logout").onclick = async () => {
      await api.post("/auth/logout").catch(() => null);
      api.setTokens(null);
      location.hash = "#/login";
    };
  },

  async "access-log"() {
    const list = await api.get("/me/access-log");
    const items = Array.isArray(list) ? list : list.items || [];
    view.innerHTML = `<div class="card"><h2>谁查看了我的数据</h2>${items.length ? items.map((e) => `
      <div class="row access-entry"><div><div>${esc(e.actor)}</div><div class="muted">${esc((e.data || []).join("、"))} · ${esc(e.purpose || "")}</div></div>
      <span class="muted">${fmtDate(e.at)}</span></div>`).join("") : '<p class="muted">暂无记录</p>'}</div>`;
  },
  ...businessRoutes,
  ...serviceRoutes,
  ...banshiRoutes,
  ...consentRoutes,
  ...credentialRoutes,
  ...appointmentRoutes,
};

async function render() {
  const [name, ...args] = (location.hash.replace(/^#\//, "").split("?")[0] || "home").split("/");
  if (!api.tokens() && name !== "login") {
    if (name === "consent") sessionStorage.setItem("yss-return", location.hash); // back here after logging in
    location.hash = "#/login"; return;
  }
  document.querySelectorAll("nav.tabs a").forEach((a) => a.classList.toggle("on", a.dataset.tab === name));
  const handler = routes[name] || routes.home;
  try {
    await handler(...args.map(decodeURIComponent));
  } catch (error) {
    if (error.status === 401) { api.setTokens(null); location.hash = "#/login"; return; }
    view.innerHTML = `<div class="card"><div class="error" data-code="${esc(error.code || "")}">${esc(error.message)}</div>
      ${error.code === "level_required" ? '<a class="btn" href="#/verify">去认证</a>' : ""}</div>`;
  }
}

window.addEventListener("hashchange", render);
render();
