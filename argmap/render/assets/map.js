/* argmap interactive map: selection and side panel, search, semantics switch, zoom and pan,
   keyboard navigation, live preview. Plain ES2017, no dependencies, no network (except the
   live preview's event stream from the local server that served the page).

   The page carries the map as data (the JSON above) and draws it itself: only what lies in
   or near the viewport is in the SVG, re-drawn as the view moves, so a map of 25,000 claims
   costs no more to show than one of 100. When more than BUDGET boxes would be in view, or a
   map of more than BUDGET boxes is zoomed out below LABEL_ZOOM, a canvas draws the overview instead: section boxes with their
   titles and every claim as a block of its credence colour, no labels. Where more than
   EDGE_BUDGET edges cross the drawn area (the hub of a very large map), only those that start or
   end there are drawn, solid and without arrowheads: dashes and markers on thousands of long
   paths cost the browser seconds a frame. */
(function () {
  'use strict';
  if (window.performance && performance.mark) performance.mark('argmap-script');
  var D = JSON.parse(document.getElementById('argmap-data').textContent);
  var svg = document.getElementById('map');
  var vp = document.getElementById('vp');
  var layerGroups = document.getElementById('layer-groups');
  var layerEdges = document.getElementById('layer-edges');
  var layerNodes = document.getElementById('layer-nodes');
  var canvas = document.getElementById('overview');
  var stage = document.getElementById('stage');
  var panel = document.getElementById('panel');
  var diags = document.getElementById('diags');
  var search = document.getElementById('search');
  var results = document.getElementById('results');
  var semSelect = document.getElementById('semantics');
  var banner = document.getElementById('banner');
  var bar = document.getElementById('bar');
  var legend = document.getElementById('legend');
  var N = D.nodes, E = D.edges, G = D.groups;
  var BUDGET = 900;          /* boxes in view above which the overview is drawn */
  var EDGE_BUDGET = 700;     /* edges drawn above which they lose dashes and arrowheads (paint cost) */
  var LABEL_ZOOM = 0.3;      /* below this zoom labels are unreadable: large maps show the overview */
  var MARGIN = 0.35;         /* drawn area: the viewport plus this fraction on each side */
  var sem = D['default'] || D.semantics[0] || '';
  var view = { k: 1, x: 0, y: 0 };
  var selected = -1;
  var els = new Array(N.length);      /* mounted node elements, by index */
  var edgeEls = new Array(E.length);  /* mounted edge elements */
  var groupEls = new Array(G.length);
  var near = {}, nearEdges = {}, hitSet = {}, hits = [], active = 0, searching = false;
  var outs = [], ins = [];
  for (var i = 0; i < N.length; i++) { outs.push([]); ins.push([]); }
  var groupTitle = {};
  G.forEach(function (g) { groupTitle[g.id] = g.title; });
  /* boxes as flat typed arrays: culling and hit tests scan them without touching objects */
  var NB = new Float64Array(N.length * 4), EB = new Float64Array(E.length * 4), GB = new Float64Array(G.length * 4);
  N.forEach(function (n, i) { NB[4 * i] = n.box[0]; NB[4 * i + 1] = n.box[1]; NB[4 * i + 2] = n.box[0] + n.box[2]; NB[4 * i + 3] = n.box[1] + n.box[3]; });
  E.forEach(function (e, i) {
    outs[e[0]].push([e[1], e[2], i]); ins[e[1]].push([e[0], e[2], i]);
    var p = e[3] || [], x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (var j = 0; j < p.length; j += 2) {
      x0 = Math.min(x0, p[j]); x1 = Math.max(x1, p[j]); y0 = Math.min(y0, p[j + 1]); y1 = Math.max(y1, p[j + 1]);
    }
    EB[4 * i] = x0 - 30; EB[4 * i + 1] = y0 - 30; EB[4 * i + 2] = x1 + 30; EB[4 * i + 3] = y1 + 30;
  });
  G.forEach(function (g, i) { var b = g.box || [0, 0, 0, 0]; GB[4 * i] = b[0]; GB[4 * i + 1] = b[1]; GB[4 * i + 2] = b[0] + b[2]; GB[4 * i + 3] = b[1] + b[3]; });
  var byTitle = {};
  N.forEach(function (n, i) { byTitle[n.k + ':' + n.title] = i; });
  var MISSING = {};          /* statements used but never defined (G301): drawn as missing */
  (D.missing || []).forEach(function (i) { MISSING[i] = true; });
  var problemNode = -1;      /* the node the chosen problem is about (ringed in red) */

  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function fmt(v) { return v == null ? '–' : v.toFixed(2); }
  function f1(v) { return (Math.round(v * 10) / 10).toFixed(1); }
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
  function label(n) { return n.k === 'a' ? '<' + n.title + '>' : n.title; }

  /* ---- drawing: SVG markup of one node, edge or section (as render_svg draws them) ---- */
  /* the node's badge: the words are short so that they fit beside the credence (the panel says it in full) */
  var BADGE = { 'exact': ['✓', 'exact'], 'moved': ['↕', 'moved'], 'drift': ['≈', 'drift'], 'not-found': ['✗', 'not found'],
    'missing-file': ['✗', 'no file'], 'unreadable-file': ['✗', 'unreadable'], 'bad-range': ['!', 'bad range'] };
  var BAR_W = 52, VALUE_END = 100;  /* the credence bar's width; its number ends before VALUE_END (x), badges start there */
  var EDGE_CLASS = { support: 'sup', entails: 'sup', attack: 'att', contrary: 'att', contradiction: 'con', undercut: 'und' };
  var MARKER = { sup: 'arrow-sup', att: 'bar-att', con: 'bar-att', und: 'bar-att', pcs: 'arrow-pcs' };
  function nodeClass(i) {
    var n = N[i];
    return 'n ' + (n.k === 's' ? 'st' : 'ar') + (n.thesis ? ' th' : '') + (i === selected ? ' sel' : '') +
      (near[i] ? ' near' : '') + (hitSet[i] ? ' hit' : '') + (MISSING[i] ? ' miss' : '') + (i === problemNode ? ' prob' : '') +
      (traced >= 0 && (E[traced][0] === i || E[traced][1] === i) ? ' hl' : '');
  }
  function nodeSvg(i) {
    var n = N[i], b = n.box, w = b[2], h = b[3], lines = n.l || [label(n)], p = [], j;
    p.push('<g id="n' + i + '" class="' + nodeClass(i) + '" transform="translate(' + f1(b[0]) + ',' + f1(b[1]) + ')" tabindex="-1">');
    if (MISSING[i]) return missingSvg(i, p, lines, w, h);
    if (n.k === 'a') {
      p.push('<rect class="box" width="' + f1(w) + '" height="' + f1(h) + '" rx="' + f1(h < 40 ? h / 2 : 14) + '"/>');
      for (j = 0; j < lines.length; j++) p.push('<text class="t" x="' + f1(w / 2) + '" y="' + (19 + 15 * j) + '">' + esc(lines[j]) + '</text>');
      p.push('</g>');
      return p.join('');
    }
    var v = valueOf(i), barY = h - 17;
    p.push('<rect class="box' + (v[0] == null ? ' nv' : '') + '" width="' + f1(w) + '" height="' + f1(h) + '" rx="6" fill="' + colour(v[0]) + '"/>');
    for (j = 0; j < lines.length; j++) p.push('<text class="t" x="10" y="' + (20 + 15 * j) + '">' + esc(lines[j]) + '</text>');
    p.push('<rect class="bb" x="10" y="' + f1(barY) + '" width="' + BAR_W + '" height="6" rx="3"/>');
    p.push('<rect class="bf" x="10" y="' + f1(barY) + '" width="' + (v[0] == null ? '0.0' : f1(BAR_W * Math.min(Math.max(v[0], 0), 1))) + '" height="6" rx="3"/>');
    p.push('<text class="v' + (v[3] === 'stated' ? ' st' : '') + '" x="' + (BAR_W + 16) + '" y="' + f1(barY + 7) + '">' + fmt(v[0]) + '</text>');
    if (n.worst) {
      /* the badge never covers the credence: where its words do not fit, only its symbol */
      var bd = BADGE[n.worst] || ['?', n.worst], bw = 14 + 6.2 * bd[1].length, word = ' ' + esc(bd[1]);
      if (w - bw - 8 < VALUE_END) { bw = 20; word = ''; }
      p.push('<g class="bd ev-' + esc(n.worst) + '" transform="translate(' + f1(w - bw - 8) + ',' + f1(barY - 5) + ')"><title>quotes: ' +
        esc(bd[1]) + '</title><rect width="' + f1(bw) + '" height="15" rx="7.5"/><text x="' + f1(bw / 2) + '" y="11">' + bd[0] + word + '</text></g>');
    }
    if (n.results && n.results.length) {
      p.push('<g class="bd rs" transform="translate(' + f1(w - 34) + ',-7)"><title>' + n.results.length + ' attached result(s)</title>' +
        '<rect width="30" height="15" rx="7.5"/><text x="15" y="11">⚗ ' + n.results.length + '</text></g>');
    }
    p.push('</g>');
    return p.join('');
  }
  /* a statement or argument used but never defined (G301, G302): dashed red, no credence;
     a statement's box says "not defined" (an argument's pill is too small) */
  function missingSvg(i, p, lines, w, h) {
    var st = N[i].k === 's', x = st ? '10' : f1(w / 2), y0 = st ? 20 : 19;
    p.push('<title>' + esc(st ? '[' + N[i].title + ']' : '<' + N[i].title + '>') + ' is used but never defined</title>');
    p.push('<rect class="box" width="' + f1(w) + '" height="' + f1(h) + '" rx="' + f1(st ? 6 : h < 40 ? h / 2 : 14) + '"/>');
    for (var j = 0; j < lines.length; j++) p.push('<text class="t" x="' + x + '" y="' + (y0 + 15 * j) + '">' + esc(lines[j]) + '</text>');
    if (st) p.push('<text class="nd" x="10" y="' + f1(h - 10) + '">not defined</text>');
    p.push('</g>');
    return p.join('');
  }
  /* an edge as cubic Bezier segments [x0, y0, c1x, c1y, c2x, c2y, x1, y1]: one S-curve between
     two points, else Catmull-Rom through the routing points (render_svg's curves) */
  var RADIUS = 14;
  function segments(p, routed) {
    var x0 = p[0], y0 = p[1], x1 = p[p.length - 2], y1 = p[p.length - 1];
    if (routed) return rounded(p);
    if (p.length === 4) { var dy = (y1 - y0) * 0.5; return [[x0, y0, x0, y0 + dy, x1, y1 - dy, x1, y1]]; }
    var pts = [[x0, y0]], out = [];
    for (var j = 0; j < p.length; j += 2) pts.push([p[j], p[j + 1]]);
    pts.push([x1, y1]);
    for (var i = 1; i < pts.length - 2; i++) {
      var a = pts[i - 1], b = pts[i], c = pts[i + 1], d = pts[i + 2];
      out.push([b[0], b[1], b[0] + (c[0] - a[0]) / 6, b[1] + (c[1] - a[1]) / 6, c[0] - (d[0] - b[0]) / 6, c[1] - (d[1] - b[1]) / 6, c[0], c[1]]);
    }
    return out;
  }
  /* an orthogonal route with rounded corners (html_map._rounded) */
  function rounded(p) {
    var out = [], cx = p[0], cy = p[1];
    function line(x, y) { out.push([cx, cy, cx + (x - cx) / 3, cy + (y - cy) / 3, cx + 2 * (x - cx) / 3, cy + 2 * (y - cy) / 3, x, y]); cx = x; cy = y; }
    for (var i = 2; i < p.length - 2; i += 2) {
      var px = p[i - 2], py = p[i - 1], qx = p[i], qy = p[i + 1], nx = p[i + 2], ny = p[i + 3];
      var dIn = Math.hypot(qx - px, qy - py), dOut = Math.hypot(nx - qx, ny - qy), r = Math.min(RADIUS, dIn / 2, dOut / 2);
      if (r <= 0) continue;
      var ax = qx + (px - qx) * r / dIn, ay = qy + (py - qy) * r / dIn, bx = qx + (nx - qx) * r / dOut, by = qy + (ny - qy) * r / dOut;
      line(ax, ay);
      out.push([ax, ay, ax + 2 * (qx - ax) / 3, ay + 2 * (qy - ay) / 3, bx + 2 * (qx - bx) / 3, by + 2 * (qy - by) / 3, bx, by]);
      cx = bx; cy = by;
    }
    line(p[p.length - 2], p[p.length - 1]);
    return out;
  }
  function lerp(a, b, t) { return a + (b - a) * t; }
  /* the part of a cubic between parameters t0 and t1 (de Casteljau) */
  function subCubic(s, t0, t1) {
    function split(s, t) {  /* the part from 0 to t */
      var ax = lerp(s[0], s[2], t), ay = lerp(s[1], s[3], t), bx = lerp(s[2], s[4], t), by = lerp(s[3], s[5], t);
      var cx = lerp(s[4], s[6], t), cy = lerp(s[5], s[7], t), dx = lerp(ax, bx, t), dy = lerp(ay, by, t);
      var ex = lerp(bx, cx, t), ey = lerp(by, cy, t);
      return [s[0], s[1], ax, ay, dx, dy, lerp(dx, ex, t), lerp(dy, ey, t)];
    }
    function rev(s) { return [s[6], s[7], s[4], s[5], s[2], s[3], s[0], s[1]]; }
    var left = t1 < 1 ? split(s, t1) : s;
    return t0 > 0 ? rev(split(rev(left), 1 - t0 / t1)) : left;
  }
  function cubicAt(s, t) {
    var u = 1 - t;
    return [u * u * u * s[0] + 3 * u * u * t * s[2] + 3 * u * t * t * s[4] + t * t * t * s[6],
      u * u * u * s[1] + 3 * u * u * t * s[3] + 3 * u * t * t * s[5] + t * t * t * s[7]];
  }
  function segD(s) { return 'C' + f1(s[2]) + ',' + f1(s[3]) + ' ' + f1(s[4]) + ',' + f1(s[5]) + ' ' + f1(s[6]) + ',' + f1(s[7]); }
  /* the edge's path, clipped to the world rectangle r unless it lies inside it (a long edge
     costs the browser its whole length to paint, dashes and all, wherever it runs) */
  var clipped = {};
  function edgeSvg(i, r) {
    var e = E[i], cls = EDGE_CLASS[e[2]] || 'pcs', segs = segments(e[3], e[4] === 1), d = [], head = true, tail = true;
    var whole = EB[4 * i] >= r[0] && EB[4 * i + 1] >= r[1] && EB[4 * i + 2] <= r[2] && EB[4 * i + 3] <= r[3];
    if (whole) {
      delete clipped[i];
      d.push('M' + f1(segs[0][0]) + ',' + f1(segs[0][1]));
      segs.forEach(function (s) { d.push(segD(s)); });
    } else {
      clipped[i] = true;
      var STEPS = 48, open = false;
      segs.forEach(function (s, k) {
        var first = -1, last = -1;
        for (var j = 0; j <= STEPS; j++) {
          var q = cubicAt(s, j / STEPS);
          if (q[0] >= r[0] && q[0] <= r[2] && q[1] >= r[1] && q[1] <= r[3]) { if (first < 0) first = j; last = j; }
        }
        if (first < 0) { if (k === 0) head = false; if (k === segs.length - 1) tail = false; open = false; return; }
        var t0 = Math.max(first - 1, 0) / STEPS, t1 = Math.min(last + 1, STEPS) / STEPS, part = subCubic(s, t0, t1);
        if (k === 0 && t0 > 0) head = false;
        if (k === segs.length - 1 && t1 < 1) tail = false;
        if (!open || t0 > 0) d.push('M' + f1(part[0]) + ',' + f1(part[1]));
        d.push(segD(part));
        open = t1 === 1;
      });
      if (!d.length) return '';
    }
    return '<path id="e' + i + '" class="e ' + cls + (nearEdges[i] ? ' near' : '') + (i === traced ? ' hl' : '') + '" d="' + d.join('') + '"' +
      (tail ? ' marker-end="url(#' + MARKER[cls] + ')"' : '') +
      (head && e[2] === 'contradiction' ? ' marker-start="url(#bar-att-start)"' : '') + '/>';
  }
  function groupSvg(i) {
    var g = G[i], b = g.box;
    return '<g class="grp" id="g' + i + '"><rect x="' + f1(b[0]) + '" y="' + f1(b[1]) + '" width="' + f1(b[2]) + '" height="' + f1(b[3]) +
      '" rx="10"/><text x="' + f1(b[0] + 14) + '" y="' + f1(b[1] + 26) + '">' + esc(g.title) + '</text></g>';
  }

  /* ---- drawing: what is in view ---- */
  var W = 1, H = 1, vb = (svg.getAttribute('viewBox') || '0 0 1 1').split(/\s+/).map(Number);
  var mode = '', drawn = null, pending = false, firstDraw = true;
  function size() { var r = stage.getBoundingClientRect(); W = r.width || 1; H = r.height || 1; }
  function worldRect(m) {
    var w = W / view.k, h = H / view.k, x = -view.x / view.k, y = -view.y / view.k;
    return [x - w * m, y - h * m, x + w * (1 + m), y + h * (1 + m)];
  }
  function meets(B, i, r) { return B[4 * i] < r[2] && B[4 * i + 2] > r[0] && B[4 * i + 1] < r[3] && B[4 * i + 3] > r[1]; }
  function countIn(r, limit) {
    var c = 0;
    for (var i = 0; i < N.length; i++) if (meets(NB, i, r) && ++c > limit) break;
    return c;
  }
  /* mount what meets r, unmount what does not: els / edgeEls / groupEls stay in step with the DOM */
  function sync(B, list, count, layer, markup, r, skip, stale) {
    var html = [];
    for (var i = 0; i < count; i++) {
      var want = !(skip && skip(i)) && meets(B, i, r);
      if (list[i] && (!want || (stale && stale[i]))) { layer.removeChild(list[i]); list[i] = null; }
      if (want && !list[i]) html.push(markup(i, r));
    }
    if (!html.length) return;
    var tmp = document.createElementNS('http://www.w3.org/2000/svg', 'g');
    tmp.innerHTML = html.join('');
    while (tmp.firstChild) {
      var el = tmp.firstChild;
      list[+el.id.slice(1)] = el;
      layer.appendChild(el);
    }
  }
  function clearAll() {
    [[els, layerNodes], [edgeEls, layerEdges], [groupEls, layerGroups]].forEach(function (x) {
      x[1].textContent = '';
      for (var i = 0; i < x[0].length; i++) x[0][i] = null;
    });
  }
  function draw() {
    pending = false;
    size();
    var r = worldRect(0);
    var next = N.length > BUDGET && (view.k < LABEL_ZOOM || countIn(r, BUDGET) > BUDGET) ? 'overview' : 'detail';
    if (next !== mode) {
      mode = next;
      stage.classList.toggle('overview', mode === 'overview');
      if (mode === 'overview') { clearAll(); drawn = null; } else clearCanvas();
    }
    if (mode !== 'overview') hideSections();
    if (mode === 'overview') drawOverview();
    else if (!drawn || r[0] < drawn[0] || r[1] < drawn[1] || r[2] > drawn[2] || r[3] > drawn[3]) {
      drawn = worldRect(MARGIN);
      sync(GB, groupEls, G.length, layerGroups, groupSvg, drawn, function (i) { return G[i].id === '_top'; });
      var edges = 0;
      for (var i = 0; i < E.length; i++) if (meets(EB, i, drawn)) edges++;
      var crowded = edges > EDGE_BUDGET;
      svg.classList.toggle('crowded', crowded);
      /* crowded: only the edges that start or end in the drawn area, not those passing through */
      sync(EB, edgeEls, E.length, layerEdges, edgeSvg, drawn, crowded ? function (i) {
        return !meets(NB, E[i][0], drawn) && !meets(NB, E[i][1], drawn);
      } : null, clipped);
      sync(NB, els, N.length, layerNodes, nodeSvg, drawn, null);
    }
    if (firstDraw) { firstDraw = false; if (window.performance && performance.mark) performance.mark('argmap-first-draw'); }
  }
  function schedule() { if (!pending) { pending = true; requestAnimationFrame(draw); } }
  function redrawAll() { clearAll(); drawn = null; draw(); }

  /* the overview: sections and blocks, on a canvas under the (then empty) SVG */
  var colours = {};
  function colourOf(i) {
    var c = colours[sem] || (colours[sem] = new Array(N.length));
    if (c[i] === undefined) c[i] = N[i].k === 'a' ? '#c9d4ea' : colour(valueOf(i)[0]);
    return c[i];
  }
  function clearCanvas() { var ctx = canvas.getContext('2d'); ctx.setTransform(1, 0, 0, 1, 0, 0); ctx.clearRect(0, 0, canvas.width, canvas.height); }
  function drawOverview() {
    if (showSections()) return;  /* the section-level map covers the canvas */
    var dpr = window.devicePixelRatio || 1, cw = Math.round(W * dpr), ch = Math.round(H * dpr);
    if (canvas.width !== cw || canvas.height !== ch) { canvas.width = cw; canvas.height = ch; }
    var ctx = canvas.getContext('2d'), k = view.k, r = worldRect(0.02), i, px = 1 / k;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#ffffff'; ctx.fillRect(0, 0, cw, ch);
    ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * view.x, dpr * view.y);
    var colourEdge = { sup: '#1a9850', att: '#d73027', con: '#d73027', und: '#d73027' };
    function edges(inner, alpha) {
      ctx.globalAlpha = alpha; ctx.lineWidth = px;
      for (var i = 0; i < E.length; i++) {
        var e = E[i];
        if ((N[e[0]].group === N[e[1]].group) !== inner || !meets(EB, i, r)) continue;
        var p = e[3];
        ctx.strokeStyle = colourEdge[EDGE_CLASS[e[2]]] || '#8a9099';
        ctx.beginPath(); ctx.moveTo(p[0], p[1]);
        for (var j = 2; j < p.length; j += 2) ctx.lineTo(p[j], p[j + 1]);
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
    }
    /* edges between sections under the section boxes (faint: at this scale they are a texture),
       the sections as boxes, edges inside them once they can be told apart, then the claims */
    edges(false, 0.18);
    ctx.fillStyle = '#f7f8fa'; ctx.strokeStyle = '#d5d9e0'; ctx.lineWidth = px;
    for (i = 0; i < G.length; i++) {
      if (G[i].id === '_top' || !meets(GB, i, r)) continue;
      ctx.fillRect(GB[4 * i], GB[4 * i + 1], GB[4 * i + 2] - GB[4 * i], GB[4 * i + 3] - GB[4 * i + 1]);
      ctx.strokeRect(GB[4 * i], GB[4 * i + 1], GB[4 * i + 2] - GB[4 * i], GB[4 * i + 3] - GB[4 * i + 1]);
    }
    if (k >= 0.08) edges(true, 0.5);
    ctx.globalAlpha = searching ? 0.3 : 1;
    for (i = 0; i < N.length; i++) {
      if (!meets(NB, i, r)) continue;
      ctx.fillStyle = colourOf(i);
      ctx.fillRect(NB[4 * i], NB[4 * i + 1], NB[4 * i + 2] - NB[4 * i], NB[4 * i + 3] - NB[4 * i + 1]);
    }
    ctx.globalAlpha = 1;
    ctx.strokeStyle = '#6b7280'; ctx.lineWidth = px * 0.5;
    if (k > 0.05) for (i = 0; i < N.length; i++) {
      if (meets(NB, i, r)) ctx.strokeRect(NB[4 * i], NB[4 * i + 1], NB[4 * i + 2] - NB[4 * i], NB[4 * i + 3] - NB[4 * i + 1]);
    }
    /* marks that must stay visible however small the boxes: hits, the selection, the thesis */
    function ring(i, colour, width) {
      var m = 3 * px, w = Math.max(NB[4 * i + 2] - NB[4 * i], 6 * px), h = Math.max(NB[4 * i + 3] - NB[4 * i + 1], 6 * px);
      ctx.strokeStyle = colour; ctx.lineWidth = width * px;
      ctx.strokeRect(NB[4 * i] - m, NB[4 * i + 1] - m, w + 2 * m, h + 2 * m);
    }
    hits.forEach(function (i) { ring(i, '#f59e0b', 2.5); });
    if (D.thesis != null) ring(D.thesis, '#1f2937', 2);
    if (selected >= 0) ring(selected, '#2563eb', 3);
    /* section titles at a readable size, where the box is wide enough on screen */
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.font = '600 12px Helvetica, Arial, sans-serif'; ctx.fillStyle = '#4a5260'; ctx.textBaseline = 'top';
    for (i = 0; i < G.length; i++) {
      if (G[i].id === '_top' || !meets(GB, i, r)) continue;
      var sx = GB[4 * i] * k + view.x, sy = GB[4 * i + 1] * k + view.y, sw = (GB[4 * i + 2] - GB[4 * i]) * k;
      if (sw < 70 || (GB[4 * i + 3] - GB[4 * i + 1]) * k < 24) continue;
      var t = G[i].title, max = sw - 10;
      while (t.length > 3 && ctx.measureText(t).width > max) t = t.slice(0, Math.floor(t.length * max / ctx.measureText(t).width) - 1) + '…';
      if (t.length > 3) ctx.fillText(t, sx + 5, sy + 5);
    }
  }
  /* the node at a point of the page (overview clicks) */
  function nodeAt(cx, cy) {
    var x = (cx - view.x) / view.k, y = (cy - view.y) / view.k, slack = 3 / view.k, best = -1, bestD = Infinity;
    for (var i = 0; i < N.length; i++) {
      var dx = Math.max(NB[4 * i] - x, 0, x - NB[4 * i + 2]), dy = Math.max(NB[4 * i + 1] - y, 0, y - NB[4 * i + 3]);
      var d = dx + dy;
      if (d <= slack && d < bestD) { bestD = d; best = i; }
    }
    return best;
  }

  /* ---- zoom and pan ---- */
  function apply() {
    vp.setAttribute('transform', 'translate(' + view.x.toFixed(1) + ',' + view.y.toFixed(1) + ') scale(' + view.k.toFixed(4) + ')');
    schedule();
  }
  function fit() {
    size();
    var a = fitArea(), k = Math.min(a[2] / vb[2], a[3] / vb[3]);
    view.k = k; view.x = a[0] + (a[2] - vb[2] * k) / 2 - vb[0] * k; view.y = a[1] + (a[3] - vb[3] * k) / 2 - vb[1] * k;
    apply();
  }
  /* where the fitted map goes (stage pixels): above the legend or right of it, whichever
     shows the map larger, so the legend never covers the map at fit */
  function fitArea() {
    var l = legend.getBoundingClientRect(), s = stage.getBoundingClientRect();
    if (!l.width || l.top >= s.bottom) return [0, 0, W, H];
    var above = [0, 0, W, Math.max(l.top - s.top - 6, H * 0.4)], left = l.right - s.left + 6, right = [left, 0, Math.max(W - left, W * 0.4), H];
    var ka = Math.min(above[2] / vb[2], above[3] / vb[3]), kr = Math.min(right[2] / vb[2], right[3] / vb[3]);
    return ka >= kr ? above : right;
  }
  function zoomAt(f, cx, cy) {
    var k = Math.min(Math.max(view.k * f, 0.002), 6); f = k / view.k;
    view.x = cx - (cx - view.x) * f; view.y = cy - (cy - view.y) * f; view.k = k; apply();
  }
  function centreOn(i) {
    size();
    var b = N[i].box, k = Math.max(view.k, 0.9);
    var free = panel.hidden ? W : Math.max(W - panel.offsetWidth, W * 0.4);
    view.k = k; view.x = free / 2 - (b[0] + b[2] / 2) * k; view.y = H / 2 - (b[1] + b[3] / 2) * k; apply();
    draw();  /* now, so the node is in the DOM for what follows */
  }
  svg.removeAttribute('viewBox');
  window.addEventListener('resize', function () { chrome(); drawn = null; fit(); });
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

  /* ---- colours and numbers for the chosen semantics (drawn nodes now, the others when drawn) ---- */
  function recolour() {
    for (var i = 0; i < N.length; i++) {
      var g = els[i];
      if (!g || N[i].k !== 's') continue;
      var v = valueOf(i);
      var box = g.querySelector('.box');
      box.setAttribute('fill', colour(v[0]));
      box.classList.toggle('nv', v[0] == null);
      var bf = g.querySelector('.bf');
      bf.setAttribute('width', v[0] == null ? '0.0' : f1(BAR_W * Math.min(Math.max(v[0], 0), 1)));
      var t = g.querySelector('.v');
      t.textContent = fmt(v[0]);
      t.classList.toggle('st', v[3] === 'stated');
    }
    if (mode === 'overview') drawOverview();
    bottomLine();
    if (selected >= 0) showPanel(selected);
  }
  function bottomLine() {
    var el = document.getElementById('bottom-line');
    if (D.thesis == null) { el.textContent = 'no thesis found'; return; }
    var v = valueOf(D.thesis);
    var iv = v[1] != null ? ' <span title="90% interval">[' + fmt(v[1]) + ', ' + fmt(v[2]) + ']</span>' : '';
    var b = D.bottom, range = '';
    if (b && b.range) {
      range = ' <span class="range" id="model-range" title="' + esc('rests on: ' + b.rests.join('; ')) + '">model range ' +
        fmt(b.range[0]) + '–' + fmt(b.range[1]) + '</span>';
    }
    el.innerHTML = 'thesis <b>' + fmt(v[0]) + '</b>' + iv + ' <span class="sem">' + esc(v[3] === 'computed' ? sem : (v[3] || 'not scored')) + '</span>' + range;
  }
  function clusterLines(n) {
    /* the clusters an argument belongs to, or that enter a claim, with what they contributed */
    var b = D.bottom, name = n.k === 'a' ? '<' + n.title + '>' : '[' + n.title + ']';
    if (!b || !b.clusters) return [];
    return b.clusters.filter(function (c) { return c.target === name || c.members.indexOf(name) >= 0; })
      .map(function (c) { return '<div class="cluster">' + esc(c.text) + '</div>'; });
  }

  /* ---- selection and the side panel ---- */
  svg.addEventListener('click', function (ev) {
    if (moved) { moved = false; return; }
    var g = ev.target.closest ? ev.target.closest('.n') : null;
    if (g) { select(+g.id.slice(1), false); return; }
    var r = stage.getBoundingClientRect(), j = mode === 'overview' ? nodeAt(ev.clientX - r.left, ev.clientY - r.top) : -1;
    if (j >= 0) select(j, true); else select(-1);
  });
  /* a node and its neighbours (and the edges between them) are "near" the selection */
  function mark(i, on) {
    var list = [i];
    outs[i].concat(ins[i]).forEach(function (x) {
      list.push(x[0]);
      if (on) nearEdges[x[2]] = true; else delete nearEdges[x[2]];
      if (edgeEls[x[2]]) edgeEls[x[2]].classList.toggle('near', on);
    });
    list.forEach(function (j) {
      if (on) near[j] = true; else delete near[j];
      if (els[j]) els[j].classList.toggle('near', on);
    });
  }
  function select(i, centre) {
    if (i !== problemNode) markProblem(-1);
    if (selected >= 0) { if (els[selected]) els[selected].classList.remove('sel'); mark(selected, false); }
    selected = i;
    svg.classList.toggle('focus', i >= 0);
    if (i < 0) { panel.hidden = true; if (mode === 'overview') drawOverview(); return; }
    mark(i, true);
    showPanel(i);
    if (centre) centreOn(i); else if (mode === 'overview') drawOverview();
    if (els[i]) {
      els[i].classList.add('sel');
      try { els[i].focus({ preventScroll: true }); } catch (e) { /* old browsers */ }
    }
  }
  function jump(i) { return '<a class="jump" data-i="' + i + '">' + esc(label(N[i])) + '</a>'; }
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
    h.push(problemsOf(i));
    if (n.tags) h.push('<div class="tags">' + n.tags.map(function (t) { return '#' + esc(t); }).join(' ') + '</div>');
    if (n.text) h.push('<div class="text">' + esc(n.text) + '</div>');
    h.push.apply(h, clusterLines(n));
    if (n.k === 's' && !MISSING[i]) {
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
          '<blockquote class="md">' + (q.html != null ? q.html : esc(q.quote)) + '</blockquote>' + (q.message ? '<div class="msg">' + esc(q.message) + '</div>' : '') + '</div>');
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

  /* ---- search: titles and texts, lower-cased once (on the first search) ---- */
  var haystack = null, titles = null;
  function runSearch() {
    var q = search.value.trim().toLowerCase(), i;
    hits.forEach(function (j) { if (els[j]) els[j].classList.remove('hit'); });
    hits = []; hitSet = {};
    if (!q) {
      searching = false; svg.classList.remove('searching'); results.classList.remove('open'); results.innerHTML = '';
      if (mode === 'overview') drawOverview();
      return;
    }
    if (!haystack) {
      haystack = new Array(N.length); titles = new Array(N.length);
      for (i = 0; i < N.length; i++) { titles[i] = N[i].title.toLowerCase(); haystack[i] = titles[i] + '\n' + (N[i].text || '').toLowerCase(); }
    }
    var words = q.split(/\s+/), first = [], rest = [];
    for (i = 0; i < N.length; i++) {
      var all = haystack[i], ok = true;
      for (var w = 0; w < words.length; w++) if (all.indexOf(words[w]) < 0) { ok = false; break; }
      if (ok) (titles[i].indexOf(words[0]) >= 0 ? first : rest).push(i);
    }
    hits = first.concat(rest);
    hits.forEach(function (j) { hitSet[j] = true; if (els[j]) els[j].classList.add('hit'); });
    searching = true; svg.classList.add('searching');
    if (mode === 'overview') drawOverview();
    active = 0;
    results.innerHTML = hits.length ? hits.slice(0, 40).map(function (i, j) {
      return '<li role="option" data-i="' + i + '"' + (j === 0 ? ' class="active"' : '') + '>' +
        esc(label(N[i])) + '<small>' + esc(N[i].text || '') + '</small></li>';
    }).join('') + (hits.length > 40 ? '<li><small>' + (hits.length - 40) + ' more</small></li>' : '') : '<li><small>no claim matches</small></li>';
    results.classList.add('open');
  }
  function choose(i) { results.classList.remove('open'); searching = false; svg.classList.remove('searching'); select(i, true); }
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

  /* ---- problems: the list (errors first), the banner, jumping to a problem's node ---- */
  var diagButton = document.getElementById('show-diags');
  function problemLine(d) {
    return '<code class="lv-' + esc(d.level) + '">' + esc(d.code) + '</code> line ' + d.line + ': ' + esc(d.message);
  }
  function sourceLine(d) {
    return d.source ? '<pre class="src"><span>' + d.line + ' |</span> ' + esc(d.source) + '</pre>' : '';
  }
  function renderDiags(list, notes) {
    var problems = list.filter(function (d) { return d.level !== 'info'; }).length;
    diagButton.textContent = problems + (problems === 1 ? ' problem' : ' problems');
    diagButton.classList.toggle('has', problems > 0);
    diagButton.classList.toggle('err', list.some(function (d) { return d.level === 'error'; }));
    diags.innerHTML = '<button class="close">×</button><h2>Diagnostics</h2>' +
      (notes || []).map(function (t) { return '<p>' + esc(t) + '</p>'; }).join('') +
      (list.length ? '<ol>' + list.map(function (d, k) {
        return '<li data-p="' + k + '"' + (d.node != null ? ' class="go" title="Show it on the map"' : '') + '>' + problemLine(d) +
          (d.hint ? '<br><small>' + esc(d.hint) + '</small>' : '') + sourceLine(d) + '</li>';
      }).join('') + '</ol>' : '<p>No findings.</p>');
    diags.querySelector('.close').onclick = function () { diags.hidden = true; };
    Array.prototype.forEach.call(diags.querySelectorAll('li.go'), function (li) {
      li.onclick = function () { goProblem(+li.getAttribute('data-p')); };
    });
  }
  function markProblem(i) {
    if (problemNode >= 0 && els[problemNode]) els[problemNode].classList.remove('prob');
    problemNode = i;
    if (i >= 0 && els[i]) els[i].classList.add('prob');
  }
  /* show problem k: its node selected, centred and ringed; the panel starts with the problem */
  function goProblem(k) {
    var d = D.diagnostics[k];
    if (!d || d.node == null) return;
    markProblem(d.node);
    select(d.node, true);
    markProblem(d.node);
  }
  function problemsOf(i) {
    var mine = D.diagnostics.filter(function (d) { return d.node === i; });
    if (!mine.length && !MISSING[i]) return '';
    var errs = MISSING[i] || mine.some(function (d) { return d.level === 'error'; });
    return '<div class="probs' + (errs ? '' : ' warn') + '">' + (MISSING[i] ? '<div class="miss-note">Not defined: this statement is used but never written as <code>[' +
      esc(N[i].title) + ']: text</code>.</div>' : '') + mine.map(function (d) {
      return '<div class="prob-item">' + problemLine(d) + (d.hint ? '<br><small>' + esc(d.hint) + '</small>' : '') + sourceLine(d) + '</div>';
    }).join('') + '<a class="all-probs">all problems</a></div>';
  }
  panel.addEventListener('click', function (ev) {
    if (ev.target.closest && ev.target.closest('.all-probs')) { panel.hidden = true; diags.hidden = false; }
  });
  renderDiags(D.diagnostics, D.notes);
  diagButton.onclick = function () { diags.hidden = !diags.hidden; if (!diags.hidden) panel.hidden = true; };

  /* the banner: the live preview's news (a broken save, a changed thesis, new errors) and
     the map's own errors, above the map (the map moves down, it is never covered) */
  var liveHtml = banner.innerHTML.trim(), dismissed = false;
  function errorsHtml() {
    var out = '';
    if (D.thesis != null && MISSING[D.thesis]) {
      out += '<div class="b-err">The thesis <b>[' + esc(N[D.thesis].title) + ']</b> is not defined: it is used but never written as <code>[' +
        esc(N[D.thesis].title) + ']: text</code>.</div>';
    }
    if (!D.errors) return out;
    var k = -1;
    for (var j = 0; j < D.diagnostics.length; j++) if (D.diagnostics[j].level === 'error') { k = j; break; }
    var d = D.diagnostics[k] || { line: 0, code: '', message: '', level: 'error' };
    return out + '<div class="b-err"><b id="banner-count">' + D.errors + (D.errors === 1 ? ' error' : ' errors') + '</b> in this map. First: ' +
      '<a class="b-go" id="banner-first" data-p="' + k + '">' + problemLine(d) + '</a> <button class="b-all">all problems</button></div>';
  }
  function noticeHtml() {
    var n = D.notice, out = [];
    if (!n) return '';
    if (n.thesis) {
      out.push('The thesis changed since the last version: <b>' + esc(n.thesis[0] == null ? 'none' : '[' + n.thesis[0] + ']') + '</b> → <b>' +
        esc(n.thesis[1] == null ? 'none' : '[' + n.thesis[1] + ']') + '</b>.');
    }
    if (n.new_errors) out.push(n.new_errors + (n.new_errors === 1 ? ' new error' : ' new errors') + ' since the last version.');
    return out.length ? '<div class="b-note" id="banner-notice">' + out.join(' ') + '</div>' : '';
  }
  function renderBanner() {
    var body = dismissed ? liveHtml : liveHtml + noticeHtml() + errorsHtml();
    banner.innerHTML = body ? '<button class="close" title="Hide">×</button>' + body : '';
    banner.classList.toggle('errs', !!body);
    chrome();
  }
  banner.addEventListener('click', function (ev) {
    var t = ev.target.closest ? ev.target.closest('.b-go, .b-all, .close') : null;
    if (!t) return;
    if (t.classList.contains('b-go')) goProblem(+t.getAttribute('data-p'));
    else if (t.classList.contains('b-all')) { panel.hidden = true; diags.hidden = false; }
    else { dismissed = true; liveHtml = ''; renderBanner(); drawn = null; schedule(); }
  });
  /* the header wraps on narrow windows and the banner's height varies: the map, the panel
     and the problem list start below both */
  function chrome() {
    var top = bar.getBoundingClientRect().bottom;
    banner.style.top = top + 'px';
    var below = Math.round(top + (banner.innerHTML ? banner.getBoundingClientRect().height : 0)) + 'px';
    stage.style.top = below; panel.style.top = below; diags.style.top = below;
  }
  renderBanner();
  var help = document.getElementById('help');
  document.getElementById('show-help').onclick = function () { help.hidden = !help.hidden; };

  /* ---- keyboard ---- */
  function nearest(i, dir) {
    var b = N[i].box, cx = b[0] + b[2] / 2, cy = b[1] + b[3] / 2, best = -1, bestScore = Infinity;
    for (var j = 0; j < N.length; j++) {
      if (j === i) continue;
      var dx = (NB[4 * j] + NB[4 * j + 2]) / 2 - cx, dy = (NB[4 * j + 1] + NB[4 * j + 3]) / 2 - cy;
      var along = dir === 'ArrowUp' ? -dy : dir === 'ArrowDown' ? dy : dir === 'ArrowLeft' ? -dx : dx;
      if (along <= 1 || along >= bestScore) continue;
      var across = dir === 'ArrowUp' || dir === 'ArrowDown' ? Math.abs(dx) : Math.abs(dy);
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


  /* ---- tracing one edge: hovering an edge (or clicking it, which keeps it lit) lights the
     whole path and its two ends, and dims the rest ---- */
  var traced = -1, pinned = false;
  function lightEdge(i, on) {
    if (edgeEls[i]) edgeEls[i].classList.toggle('hl', on);
    [E[i][0], E[i][1]].forEach(function (j) { if (els[j]) els[j].classList.toggle('hl', on); });
  }
  function trace(i) {
    if (traced === i) return;
    if (traced >= 0) lightEdge(traced, false);
    traced = i;
    if (i >= 0) lightEdge(i, true);
    svg.classList.toggle('tracing', i >= 0);
  }
  function edgeOf(ev) { var p = ev.target.closest ? ev.target.closest('.e') : null; return p ? +p.id.slice(1) : -1; }
  layerEdges.addEventListener('mouseover', function (ev) { if (!pinned && edgeOf(ev) >= 0) trace(edgeOf(ev)); });
  layerEdges.addEventListener('mouseout', function () { if (!pinned) trace(-1); });
  svg.addEventListener('click', function (ev) {
    var i = edgeOf(ev);
    if (i >= 0) { pinned = !(pinned && traced === i); trace(pinned ? i : -1); }
    else if (pinned) { pinned = false; trace(-1); }
  });

  /* ---- the section-level map: zoomed out on a large map, one card per section (or per
     part, at the deepest heading level whose cards fit the screen) with its claim count and
     its strongest support and attack toward the thesis (argmap/render/overview.py) ---- */
  var SEC = D.sections || { titles: {}, cards: [] };
  var sectionsEl = document.getElementById('sections');
  var CARD_W = 145, CARD_H = 50, CARD_GAP = 6, THESIS_H = 44, FRAME_READABLE = 240;
  var shownKey = '';
  function framesTooSmall() {  /* half the section frames narrower on screen than FRAME_READABLE */
    if (SEC.cards.length < 2 || mode !== 'overview') return false;
    var ws = SEC.cards.map(function (c) { return G[c.g].box[2] * view.k; }).sort(function (a, b) { return a - b; });
    return ws[ws.length >> 1] < FRAME_READABLE;
  }
  function cardsAt(level) {
    var by = {}, order = [];
    SEC.cards.forEach(function (c) {
      var id = c.path[Math.min(level, c.path.length - 1)], a = by[id];
      if (!a) { a = by[id] = { id: id, claims: 0, args: 0, sup: null, att: null, groups: [] }; order.push(a); }
      a.claims += c.claims; a.args += c.args; a.groups.push(c.g);
      if (c.sup && (!a.sup || c.sup[1] > a.sup[1])) a.sup = c.sup;
      if (c.att && (!a.att || c.att[1] > a.att[1])) a.att = c.att;
    });
    return order;
  }
  function gridFor(n) {  /* [columns, card height] for n cards on the stage, or null when they do not fit */
    var w = W - 24, h = H - THESIS_H - CARD_GAP - 24;
    for (var c = Math.min(n, Math.max(1, Math.floor(w / 340))); c <= n; c++) {
      var cw = (w - (c - 1) * CARD_GAP) / c, rows = Math.ceil(n / c), ch = (h - (rows - 1) * CARD_GAP) / rows;
      if (cw < CARD_W) return null;
      if (ch >= CARD_H) return [c, Math.min(ch, 120)];
    }
    return null;
  }
  function sectionLayout() {
    var depth = 1;
    SEC.cards.forEach(function (c) { depth = Math.max(depth, c.path.length); });
    for (var level = depth - 1; level >= 0; level--) {
      var cards = cardsAt(level), g = gridFor(cards.length);
      if (g) return { cards: cards, cols: g[0], h: g[1], level: level, depth: depth };
    }
    /* too many even at the top level: the smallest legible cards, and the grid scrolls */
    var top = cardsAt(0);
    return { cards: top, cols: Math.max(1, Math.floor((W - 24 + CARD_GAP) / (CARD_W + CARD_GAP))), h: CARD_H, level: 0, depth: depth };
  }
  function strongest(x, cls, mark) {
    return x ? '<span class="' + cls + '" title="' + esc(N[x[0]].title) + '">' + mark + ' ' + fmt(x[1]) + ' ' + esc(N[x[0]].title) + '</span>' : '';
  }
  function sectionsHtml(lay) {
    var t = D.thesis != null ? N[D.thesis] : null, h = [];
    h.push('<div class="thesis-card">' + (t ? 'thesis <b>' + esc(t.title) + '</b> ' + fmt(valueOf(D.thesis)[0]) : 'no thesis') +
      '<small>' + lay.cards.length + (lay.level < lay.depth - 1 ? ' parts (their sections summed up to heading level ' + (lay.level + 1) + ')' : ' sections') +
      ' · ▲ strongest support, ▼ strongest attack toward the thesis · zoom in or click one for its claims</small></div>');
    lay.cards.forEach(function (a, k) {
      var hit = searching && a.groups.some(function (g) { return hits.some(function (i) { return N[i].group === G[g].id; }); });
      h.push('<button class="card' + (hit ? ' hit' : '') + '" data-k="' + k + '" title="' + a.claims + ' claims, ' + a.args + ' arguments">' +
        '<span class="head"><b>' + esc((SEC.titles[a.id] || {}).title || a.id) + '</b><i>' + a.claims + ' claims</i></span>' +
        strongest(a.sup, 'sup', '▲') + strongest(a.att, 'att', '▼') + '</button>');
    });
    return h.join('');
  }
  function showSections() {
    var lay = framesTooSmall() ? sectionLayout() : null;
    if (!lay) { hideSections(); return false; }
    var key = [W, H, lay.level, sem, searching ? hits.length + ':' + hits[0] : ''].join('|');
    if (key !== shownKey) {
      shownKey = key;
      sectionsEl.style.gridTemplateColumns = 'repeat(' + lay.cols + ', minmax(0, 1fr))';
      sectionsEl.style.gridTemplateRows = THESIS_H + 'px';  /* the thesis card's row; the cards' rows follow */
      sectionsEl.style.gridAutoRows = Math.floor(lay.h) + 'px';
      sectionsEl.innerHTML = sectionsHtml(lay);
      sectionsEl.layout = lay;
    }
    sectionsEl.hidden = false;
    stage.classList.add('secmap');
    return true;
  }
  function hideSections() {
    if (!sectionsEl.hidden) { sectionsEl.hidden = true; stage.classList.remove('secmap'); }
  }
  sectionsEl.addEventListener('click', function (ev) {
    var card = ev.target.closest('.card');
    if (!card || moved) return;
    var a = sectionsEl.layout.cards[+card.getAttribute('data-k')];
    size();
    if (!zoomTo(a.groups)) zoomTo(a.groups.slice(0, 1));  /* all its sections, else its first one, legibly */
  });
  function zoomTo(groups) {
    var r = [Infinity, Infinity, -Infinity, -Infinity];
    groups.forEach(function (g) {
      r[0] = Math.min(r[0], GB[4 * g]); r[1] = Math.min(r[1], GB[4 * g + 1]); r[2] = Math.max(r[2], GB[4 * g + 2]); r[3] = Math.max(r[3], GB[4 * g + 3]);
    });
    var k = Math.min(W / (r[2] - r[0] + 40), H / (r[3] - r[1] + 40), 1.2);
    if (k < LABEL_ZOOM && groups.length > 1) return false;
    view.k = Math.max(k, LABEL_ZOOM); view.x = W / 2 - (r[0] + r[2]) / 2 * view.k; view.y = H / 2 - (r[1] + r[3]) / 2 * view.k;
    apply();
    return true;
  }
  sectionsEl.addEventListener('pointerdown', function (ev) { ev.stopPropagation(); });
  sectionsEl.addEventListener('wheel', function (ev) {  /* a grid taller than the screen scrolls */
    if (sectionsEl.scrollHeight > sectionsEl.clientHeight + 1) ev.stopPropagation();
  }, { passive: true });

  bottomLine();
  chrome();  /* the header's height is known once the bottom line is in it */
  if (window.ResizeObserver) new ResizeObserver(function () { chrome(); }).observe(bar);
  fit();
  draw();

  /* ---- live preview (argmap serve) ---- */
  function showBroken(list) {
    liveHtml = '<div class="b-live"><b>The map has errors; showing the last good version.</b>' + list.map(function (d) {
      return '<pre><code class="lv-' + esc(d.level) + '">' + esc(d.code) + '</code> line ' + d.line + ':' + d.column + ' ' + esc(d.message) + '</pre>';
    }).join('') + '</div>';
    dismissed = false; renderBanner();
  }
  if (D.live) {
    try {
      var saved = JSON.parse(sessionStorage.getItem('argmap-view') || 'null');
      if (saved) {
        sessionStorage.removeItem('argmap-view');
        if (saved.sem && D.semantics.indexOf(saved.sem) >= 0) { sem = saved.sem; semSelect.value = sem; }
        view = saved.view; apply(); redrawAll();
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
    es.addEventListener('fixed', function () { liveHtml = ''; renderBanner(); });
  }
  bottomLine();
  if (window.performance && performance.mark) performance.mark('argmap-ready');
  document.documentElement.setAttribute('data-ready', '1');
})();
