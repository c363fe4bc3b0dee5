// The console's desk layout: a list pane beside a detail pane, kept while the user moves between the
// items of one list (the list is not redrawn, its current item is marked) and rebuilt for another list.
export function panes(view, kind) {
  let split = view.querySelector(":scope > .desk-split");
  if (!split || split.dataset.kind !== kind) {
    view.innerHTML = `<div class="desk-split" data-kind="${kind}"><section id="pane-list"></section>
      <section id="pane-case"><div class="card muted pane-empty">从左侧列表选择一项办理</div></section></div>`;
    split = view.querySelector(":scope > .desk-split");
  }
  return { list: split.querySelector("#pane-list"), detail: split.querySelector("#pane-case") };
}

// Marks the list item whose data-id is ``id`` as the one open beside it.
export function markCurrent(list, selector, id) {
  list.querySelectorAll(selector).forEach((item) => item.classList.toggle("current", item.dataset.id === String(id)));
}

// A page of a paged list: 上一页 / 下一页 from the API's X-Pagination (as api.js keeps it).
export function pager(data, onPage) {
  const p = data && data.__pagination;
  if (!p || (p.total_pages || 1) <= 1) return { html: "", bind: () => {} };
  const html = `<div class="pager"><button class="ghost" data-page="${p.page - 1}" ${p.page <= 1 ? "disabled" : ""}>上一页</button>
    <span class="muted">第 ${p.page} / ${p.total_pages} 页 · 共 ${p.total} 条</span>
    <button class="ghost" data-page="${p.page + 1}" ${p.page >= p.total_pages ? "disabled" : ""}>下一页</button></div>`;
  return { html, bind: (root) => root.querySelectorAll("[data-page]").forEach((b) => { b.onclick = () => onPage(Number(b.dataset.page)); }) };
}
