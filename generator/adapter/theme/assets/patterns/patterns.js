/* The reader's tools around the patterns: self-check and progress (kept in this browser only),
 * copyable section links and questions, the situation finder, picking patterns for a retro
 * sheet, the retro sheet itself, and sorting the catalogue. No network but this site's own
 * files; text from data is always set with textContent. */
(function () {
  "use strict";

  var STORE = "patterns.check.";

  function stored(id, kind) {
    try { return localStorage.getItem(STORE + kind + "." + id) === "1"; } catch (e) { return false; }
  }

  function store(id, kind, on) {
    try {
      if (on) localStorage.setItem(STORE + kind + "." + id, "1");
      else localStorage.removeItem(STORE + kind + "." + id);
    } catch (e) { /* storage may be disabled; the check then lasts for this page only */ }
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } finally { document.body.removeChild(area); }
    return Promise.resolve();
  }

  /* Words from the page (e.g. "{n} of {total}") with the numbers put in. */
  function count(template, n, total) {
    return template.replace("{n}", n).replace("{total}", total);
  }

  /* Said once by screen readers through the page's status region; a repeat is said again. */
  function announce(text) {
    var region = document.querySelector(".pattern-announce");
    if (!region) return;
    region.textContent = "";
    setTimeout(function () { region.textContent = text; }, 50);
  }

  function flash(button, label) {
    var before = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", before);
    button.textContent = label;
    setTimeout(function () { button.textContent = before; }, 1500);
  }

  function selfCheck() {
    document.querySelectorAll(".pattern-check").forEach(function (box) {
      var id = box.getAttribute("data-pattern");
      box.querySelectorAll("input[data-check]").forEach(function (input) {
        var kind = input.getAttribute("data-check");
        input.checked = stored(id, kind);
        input.addEventListener("change", function () { store(id, kind, input.checked); });
      });
    });
  }

  function progress() {
    var panel = document.querySelector(".pattern-progress");
    if (!panel) return;
    var marks = document.querySelectorAll(".pattern-progress__mark");
    var words = panel.getAttribute("data-count");
    var read = 0, tried = 0, unread = null;
    marks.forEach(function (mark) {
      var id = mark.getAttribute("data-pattern");
      var r = stored(id, "read"), t = stored(id, "tried");
      read += r ? 1 : 0; tried += t ? 1 : 0;
      if (!r && !unread) unread = mark.closest("li").querySelector("a");
      mark.textContent = (r ? " ✓ " + panel.getAttribute("data-label-read") : "") +
        (t ? " ✓ " + panel.getAttribute("data-label-tried") : "");
    });
    panel.querySelector(".pattern-progress__read").textContent =
      panel.getAttribute("data-label-read") + ": " + count(words, read, marks.length);
    panel.querySelector(".pattern-progress__tried").textContent =
      panel.getAttribute("data-label-tried") + ": " + count(words, tried, marks.length);
    resume(read, unread);
  }

  /* The start button leads to the first pattern not yet read, once reading has begun. */
  function resume(read, unread) {
    var button = document.querySelector(".pattern-start");
    if (!button || !read) return;
    var first = document.querySelector(".pattern-progress__mark").closest("li").querySelector("a");
    var target = unread || first;
    button.href = target.href;
    button.textContent = button.getAttribute(unread ? "data-resume" : "data-again") + ": " +
      target.textContent + " →";
  }

  /* A visible "copy link" button beside every section heading of a pattern page. */
  function sectionLinks() {
    if (!document.querySelector(".pattern-check")) return;
    var lang = document.documentElement.lang;
    var label = lang === "en" ? "Copy a link to this section" : "이 절의 링크 복사";
    var text = lang === "en" ? "copy link" : "링크 복사";
    document.querySelectorAll(".md-content h2[id]").forEach(function (h) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pattern-copy-link";
      button.setAttribute("aria-label", text + ": " + h.firstChild.textContent.trim());
      button.title = label;
      button.textContent = text;
      button.addEventListener("click", function () {
        var url = location.origin + location.pathname + "#" + h.id;
        copy(url).then(function () {
          flash(button, "✓");
          announce(document.querySelector(".pattern-announce").getAttribute("data-link-copied"));
        });
      });
      h.appendChild(button);
    });
  }

  function copyQuestions() {
    document.querySelectorAll(".pattern-questions").forEach(function (box) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-button pattern-questions__copy";
      button.textContent = box.getAttribute("data-copy-label");
      button.addEventListener("click", function () {
        var lines = [];
        box.querySelectorAll("li").forEach(function (li, i) { lines.push((i + 1) + ". " + li.textContent.trim()); });
        copy(lines.join("\n")).then(function () {
          flash(button, box.getAttribute("data-copied-label"));
          announce(box.getAttribute("data-announce"));
        });
      });
      box.appendChild(button);
    });
  }

  /* The finder ranks patterns with the site search (window.patternsSearch), so synonyms, Korean
   * particles and English inflections work here as they do in the header; it then shows the
   * situations of the patterns that fit. */
  function finder() {
    var root = document.querySelector(".situation-finder");
    var search = document.querySelector(".patterns-search");
    if (!root || !search || !window.patternsSearch) return;
    var input = root.querySelector("input");
    var status = root.querySelector(".situation-finder__status");
    var groups = Array.prototype.slice.call(document.querySelectorAll(".situation-group"));
    var container = groups.length ? groups[0].parentNode : null;
    var byId = new Map();
    groups.forEach(function (g) { byId.set(g.getAttribute("data-pattern"), g); });
    var opened = null;  // one promise of the opened index, however fast the reader types
    var SHOWN = 5;

    function idOf(url) { return url.replace(/\/$/, "").split("/").pop(); }

    /* The table of contents lists only the patterns shown. */
    function contents() {
      groups.forEach(function (g) {
        var heading = g.querySelector("h2[id]");
        if (!heading) return;
        document.querySelectorAll('.md-nav--secondary a[href="#' + heading.id + '"]').forEach(function (a) {
          a.closest("li").hidden = g.hidden;
        });
      });
    }

    function show(results, q) {
      groups.forEach(function (g) { g.hidden = true; });
      var best = results.length ? results[0].score : 0;
      var shown = 0;
      results.forEach(function (r) {
        if (!r.doc || shown >= SHOWN) return;  // search fetched the titles and addresses of the first SHOWN
        var g = byId.get(idOf(r.doc.url));
        if (!g || r.score < best * 0.4) return;
        g.hidden = false; shown++;
        container.appendChild(g);
      });
      groups.forEach(function (g) { if (g.hidden) container.appendChild(g); });
      status.textContent = shown ? count(root.getAttribute("data-count"), shown, groups.length)
        : root.getAttribute("data-none");
      contents();
      root.setAttribute("data-shown-for", q);  // lets a script (or a test) know the list has settled
    }

    function run() {
      var q = input.value;
      if (!q.trim()) {
        groups.forEach(function (g) { g.hidden = false; container.appendChild(g); });
        contents();
        status.textContent = "";
        root.setAttribute("data-shown-for", "");
        return;
      }
      opened = opened || window.patternsSearch.open(search.getAttribute("data-index"))
        .catch(function (error) { opened = null; throw error; });  // the next keystroke tries again
      opened.then(function (index) { return window.patternsSearch.search(index, q, SHOWN); })
        .then(function (results) { if (input.value === q) show(results, q); },
              function () { if (input.value === q) status.textContent = search.getAttribute("data-failed"); });
    }

    input.addEventListener("input", run);
    var asked = new URLSearchParams(location.search).get("q");
    if (asked) { input.value = asked; run(); }
  }

  function picker() {
    var link = document.querySelector(".retro-picker__link");
    if (!link) return;
    var boxes = document.querySelectorAll(".retro-pick");
    function update() {
      var ids = [];
      boxes.forEach(function (b) { if (b.checked) ids.push(b.value); });
      link.href = link.getAttribute("data-base") + (ids.length ? "?p=" + ids.join(",") : "");
      link.querySelector(".retro-picker__count").textContent = ids.length;
    }
    boxes.forEach(function (b) { b.addEventListener("change", update); });
    update();
  }

  function retroSheet() {
    var sheet = document.querySelector(".retro-sheet");
    if (!sheet) return;
    var ids = (new URLSearchParams(location.search).get("p") || "").split(",").map(function (s) {
      return s.trim();
    }).filter(Boolean);
    var printButton = document.querySelector(".retro-sheet__print");
    if (printButton) printButton.addEventListener("click", function () { window.print(); });
    if (!ids.length) {  // the page says how to pick patterns; there is nothing to print
      if (printButton) printButton.parentNode.hidden = true;
      return;
    }
    var empty = document.querySelector(".retro-sheet__empty");
    if (empty) empty.hidden = true;
    fetch(sheet.getAttribute("data-source")).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function (data) {
      /* Ids come from the address: only the data's own keys count, so "__proto__" or "constructor"
       * is an unknown pattern like any other, never something inherited from Object. */
      var patterns = new Map(Object.keys(data).map(function (key) { return [key, data[key]]; }));
      ids.forEach(function (id) {
        var p = patterns.get(id);
        var section = document.createElement("section");
        section.className = "retro-sheet__pattern";
        section.setAttribute("data-pattern", id);
        var h = document.createElement("h2");
        if (!p) {
          h.textContent = sheet.getAttribute("data-unknown") + ": " + id;
          section.appendChild(h); sheet.appendChild(section);
          return;
        }
        var a = document.createElement("a");
        a.href = sheet.getAttribute("data-base") + p.url;
        a.textContent = p.title;
        h.appendChild(a);
        if (p.candidate) {
          var badge = document.createElement("span");
          badge.className = "pattern-badge";
          badge.textContent = sheet.getAttribute("data-candidate");
          h.appendChild(document.createTextNode(" "));
          h.appendChild(badge);
        }
        section.appendChild(h);
        var summary = document.createElement("p");
        summary.className = "retro-sheet__summary";
        summary.textContent = p.summary;
        section.appendChild(summary);
        var solution = document.createElement("p");
        var label = document.createElement("strong");
        label.textContent = sheet.getAttribute("data-solution") + ". ";
        solution.appendChild(label);
        solution.appendChild(document.createTextNode(p.solution));
        section.appendChild(solution);
        (p.additions || []).forEach(function (text) {  // ours, beyond Rising: marked as such
          var added = document.createElement("p");
          added.className = "retro-sheet__addition";
          var mark = document.createElement("strong");
          mark.textContent = sheet.getAttribute("data-addition") + ". ";
          added.appendChild(mark);
          added.appendChild(document.createTextNode(text));
          section.appendChild(added);
        });
        var qh = document.createElement("h3");
        qh.textContent = sheet.getAttribute("data-questions");
        section.appendChild(qh);
        var list = document.createElement("ol");
        p.questions.forEach(function (q) {
          var li = document.createElement("li");
          li.textContent = q;
          list.appendChild(li);
        });
        section.appendChild(list);
        sheet.appendChild(section);
      });
    }, function () {
      /* Offline, or the data is missing: say so, rather than leave a blank sheet. */
      var failed = document.createElement("p");
      failed.className = "retro-sheet__failed";
      failed.setAttribute("role", "alert");
      failed.textContent = sheet.getAttribute("data-failed");
      sheet.appendChild(failed);
      if (printButton) printButton.parentNode.hidden = true;  // nothing to print
    });
  }

  function catalogueSort() {
    var select = document.getElementById("pattern-sort");
    var list = document.querySelector(".pattern-list ul");
    if (!select || !list) return;
    select.addEventListener("change", function () {
      var items = Array.prototype.slice.call(list.children);
      var key = function (li, attr) { return Number(li.querySelector(".pattern-discussed").getAttribute(attr)); };
      items.sort(function (a, b) {
        if (select.value === "discussed") {
          return (key(b, "data-count") - key(a, "data-count")) || (key(a, "data-position") - key(b, "data-position"));
        }
        return key(a, "data-position") - key(b, "data-position");
      });
      items.forEach(function (li) { list.appendChild(li); });
    });
  }

  /* On the map, pointing at or focusing a pattern brings its own edges forward. */
  function mapHighlight() {
    var svg = document.querySelector(".pattern-map__svg");
    if (!svg) return;
    function light(node, on) {
      svg.classList.toggle("is-dim", on);
      svg.querySelectorAll(".e-" + node.getAttribute("data-pattern")).forEach(function (edge) {
        edge.classList.toggle("is-active", on);
      });
    }
    svg.querySelectorAll(".pattern-map__node").forEach(function (node) {
      ["mouseenter", "focusin"].forEach(function (type) { node.addEventListener(type, function () { light(node, true); }); });
      ["mouseleave", "focusout"].forEach(function (type) { node.addEventListener(type, function () { light(node, false); }); });
    });
  }

  /* The language switch lands on the same place in the other language: same query (a retro sheet's
   * patterns), same fragment (a section, a tag). */
  function languageSwitch() {
    var link = document.querySelector("a.patterns-lang[data-same-page]");
    if (!link) return;
    function keep() {
      var target = new URL(link.getAttribute("href"), location.href);
      target.search = location.search;
      target.hash = location.hash;
      link.href = target.href;
    }
    keep();
    window.addEventListener("hashchange", keep);
    link.addEventListener("click", keep);
  }

  /* A table or code block wider than the screen scrolls sideways; a keyboard reaches it to scroll
   * it, and a screen reader hears which one it is ("Table 2, scrolls sideways"). */
  function scrollRegions() {
    var script = document.querySelector("script[data-scroll-table]");
    if (!script) return;
    function mark() {
      var seen = { table: 0, code: 0 };
      document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset pre > code").forEach(function (box) {
        var kind = box.tagName === "CODE" ? "code" : "table";
        var wide = box.scrollWidth > box.clientWidth + 1;
        if (wide) {
          seen[kind] += 1;
          if (box.hasAttribute("tabindex") && !box.hasAttribute("data-scrolls")) return;  // focusable already
          box.setAttribute("tabindex", "0");
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", script.getAttribute("data-scroll-" + kind).replace("{n}", seen[kind]));
          box.setAttribute("data-scrolls", "");
        } else if (box.hasAttribute("data-scrolls")) {
          ["tabindex", "role", "aria-label", "data-scrolls"].forEach(function (a) { box.removeAttribute(a); });
        }
      });
    }
    // Material wraps tables in their scrolling box when it sets up the page (its document$).
    if (window.document$ && window.document$.subscribe) window.document$.subscribe(mark); else mark();
    window.addEventListener("load", mark);
    var pending = null;
    window.addEventListener("resize", function () { clearTimeout(pending); pending = setTimeout(mark, 200); });
  }

  languageSwitch();
  scrollRegions();
  selfCheck();
  mapHighlight();
  progress();
  sectionLinks();
  copyQuestions();
  finder();
  picker();
  retroSheet();
  catalogueSort();
})();
