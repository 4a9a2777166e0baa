/* The Mini App's sign-in: hand Telegram's signed initData to the server, which checks it and opens a session.
   Telegram's own script is not loaded: inside Telegram it may be present (window.Telegram.WebApp); otherwise
   the data arrives in the address's fragment (#tgWebAppData=...), as Telegram passes it to every Mini App. */
(function () {
  "use strict";
  function fromFragment() {
    var hash = window.location.hash.replace(/^#/, "");
    var params = new URLSearchParams(hash);
    return params.get("tgWebAppData") || "";
  }
  var webApp = window.Telegram && window.Telegram.WebApp;
  var initData = (webApp && webApp.initData) || fromFragment();
  var form = document.getElementById("miniapp-form");
  if (!initData || !form) {
    var outside = document.getElementById("miniapp-outside");
    var opening = document.getElementById("miniapp-opening");
    if (outside) outside.hidden = false;
    if (opening) opening.hidden = true;
    return;
  }
  if (webApp && webApp.ready) webApp.ready();
  form.elements["init_data"].value = initData;
  form.submit();
})();
