// The public figures page: reads the open dataset department-quality-monthly and draws SVG charts.
const DATASET = "/api/v1/open-data/department-quality-monthly";
const SERIES = [
  { field: "average_score", title: "平均分（1–5）", color: "#722ed1", max: 5, show: v => v.toFixed(2) },
  { field: "satisfied_share", title: "满意率", color: "#1a6fe8", max: 1, show: v => `${(v * 100).toFixed(1)}%` },
  { field: "rectified_on_time_share", title: "整改按期率", color: "#00b42a", max: 1, show: v => `${(v * 100).toFixed(1)}%` },
  { field: "median_days", title: "办理时长中位数（天）", color: "#ff7d00", max: null, show: v => v.toFixed(2) },
];
const SVG = "http://www.w3.org/2000/svg";

function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

function lastTwelveMonths(now = new Date()) {
  const months = [];
  for (let i = 11; i >= 0; i--) {
    const d = new Date(now.getFullYear(), now.getMonth() - i, 1);
    months.push(`${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`);
  }
  return months;
}

async function allRows() {
  const rows = [];
  for (let page = 1; ; page++) {
    const answer = await fetch(`${DATASET}/rows?page=${page}&page_size=1000`);
    if (!answer.ok) throw new Error(`开放数据读取失败（${answer.status}）`);
    rows.push(...await answer.json());
    const { total } = JSON.parse(answer.headers.get("X-Pagination") || "{}");
    if (!total || rows.length >= total) return rows;
  }
}

function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

// One line chart over the 12 months; a month without a published figure is a gap, not a zero.
function lineChart(months, values, series) {
  const W = 300, H = 110, left = 34, right = 16, top = 8, bottom = 20;
  const present = values.filter(v => v !== null);
  const max = series.max ?? Math.max(1, ...present.map(v => Math.ceil(v)));
  const x = i => left + (i * (W - left - right)) / (months.length - 1);
  const y = v => top + (1 - v / max) * (H - top - bottom);
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": series.title, class: "series-" + series.field });
  for (const t of [0, 0.5, 1]) {
    svg.append(el("line", { x1: left, x2: W - right, y1: y(t * max), y2: y(t * max), class: "axis" }));
    svg.append(el("text", { x: left - 4, y: y(t * max) + 3, "text-anchor": "end" },
      series.max === 1 ? `${t * 100}%` : (t * max).toFixed(Number.isInteger(t * max) ? 0 : 1)));
  }
  months.forEach((m, i) => {
    if (i % 3 === 0 || i === months.length - 1) {
      svg.append(el("text", { x: x(i), y: H - 5, "text-anchor": "middle" }, m.slice(2)));
    }
  });
  let path = "";
  values.forEach((v, i) => {
    if (v === null) return;
    path += `${path && values[i - 1] !== null ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)} `;
  });
  if (path) svg.append(el("path", { d: path, class: "line", stroke: series.color }));
  values.forEach((v, i) => {
    if (v !== null) {
      const dot = el("circle", { cx: x(i), cy: y(v), r: 3, fill: series.color, class: "point" });
      dot.append(el("title", {}, `${months[i]}：${series.show(v)}`));
      svg.append(dot);
    }
  });
  if (!present.length) {
    svg.append(el("text", { x: W / 2, y: H / 2, "text-anchor": "middle" }, "近12个月数据不足，未公布"));
  }
  return svg;
}

// 12-month figures of one department: shares weighted by the count they are computed over.
function summary(rows) {
  const weighted = (field, count) => {
    const usable = rows.filter(r => r[field] !== null && r[count] !== null);
    const n = usable.reduce((s, r) => s + r[count], 0);
    return n ? { value: usable.reduce((s, r) => s + r[field] * r[count], 0) / n, n } : { value: null, n: 0 };
  };
  return {
    satisfied: weighted("satisfied_share", "ratings"),
    rectified: weighted("rectified_on_time_share", "rectifications_counted"),
    onTime: weighted("on_time_share", "tickets_resolved"),
    medianDays: weighted("median_days", "tickets_resolved"),
  };
}

function shown(value, how) {
  if (value === null || value === undefined) return "—";
  return how === "share" ? `${(value * 100).toFixed(1)}%` : value.toFixed(2);
}

function render(rows, meta) {
  const months = lastTwelveMonths();
  const recent = rows.filter(r => months.includes(r.month));
  const departments = new Map();
  for (const r of recent) {
    if (!departments.has(r.department_code)) departments.set(r.department_code, { name: r.department_name, rows: [] });
    departments.get(r.department_code).rows.push(r);
  }
  document.querySelector("#updated").textContent = meta.updated_at
    ? `统计期 ${months[0]} 至 ${months[11]} · 数据更新于 ${new Date(meta.updated_at).toLocaleString("zh-CN", { hour12: false })}`
    : "数据尚未生成。";

  const ranked = [...departments.entries()].map(([code, d]) => ({ code, ...d, s: summary(d.rows) }))
    .sort((a, b) => (b.s.satisfied.value ?? -1) - (a.s.satisfied.value ?? -1) || b.s.satisfied.n - a.s.satisfied.n);
  document.querySelector("#ranking").innerHTML = ranked.length ? `
    <table class="rank"><thead><tr><th></th><th>部门</th><th class="num">满意率</th><th class="num">整改按期率</th>
      <th class="num">按期办结率</th></tr></thead><tbody>
    ${ranked.map((d, i) => `<tr data-department="${esc(d.code)}"><td class="pos">${d.s.satisfied.value === null ? "" : i + 1}</td>
      <td>${esc(d.name)}</td><td class="num">${shown(d.s.satisfied.value, "share")}</td>
      <td class="num">${shown(d.s.rectified.value, "share")}</td><td class="num">${shown(d.s.onTime.value, "share")}</td></tr>`).join("")}
    </tbody></table>` : `<p class="muted">近12个月没有公布的数据。</p>`;

  const grid = document.createElement("div");
  grid.className = "dept-grid";
  for (const d of ranked) {
    const card = document.createElement("div");
    card.className = "card dept";
    card.dataset.department = d.code;
    card.innerHTML = `<h2>${esc(d.name)}</h2>`;
    const byMonth = new Map(d.rows.map(r => [r.month, r]));
    for (const series of SERIES) {
      const values = months.map(m => byMonth.get(m)?.[series.field] ?? null);
      const latest = [...values].reverse().find(v => v !== null);
      const box = document.createElement("div");
      box.className = "chart";
      box.innerHTML = `<h3><span>${series.title}</span><span>${latest === undefined ? "—" : series.show(latest)}</span></h3>`;
      box.append(lineChart(months, values, series));
      card.append(box);
    }
    grid.append(card);
  }
  document.querySelector("#departments").replaceChildren(grid);
}

async function main() {
  try {
    const meta = await (await fetch(DATASET)).json();
    render(await allRows(), meta);
  } catch (error) {
    document.querySelector("#updated").textContent = error.message;
  }
}

main();
