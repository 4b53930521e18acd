// A [data-print] button prints the page (the rectification letter, TEN-07); no inline script (CSP).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
