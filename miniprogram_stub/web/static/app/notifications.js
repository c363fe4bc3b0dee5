// 消息设置: which kinds of message reach me on WeChat, quiet hours and the daily cap (the push
// preferences), and the WeChat subscribe consent. wx.requestSubscribeMessage is played by the
// emulator's developer API (the user's answer per template), then reported to yss, as the mini
// program reports what the WeChat client answered.
import { esc, act, emulator } from "/shared/api.js";
import { ctx } from "/app/app.js";

const STATUS = { accept: "已允许", reject: "已拒绝", ban: "已关闭（在微信设置中）", filter: "微信已屏蔽" };

// wx.requestSubscribeMessage({ tmplIds }) → { [template_id]: accept|reject }, as the user answers it.
async function requestSubscribeMessage(openid, answers) {
  for (const [templateId, status] of Object.entries(answers)) {
    await emulator("POST", "/consents", { openid, template_id: templateId, status });
  }
  return answers;
}

function consentRow(t) {
  const state = t.status ? STATUS[t.status] || t.status : "未订阅";
  const left = t.kind === "one_time" && t.status === "accept" ? `，还可接收 ${t.credits ?? 0} 条` : "";
  return `<div class="row subscription" data-template="${esc(t.template_id)}"><div><div>${esc(t.title)}</div>
      <div class="muted"><span class="subscription-state">${esc(state)}</span>${esc(left)} · ${t.kind === "one_time" ? "每次允许可收一条" : "允许后长期有效"}</div></div>
      <span><button class="subscribe" data-template="${esc(t.template_id)}" data-answer="accept">允许</button>
      <button class="ghost subscribe" data-template="${esc(t.template_id)}" data-answer="reject">拒绝</button></span></div>`;
}

export const notificationRoutes = {
  async "notification-settings"() {
    const [prefs, templates] = await Promise.all([ctx.api.get("/me/notification-preferences"), ctx.api.get("/me/subscriptions/templates")]);
    const labels = prefs.category_labels || {};
    ctx.view.innerHTML = `
      <div class="card"><h2>微信订阅消息</h2>
        <p class="muted">允许后，提醒和办理进度会同时发到您的微信；不允许也可在“消息提醒”中查看。</p>
        <div id="subscriptions">${templates.map(consentRow).join("")}</div><div id="sub-err"></div></div>
      <div class="card"><h2>推送到微信的消息</h2>
        <div class="checks" id="categories">${Object.entries(prefs.categories).map(([code, on]) => `
          <label><input type="checkbox" name="category" value="${esc(code)}" ${on ? "checked" : ""}>${esc(labels[code] || code)}</label>`).join("")}</div>
        <p class="muted">办件的审批结果总会通知您，不能关闭。</p>
        <label for="quiet-start">免打扰开始（北京时间）</label><input id="quiet-start" type="time" value="${esc(prefs.quiet_hours.start)}">
        <label for="quiet-end">免打扰结束</label><input id="quiet-end" type="time" value="${esc(prefs.quiet_hours.end)}">
        <label for="daily-cap">每天最多微信消息条数</label><input id="daily-cap" type="number" min="0" value="${esc(prefs.daily_cap)}">
        <button class="block" id="save-preferences">保存设置</button><div id="pref-err"></div></div>`;
    const save = document.getElementById("save-preferences");
    save.onclick = async () => {
      const categories = Object.fromEntries([...document.querySelectorAll("input[name=category]")].map((i) => [i.value, i.checked]));
      const body = { categories, quiet_hours: { start: document.getElementById("quiet-start").value, end: document.getElementById("quiet-end").value },
        daily_cap: Number(document.getElementById("daily-cap").value) };
      await act(save, document.getElementById("pref-err"), () => ctx.api.patch("/me/notification-preferences", body), "设置已保存");
    };
    document.querySelectorAll("button.subscribe").forEach((b) => b.onclick = async () => {
      const user = ctx.wxUser();
      const done = await act(b, document.getElementById("sub-err"), async () => {
        if (!user) throw new Error("请先用微信登录");
        const results = await requestSubscribeMessage(user.openid, { [b.dataset.template]: b.dataset.answer });
        return ctx.api.post("/me/subscriptions", { results });
      }, b.dataset.answer === "accept" ? "已允许接收" : "已拒绝接收");
      if (done.ok) notificationRoutes["notification-settings"]();
    });
  },
};
