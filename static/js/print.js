// A 打印 button: <button data-print>. (An inline onclick would break the CSP, which allows only our own scripts.)
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
