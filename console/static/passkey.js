// Passkeys (WebAuthn): adding one on the settings page, and using one as
// the second step at sign-in. The server makes the options and checks
// the answers (console/passkey.go); this only carries them between it
// and the browser's navigator.credentials.
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials || !window.fetch) return;
  function bytes(s) { // base64url to ArrayBuffer
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var b = atob(s), a = new Uint8Array(b.length);
    for (var i = 0; i < b.length; i++) a[i] = b.charCodeAt(i);
    return a.buffer;
  }
  function text(buf) { // ArrayBuffer to base64url
    if (!buf) return undefined;
    var a = new Uint8Array(buf), s = "";
    for (var i = 0; i < a.length; i++) s += String.fromCharCode(a[i]);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function post(url, body, json) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": json ? "application/json" : "application/x-www-form-urlencoded", "Accept": "application/json" },
      body: body
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (v) {
        if (!r.ok) throw new Error(v.error || "Something went wrong. Please try again.");
        return v;
      });
    });
  }
  var error = document.getElementById("passkey-error");
  function fail(e) {
    if (!error) return;
    // A person who closes the browser's passkey window has not failed.
    error.textContent = e && e.name === "NotAllowedError" ? "No passkey was used. Try again, or use the code from your app." : (e && e.message) || String(e);
    error.hidden = false;
  }
  function creds(list) {
    return (list || []).map(function (c) { return Object.assign({}, c, { id: bytes(c.id) }); });
  }

  // Adding a passkey (settings).
  var add = document.getElementById("passkey-add");
  if (add) {
    add.hidden = false;
    var nojs = document.getElementById("passkey-nojs");
    if (nojs) nojs.hidden = true;
    add.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (error) error.hidden = true;
      var name = document.getElementById("passkey-name").value;
      post("/console/settings/passkeys/begin", "name=" + encodeURIComponent(name))
        .then(function (opts) {
          var pk = opts.publicKey;
          pk.challenge = bytes(pk.challenge);
          pk.user.id = bytes(pk.user.id);
          pk.excludeCredentials = creds(pk.excludeCredentials);
          return navigator.credentials.create({ publicKey: pk });
        })
        .then(function (c) {
          return post("/console/settings/passkeys/finish", JSON.stringify({
            id: c.id, rawId: text(c.rawId), type: c.type,
            authenticatorAttachment: c.authenticatorAttachment || undefined,
            clientExtensionResults: c.getClientExtensionResults(),
            response: {
              clientDataJSON: text(c.response.clientDataJSON),
              attestationObject: text(c.response.attestationObject),
              transports: c.response.getTransports ? c.response.getTransports() : undefined
            }
          }), true);
        })
        .then(function (v) { window.location.assign(v.next); })
        .catch(fail);
    });
  }

  // The second step by passkey (sign-in).
  var signin = document.getElementById("passkey-signin");
  if (signin) {
    signin.hidden = false;
    document.getElementById("passkey-use").addEventListener("click", function () {
      if (error) error.hidden = true;
      post("/console/mfa/passkey/begin", "")
        .then(function (opts) {
          var pk = opts.publicKey;
          pk.challenge = bytes(pk.challenge);
          pk.allowCredentials = creds(pk.allowCredentials);
          return navigator.credentials.get({ publicKey: pk });
        })
        .then(function (c) {
          return post("/console/mfa/passkey/finish?next=" + encodeURIComponent(signin.dataset.next || "/console/"), JSON.stringify({
            id: c.id, rawId: text(c.rawId), type: c.type,
            clientExtensionResults: c.getClientExtensionResults(),
            response: {
              clientDataJSON: text(c.response.clientDataJSON),
              authenticatorData: text(c.response.authenticatorData),
              signature: text(c.response.signature),
              userHandle: text(c.response.userHandle)
            }
          }), true);
        })
        .then(function (v) { window.location.assign(v.next); })
        .catch(fail);
    });
  }
})();
