/* argmap interactive map: selection and side panel, search, semantics switch, zoom and pan,
   keyboard navigation, live preview. Plain ES2017, no dependencies, no network (except the
   live preview's event stream from the local server that served the page). */
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('argmap-data').textContent);
  var svg = document.getElementById('map');
  var vp = document.getElementById('vp');
  var stage = document.getElementById('stage');
  var panel = document.getElementById('panel');
  var diags = document.getElementById('diags');
  var search = document.getElementById('search');
  var results = document.getElementById('results');
  var semSelect = document.getElementById('semantics');
  var banner = document.getElementById('banner');
  var N = D.nodes, E = D.edges;
  var sem = D['default'] || D.semantics[0] || '';
  var view = { k: 1, x: 0, y: 0 };
  var selected = -1;
  var els = new Array(N.length);
  var outs = N.map(function () { return []; });
  var ins = N.map(function () { return []; });
  var groupTitle = {};
  D.groups.forEach(function (g) { groupTitle[g.id] = g.title; });
  E.forEach(function (e, i) { outs[e[0]].push([e[1], e[2], i]); ins[e[1]].push([e[0], e[2], i]); });
  for (var i = 0; i < N.length; i++) els[i] = document.getElementById('n' + i);
  var byTitle = {};
  N.forEach(function (n, i) { byTitle[n.k + ':' + n.title] = i; });

  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function fmt(v) { return v == null ? '–' : v.toFixed(2); }
  var STOPS = [[0, [0xC9, 0x8B, 0x3C]], [0.5, [0xF4, 0xF1, 0xEA]], [1, [0x3F, 0xA3, 0x97]]];
  function colour(v) {
    if (v == null) return '#ffffff';
    v = Math.min(Math.max(v, 0), 1);
    for (var s = 0; s < STOPS.length - 1; s++) {
      var a = STOPS[s], b = STOPS[s + 1];
      if (v <= b[0]) {
        var t = (v - a[0]) / (b[0] - a[0]);
        var rgb = [0, 1, 2].map(function (j) {
          var c = Math.round(a[1][j] + (b[1][j] - a[1][j]) * t);
          return Math.round(c + (255 - c) * 0.25);
        });
        return '#' + rgb.map(function (c) { return ('0' + c.toString(16)).slice(-2); }).join('');
      }
    }
    return '#ffffff';
  }
  /* [value, low, high, origin] of a statement under the current semantics */
  function valueOf(i) {
    var n = N[i];
    if (n.k !== 's') return [null, null, null, ''];
    var s = n.scores && n.scores[sem];
    if (s && s[0] != null) return [s[0], s[1], s[2], 'computed'];
    if (n.stated != null) return [n.stated, null, null, 'stated'];
    return [null, null, null, ''];
  }

  /* ---- colours and numbers for the chosen semantics ---- */
  function recolour() {
    for (var i = 0; i < N.length; i++) {
      if (N[i].k !== 's') continue;
      var g = els[i]; if (!g) continue;
      var v = valueOf(i);
      var box = g.querySelector('.box');
      box.setAttribute('fill', colour(v[0]));
      box.classList.toggle('nv', v[0] == null);
      var bf = g.querySelector('.bf');
      bf.setAttribute('width', v[0] == null ? 0 : (64 * Math.min(Math.max(v[0], 0), 1)).toFixed(1));
      var t = g.querySelector('.v');
      t.textContent = fmt(v[0]);
      t.classList.toggle('st', v[3] === 'stated');
    }
    bottomLine();
    if (selected >= 0) showPanel(selected);
  }
  function bottomLine() {
    var el = document.getElementById('bottom-line');
    if (D.thesis == null) { el.textContent = 'no thesis found'; return; }
    var v = valueOf(D.thesis);
    var iv = v[1] != null ? ' <span title="90% interval">[' + fmt(v[1]) + ', ' + fmt(v[2]) + ']</span>' : '';
    el.innerHTML = 'thesis <b>' + fmt(v[0]) + '</b>' + iv + ' <span class="sem">' + esc(v[3] === 'computed' ? sem : (v[3] || 'not scored')) + '</span>';
  }

  /* ---- zoom and pan ---- */
  var W = 1, H = 1, vb = (svg.getAttribute('viewBox') || '0 0 1 1').split(/\s+/).map(Number);
  function apply() { vp.setAttribute('transform', 'translate(' + view.x.toFixed(1) + ',' + view.y.toFixed(1) + ') scale(' + view.k.toFixed(4) + ')'); }
  function size() { var r = stage.getBoundingClientRect(); W = r.width || 1; H = r.height || 1; }
  function fit() {
    size();
    var k = Math.min(W / vb[2], H / vb[3]);
    view.k = k; view.x = (W - vb[2] * k) / 2 - vb[0] * k; view.y = (H - vb[3] * k) / 2 - vb[1] * k;
    apply();
  }
  function zoomAt(f, cx, cy) {
    var k = Math.min(Math.max(view.k * f, 0.02), 6); f = k / view.k;
    view.x = cx - (cx - view.x) * f; view.y = cy - (cy - view.y) * f; view.k = k; apply();
  }
  function centreOn(i) {
    size();
    var b = N[i].box, k = Math.max(view.k, 0.9);
    var free = panel.hidden ? W : Math.max(W - panel.offsetWidth, W * 0.4);
    view.k = k; view.x = free / 2 - (b[0] + b[2] / 2) * k; view.y = H / 2 - (b[1] + b[3] / 2) * k; apply();
  }
  svg.removeAttribute('viewBox');
  fit();
  window.addEventListener('resize', function () { fit(); });
  stage.addEventListener('wheel', function (ev) {
    ev.preventDefault();
    var r = stage.getBoundingClientRect();
    zoomAt(Math.pow(1.0018, -ev.deltaY * (ev.deltaMode === 1 ? 30 : 1)), ev.clientX - r.left, ev.clientY - r.top);
  }, { passive: false });
  var drag = null, moved = false;
  stage.addEventListener('pointerdown', function (ev) {
    if (ev.button !== 0) return;
    drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y }; moved = false;
  });
  window.addEventListener('pointermove', function (ev) {
    if (!drag) return;
    var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (!moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    moved = true; stage.classList.add('drag');
    view.x = drag.vx + dx; view.y = drag.vy + dy; apply();
  });
  window.addEventListener('pointerup', function () { drag = null; stage.classList.remove('drag'); });
  document.getElementById('zoom-in').onclick = function () { size(); zoomAt(1.25, W / 2, H / 2); };
  document.getElementById('zoom-out').onclick = function () { size(); zoomAt(0.8, W / 2, H / 2); };
  document.getElementById('zoom-fit').onclick = fit;

  /* ---- selection and the side panel ---- */
  svg.addEventListener('click', function (ev) {
    if (moved) { moved = false; return; }
    var g = ev.target.closest ? ev.target.closest('.n') : null;
    if (g) select(+g.id.slice(1), false); else select(-1);
  });
  function mark(i, on) {
    var list = [i];
    outs[i].concat(ins[i]).forEach(function (x) {
      list.push(x[0]);
      var p = document.getElementById('e' + x[2]); if (p) p.classList.toggle('near', on);
    });
    list.forEach(function (j) { if (els[j]) els[j].classList.toggle('near', on); });
  }
  function select(i, centre) {
    if (selected >= 0 && els[selected]) { els[selected].classList.remove('sel'); mark(selected, false); }
    selected = i;
    if (N.length <= 3000) svg.classList.toggle('focus', i >= 0); /* dimming restyles every node: small maps only */
    if (i < 0) { panel.hidden = true; return; }
    els[i].classList.add('sel'); mark(i, true);
    showPanel(i);
    if (centre) centreOn(i);
    try { els[i].focus({ preventScroll: true }); } catch (e) { /* old browsers */ }
  }
  function jump(i) { return '<a class="jump" data-i="' + i + '">' + esc(N[i].k === 'a' ? '<' + N[i].title + '>' : N[i].title) + '</a>'; }
  var VERDICT = { 'exact': '✓ exact', 'moved': '↕ moved', 'drift': '≈ drift', 'not-found': '✗ not found',
    'missing-file': '✗ file missing', 'unreadable-file': '✗ file unreadable', 'bad-range': '! bad range' };
  var REL = { support: 'supports', entails: 'supports (entails)', attack: 'attacks', contrary: 'attacks (contrary)',
    contradiction: 'contradicts', undercut: 'undercuts', premise: 'is a premise of', conclusion: 'concludes', intermediary: 'concludes (intermediary)' };
  var RREL = { support: 'supported by', entails: 'supported by (entailed by)', attack: 'attacked by', contrary: 'attacked by (contrary)',
    contradiction: 'contradicted by', undercut: 'undercut by', premise: 'premises', conclusion: 'concluded by', intermediary: 'intermediary of' };
  function showPanel(i) {
    var n = N[i], h = [];
    h.push('<button class="close" title="Close (Esc)">×</button>');
    h.push('<div class="kind">' + (n.thesis ? 'thesis' : n.k === 'a' ? 'argument' : 'claim') +
      (groupTitle[n.group] ? ' · ' + esc(groupTitle[n.group]) : '') + '</div>');
    h.push('<h2 id="panel-title">' + esc(n.k === 'a' ? '<' + n.title + '>' : '[' + n.title + ']') + '</h2>');
    if (n.tags) h.push('<div class="tags">' + n.tags.map(function (t) { return '#' + esc(t); }).join(' ') + '</div>');
    if (n.text) h.push('<div class="text">' + esc(n.text) + '</div>');
    if (n.k === 's') {
      var v = valueOf(i);
      h.push('<div class="cred"><span class="big" id="panel-credence">' + fmt(v[0]) + '</span><span>' +
        (v[3] === 'computed' ? 'computed credence (' + esc(sem) + ')' : v[3] === 'stated' ? 'stated credence' : 'no credence') +
        (v[1] != null ? '<br>90% interval <b id="panel-interval">[' + fmt(v[1]) + ', ' + fmt(v[2]) + ']</b>' : '') + '</span></div>');
      if (n.stated != null) h.push('<div>stated credence: <b>' + fmt(n.stated) + '</b></div>');
      if (n.inference != null) h.push('<div>inference strength: <b>' + fmt(n.inference) + '</b></div>');
      var names = Object.keys(n.scores || {});
      if (names.length > 1) {
        h.push('<table><tr><th>semantics</th><th class="num">credence</th><th class="num">90% interval</th></tr>');
        names.forEach(function (s) {
          var x = n.scores[s];
          h.push('<tr' + (s === sem ? ' class="cur"' : '') + '><td>' + esc(s) + '</td><td class="num">' + fmt(x[0]) +
            '</td><td class="num">' + (x[1] != null ? '[' + fmt(x[1]) + ', ' + fmt(x[2]) + ']' : '') + '</td></tr>');
        });
        h.push('</table>');
      }
    } else if (n.inference != null) {
      h.push('<div class="cred"><span class="big">' + fmt(n.inference) + '</span><span>stated inference strength</span></div>');
    }
    if (n.reason) h.push('<div class="reason"><b>reason</b> ' + esc(n.reason) + '</div>');
    if (n.evidence) {
      h.push('<h3>Evidence</h3>');
      n.evidence.forEach(function (q) {
        var where = q.file + (q.fragment ? '#' + q.fragment : '');
        h.push('<div class="quote"><span class="verdict ev-' + esc(q.status) + '">' + esc(VERDICT[q.status] || q.status) + '</span> ' +
          '<a href="' + esc(where) + '" target="_blank" rel="noopener noreferrer">' + esc(where) + '</a>' +
          (q.actual && q.status !== 'exact' ? ' · found at L' + q.actual[0] + '-L' + q.actual[1] : '') +
          (q.score != null && q.status !== 'exact' ? ' · score ' + q.score : '') +
          '<blockquote>' + esc(q.quote) + '</blockquote>' + (q.message ? '<div class="msg">' + esc(q.message) + '</div>' : '') + '</div>');
      });
    }
    if (n.sources) {
      h.push('<h3>Sources</h3><ul>' + n.sources.map(function (s) {
        return '<li><a href="' + esc(s.url) + '" target="_blank" rel="noopener noreferrer">' + esc(s.label || s.url) + '</a></li>';
      }).join('') + '</ul>');
    }
    if (n.results && n.results.length) {
      h.push('<h3>Attached results</h3><ul>' + n.results.map(function (r) { return '<li>' + esc(r) + '</li>'; }).join('') + '</ul>');
    }
    var rel = {};
    outs[i].forEach(function (x) { (rel[REL[x[1]] || x[1]] = rel[REL[x[1]] || x[1]] || []).push(x[0]); });
    ins[i].forEach(function (x) { (rel[RREL[x[1]] || x[1]] = rel[RREL[x[1]] || x[1]] || []).push(x[0]); });
    var keys = Object.keys(rel);
    if (keys.length) {
      h.push('<h3>Connections</h3><ul>');
      keys.forEach(function (k) { h.push('<li>' + esc(k) + ': ' + rel[k].map(jump).join(', ') + '</li>'); });
      h.push('</ul>');
    }
    h.push('<div class="where">' + esc(D.path) + ', line ' + n.line + '</div>');
    panel.innerHTML = h.join('');
    panel.hidden = false;
    diags.hidden = true;
    panel.querySelector('.close').onclick = function () { select(-1); };
    Array.prototype.forEach.call(panel.querySelectorAll('a.jump'), function (a) {
      a.onclick = function () { select(+a.getAttribute('data-i'), true); };
    });
  }

  /* ---- search ---- */
  var hits = [], active = 0;
  function runSearch() {
    var q = search.value.trim().toLowerCase();
    hits.forEach(function (i) { els[i].classList.remove('hit'); });
    hits = [];
    if (!q) { svg.classList.remove('searching'); results.classList.remove('open'); results.innerHTML = ''; return; }
    var words = q.split(/\s+/), first = [], rest = [];
    for (var i = 0; i < N.length; i++) {
      var t = N[i].title.toLowerCase(), all = t + ' ' + (N[i].text || '').toLowerCase();
      if (words.every(function (w) { return all.indexOf(w) >= 0; })) (t.indexOf(words[0]) >= 0 ? first : rest).push(i);
    }
    hits = first.concat(rest);
    hits.forEach(function (i) { els[i].classList.add('hit'); });
    svg.classList.add('searching');
    active = 0;
    results.innerHTML = hits.length ? hits.slice(0, 40).map(function (i, j) {
      return '<li role="option" data-i="' + i + '"' + (j === 0 ? ' class="active"' : '') + '>' +
        esc(N[i].k === 'a' ? '<' + N[i].title + '>' : N[i].title) + '<small>' + esc(N[i].text || '') + '</small></li>';
    }).join('') + (hits.length > 40 ? '<li><small>' + (hits.length - 40) + ' more</small></li>' : '') : '<li><small>no claim matches</small></li>';
    results.classList.add('open');
  }
  function choose(i) { results.classList.remove('open'); svg.classList.remove('searching'); select(i, true); }
  search.addEventListener('input', runSearch);
  search.addEventListener('keydown', function (ev) {
    var items = results.querySelectorAll('li[data-i]');
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (!items.length) return;
      items[active].classList.remove('active');
      active = (active + (ev.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
      items[active].classList.add('active');
      items[active].scrollIntoView({ block: 'nearest' });
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      if (items.length) choose(+items[active].getAttribute('data-i'));
    } else if (ev.key === 'Escape') {
      search.value = ''; runSearch(); search.blur(); stage.focus();
    }
  });
  results.addEventListener('click', function (ev) {
    var li = ev.target.closest('li[data-i]'); if (li) choose(+li.getAttribute('data-i'));
  });

  /* ---- semantics ---- */
  semSelect.addEventListener('change', function () { sem = semSelect.value; recolour(); });

  /* ---- diagnostics ---- */
  var diagButton = document.getElementById('show-diags');
  function renderDiags(list, notes) {
    var problems = list.filter(function (d) { return d.level !== 'info'; }).length;
    diagButton.textContent = problems + (problems === 1 ? ' problem' : ' problems');
    diagButton.classList.toggle('has', problems > 0);
    diagButton.classList.toggle('err', list.some(function (d) { return d.level === 'error'; }));
    diags.innerHTML = '<button class="close">×</button><h2>Diagnostics</h2>' +
      (notes || []).map(function (t) { return '<p>' + esc(t) + '</p>'; }).join('') +
      (list.length ? '<ol>' + list.map(function (d) {
        return '<li><code class="lv-' + esc(d.level) + '">' + esc(d.code) + '</code> line ' + d.line + ': ' + esc(d.message) +
          (d.hint ? '<br><small>' + esc(d.hint) + '</small>' : '') + '</li>';
      }).join('') + '</ol>' : '<p>No findings.</p>');
    diags.querySelector('.close').onclick = function () { diags.hidden = true; };
  }
  renderDiags(D.diagnostics, D.notes);
  diagButton.onclick = function () { diags.hidden = !diags.hidden; if (!diags.hidden) panel.hidden = true; };
  var help = document.getElementById('help');
  document.getElementById('show-help').onclick = function () { help.hidden = !help.hidden; };

  /* ---- keyboard ---- */
  function nearest(i, dir) {
    var b = N[i].box, cx = b[0] + b[2] / 2, cy = b[1] + b[3] / 2, best = -1, bestScore = Infinity;
    for (var j = 0; j < N.length; j++) {
      if (j === i) continue;
      var c = N[j].box, dx = c[0] + c[2] / 2 - cx, dy = c[1] + c[3] / 2 - cy;
      var along = dir === 'ArrowUp' ? -dy : dir === 'ArrowDown' ? dy : dir === 'ArrowLeft' ? -dx : dx;
      var across = dir === 'ArrowUp' || dir === 'ArrowDown' ? Math.abs(dx) : Math.abs(dy);
      if (along <= 1) continue;
      var score = along + 2.5 * across;
      if (score < bestScore) { bestScore = score; best = j; }
    }
    return best;
  }
  document.addEventListener('keydown', function (ev) {
    var tag = (ev.target.tagName || '').toLowerCase();
    if (tag === 'input' || tag === 'select' || tag === 'textarea' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var k = ev.key;
    if (k === '/') { ev.preventDefault(); search.focus(); search.select(); }
    else if (k === 'Escape') { select(-1); diags.hidden = true; help.hidden = true; }
    else if (k === '+' || k === '=') { size(); zoomAt(1.25, W / 2, H / 2); }
    else if (k === '-' || k === '_') { size(); zoomAt(0.8, W / 2, H / 2); }
    else if (k === '0') fit();
    else if (k === '?') help.hidden = !help.hidden;
    else if ((k === 't' || k === 'Home') && D.thesis != null) select(D.thesis, true);
    else if (k === 's' && D.semantics.length) {
      sem = D.semantics[(D.semantics.indexOf(sem) + 1) % D.semantics.length]; semSelect.value = sem; recolour();
    } else if (k.indexOf('Arrow') === 0) {
      ev.preventDefault();
      if (selected >= 0) { var j = nearest(selected, k); if (j >= 0) select(j, true); }
      else {
        var step = 80;
        view.x += k === 'ArrowLeft' ? step : k === 'ArrowRight' ? -step : 0;
        view.y += k === 'ArrowUp' ? step : k === 'ArrowDown' ? -step : 0; apply();
      }
    } else if ((k === 'Enter' || k === ' ') && selected < 0 && D.thesis != null) { ev.preventDefault(); select(D.thesis, true); }
  });

  /* ---- live preview (argmap serve) ---- */
  function showBroken(list) {
    banner.innerHTML = '<b>The map has errors; showing the last good version.</b>' + list.map(function (d) {
      return '<pre><code class="lv-' + esc(d.level) + '">' + esc(d.code) + '</code> line ' + d.line + ':' + d.column + ' ' + esc(d.message) + '</pre>';
    }).join('');
  }
  if (D.live) {
    try {
      var saved = JSON.parse(sessionStorage.getItem('argmap-view') || 'null');
      if (saved) {
        sessionStorage.removeItem('argmap-view');
        view = saved.view; apply();
        if (saved.sem && D.semantics.indexOf(saved.sem) >= 0) { sem = saved.sem; semSelect.value = sem; }
        if (saved.sel && byTitle[saved.sel] != null) select(byTitle[saved.sel], false);
      }
    } catch (e) { /* storage unavailable */ }
    var es = new EventSource('events');
    es.addEventListener('reload', function () {
      try {
        sessionStorage.setItem('argmap-view', JSON.stringify({ view: view, sem: sem,
          sel: selected >= 0 ? N[selected].k + ':' + N[selected].title : null }));
      } catch (e) { /* storage unavailable */ }
      location.reload();
    });
    es.addEventListener('broken', function (ev) { showBroken(JSON.parse(ev.data)); });
    es.addEventListener('fixed', function () { banner.innerHTML = ''; });
  }
  recolour();
  document.documentElement.setAttribute('data-ready', '1');
})();
