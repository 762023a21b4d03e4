// The punch button: one tap sends one request (the server also merges a double tap).
document.querySelectorAll(".punch-form").forEach(function (form) {
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    if (button) { window.setTimeout(function () { button.disabled = true; }, 0); }
  });
});
