// Served from the portal itself (no asset from elsewhere). A form marked data-once is sent once: its
// submit button is disabled as it goes, so a double click sends one request. Without this script the
// form still works, and the Idempotency-Key it carries makes a second send harmless.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.hasAttribute || !form.hasAttribute("data-once")) { return; }
  if (form.getAttribute("data-sent") === "1") { event.preventDefault(); return; }
  form.setAttribute("data-sent", "1");
  var buttons = form.querySelectorAll("[data-once-button]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].setAttribute("aria-disabled", "true");
    // Disabled after the event, so the pressed button's own name/value still goes with the form.
    (function (button) { setTimeout(function () { button.disabled = true; }, 0); })(buttons[i]);
  }
});
