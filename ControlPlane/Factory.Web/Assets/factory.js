// Factory's one script. Pages work without it (plain links and forms); it adds lazy loading and live updates.
"use strict";

// Logs, SBOMs and checks load when opened: <details data-src="URL"> gets the URL's text (a tail first) in its <pre>.
document.addEventListener("toggle", async (event) => {
  const details = event.target;
  if (!(details instanceof HTMLDetailsElement) || !details.open || !details.dataset.src || details.dataset.loaded) return;
  details.dataset.loaded = "1";
  const target = details.querySelector("[data-fill]");
  try {
    const response = await fetch(details.dataset.src);
    const body = await response.text();
    if (target.tagName === "PRE") target.textContent = body; else target.innerHTML = body;
    if (!response.ok) target.classList.add("bad");
  } catch (error) {
    target.textContent = "could not load: " + error;
  }
}, true);

// Plan pages follow the plan through server-sent events until it completes.
const live = document.querySelector("[data-events]");
if (live) {
  const source = new EventSource(live.dataset.events);
  source.addEventListener("progress", (event) => {
    const update = JSON.parse(event.data);
    for (const [name, value] of Object.entries(update.counts)) {
      const element = document.getElementById("count-" + name);
      if (element) element.textContent = value;
    }
    const bar = document.getElementById("progress-done");
    if (bar) bar.style.width = update.done_percent + "%";
    const status = document.getElementById("plan-status");
    if (status) { status.textContent = update.status; status.className = "badge s-" + update.status; }
    for (const item of update.items) {
      const row = document.querySelector(`tr[data-key="${item.key}"]`);
      if (!row) continue;
      row.querySelector(".status").innerHTML = item.html;
    }
    live.dataset.updates = String(Number(live.dataset.updates || "0") + 1);
  });
  source.addEventListener("done", () => {
    source.close();
    live.dataset.done = "1";
    const cancel = document.getElementById("cancel-form");
    if (cancel) cancel.remove();
  });
}
