// Live updates: the server says "refresh" (with the contact it concerns)
// when something changes; this swaps in the changed part of the page.
// Everything works without this script, by reloading.
(function () {
  "use strict";
  // Picking a canned reply puts it in the reply box to edit.
  var canned = document.getElementById("canned");
  if (canned) canned.addEventListener("change", function () {
    var box = document.getElementById("reply-text");
    if (canned.value !== "" && box) { box.value = canned.options[canned.selectedIndex].text; box.focus(); }
    canned.value = "";
  });
  if (!window.EventSource || !window.fetch) return;
  var page = document.body.dataset.page;
  var contact = document.body.dataset.contact;
  if (page !== "inbox" && page !== "conversation") return;
  var busy = false, again = false;

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    var url = page === "inbox" ? "/console/inbox" + location.search : location.pathname;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        if (page === "inbox") {
          document.getElementById("inbox").innerHTML = html;
          return;
        }
        var doc = new DOMParser().parseFromString(html, "text/html");
        ["transcript", "handoff"].forEach(function (id) {
          var fresh = doc.getElementById(id), old = document.getElementById(id);
          if (fresh && old) old.replaceWith(fresh);
        });
      })
      .catch(function () {})
      .finally(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }

  // The stream starts after the event the page was rendered at, so that
  // nothing between the page and the stream is missed; on a reconnect the
  // browser sends Last-Event-ID, which the server prefers.
  var after = document.body.dataset.event;
  var es = new EventSource("/console/events" + (after ? "?after=" + encodeURIComponent(after) : ""));
  es.addEventListener("refresh", function (e) {
    if (page === "inbox" || e.data === contact || e.data === "*") refresh();
  });
  // The waiting clocks move on even when nothing happens.
  if (page === "inbox") setInterval(refresh, 30000);
})();
