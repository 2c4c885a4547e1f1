// The web page's language switch, kept while the reader moves through the page: without script, #en and #zh
// in the address show one language (style.css, :target) until the next link is followed; with it, the choice
// stays for the visit (sessionStorage). Nothing is fetched; nothing but the page's own links is touched.
"use strict";
(function () {
  const root = document.documentElement;
  const links = document.querySelectorAll(".languages a");
  function show(lang) {
    root.dataset.show = lang;
    links.forEach((a) => {
      const own = a.getAttribute("href") === (lang === "both" ? "#top" : "#" + lang);
      if (own) a.setAttribute("aria-current", "true"); else a.removeAttribute("aria-current");
    });
    try { sessionStorage.setItem("highlight-language", lang); } catch (e) { /* storage refused: fine */ }
  }
  links.forEach((a) => a.addEventListener("click", (event) => {
    event.preventDefault();
    const lang = a.getAttribute("href").slice(1);
    show(lang === "top" ? "both" : lang);
    history.replaceState(null, "", location.pathname + location.search);
  }));
  let saved = null;
  try { saved = sessionStorage.getItem("highlight-language"); } catch (e) { saved = null; }
  const asked = location.hash.slice(1);
  show(asked === "en" || asked === "zh" ? asked : (saved === "en" || saved === "zh" ? saved : "both"));
})();
