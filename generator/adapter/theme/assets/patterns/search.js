/* Pattern search: runs in the browser over this language's index (search/<lang>.json), with no
 * server and no request beyond this site. Results are built with textContent only.
 *
 * The index (generator/core/search.py) holds every text already normalised: lower case, punctuation
 * as spaces, Latin words stemmed, Hangul as written. Here:
 * - a query is split into terms; Korean terms also try their stem without particles and
 *   endings (고객에게 → 고객, 늦어요 → 늦어, 화난 → 화나) and are found inside longer words
 *   (응대 in 고객응대); English terms are stemmed like the text (licks → lick, listening → listen);
 * - each term also looks for the words of its synonym groups (search_synonyms.yaml), weighed
 *   below the word itself; a Korean word the pages never use is split into two words they do
 *   use (고객응대 → 고객 + 응대), else cut to a one-syllable stem, else matched by its
 *   two-syllable pieces;
 * - a pattern scores per term by the best field it matched in (title, aliases, patlet,
 *   situations, tags, the other language's title), plus its body sections, weighed lower;
 *   rare terms count more than terms every pattern has;
 * - patterns that match every term come first; a result opens at the section that matched
 *   when the match was not in the title, aliases, patlet or tags.
 * For speed with a thousand patterns, `prepare` builds a vocabulary of the distinct words once;
 * a keystroke searches that vocabulary, not the text, and remembers what it found. */
(function () {
  "use strict";

  var HEAD = ["title", "aliases", "summary", "situations", "tags", "other"];
  var WEIGHT = [14, 10, 7, 6, 6, 4];          // per HEAD field
  var SITUATIONS = 3;                          // index of "situations" in HEAD
  var TOP = [true, true, true, false, true, true];  // a match here opens the page at the top
  var BODY = 1.5;                              // body sections, scaled by log2(1 + hits)
  var Q_SYNONYM = 0.7, Q_BIGRAM = 0.55, Q_PREFIX = 0.45, Q_STEM = 0.6;
  var ALL_SLACK_FROM = 4;                      // from this many terms, "all" allows one term missing

  var STEM_RULES = [["ies", "y", false], ["ied", "y", false], ["sses", "ss", false], ["eed", "", false],
    ["ings", "", true], ["ing", "", true], ["edly", "", true], ["ed", "", true], ["s", "", false]];
  var HANGUL = /[\uac00-\ud7a3]/;
  var TOKEN = /[a-z0-9]+|[\uac00-\ud7a3\u3131-\u318e]+/g;
  var PARTICLES = ["으로부터", "에게서", "한테서", "이라도", "에서는", "에게는", "으로는", "이라는", "에서도", "에게도",
    "이랑", "처럼", "보다", "까지", "부터", "에서", "에게", "한테", "께서", "으로", "이나", "이며", "라는", "이란",
    "은", "는", "이", "가", "을", "를", "에", "의", "와", "과", "로", "도", "만", "랑", "요"];
  var ENDINGS = ["했었어요", "하겠어요", "해주세요", "했습니다", "되었어요", "했어요", "었어요", "았어요", "였어요", "겠어요",
    "합니다", "습니다", "됩니다", "하세요", "이에요", "할까요", "을까요", "는데요", "거든요", "잖아요", "나요", "까요",
    "어요", "아요", "여요", "에요", "예요", "해요", "돼요", "니다", "었다", "았다", "였다", "했다", "한다", "는다",
    "어서", "아서", "해서", "하면", "으면", "면서", "으며", "는데", "은데", "인데", "지만", "려면", "려고", "으려고",
    "고요", "네요", "군요", "는지", "은지", "인지", "하기", "하는", "하고", "하게", "해야", "해도", "하지", "했던",
    "하던", "스러운", "스럽다", "다고", "라고", "냐고",
    "한", "할", "해", "기", "고", "게", "지", "며", "서", "면", "다", "요", "음", "던", "야"];
  /* Vowel contractions at the end of a stem: 친해져 → 친해지, 해 → 하, 봐 → 보. */
  var UNCONTRACT = { "해": "하", "져": "지", "쳐": "치", "려": "리", "혀": "히", "봐": "보", "줘": "주", "둬": "두",
    "돼": "되", "써": "쓰", "꺼": "끄", "워": "우", "와": "오", "켜": "키", "겨": "기", "뎌": "디", "텨": "티" };
  var STOP_KO = Object.create(null);  // looked up with the reader's words: "constructor" is no stop word
  ("우리 우린 저희 제가 저는 나는 내가 너무 정말 진짜 좀 그냥 어떻게 어떡 뭐 뭘 무엇 왜 이거 그거 저거 이런 그런 " +
   "저런 이 그 저 것 거 수 때 등 및 할까 하나 해야 하면 있 없 않 안 싶 같 되 돼 하 해 한 방법 경우 대해 관련 " +
   "가 오 주 제 법 마라 말라 마세요 말고 보지 봐요 보면 봐야 뭔가 어떤 무슨 그리고 그런데 근데 하지만 그래서 " +
   "엄청 매우 아주 많이 조금 항상 맨날 누구 누가 언제 어디 자꾸 계속 또 다 더 잘 해버렸 되나 되나요 하나요 할까요 어떻게요").split(" ").forEach(function (w) { STOP_KO[w] = 1; });
  var STOP_EN = Object.create(null);
  ("the a an of to and or is are was were be been being am in on for with we i it its my our they their them " +
   "at by about what how do does did doing this that these those me us you your he she his her him from into " +
   "than then there here so if not no don doesn didn isn aren wasn cannot t s ve re ll d m should would " +
   "could can will shall may might must have has had get got when why who whom where which as just really very " +
   "too some any all up out over again still also beyond during without within between through against " +
   "across around per via upon onto toward towards among").split(" ").forEach(function (w) { STOP_EN[stem(w)] = 1; });

  /* The same stemmer as generator/core/search.py `stem` (same rules, same order); tests compare them. */
  function stem(word) {
    if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
    for (var i = 0; i < STEM_RULES.length; i++) {
      var suffix = STEM_RULES[i][0];
      if (word.slice(-suffix.length) !== suffix) continue;
      if (suffix === "eed") break;                       // need, speed, agreed: left alone
      var base = word.slice(0, word.length - suffix.length);
      if (base.length < 3 || (STEM_RULES[i][2] && !/[aeiouy]/.test(base))) continue;
      if (suffix === "s" && /(ss|us|is)$/.test(word)) break;
      word = base + STEM_RULES[i][1];
      break;
    }
    if (word.length >= 4) word = word.replace(/([bdgkmnprt])\1$/, "$1");
    word = word.replace(/iz(?=[eia]|$)/g, "is");
    if (word.length > 5) word = word.replace(/our$/, "or");
    if (/e$/.test(word) && word.length >= 4) word = word.slice(0, -1);
    if (/y$/.test(word) && word.length >= 4 && "aeiou".indexOf(word.charAt(word.length - 2)) < 0) {
      word = word.slice(0, -1) + "i";
    }
    return word;
  }

  function stripOne(t, list, stems) {
    for (var i = 0; i < list.length; i++) {
      var s = list[i];
      if (t.length > s.length && t.slice(-s.length) === s) {
        var base = t.slice(0, -s.length);
        // A one-syllable stem is trusted only after a clear ending of two or more syllables:
        // 늦어요 → 늦, 돈으로 → 돈, 밖이에요 → 밖, but not 회의 → 회 or 말을 → 말.
        if (base.length === 1 && s.length >= 2 && stems.indexOf(base) < 0) stems.push(base);
        return base;
      }
    }
    return null;
  }

  /* The last syllable without its final consonant ㄴ, ㄹ or ㅆ (화난 → 화나, 했 → 해), then uncontracted. */
  function restore(f) {
    var out = [], last = f.charCodeAt(f.length - 1) - 0xac00;
    if (last >= 0 && last < 11172) {
      var jong = last % 28;
      if (jong === 4 || jong === 8 || jong === 20) {
        f = f.slice(0, -1) + String.fromCharCode(0xac00 + last - jong);
        out.push(f);
      }
    }
    var un = UNCONTRACT[f.charAt(f.length - 1)];
    if (un && f.length > 1) out.push(f.slice(0, -1) + un);
    return out;
  }

  /* Stems worth trying for a Korean word, longest first; the word itself is first. */
  function koreanForms(t) {
    var forms = [t], queue = [{ f: t, verb: true }], stems = [], restored = [];
    function add(f, verb) { if (f && forms.indexOf(f) < 0) { forms.push(f); queue.push({ f: f, verb: verb }); } }
    for (var round = 0; round < 3 && queue.length; round++) {
      var next = queue; queue = [];
      for (var i = 0; i < next.length; i++) {
        add(stripOne(next[i].f, PARTICLES, stems), false);
        add(stripOne(next[i].f, ENDINGS, stems), true);
        // Only a verb form has a stem to restore (화난 → 화나); a noun before a particle does not (지연에).
        if (next[i].verb) restore(next[i].f).forEach(function (r) { if (forms.indexOf(r) < 0) restored.push(r); add(r, true); });
      }
    }
    var rest = forms.slice(1).sort(function (a, b) { return b.length - a.length; });
    var out = [t].concat(rest);
    out.stems = stems;
    out.restored = restored;
    return out;
  }

  function isStopKo(t, forms) {
    if (STOP_KO[t]) return true;
    for (var i = 1; i < forms.length; i++) if (STOP_KO[forms[i]] && forms[i].length >= t.length - 2) return true;
    return false;
  }

  /* ---------------------------------------------------------------- the prepared index */

  function prepare(index) {
    var docs = index.docs, segDoc = [], segKind = [], segAnchor = [], segText = [], firstSeg = [];
    var vocab = new Map(), words = [], postings = [];
    docs.forEach(function (d, i) {
      var keys = d.keys || {};
      var texts = HEAD.map(function (f) { return keys[f] || " "; });
      d.sections.forEach(function (s) { texts.push(s[1]); });
      firstSeg.push(segText.length);
      texts.forEach(function (text, k) {
        var seg = segText.length;
        segDoc.push(i); segKind.push(k < HEAD.length ? k : -1);
        segAnchor.push(k < HEAD.length ? (k === SITUATIONS ? "situations" : null) : d.sections[k - HEAD.length][0]);
        segText.push(text);
        var counts = new Map(), parts = text.split(/\s+/);
        for (var p = 0; p < parts.length; p++) {
          if (parts[p]) counts.set(parts[p], (counts.get(parts[p]) || 0) + 1);
        }
        counts.forEach(function (n, w) {
          var id = vocab.get(w);
          if (id === undefined) { id = words.length; vocab.set(w, id); words.push(w); postings.push([]); }
          postings[id].push(seg, n);
        });
      });
    });
    var starts = new Array(words.length), at = 1;
    for (var w = 0; w < words.length; w++) { starts[w] = at; at += words[w].length + 1; }
    var single = new Map(), phrases = [];
    (index.synonyms || []).forEach(function (g) {
      g.keys.forEach(function (k) {
        if (k.indexOf(" ") >= 0) phrases.push({ key: k, korean: HANGUL.test(k), group: g });
        else { if (!single.has(k)) single.set(k, []); single.get(k).push(g); }
      });
    });
    phrases.sort(function (a, b) { return b.key.length - a.key.length; });
    return { docs: docs, labels: index.labels || {}, segDoc: segDoc, segKind: segKind, segAnchor: segAnchor,
      segText: segText, firstSeg: firstSeg, vocab: vocab, words: words, postings: postings, starts: starts,
      vocabText: "\n" + words.join("\n") + "\n", single: single, phrases: phrases, cache: new Map() };
  }

  function wordAt(P, offset) {
    var lo = 0, hi = P.starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (P.starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /* Where a needle occurs: [seg, count, seg, count, …]. mode: "word" (a whole Latin word),
   * "prefix" (a Latin word start), "inside" (Korean, inside a word), "phrase" (several words). */
  function hits(P, needle, mode) {
    var key = mode + ":" + needle, found = P.cache.get(key);
    if (found) return found;
    var ids = [], out = [];
    if (mode === "word") {
      var id = P.vocab.get(needle);
      if (id !== undefined) ids.push(id);
    } else if (mode === "prefix" || mode === "inside") {
      var probe = mode === "prefix" ? "\n" + needle : needle, text = P.vocabText, from = 0;
      for (;;) {
        var at = text.indexOf(probe, from);
        if (at < 0) break;
        var w = wordAt(P, mode === "prefix" ? at + 1 : at);
        ids.push(w);
        from = P.starts[w] + P.words[w].length + 1;
      }
    }
    if (mode === "phrase") {
      var parts = needle.split(" "), longest = parts.reduce(function (a, b) { return b.length > a.length ? b : a; });
      var korean = HANGUL.test(needle), probeText = korean ? needle : " " + needle + " ";
      var candidates = hits(P, longest, korean ? "inside" : "word"), seen = {};
      for (var c = 0; c < candidates.length; c += 2) {
        var seg = candidates[c];
        if (seen[seg]) continue;
        seen[seg] = 1;
        var n = 0, pos = P.segText[seg].indexOf(probeText);
        while (pos >= 0) { n++; pos = P.segText[seg].indexOf(probeText, pos + 1); }
        if (n) out.push(seg, n);
      }
    } else {
      for (var i = 0; i < ids.length; i++) {
        var list = P.postings[ids[i]];
        for (var j = 0; j < list.length; j++) out.push(list[j]);
      }
    }
    if (P.cache.size > 2000) P.cache.clear();
    P.cache.set(key, out);
    return out;
  }

  /* ---------------------------------------------------------------- the query */

  function needleFor(text, quality) {
    var korean = HANGUL.test(text);
    if (text.indexOf(" ") >= 0) return { text: text, mode: "phrase", q: quality };
    // One Korean syllable is a stem or a short noun (늦, 믿, 밖, 돈): only at the start of a word.
    if (korean && text.length === 1) return { text: text, mode: "prefix", q: quality };
    return { text: text, mode: korean ? "inside" : "word", q: quality };
  }

  /* The query as terms, each with the needles to look for and how much a match of each is worth. */
  function terms(P, query) {
    var raw = (query || "").normalize("NFC").toLowerCase().match(TOKEN) || [];
    var tokens = [];
    raw.forEach(function (t) {
      var korean = HANGUL.test(t);
      if (korean && t.length === 1 && PARTICLES.indexOf(t) >= 0 && tokens.length) return;  // "SLA를"
      tokens.push(korean ? t : stem(t));
    });
    // Synonym phrases ("dress code", "화를 내") become one term each, longest first, matched against
    // the query as typed (Korean: the phrase may end inside a word) or as stemmed words (English).
    var joined = " ", offsets = [], cover = [], merged = [];
    tokens.forEach(function (t) { offsets.push(joined.length); joined += t + " "; });
    P.phrases.forEach(function (p) {
      var at = joined.indexOf(" " + p.key + (p.korean ? "" : " "));
      if (at < 0) return;
      var span = [];
      for (var i = 0; i < tokens.length; i++) {
        if (offsets[i] + tokens[i].length > at + 1 && offsets[i] < at + 1 + p.key.length) span.push(i);
      }
      var taken = span.map(function (i) { return cover[i]; }).filter(function (c) { return c !== undefined; });
      if (taken.length) {
        if (taken.length === span.length && merged[taken[0]].key === p.key) merged[taken[0]].groups.push(p.group);
        return;
      }
      span.forEach(function (i) { cover[i] = merged.length; });
      merged.push({ key: p.key, first: span[0], groups: [p.group] });
    });
    var out = [];
    tokens.forEach(function (text, i) {
      if (cover[i] !== undefined) {
        var m = merged[cover[i]];
        if (m.first === i) out.push(phraseTerm(m));
      } else {
        var t = wordTerm(P, text);
        if (t.korean && !t.stop && !found(P, t.needles)) out = out.concat(fallback(P, t));
        else out.push(t);
      }
    });
    if (out.every(function (t) { return t.stop; })) out.forEach(function (t) { t.stop = false; });
    out = out.filter(function (t) { return !t.stop; });
    out.phrase = tokens.length > 1 ? tokens.join(" ") : null;   // the query as typed, stop words and all
    return out;
  }

  /* A Korean word without its particle or ending (일정지연을 → 일정지연), as written otherwise. */
  function bare(t) {
    for (var i = 1; i < t.forms.length; i++) {
      var f = t.forms[i];
      if (f.length >= 2 && f.length >= t.text.length - 2 && t.text.indexOf(f) === 0) return f;
    }
    return t.text;
  }

  function found(P, needles) {
    for (var i = 0; i < needles.length; i++) {
      if (needles[i].own && hits(P, needles[i].text, needles[i].mode).length) return true;
    }
    return false;
  }

  /* A Korean word the pages never use as written: a compound of two words they do use
   * (고객응대 → 고객 + 응대, 일정지연 → 일정 + 지연), else its one-syllable stem (밖이에요 → 밖). */
  function fallback(P, t) {
    var word = bare(t);
    var splits = [];
    for (var k = 2; k <= word.length - 2; k++) splits.push(k);
    splits.sort(function (a, b) { return Math.abs(a - word.length / 2) - Math.abs(b - word.length / 2); });
    for (var s = 0; s < splits.length; s++) {
      var left = word.slice(0, splits[s]), right = word.slice(splits[s]);
      if (hits(P, left, "inside").length && hits(P, right, "inside").length) {
        return [wordTerm(P, left), wordTerm(P, right)];
      }
    }
    t.forms.forEach(function (form, i) {
      if (i > 0 && form.length === 1 && !STOP_KO[form]) t.needles.push(own(needleFor(form, Q_STEM)));
    });
    return [t];
  }

  function own(needle) { needle.own = true; return needle; }

  function addTargets(needles, groups) {
    var seen = {};
    needles.forEach(function (n) { seen[n.mode + n.text] = 1; });
    groups.forEach(function (g) {
      g.targets.forEach(function (x) {
        var n = needleFor(x, Q_SYNONYM);
        if (!seen[n.mode + n.text]) { seen[n.mode + n.text] = 1; needles.push(n); }
      });
    });
    return needles;
  }

  function phraseTerm(m) {
    var korean = HANGUL.test(m.key);
    return { text: m.key, korean: korean, forms: [m.key], stop: false,
      needles: addTargets([own(needleFor(m.key, 1))], m.groups) };
  }

  function wordTerm(P, text) {
    var korean = HANGUL.test(text), forms = korean ? koreanForms(text) : [text], groups = [], needles = [];
    if (!korean) {
      groups = P.single.get(text) || [];
      needles.push({ text: text, mode: "word", q: 1, own: true });
      if (text.length >= 4) needles.push({ text: text, mode: "prefix", q: Q_PREFIX, own: true });
    } else {
      // Synonyms of the word's start (짜증나요 → 짜증, 늦어요 → 늦), of a stem (화난 → 화나), and of
      // the second half of a compound (고객응대 → 응대, 일정지연 → 지연).
      var found = null, tail = null;
      for (var len = text.length; len >= 1 && !found; len--) found = P.single.get(text.slice(0, len));
      for (var f = 1; f < forms.length && !found; f++) found = P.single.get(forms[f]);
      var longest = forms.length > 1 ? forms[1] : text;
      for (var k = 2; k <= longest.length - 2 && !tail; k++) tail = P.single.get(longest.slice(k));
      groups = (found || []).concat(tail || []);
      forms.forEach(function (form, i) {
        if (i > 0 && form.length < 2 && forms.stems.indexOf(form) < 0) return;
        var q = i === 0 ? 1 : form.length === 1 || forms.restored.indexOf(form) >= 0 ? Q_STEM :
          Math.max(0.75, 0.6 + 0.4 * form.length / text.length);
        needles.push(own(needleFor(form, q)));
      });
    }
    var stop = korean ? isStopKo(text, forms) : !!STOP_EN[text];
    return { text: text, korean: korean, forms: forms, stop: stop, needles: addTargets(needles, groups) };
  }

  /* ---------------------------------------------------------------- scoring */

  function idfOf(N, df) { return Math.max(0.05, Math.log(1 + (N - df + 0.5) / (df + 0.5))); }

  /* How well each pattern matches one term: the best head field any of its needles is in, plus
   * the body hits of all of them. Synonyms count less than the word itself. */
  function termMatches(P, needles) {
    var N = P.docs.length, value = new Float64Array(N), top = new Uint8Array(N), own = new Uint8Array(N);
    var head = new Float64Array(N), body = new Float64Array(N), topHere = new Uint8Array(N), seen = new Uint8Array(N);
    var where = new Map();
    for (var n = 0; n < needles.length; n++) {
      var nd = needles[n], list = hits(P, nd.text, nd.mode), touched = [];
      for (var i = 0; i < list.length; i += 2) {
        var seg = list[i], count = list[i + 1], doc = P.segDoc[seg], kind = P.segKind[seg];
        var q = nd.docQ ? nd.docQ[doc] : nd.q;
        if (!q) continue;
        if (!seen[doc]) { seen[doc] = 1; touched.push(doc); }
        var v = Math.min(count, 3) * q;
        if (kind >= 0) {
          // A synonym in the title is not the reader naming the pattern: it counts like the patlet.
          var w = (nd.own ? WEIGHT[kind] : Math.min(WEIGHT[kind], WEIGHT[2])) * q;
          if (w > head[doc]) head[doc] = w;
          if (TOP[kind]) { topHere[doc] = 1; continue; }
          v *= 2;                                  // situations: a section of its own on the page
        } else {
          body[doc] += v;
        }
        if (v > (where.get(seg) || 0)) where.set(seg, v);
      }
      for (var t = 0; t < touched.length; t++) {
        var d = touched[t];
        if (nd.own) own[d] = 1;
        seen[d] = 0;
      }
    }
    // The best head field any needle is in, plus the body hits of all needles together.
    var df = 0, dfOwn = 0;
    for (var x = 0; x < N; x++) {
      value[x] = head[x] + BODY * Math.log2(1 + body[x]);
      if (topHere[x]) top[x] = 1;
      if (value[x] > 0) df++;
      if (own[x]) dfOwn++;
    }
    // How much the term counts: by how rare the word itself is, or its synonyms if it is absent.
    var weight = idfOf(N, dfOwn || df);
    for (var y = 0; y < N; y++) value[y] *= weight;
    where.forEach(function (v, seg) { where.set(seg, v * weight); });
    return { value: value, top: top, where: where, df: df, weight: weight };
  }

  /* A Korean word found nowhere, not even as two words: look for its two-syllable pieces, and
   * count a pattern that has its first piece and at least half of them. */
  function bigramNeedles(P, term) {
    var word = bare(term);
    if (!term.korean || word.length < 3 || word.indexOf(" ") >= 0) return [];
    var pieces = [], N = P.docs.length, share = new Float64Array(N);
    for (var i = 0; i + 2 <= word.length; i++) {
      if (pieces.indexOf(word.slice(i, i + 2)) < 0) pieces.push(word.slice(i, i + 2));
    }
    pieces.forEach(function (piece) {
      var list = hits(P, piece, "inside"), docs = {};
      for (var j = 0; j < list.length; j += 2) docs[P.segDoc[list[j]]] = 1;
      for (var d in docs) share[d] += 1 / pieces.length;
    });
    // The word's first piece must be there: the others may be a common ending (려면, 하는).
    var first = hits(P, pieces[0], "inside"), start = new Uint8Array(N), docQ = new Float64Array(N);
    for (var j = 0; j < first.length; j += 2) start[P.segDoc[first[j]]] = 1;
    for (var d2 = 0; d2 < N; d2++) if (start[d2] && share[d2] >= 0.5) docQ[d2] = Q_BIGRAM * share[d2];
    return pieces.map(function (piece) { return { text: piece, mode: "inside", q: Q_BIGRAM, docQ: docQ, own: true }; });
  }

  function score(P, query) {
    var ts = terms(P, query);
    if (!ts.length) return [];
    var N = P.docs.length, matches = [], weight = [], active = [];
    ts.forEach(function (t, i) {
      var m = termMatches(P, t.needles);
      if (!m.df) {
        var pieces = bigramNeedles(P, t);
        if (pieces.length) m = termMatches(P, pieces);
      }
      matches.push(m);
      weight.push(m.weight);
      if (m.df) active.push(i);
    });
    if (!active.length) return [];
    var totalWeight = 0;
    active.forEach(function (i) { totalWeight += weight[i]; });
    // A sentence of four or more words usually carries a word no pattern needs to contain.
    var needed = active.length >= ALL_SLACK_FROM ? active.length - 1 : active.length;
    var phrase = ts.phrase;
    var results = [];
    for (var d = 0; d < N; d++) {
      var total = 0, covered = 0, matched = 0, topWeight = 0;
      for (var a = 0; a < active.length; a++) {
        var i = active[a], m = matches[i];
        if (!m.value[d]) continue;
        matched++; covered += weight[i]; total += m.value[d];
        if (m.top[d]) topWeight += weight[i];
      }
      if (!matched) continue;
      var coverage = covered / totalWeight;
      total *= 0.3 + 0.7 * coverage * coverage;
      if (phrase && inHead(P, d, phrase)) total *= 1.3;
      results.push({ doc: P.docs[d], index: d, score: total, all: matched >= needed, matched: matched,
        atTop: topWeight >= covered / 2, section: null, sectionLabel: null });
    }
    results.sort(function (x, y) {
      return (y.all - x.all) || (y.score - x.score) || (x.index - y.index);
    });
    // The section to open at: where the terms not found in the title, aliases, patlet or tags were found.
    var bySeg = new Map();
    active.forEach(function (i) {
      matches[i].where.forEach(function (v, seg) {
        if (!matches[i].top[P.segDoc[seg]]) bySeg.set(seg, (bySeg.get(seg) || 0) + v);
      });
    });
    var best = new Map();
    bySeg.forEach(function (v, seg) {
      var doc = P.segDoc[seg], b = best.get(doc);
      if (!b || v > b.v) best.set(doc, { v: v, seg: seg });
    });
    results.forEach(function (r) {
      var b = best.get(r.index);
      if (r.atTop || !b) return;
      r.section = P.segAnchor[b.seg];
      r.sectionLabel = P.labels[r.section] || null;
    });
    return results;
  }

  function inHead(P, doc, phrase) {
    for (var s = P.firstSeg[doc]; s < P.segDoc.length && P.segDoc[s] === doc && P.segKind[s] >= 0; s++) {
      if (P.segText[s].indexOf(phrase) >= 0) return true;
    }
    return false;
  }

  /* The link of a result: the pattern, at the section that matched if it was not in the head. */
  function target(result) {
    return result.doc.url + (result.section ? "#" + result.section : "");
  }

  /* ---------------------------------------------------------------- the search box */

  function setUp(root) {
    var input = root.querySelector("input");
    var list = root.querySelector("ul");
    var status = root.querySelector(".patterns-search__status");
    var base = root.getAttribute("data-base");
    var prepared = null, loading = null, active = -1;

    function load() {
      if (!loading) {
        loading = fetch(root.getAttribute("data-index"))
          .then(function (r) { return r.json(); })
          .then(function (index) { prepared = prepare(index); return prepared; });
      }
      return loading;
    }

    function close() {
      list.hidden = true; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(i) {
      var items = list.querySelectorAll("[role=option]");
      if (!items.length) return;
      active = (i + items.length) % items.length;
      for (var k = 0; k < items.length; k++) items[k].setAttribute("aria-selected", k === active ? "true" : "false");
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function show(results) {
      list.textContent = "";
      var top = results.slice(0, 10);
      top.forEach(function (r, i) {
        // The link itself is the option: an option may not hold another control (ARIA).
        var li = document.createElement("li");
        li.setAttribute("role", "none");
        li.className = "patterns-search__result";
        var a = document.createElement("a");
        a.id = "patterns-search-option-" + i;
        a.setAttribute("role", "option");
        a.href = base + target(r);
        a.tabIndex = -1;
        var title = document.createElement("strong");
        title.textContent = r.doc.title;
        var patlet = document.createElement("span");
        patlet.textContent = r.doc.summary;
        a.appendChild(title); a.appendChild(patlet);
        if (r.sectionLabel) {
          var where = document.createElement("small");
          where.className = "patterns-search__where";
          where.textContent = "→ " + r.sectionLabel;
          a.appendChild(where);
        }
        li.appendChild(a);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });
        list.appendChild(li);
      });
      if (!top.length) {
        var none = document.createElement("li");
        none.className = "patterns-search__none";
        none.setAttribute("role", "option");
        none.setAttribute("aria-disabled", "true");
        none.textContent = root.getAttribute("data-none");
        list.appendChild(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = top.length ? root.getAttribute("data-count").replace("{n}", top.length)
        .replace("{total}", results.length) : root.getAttribute("data-none");
      active = -1;
    }

    function run() {
      var q = input.value;
      if (!q.trim()) { close(); status.textContent = ""; return; }
      if (prepared) { show(score(prepared, q)); return; }
      load().then(function (p) { if (input.value === q) show(score(p, q)); });
    }

    input.addEventListener("focus", load);
    input.addEventListener("input", run);
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); if (list.hidden) run(); else highlight(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active - 1); }
      else if (e.key === "Enter") {
        var items = list.querySelectorAll("li a");
        var pick = items[active >= 0 ? active : 0];
        if (pick) { e.preventDefault(); window.location.href = pick.href; }
      } else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    document.addEventListener("keydown", function (e) {
      var tag = (document.activeElement && document.activeElement.tagName) || "";
      if (e.key === "/" && !/INPUT|TEXTAREA|SELECT/.test(tag)) { e.preventDefault(); input.focus(); }
    });
  }

  window.patternsSearch = { prepare: prepare, score: score, terms: terms, stem: stem, target: target,
    koreanForms: koreanForms };
  document.querySelectorAll(".patterns-search").forEach(setUp);
})();
