/* Fill a source's title, publisher and date from its page when an editor pastes its URL.
 * The admin's lookup view fetches the page with the safe fetcher and answers JSON; values are
 * put into form inputs (.value), never into the page's HTML, so a hostile title stays text.
 * Blank boxes are filled; anything the editor typed is kept. */
"use strict";
(function () {
  function sibling(input, name) {
    // "pledge_sources-0-url" -> "pledge_sources-0-title"; "url" -> "title".
    var field = input.name.replace(/url$/, name);
    return input.form ? input.form.elements.namedItem(field) : null;
  }

  function say(input, text) {
    var note = input.parentNode.querySelector(".source-lookup-note");
    if (!note) {
      note = document.createElement("div");
      note.className = "help source-lookup-note";
      input.parentNode.appendChild(note);
    }
    note.textContent = text;
  }

  function lookup(input) {
    var url = input.value.trim();
    if (!url || url === input.dataset.lookedUp) { return; }
    input.dataset.lookedUp = url;
    say(input, "Reading the page…");
    var address = input.dataset.lookupUrl + "?url=" + encodeURIComponent(url);
    fetch(address, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        ["title", "publisher", "published_on"].forEach(function (name) {
          var box = sibling(input, name);
          if (box && !box.value && data[name]) { box.value = data[name]; }
        });
        if (data.url && data.url !== url) { input.value = data.url; input.dataset.lookedUp = data.url; }
        if (data.existing) {
          say(input, "Already a source: it will be linked, not duplicated.");
        } else {
          say(input, data.error ? data.error : "Details filled in from the page; check them.");
        }
      })
      .catch(function () { say(input, "Could not read the page; fill in the details by hand."); });
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input && input.classList && input.classList.contains("source-lookup")) { lookup(input); }
  });
})();
