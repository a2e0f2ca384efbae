// Copy-citation buttons. No inline script anywhere, so a strict CSP can apply.
(function () {
  "use strict";
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } finally { document.body.removeChild(area); }
    return Promise.resolve();
  }
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy");
    if (!button) { return; }
    var text = button.getAttribute("data-copy");
    copy(text).then(function () {
      document.body.setAttribute("data-copied", text);
      var label = button.textContent;
      button.textContent = "已复制";
      button.classList.add("done");
      setTimeout(function () { button.textContent = label; button.classList.remove("done"); }, 1500);
    });
  });

  // Autocomplete: departments, topics, titles and frequent terms for what is typed so far.
  var box = document.getElementById("q");
  var list = document.getElementById("suggestions");
  if (box && list && window.fetch) {
    var timer = null;
    var last = "";
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var words = box.value.split(/\s+/);
        var current = words[words.length - 1];
        if (!current || current === last) { return; }
        last = current;
        fetch(box.getAttribute("data-suggest-url") + "?q=" + encodeURIComponent(current))
          .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
          .then(function (data) {
            var head = words.slice(0, -1).join(" ");
            list.replaceChildren();
            data.suggestions.forEach(function (s) {
              var option = document.createElement("option");
              option.value = (head ? head + " " : "") + s.value;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 150);
    });
  }
})();
