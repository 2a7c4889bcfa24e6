/* Pattern search: runs in the browser over this language's index (search/<lang>/meta.json and the
 * chunks it lists), with no server and no request beyond this site. Results are built with
 * textContent only.
 *
 * The index (generator/core/search_index.py) holds every text already normalised: lower case,
 * punctuation as spaces, Latin words stemmed, Hangul as written; it is cut into chunks of sorted
 * keys, fetched when a query first needs one of their keys. Here:
 * - a query is split into terms; Korean terms also try their stem without particles and
 *   endings (고객에게 → 고객, 늦어요 → 늦어, 화난 → 화나) and are found inside longer words
 *   (응대 in 고객응대); English terms are stemmed like the text (licks → lick, listening → listen);
 * - each term also looks for the words of its synonym groups (search_synonyms.yaml), weighed
 *   below the word itself; a Korean word the pages never use is split into two words they do
 *   use (고객응대 → 고객 + 응대), else cut to a one-syllable stem, else matched by its
 *   two-syllable pieces;
 * - a pattern scores per term as in BM25F: each field it matched in (title, aliases, patlet,
 *   situations, tags, the other language's title, then the sections) adds by its weight and by how
 *   strongly the word stands out there, the sum saturates, and rare terms count more than terms every
 *   pattern has; so a pattern with the whole query in its problem or solution beats one with a single
 *   word of it in its title or in a known use. A head field holding the whole query, and query words
 *   that stand together in the text, add to that; patterns that match every term come first;
 * - a result opens at the section that matched when the match was not in the title, aliases,
 *   patlet or tags.
 * `score` works on the chunks already fetched and notes the ones it lacked; `search` fetches
 * those and scores again, then fetches the titles and patlets of the results it shows. */
(function () {
  "use strict";

  // How much a match in each field counts (BM25F's field weights). The head fields name the pattern.
  // Of its sections, the problem says in a few lines what the pattern is for; the solution is long and
  // lists many practices, and known uses tell stories that mention many things in passing.
  var FIELD_WEIGHT = { title: 4, aliases: 3, summary: 2.5, situations: 2, tags: 2, other: 1, problem: 2,
    context: 1, forces: 1, solution: 0.75, "resulting-context": 0.5, rationale: 1, "known-uses": 0.3, questions: 1 };
  var SATURATION = 4;                          // BM25's k1: more evidence for one term soon adds little
  var LEVEL = [0, 0.125, 0.25, 0.5, 1, 2, 4, 8];  // strengths of the index's levels 1..7 (search_index.py)
  // A head field that holds the whole query names what the reader asked for: by field, how much that counts.
  var HEAD_COVER = [1, 0.8, 0.6, 0.6, 0.5, 0.4], HEAD_BONUS = 3;
  var PAIR_BONUS = 0.5;                        // query words that stand together in the text
  var ALL_SLACK_FROM = 4;                      // from this many terms, "all" allows one term missing
  var Q_SYNONYM = 0.7, Q_BIGRAM = 0.55, Q_PREFIX = 0.45, Q_STEM = 0.6;
  var MAX_ROUNDS = 6;                          // fetches per query: one, more when a word must be split
  var SHOWN = 10;                              // results listed

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

  /* ---------------------------------------------------------------- the index */

  /* The index as the browser holds it: meta.json, and the chunks fetched so far. */
  function prepare(meta, base, fetchJson) {
    var single = new Map(), phrases = [];
    meta.synonyms.forEach(function (keys, id) {
      var g = { keys: keys, id: id };
      keys.forEach(function (k) {
        if (k.indexOf(" ") >= 0) phrases.push({ key: k, korean: HANGUL.test(k), group: g });
        else { if (!single.has(k)) single.set(k, []); single.get(k).push(g); }
      });
    });
    phrases.sort(function (a, b) { return b.key.length - a.key.length; });
    var head = meta.head, fields = meta.fields, stop = Object.create(null);  // "constructor" is no stop word
    meta.stop.forEach(function (w) { stop[w] = 1; });
    return { N: meta.docs, K: fields.length, head: head, labels: meta.labels || {},
      fieldWeight: fields.map(function (f) { return FIELD_WEIGHT[f] || 0; }),
      top: fields.slice(0, head).map(function (f) { return f !== "situations"; }),
      anchor: fields.map(function (f, k) { return k >= head || f === "situations" ? f : null; }),
      firsts: meta.chunks.map(function (c) { return c[0]; }),
      chunkFiles: meta.chunks.map(function (c) { return base + "t/" + c[1] + ".json"; }),
      displaySize: meta.display.size,
      displayFiles: meta.display.files.map(function (f) { return base + "d/" + f + ".json"; }),
      chunks: [], displays: [], missing: new Set(), fetchJson: fetchJson,
      single: single, phrases: phrases, stop: stop, cache: new Map() };
  }

  /* The chunk that would hold a key: the last one whose first key is not after it. */
  function chunkOf(P, key) {
    var lo = 0, hi = P.firsts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (P.firsts[mid] <= key) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /* The first index in a loaded chunk whose key is not before `key`. */
  function keyAt(chunk, key) {
    var lo = 0, hi = chunk.keys.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (chunk.keys[mid] < key) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  function loaded(P, i) {
    if (P.chunks[i]) return P.chunks[i];
    P.missing.add(i);
    return null;
  }

  /* Postings as [field, strength, …], where field = doc * K + field index and strength is how strongly
   * the key stands out there (occurrences for the field's length; 1 in a field of average length). */
  function decode(list) {
    var out = new Array(list.length * 2), field = 0;
    for (var i = 0; i < list.length; i++) {
      field += list[i] >> 3;
      out[2 * i] = field; out[2 * i + 1] = LEVEL[list[i] & 7];
    }
    return out;
  }

  /* The postings of one key, [] if there is none, or null if its chunk is not here yet. */
  function lookup(P, key) {
    var chunk = loaded(P, chunkOf(P, key));
    if (!chunk) return null;
    var i = keyAt(chunk, key);
    return chunk.keys[i] === key ? decode(chunk.lists[i]) : [];
  }

  /* The postings of every key that starts with `prefix`, added up per field. */
  function range(P, prefix) {
    var first = chunkOf(P, prefix), last = chunkOf(P, prefix + "\uffff"), ready = true;
    for (var c = first; c <= last; c++) if (!loaded(P, c)) ready = false;
    if (!ready) return null;
    var counts = new Map();
    for (var c2 = first; c2 <= last; c2++) {
      var chunk = P.chunks[c2];
      for (var i = keyAt(chunk, prefix); i < chunk.keys.length && chunk.keys[i].lastIndexOf(prefix, 0) === 0; i++) {
        var list = decode(chunk.lists[i]);
        for (var j = 0; j < list.length; j += 2) counts.set(list[j], (counts.get(list[j]) || 0) + list[j + 1]);
      }
    }
    var out = [];
    counts.forEach(function (n, field) { out.push(field, n); });
    return out;
  }

  /* Where a needle occurs, or null if a chunk it needs has not been fetched. mode: "word" (a whole
   * Latin word), "prefix" (a Latin word start, or one Hangul syllable at a word's start), "inside"
   * (Korean, inside a word), "phrase" (several words), "pair" (two Latin words together), "group" (a
   * synonym group's words). */
  function hits(P, needle, mode) {
    var key = mode + ":" + needle, found = P.cache.get(key);
    if (found) return found;
    if (mode === "word") found = lookup(P, needle);
    else if (mode === "prefix") found = HANGUL.test(needle) ? lookup(P, "^" + needle) : range(P, needle);
    else if (mode === "inside") found = range(P, "~" + needle);
    else if (mode === "phrase") found = lookup(P, "=" + needle);
    else if (mode === "pair") found = lookup(P, "+" + needle);
    else found = lookup(P, "#" + needle);
    if (!found) return found;
    if (P.cache.size > 2000) P.cache.clear();
    P.cache.set(key, found);
    return found;
  }

  function fetchChunks(P, indexes) {
    return Promise.all(indexes.map(function (i) {
      return P.fetchJson(P.chunkFiles[i]).then(function (flat) {
        var keys = [], lists = [];
        for (var k = 0; k < flat.length; k += 2) { keys.push(flat[k]); lists.push(flat[k + 1]); }
        P.chunks[i] = { keys: keys, lists: lists };
      });
    }));
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
    // Latin words that follow each other once stop words are left out, as the index pairs them.
    var kept = tokens.filter(function (t) { return !P.stop[t]; });
    out.pairs = [];
    for (var k = 1; k < kept.length; k++) {
      if (!HANGUL.test(kept[k - 1]) && !HANGUL.test(kept[k])) out.pairs.push(kept[k - 1] + " " + kept[k]);
    }
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

  /* Whether the pages have the word itself; while its chunks are being fetched, assume they do. */
  function found(P, needles) {
    for (var i = 0; i < needles.length; i++) {
      var list = needles[i].own ? hits(P, needles[i].text, needles[i].mode) : [];
      if (!list || list.length) return true;
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
    var pending = false;
    for (var s = 0; s < splits.length; s++) {
      var left = word.slice(0, splits[s]), right = word.slice(splits[s]);
      var l = hits(P, left, "inside"), r = hits(P, right, "inside");
      if (!l || !r) { pending = true; continue; }   // ask for every split's chunks at once
      if (!pending && l.length && r.length) return [wordTerm(P, left), wordTerm(P, right)];
    }
    if (pending) return [t];
    t.forms.forEach(function (form, i) {
      if (i > 0 && form.length === 1 && !STOP_KO[form]) t.needles.push(own(needleFor(form, Q_STEM)));
    });
    return [t];
  }

  function own(needle) { needle.own = true; return needle; }

  /* Each synonym group is one key of the index: its words as found in the pages, counted together. */
  function addTargets(needles, groups) {
    var seen = {};
    groups.forEach(function (g) {
      if (!seen[g.id]) { seen[g.id] = 1; needles.push({ text: String(g.id), mode: "group", q: Q_SYNONYM }); }
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
    var stop = korean ? isStopKo(text, forms) : !!P.stop[text];
    return { text: text, korean: korean, forms: forms, stop: stop, needles: addTargets(needles, groups) };
  }

  /* ---------------------------------------------------------------- scoring */

  function saturated(e) { return e * (1 + SATURATION) / (e + SATURATION); }

  function idfOf(N, df) { return Math.max(0.05, Math.log(1 + (N - df + 0.5) / (df + 0.5))); }

  /* How well each pattern matches one term, BM25F-style: per field, the best of its needles (the
   * word itself, its stems, its synonyms, each weighed by how sure a match it is) times how strongly
   * it stands out there; the fields added up by weight, and the sum saturated, so that no one term,
   * however often or prominently it occurs, outweighs the others of the query. */
  function termMatches(P, needles) {
    var N = P.N, K = P.K, value = new Float64Array(N), top = new Uint8Array(N), own = new Uint8Array(N);
    var best = new Map(), headQ = new Map(), pending = false;
    for (var n = 0; n < needles.length; n++) {
      var nd = needles[n], list = hits(P, nd.text, nd.mode);
      if (!list) { pending = true; continue; }
      for (var i = 0; i < list.length; i += 2) {
        var seg = list[i], doc = (seg / K) | 0, kind = seg - doc * K;
        var q = nd.docQ ? nd.docQ[doc] : nd.q;
        if (!q) continue;
        if (nd.own) own[doc] = 1;
        if (kind < P.head && P.top[kind]) top[doc] = 1;
        // A synonym in the title is not the reader naming the pattern: it counts like the patlet.
        var w = nd.own || kind >= P.head ? P.fieldWeight[kind] : Math.min(P.fieldWeight[kind], P.fieldWeight[2]);
        var e = w * q * list[i + 1];
        if (e > (best.get(seg) || 0)) best.set(seg, e);
        var h = nd.own ? q : q * Q_SYNONYM;       // a synonym in a head field is not the reader naming it
        if (kind < P.head && h > (headQ.get(seg) || 0)) headQ.set(seg, h);
      }
    }
    best.forEach(function (e, seg) { value[(seg / K) | 0] += e; });
    var df = 0, dfOwn = 0;
    for (var x = 0; x < N; x++) {
      if (value[x] > 0) df++;
      if (own[x]) dfOwn++;
    }
    // How much the term counts: by how rare the word itself is, or its synonyms if it is absent.
    var weight = idfOf(N, dfOwn || df), where = new Map();
    for (var y = 0; y < N; y++) {
      if (value[y]) value[y] = weight * saturated(value[y]);
    }
    best.forEach(function (e, seg) { where.set(seg, e * weight); });
    return { value: value, top: top, where: where, headQ: headQ, df: df, weight: weight, pending: pending };
  }

  /* A Korean word found nowhere, not even as two words: look for its two-syllable pieces, and
   * count a pattern that has its first piece and at least half of them. */
  function bigramNeedles(P, term) {
    var word = bare(term);
    if (!term.korean || word.length < 3 || word.indexOf(" ") >= 0) return [];
    var pieces = [], N = P.N, K = P.K, share = new Float64Array(N), lists = [];
    for (var i = 0; i + 2 <= word.length; i++) {
      if (pieces.indexOf(word.slice(i, i + 2)) < 0) pieces.push(word.slice(i, i + 2));
    }
    pieces.forEach(function (piece) { lists.push(hits(P, piece, "inside")); });
    if (lists.indexOf(null) >= 0) return [];      // fetched for the next round
    lists.forEach(function (list) {
      var docs = {};
      for (var j = 0; j < list.length; j += 2) docs[(list[j] / K) | 0] = 1;
      for (var d in docs) share[d] += 1 / pieces.length;
    });
    // The word's first piece must be there: the others may be a common ending (려면, 하는).
    var first = lists[0], start = new Uint8Array(N), docQ = new Float64Array(N);
    for (var j = 0; j < first.length; j += 2) start[(first[j] / K) | 0] = 1;
    for (var d2 = 0; d2 < N; d2++) if (start[d2] && share[d2] >= 0.5) docQ[d2] = Q_BIGRAM * share[d2];
    return pieces.map(function (piece) { return { text: piece, mode: "inside", q: Q_BIGRAM, docQ: docQ, own: true }; });
  }

  /* The patterns that match a query, best first, from the chunks fetched so far; the chunks it
   * lacked are left in P.missing. A result is {index, score, all, atTop, section, sectionLabel, doc}. */
  function score(P, query) {
    P.missing.clear();
    var ts = terms(P, query);
    if (!ts.length) return [];
    var N = P.N, K = P.K, matches = [], weight = [], active = [];
    ts.forEach(function (t, i) {
      var m = termMatches(P, t.needles);
      if (!m.df && !m.pending) {
        var pieces = bigramNeedles(P, t);
        if (pieces.length) m = termMatches(P, pieces);
      }
      matches.push(m);
      weight.push(m.weight);
      if (m.df) active.push(i);
    });
    // Asked for in the same round as the terms, so that their chunks come in the same fetch.
    var pairs = ts.pairs.map(function (pair) {
      return termMatches(P, [{ text: pair, mode: "pair", q: 1, own: true }]);
    });
    if (!active.length) return [];
    var totalWeight = 0;
    active.forEach(function (i) { totalWeight += weight[i]; });
    // Patterns with every term come first; a sentence of four or more words usually carries a word no
    // pattern needs to contain.
    var needed = active.length >= ALL_SLACK_FROM ? active.length - 1 : active.length;
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
      for (var pr = 0; pr < pairs.length; pr++) total += PAIR_BONUS * pairs[pr].value[d];
      total += HEAD_BONUS * headCover(P, matches, active, weight, d) / totalWeight;
      results.push({ index: d, score: total, all: matched >= needed, atTop: topWeight >= covered / 2,
        section: null, sectionLabel: null, doc: null });
    }
    results.sort(function (x, y) {
      return (y.all - x.all) || (y.score - x.score) || (x.index - y.index);
    });
    // The section to open at: where the terms not found in the title, aliases, patlet or tags were found.
    var bySeg = new Map();
    active.forEach(function (i) {
      matches[i].where.forEach(function (v, seg) {
        if (!matches[i].top[(seg / K) | 0]) bySeg.set(seg, (bySeg.get(seg) || 0) + v);
      });
    });
    var best = new Map();
    bySeg.forEach(function (v, seg) {
      var doc = (seg / K) | 0, b = best.get(doc);
      if (!b || v > b.v) best.set(doc, { v: v, seg: seg });
    });
    results.forEach(function (r) {
      var b = best.get(r.index);
      if (r.atTop || !b) return;
      r.section = P.anchor[b.seg % K];
      r.sectionLabel = P.labels[r.section] || null;
    });
    return results;
  }

  /* The best head field's share of the query (by term weight), squared: a title holding one word of
   * two counts a quarter of one holding both. */
  function headCover(P, matches, active, weight, d) {
    var best = 0;
    for (var k = 0; k < P.head; k++) {
      var sum = 0;
      for (var a = 0; a < active.length; a++) sum += weight[active[a]] * (matches[active[a]].headQ.get(d * P.K + k) || 0);
      if (sum * HEAD_COVER[k] > best) best = sum * HEAD_COVER[k];
    }
    return best * best;
  }

  /* Everything a query needs, fetched: the results best first, the first `shown` of them with
   * their `doc` ({url, title, summary}). */
  function search(P, query, shown) {
    function attempt(round) {
      var results = score(P, query);
      if (P.missing.size && round < MAX_ROUNDS) {
        return fetchChunks(P, Array.from(P.missing)).then(function () { return attempt(round + 1); });
      }
      return withDocs(P, results, shown);
    }
    return attempt(1);
  }

  function withDocs(P, results, shown) {
    var top = results.slice(0, shown), wanted = [];
    top.forEach(function (r) {
      var c = (r.index / P.displaySize) | 0;
      if (!P.displays[c] && wanted.indexOf(c) < 0) wanted.push(c);
    });
    return Promise.all(wanted.map(function (c) {
      return P.fetchJson(P.displayFiles[c]).then(function (rows) { P.displays[c] = rows; });
    })).then(function () {
      top.forEach(function (r) {
        var row = P.displays[(r.index / P.displaySize) | 0][r.index % P.displaySize];
        r.doc = { url: row[0], title: row[1], summary: row[2] };
      });
      return results;
    });
  }

  /* The index whose meta.json is at `url`; fetchJson(url) gives a promise of the parsed file. */
  function open(url, fetchJson) {
    fetchJson = fetchJson || function (u) {
      return fetch(u).then(function (r) {
        if (!r.ok) throw new Error(u + ": " + r.status);
        return r.json();
      });
    };
    return fetchJson(url).then(function (meta) { return prepare(meta, url.replace(/[^\/]*$/, ""), fetchJson); });
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
    var loading = null, active = -1, asked = 0;

    function load() {
      if (!loading) {
        loading = open(root.getAttribute("data-index"));
        loading.catch(function () { loading = null; });   // try again on the next keystroke
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
      var top = results.slice(0, SHOWN);
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

    /* Each keystroke asks anew; an answer that comes after a later keystroke's is dropped. */
    function run() {
      var q = input.value, mine = ++asked;
      if (!q.trim()) { close(); status.textContent = ""; return; }
      load()
        .then(function (P) { return search(P, q, SHOWN); })
        .then(function (results) { if (mine === asked) show(results); },
              function () { if (mine === asked) { close(); status.textContent = root.getAttribute("data-failed"); } });
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

  window.patternsSearch = { open: open, search: search, score: score, terms: terms, stem: stem, target: target,
    koreanForms: koreanForms };
  document.querySelectorAll(".patterns-search").forEach(setUp);
})();
