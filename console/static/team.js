// Working as a team, on the inbox and a person's page: single-key
// shortcuts (j/k, r, e, ?), a sound for a new urgent handoff, and who else
// has the person's page open. Everything here is an extra: the pages work
// without it, and without it nothing of this shows.
(function () {
  "use strict";
  var tools = document.getElementById("team-tools");
  var dialog = document.getElementById("shortcuts");
  if (!tools || !dialog) return;
  var page = document.body.dataset.page;
  var contact = document.body.dataset.contact;
  // Choices are kept in this browser, per worker (two colleagues may share
  // a computer).
  var user = tools.dataset.user || "";
  function pref(name) {
    try { return window.localStorage.getItem("linkline." + name + "." + user); } catch (e) { return null; }
  }
  function setPref(name, value) {
    try { window.localStorage.setItem("linkline." + name + "." + user, value); } catch (e) { /* private mode: this page only */ }
  }
  tools.hidden = false;

  // say puts a sentence in the page's status message (console.js makes
  // it; without the live stream, one of our own).
  function say(text) {
    var live = document.getElementById("live");
    if (!live) {
      live = document.createElement("div");
      live.id = "live";
      live.className = "visually-hidden";
      live.setAttribute("role", "status");
      document.body.appendChild(live);
    }
    live.textContent = text;
  }

  // --- Keyboard shortcuts (WCAG 2.1.4: they can be turned off) ---
  var on = document.getElementById("shortcuts-on");
  var state = document.getElementById("shortcuts-state");
  var opener = document.getElementById("shortcuts-open");
  function enabled() { return pref("shortcuts") !== "off"; }
  function showState() {
    on.checked = enabled();
    state.textContent = enabled() ? "are on: press ? for the list." : "are off.";
    state.className = "meta-inline";
  }
  showState();
  on.addEventListener("change", function () {
    setPref("shortcuts", on.checked ? "on" : "off");
    showState();
  });
  // Closing the list puts focus back where it was.
  var back = null;
  function showList() {
    back = document.activeElement && document.activeElement !== document.body ? document.activeElement : opener;
    dialog.showModal();
  }
  opener.addEventListener("click", showList);
  dialog.addEventListener("close", function () { if (back && back.focus) back.focus(); });

  // typing says whether a key press belongs to a box being typed in.
  function typing(e) {
    var t = e.target;
    if (!t || !t.tagName) return false;
    var tag = t.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || t.isContentEditable;
  }
  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#inbox li.handoff"));
  }
  function rowOf(el) {
    return el && el.closest ? el.closest("#inbox li.handoff") : null;
  }
  function link(li) { return li.querySelector("a.name"); }

  // On the inbox, j and k move focus along the list (to each person's
  // name). On a person's page they open the next or previous person in
  // the inbox as it was last filtered.
  function move(step) {
    if (page === "inbox") {
      var all = rows();
      if (!all.length) { say("No one is in the list."); return; }
      var at = all.indexOf(rowOf(document.activeElement));
      var next = at < 0 ? (step > 0 ? 0 : all.length - 1) : at + step;
      if (next < 0 || next >= all.length) { say(step > 0 ? "That is the last person in the list." : "That is the first person in the list."); return; }
      link(all[next]).focus();
      all[next].scrollIntoView({ block: "nearest" });
      return;
    }
    var query = "";
    try { query = window.sessionStorage.getItem("linkline.inbox") || ""; } catch (e) { /* none */ }
    fetch("/console/inbox" + query, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        var tpl = document.createElement("template");
        tpl.innerHTML = html;
        var hrefs = Array.prototype.map.call(tpl.content.querySelectorAll("li.handoff a.name"), function (a) { return a.getAttribute("href"); });
        var at = hrefs.indexOf("/console/contacts/" + contact);
        var next = at < 0 ? 0 : at + step;
        if (!hrefs.length || next < 0 || next >= hrefs.length) { say(step > 0 ? "No next person in the inbox." : "No previous person in the inbox."); return; }
        window.location.assign(hrefs[next]);
      })
      .catch(function () { say("The inbox could not be read. Try again."); });
  }
  function focusField(id, form) {
    var el = document.getElementById(id);
    if (!el) return false;
    var f = document.getElementById(form) || el;
    f.scrollIntoView({ block: "center" });
    el.focus();
    return true;
  }
  if (page === "inbox") {
    try { window.sessionStorage.setItem("linkline.inbox", window.location.search); } catch (e) { /* none */ }
  }
  // A person opened from the inbox with e goes straight to the resolve
  // form (console.js does the same for #reply).
  if (page === "conversation" && window.location.hash === "#resolve") {
    window.addEventListener("load", function () { focusField("outcome", "resolve"); });
  }

  // A key that acted is not also typed into the box it moved focus to
  // (a browser may still send its character after the key press).
  var swallow = false;
  document.addEventListener("keypress", function (e) { if (swallow) { swallow = false; e.preventDefault(); } }, true);
  document.addEventListener("keyup", function () { swallow = false; });
  document.addEventListener("keydown", function (e) {
    swallow = false;
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing || typing(e)) return;
    if (dialog.open || !enabled()) return;
    var key = e.key, row = rowOf(document.activeElement);
    switch (key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "r":
        if (page === "conversation") {
          if (!focusField("reply-text", "reply") && !focusField("takeover-reason", "takeover")) say("There is no reply box on this page.");
        } else if (row) {
          window.location.assign(link(row).getAttribute("href") + "#reply");
        } else {
          say("Move to a person first, with j or k.");
        }
        break;
      case "e":
        // Only opens the form: resolving needs the outcome and the button.
        if (page === "conversation") {
          if (!focusField("outcome", "resolve")) say("There is nothing to resolve on this page.");
        } else if (row) {
          window.location.assign(link(row).getAttribute("href") + "#resolve");
        } else {
          say("Move to a person first, with j or k.");
        }
        break;
      case "?": showList(); break;
      default: return;
    }
    e.preventDefault();
    swallow = true;
  });

  // --- A sound for a new urgent handoff (off unless turned on) ---
  var sound = document.getElementById("sound-on");
  var audio = null;
  if (sound) {
    sound.checked = pref("sound") === "on";
    sound.addEventListener("change", function () {
      setPref("sound", sound.checked ? "on" : "off");
      if (sound.checked) ready();
    });
  }
  // ready makes the audio context during a click or key press: browsers
  // let a page make sound only after the person has done something there.
  function ready() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return null;
    try {
      if (!audio) audio = new Ctx();
      if (audio.state === "suspended") audio.resume();
    } catch (e) { audio = null; }
    return audio;
  }
  // tone plays two short beeps, made here (no sound file). Each time it is
  // asked to, the page counts it in body[data-sounds] (tests read that).
  function tone() {
    document.body.dataset.sounds = String(Number(document.body.dataset.sounds || 0) + 1);
    var a = ready();
    if (!a) return;
    try {
      [0, 0.25].forEach(function (at) {
        var osc = a.createOscillator(), gain = a.createGain(), t = a.currentTime + at;
        osc.type = "sine";
        osc.frequency.value = 880;
        gain.gain.setValueAtTime(0.0001, t);
        gain.gain.exponentialRampToValueAtTime(0.3, t + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.18);
        osc.connect(gain).connect(a.destination);
        osc.start(t);
        osc.stop(t + 0.2);
      });
    } catch (e) { /* no sound: the title badge and status message still say it */ }
  }
  document.addEventListener("linkline:urgent", function () {
    if (sound && sound.checked) tone();
  });

  // --- Who else has this person's page open ---
  var viewers = document.getElementById("viewers");
  document.addEventListener("linkline:presence", function (e) {
    if (!viewers) return;
    var names = e.detail || [];
    if (!names.length) { viewers.textContent = ""; return; }
    var list = names.length === 1 ? names[0] : names.slice(0, -1).join(", ") + " and " + names[names.length - 1];
    viewers.textContent = "Also viewing: " + list;
  });
})();
