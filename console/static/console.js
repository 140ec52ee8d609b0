// Live updates: the server says "refresh" (with the contact it concerns)
// when something changes; this swaps in the changed part of the page.
// Everything works without this script, by reloading.
(function () {
  "use strict";
  // A form that came back with errors: focus goes to the error summary
  // (the GOV.UK pattern), so that a screen reader reads it first and a
  // keyboard user can follow its links to the fields.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
  // The canned-reply menu does nothing by itself: arrow keys fire "change"
  // on each step, so acting on it would put reply 1 in the box (over what
  // was typed) on the way to reply 2. "Use this reply" puts the one chosen
  // in the box to edit and moves focus there. (Without this script, an
  // empty box sends the chosen reply: see conversationReply.)
  var canned = document.getElementById("canned");
  var box = document.getElementById("reply-text");
  if (canned && box) {
    var use = document.createElement("button");
    use.type = "button";
    use.id = "canned-use";
    use.className = "secondary";
    use.textContent = "Use this reply";
    canned.insertAdjacentElement("afterend", use);
    use.addEventListener("click", function () {
      if (canned.value === "") { canned.focus(); return; }
      box.value = canned.options[canned.selectedIndex].text;
      box.dispatchEvent(new Event("input"));
      box.focus();
    });
  }
  // The reply box says, as the link worker types, how many characters and
  // texts an SMS reply takes and in which encoding, counted as
  // templates.Segments does after templates.SMSPunctuation (which the
  // sender applies), and warns above 3 texts or when letters or emoji make
  // it cost double. Screen readers read it as the box's description.
  if (box && document.querySelector(".meta .badge.channel") &&
      /(^|\s)sms(\s|$)/.test(Array.prototype.map.call(document.querySelectorAll(".meta .badge.channel"), function (b) { return b.textContent; }).join(" "))) {
    var gsm = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    var ext = "\f^{}\\[]~|€";
    var plain = [[/[\u2018\u2019\u201a\u201b\u2032\u00b4`]/g, "'"], [/[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g, '"'],
      [/[\u2010-\u2015\u2212\u2022]/g, "-"], [/\u2026/g, "..."], [/[\u00a0\u2002\u2003\u2009\u200a\u202f\u205f\t]/g, " "],
      [/[\u200b\u200c\u200d\u2060\ufeff]/g, ""]];
    var count = document.createElement("p");
    count.id = "reply-count";
    count.className = "count";
    box.insertAdjacentElement("afterend", count);
    // Added to what describes it already (an error message, say).
    box.setAttribute("aria-describedby", ((box.getAttribute("aria-describedby") || "") + " reply-count").trim());
    var measure = function () {
      var text = box.value, i;
      for (i = 0; i < plain.length; i++) text = text.replace(plain[i][0], plain[i][1]);
      var chars = Array.from(text), units = 0, seven = true;
      chars.forEach(function (c) { if (gsm.indexOf(c) < 0 && ext.indexOf(c) < 0) seven = false; });
      var size = seven ? function (c) { return ext.indexOf(c) >= 0 ? 2 : 1; } : function (c) { return c.length; };
      var single = seven ? 160 : 70, part = seven ? 153 : 67, parts = 0, used = 0;
      chars.forEach(function (c) { units += size(c); });
      if (units > 0) parts = 1;
      if (units > single) chars.forEach(function (c) { var n = size(c); if (used + n > part) { parts++; used = 0; } used += n; });
      var says = chars.length + " characters, " + parts + (parts === 1 ? " text" : " texts") + (seven ? "" : ", Unicode (costs double)");
      if (parts > 3) says += ". Warning: this is long for a text message: over 3 texts.";
      count.textContent = says;
      count.className = parts > 3 || !seven ? "count warn" : "count";
    };
    box.addEventListener("input", measure);
    measure();
  }
  // After sending (the page comes back as #reply), focus returns to the
  // reply box.
  // (On "load": the browser's own scroll to #reply comes before it.)
  if (box && location.hash === "#reply") window.addEventListener("load", function () { box.focus(); });
  if (!window.EventSource || !window.fetch) return;
  var page = document.body.dataset.page;
  var contact = document.body.dataset.contact;
  if (page !== "inbox" && page !== "conversation") return;
  var busy = false, again = false;

  // A polite live region says what changed, one short sentence each.
  var live = document.createElement("div");
  live.className = "visually-hidden";
  live.id = "live";
  live.setAttribute("role", "status");
  document.body.appendChild(live);
  function say(lines) {
    if (lines.length) live.textContent = lines.join(" ");
  }

  // A new urgent handoff while the inbox is open puts a count in the tab's
  // title, seen from another tab; the next key press, click or return to
  // the tab clears it.
  var title = document.title, unseen = 0;
  function badge(n) {
    unseen += n;
    document.title = "(" + unseen + " urgent) " + title;
  }
  function unbadge() {
    if (!unseen) return;
    unseen = 0;
    document.title = title;
  }
  document.addEventListener("keydown", unbadge);
  document.addEventListener("pointerdown", unbadge);
  window.addEventListener("focus", unbadge);

  // patch replaces old with fresh unless old holds keyboard focus; then it
  // patches old's children the same way, so the focused element is never
  // replaced and focus is never thrown to the page body.
  function patch(old, fresh) {
    var active = document.activeElement;
    if (!old.contains(active)) { old.replaceWith(fresh); return; }
    if (old === active || old.children.length !== fresh.children.length) return;
    Array.prototype.slice.call(fresh.children).forEach(function (f, i) { patch(old.children[i], f); });
  }

  // updateInbox updates the rows that changed in place, in the new order,
  // without ever taking the focused row out of the page.
  function updateInbox(html) {
    var inbox = document.getElementById("inbox");
    var tpl = document.createElement("template");
    tpl.innerHTML = html;
    var list = inbox.querySelector("ul.inbox"), fresh = tpl.content.querySelector("ul.inbox");
    var news = [];
    if (fresh) Array.prototype.forEach.call(fresh.querySelectorAll("li.handoff.urgent"), function (li) {
      if (!list || !list.querySelector('li[data-handoff="' + li.dataset.handoff + '"]')) {
        var name = li.querySelector(".name");
        news.push("New urgent handoff: " + (name ? name.textContent.trim() : "someone") + ".");
      }
    });
    if (news.length) {
      badge(news.length);
      // team.js plays the sound, if the worker turned it on.
      document.dispatchEvent(new CustomEvent("linkline:urgent", { detail: news.length }));
    }
    if (!list || !fresh) { inbox.replaceChildren.apply(inbox, Array.prototype.slice.call(tpl.content.childNodes)); say(news); return; }
    var active = document.activeElement, keep = null;
    var rows = Array.prototype.map.call(fresh.children, function (li) {
      var old = list.querySelector('li[data-handoff="' + li.dataset.handoff + '"]');
      if (old && old.contains(active)) { patch(old, li); keep = old; return old; }
      if (old && old.outerHTML === li.outerHTML) return old;
      return li;
    });
    Array.prototype.slice.call(list.children).forEach(function (li) { if (rows.indexOf(li) < 0 && li !== keep) li.remove(); });
    if (!keep) { list.replaceChildren.apply(list, rows); say(news); return; }
    var at = rows.indexOf(keep);
    rows.slice(0, at).forEach(function (li) { list.insertBefore(li, keep); });
    rows.slice(at + 1).reverse().forEach(function (li) { keep.after(li); });
    say(news);
  }

  function updateConversation(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var news = [], old = document.getElementById("transcript"), fresh = doc.getElementById("transcript");
    if (old && fresh) {
      var seen = old.querySelectorAll("li.msg").length;
      Array.prototype.slice.call(fresh.querySelectorAll("li.msg"), seen).forEach(function (li) {
        var a = li.querySelector(".author");
        news.push("New message from " + (a ? a.textContent.trim() : "someone") + ".");
      });
    }
    ["transcript", "handoff"].forEach(function (id) {
      var f = doc.getElementById(id), o = document.getElementById(id);
      if (f && o) patch(o, f);
    });
    say(news);
  }

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    var url = page === "inbox" ? "/console/inbox" + location.search : location.pathname;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) { if (page === "inbox") updateInbox(html); else updateConversation(html); })
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
  // A person's page says whose it is, to be listed as viewing them; the
  // stream says who else is ("presence"), shown by team.js.
  var q = [];
  if (after) q.push("after=" + encodeURIComponent(after));
  if (page === "conversation" && contact) q.push("contact=" + encodeURIComponent(contact));
  var es = new EventSource("/console/events" + (q.length ? "?" + q.join("&") : ""));
  es.addEventListener("presence", function (e) {
    var names = [];
    try { names = JSON.parse(e.data); } catch (err) { return; }
    document.dispatchEvent(new CustomEvent("linkline:presence", { detail: names }));
  });
  es.addEventListener("refresh", function (e) {
    if (page === "inbox" || e.data === contact || e.data === "*") refresh();
  });
  // The waiting clocks move on even when nothing happens.
  if (page === "inbox") setInterval(refresh, 30000);
})();
