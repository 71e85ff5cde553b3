/* scsim report charts: line and bar charts drawn as SVG from the JSON in #scsim-charts.
   Small and dependency-free so that the report is one offline file. Hover shows values,
   clicking a legend entry hides or shows its series, charts redraw when the window resizes. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  // Okabe-Ito: distinguishable with the common colour-vision deficiencies.
  var COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7f7f7f",
                "#000000"];
  var HEIGHT = 270;
  var source = document.getElementById("scsim-charts");
  if (!source) { return; }
  var DATA = JSON.parse(source.textContent);
  var hidden = {};
  var tip = document.createElement("div");
  tip.className = "tip";
  tip.setAttribute("role", "status");
  document.body.appendChild(tip);
  var measureCtx = document.createElement("canvas").getContext("2d");

  function el(tag, attrs, parent) {
    var e = document.createElementNS(NS, tag);
    for (var k in attrs) { if (attrs[k] !== undefined) { e.setAttribute(k, attrs[k]); } }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function text(parent, x, y, s, attrs) {
    var t = el("text", Object.assign({ x: x, y: y }, attrs || {}), parent);
    t.textContent = s;
    return t;
  }
  function textWidth(s) {
    measureCtx.font = "12px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
    return measureCtx.measureText(s).width;
  }
  function isNum(v) { return typeof v === "number" && isFinite(v); }

  function fmt(v, kind) {
    if (!isNum(v)) { return "–"; }
    switch (kind) {
      case "pct": var p = 100 * v;
        return (Math.abs(p) < 1 && p !== 0 ? p.toFixed(2) : p.toFixed(1)) + "\u00a0%";
      case "ratio": return v.toFixed(2) + "×";
      case "int": return Math.round(v).toLocaleString("en-US");
      case "days": return Math.round(v).toLocaleString("en-US") + "\u00a0days";
      case "one_in": return "1 in " + Math.round(v).toLocaleString("en-US");
      default:
        if (Math.abs(v) >= 1000) { return Math.round(v).toLocaleString("en-US"); }
        return String(+v.toPrecision(3));
    }
  }
  function fmtTick(v, kind) {
    if (kind === "pct") { return +(100 * v).toPrecision(3) + "%"; }
    if (kind === "ratio") { return +v.toPrecision(3) + "×"; }
    var a = Math.abs(v);
    if (a >= 1e6) { return +(v / 1e6).toPrecision(3) + "M"; }
    if (a >= 1e4) { return +(v / 1e3).toPrecision(3) + "k"; }
    return String(+v.toPrecision(4));
  }
  function niceTicks(lo, hi, n, whole) {
    if (!(hi > lo)) { hi = lo + 1; }
    var raw = (hi - lo) / n;
    var step = Math.pow(10, Math.floor(Math.log10(raw)));
    var err = raw / step;
    if (err >= 7.5) { step *= 10; } else if (err >= 3.5) { step *= 5; } else if (err >= 1.5) { step *= 2; }
    if (whole && step < 1) { step = 1; }
    var out = [];
    for (var v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
      out.push(+v.toPrecision(12));
    }
    return { ticks: out, lo: Math.min(lo, out[0]), hi: Math.max(hi, out[out.length - 1]) };
  }
  function visible(spec) {
    var h = hidden[spec.key] || {};
    return spec.series.map(function (s, i) { return !h[i]; });
  }
  function yRange(spec, vis) {
    var lo = Infinity, hi = -Infinity;
    if (spec.kind === "bar" && spec.stacked) {
      spec.x.forEach(function (_, j) {
        var sum = 0;
        spec.series.forEach(function (s, i) { if (vis[i] && isNum(s.values[j])) { sum += s.values[j]; } });
        hi = Math.max(hi, sum); lo = Math.min(lo, 0);
      });
    } else {
      spec.series.forEach(function (s, i) {
        if (!vis[i]) { return; }
        s.values.concat(s.lo || [], s.hi || []).forEach(function (v) { if (isNum(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } });
      });
    }
    (spec.marks || []).forEach(function (m) { lo = Math.min(lo, m.y); hi = Math.max(hi, m.y); });
    if (!isFinite(lo)) { return null; }
    lo = Math.min(lo, 0);
    if (hi === lo) { hi = lo + 1; }
    return [lo, hi + (hi - lo) * 0.04];
  }

  function showTip(evt, title, rows) {
    tip.textContent = "";
    var h = document.createElement("div");
    h.className = "tip-title";
    h.textContent = title;
    tip.appendChild(h);
    rows.forEach(function (r) {
      var line = document.createElement("div");
      var sw = document.createElement("span");
      sw.className = "sw";
      sw.style.background = r[2];
      line.appendChild(sw);
      line.appendChild(document.createTextNode(r[0] + ": " + r[1]));
      tip.appendChild(line);
    });
    tip.style.display = "block";
    var x = evt.clientX + 14, y = evt.clientY + 14;
    var w = tip.offsetWidth, hgt = tip.offsetHeight;
    if (x + w > window.innerWidth - 8) { x = evt.clientX - w - 14; }
    if (y + hgt > window.innerHeight - 8) { y = evt.clientY - hgt - 14; }
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  function hideTip() { tip.style.display = "none"; }

  function legend(fig, spec) {
    var old = fig.querySelector(".legend");
    if (old) { old.remove(); }
    if (spec.series.length < 2) { return; }
    var box = document.createElement("div");
    box.className = "legend";
    var vis = visible(spec);
    spec.series.forEach(function (s, i) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "key" + (vis[i] ? "" : " off");
      b.setAttribute("aria-pressed", vis[i] ? "true" : "false");
      b.title = "show or hide this series";
      var sw = document.createElement("span");
      sw.className = "sw";
      sw.style.background = COLORS[i % COLORS.length];
      b.appendChild(sw);
      b.appendChild(document.createTextNode(s.name));
      b.addEventListener("click", function () {
        var h = hidden[spec.key] = hidden[spec.key] || {};
        h[i] = !h[i];
        draw(fig);
      });
      box.appendChild(b);
    });
    fig.insertBefore(box, fig.querySelector(".plot"));
  }

  function frame(plot, spec, width, height, m) {
    var svg = el("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height,
                          role: "img", "aria-label": spec.title, "class": "chart-svg" }, plot);
    return { svg: svg, x0: m.l, x1: width - m.r, y0: height - m.b, y1: m.t };
  }

  function lineChart(plot, spec, width) {
    var vis = visible(spec);
    var m = { l: 62, r: 18, t: spec.yLabel ? 28 : 12, b: 44 };
    var f = frame(plot, spec, width, HEIGHT, m);
    var xs = spec.x;
    var xlo = xs[0], xhi = xs[xs.length - 1];
    if (xhi === xlo) { xhi = xlo + 1; }
    var yr = yRange(spec, vis);
    if (!yr) { text(f.svg, width / 2, HEIGHT / 2, "no data", { "class": "empty", "text-anchor": "middle" }); return; }
    var yt = niceTicks(yr[0], yr[1], 5, spec.fmt === "int" || spec.fmt === "days");
    var X = function (v) { return f.x0 + (v - xlo) / (xhi - xlo) * (f.x1 - f.x0); };
    var Y = function (v) { return f.y0 - (v - yt.lo) / (yt.hi - yt.lo) * (f.y0 - f.y1); };
    var g = el("g", { "class": "axes" }, f.svg);
    yt.ticks.forEach(function (t) {
      el("line", { x1: f.x0, x2: f.x1, y1: Y(t), y2: Y(t), "class": "grid" }, g);
      text(g, f.x0 - 6, Y(t) + 4, fmtTick(t, spec.fmt), { "text-anchor": "end" });
    });
    niceTicks(xlo, xhi, Math.max(2, Math.floor((f.x1 - f.x0) / 90)), (spec.xFmt || "int") === "int").ticks.forEach(function (t) {
      if (t < xlo || t > xhi) { return; }
      el("line", { x1: X(t), x2: X(t), y1: f.y0, y2: f.y0 + 4, "class": "tick" }, g);
      text(g, X(t), f.y0 + 17, fmtTick(t, spec.xFmt || "int"), { "text-anchor": "middle" });
    });
    el("line", { x1: f.x0, x2: f.x1, y1: f.y0, y2: f.y0, "class": "axis" }, g);
    if (spec.xLabel) { text(g, (f.x0 + f.x1) / 2, HEIGHT - 6, spec.xLabel, { "text-anchor": "middle", "class": "label" }); }
    if (spec.yLabel) { text(g, f.x0, 14, spec.yLabel, { "class": "label" }); }
    (spec.marks || []).forEach(function (mk) {
      el("line", { x1: f.x0, x2: f.x1, y1: Y(mk.y), y2: Y(mk.y), "class": "mark" }, f.svg);
      text(f.svg, f.x1 - 4, Y(mk.y) - 5, mk.label, { "text-anchor": "end", "class": "mark-label" });
    });
    spec.series.forEach(function (s, i) {  // shaded bands (lo..hi) under the lines
      if (!vis[i] || !s.lo || !s.hi) { return; }
      var top = [], bottom = [];
      s.lo.forEach(function (v, j) {
        if (isNum(v) && isNum(s.hi[j])) {
          top.push(X(xs[j]).toFixed(1) + "," + Y(s.hi[j]).toFixed(1));
          bottom.unshift(X(xs[j]).toFixed(1) + "," + Y(v).toFixed(1));
        }
      });
      if (top.length) { el("path", { d: "M" + top.concat(bottom).join("L") + "Z", "class": "band", fill: COLORS[i % COLORS.length] }, f.svg); }
    });
    spec.series.forEach(function (s, i) {
      if (!vis[i]) { return; }
      var d = "", pen = false;
      s.values.forEach(function (v, j) {
        if (!isNum(v)) { pen = false; return; }
        d += (pen ? "L" : "M") + X(xs[j]).toFixed(1) + "," + Y(v).toFixed(1);
        pen = true;
      });
      if (d) { el("path", { d: d, "class": "series", stroke: COLORS[i % COLORS.length] }, f.svg); }
    });
    var guide = el("line", { y1: f.y1, y2: f.y0, "class": "guide", visibility: "hidden" }, f.svg);
    var dots = el("g", {}, f.svg);
    var hit = el("rect", { x: f.x0, y: f.y1, width: f.x1 - f.x0, height: f.y0 - f.y1, "class": "hit" }, f.svg);
    hit.addEventListener("mousemove", function (evt) {
      var r = hit.getBoundingClientRect();
      var xv = xlo + (evt.clientX - r.left) / r.width * (xhi - xlo);
      var lo = 0, hi = xs.length - 1;
      while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (xs[mid] < xv) { lo = mid; } else { hi = mid; } }
      var j = Math.abs(xs[lo] - xv) <= Math.abs(xs[hi] - xv) ? lo : hi;
      guide.setAttribute("x1", X(xs[j])); guide.setAttribute("x2", X(xs[j]));
      guide.setAttribute("visibility", "visible");
      dots.textContent = "";
      var rows = [];
      spec.series.forEach(function (s, i) {
        if (!vis[i]) { return; }
        var v = s.values[j];
        var shown = fmt(v, spec.fmt);
        if (s.lo && s.hi && isNum(s.lo[j]) && isNum(s.hi[j])) { shown += " [" + fmt(s.lo[j], spec.fmt) + ", " + fmt(s.hi[j], spec.fmt) + "]"; }
        rows.push([s.name, shown, COLORS[i % COLORS.length]]);
        if (isNum(v)) { el("circle", { cx: X(xs[j]), cy: Y(v), r: 3.5, fill: COLORS[i % COLORS.length], "class": "dot" }, dots); }
      });
      showTip(evt, (spec.xLabel || "x") + " " + fmtTick(xs[j], spec.xFmt || "int"), rows);
    });
    hit.addEventListener("mouseleave", function () { guide.setAttribute("visibility", "hidden"); dots.textContent = ""; hideTip(); });
  }

  function barChart(plot, spec, width) {
    var vis = visible(spec);
    var idx = [];
    vis.forEach(function (v, i) { if (v) { idx.push(i); } });
    var n = spec.x.length;
    var yr = yRange(spec, vis);
    if (!yr || n === 0) {
      var e = frame(plot, spec, width, 80, { l: 0, r: 0, t: 0, b: 0 });
      text(e.svg, width / 2, 40, "no data", { "class": "empty", "text-anchor": "middle" });
      return;
    }
    var groups = spec.stacked ? 1 : Math.max(1, idx.length);
    var horiz = !!spec.horizontal;
    var labelW = 0;
    spec.x.forEach(function (c) { labelW = Math.max(labelW, textWidth(String(c))); });
    var m, height;
    if (horiz) {
      var band = Math.max(22, groups * 9 + 10);
      m = { l: Math.min(Math.ceil(labelW) + 14, Math.floor(width * 0.42)), r: 24, t: 8, b: 36 };
      height = m.t + m.b + band * n;
    } else {
      m = { l: 62, r: 18, t: spec.yLabel ? 28 : 12, b: 48 };
      height = HEIGHT;
    }
    var f = frame(plot, spec, width, height, m);
    var vt = niceTicks(yr[0], yr[1], horiz ? Math.max(2, Math.floor((f.x1 - f.x0) / 90)) : 5,
                       spec.fmt === "int" || spec.fmt === "days");
    var V = horiz
      ? function (v) { return f.x0 + (v - vt.lo) / (vt.hi - vt.lo) * (f.x1 - f.x0); }
      : function (v) { return f.y0 - (v - vt.lo) / (vt.hi - vt.lo) * (f.y0 - f.y1); };
    var span = horiz ? (f.y0 - f.y1) / n : (f.x1 - f.x0) / n;
    var g = el("g", { "class": "axes" }, f.svg);
    vt.ticks.forEach(function (t) {
      if (horiz) {
        el("line", { x1: V(t), x2: V(t), y1: f.y1, y2: f.y0, "class": "grid" }, g);
        text(g, V(t), f.y0 + 16, fmtTick(t, spec.fmt), { "text-anchor": "middle" });
      } else {
        el("line", { x1: f.x0, x2: f.x1, y1: V(t), y2: V(t), "class": "grid" }, g);
        text(g, f.x0 - 6, V(t) + 4, fmtTick(t, spec.fmt), { "text-anchor": "end" });
      }
    });
    if (spec.yLabel) {
      if (horiz) { text(g, (f.x0 + f.x1) / 2, height - 4, spec.yLabel, { "text-anchor": "middle", "class": "label" }); }
      else { text(g, f.x0, 14, spec.yLabel, { "class": "label" }); }
    }
    var maxChars = Math.max(4, Math.floor(span / 7));
    spec.x.forEach(function (c, j) {
      var s = String(c);
      if (horiz) {
        text(g, f.x0 - 8, f.y1 + span * (j + 0.5) + 4, s, { "text-anchor": "end", "class": "cat" });
      } else {
        var t = text(g, f.x0 + span * (j + 0.5), f.y0 + 17, s.length > maxChars ? s.slice(0, maxChars - 1) + "…" : s,
                     { "text-anchor": "middle", "class": "cat" });
        if (s.length > maxChars) { el("title", {}, t).textContent = s; }
      }
    });
    var inner = span * 0.78;
    var bw = inner / groups;
    var bars = el("g", { "class": "bars" }, f.svg);
    spec.x.forEach(function (c, j) {
      var base = 0;
      idx.forEach(function (i, k) {
        var v = spec.series[i].values[j];
        if (!isNum(v)) { return; }
        var a = spec.stacked ? base : 0, b = spec.stacked ? base + v : v;
        if (spec.stacked) { base += v; }
        var off = (span - inner) / 2 + (spec.stacked ? 0 : k * bw);
        var p0 = Math.min(V(a), V(b)), len = Math.max(Math.abs(V(b) - V(a)), v !== 0 ? 1 : 0);
        var attrs = horiz
          ? { x: p0, y: f.y1 + span * j + off, width: len, height: Math.max(bw - 1, 1) }
          : { x: f.x0 + span * j + off, y: p0, width: Math.max(bw - 1, 1), height: len };
        attrs.fill = COLORS[i % COLORS.length];
        attrs["class"] = "bar";
        var r = el("rect", attrs, bars);
        r.addEventListener("mousemove", function (evt) {
          showTip(evt, String(c), [[spec.series[i].name, fmt(v, spec.fmt), COLORS[i % COLORS.length]]]);
        });
        r.addEventListener("mouseleave", hideTip);
      });
    });
    if (horiz) { el("line", { x1: V(0), x2: V(0), y1: f.y1, y2: f.y0, "class": "axis" }, g); }
    else { el("line", { x1: f.x0, x2: f.x1, y1: V(0), y2: V(0), "class": "axis" }, g); }
    (spec.marks || []).forEach(function (mk) {
      if (horiz) {
        el("line", { x1: V(mk.y), x2: V(mk.y), y1: f.y1, y2: f.y0, "class": "mark" }, f.svg);
        text(f.svg, V(mk.y) + 4, f.y1 + 10, mk.label, { "class": "mark-label" });
      } else {
        el("line", { x1: f.x0, x2: f.x1, y1: V(mk.y), y2: V(mk.y), "class": "mark" }, f.svg);
        text(f.svg, f.x1 - 4, V(mk.y) - 5, mk.label, { "text-anchor": "end", "class": "mark-label" });
      }
    });
  }

  function draw(fig) {
    var spec = DATA[fig.getAttribute("data-chart")];
    var plot = fig.querySelector(".plot");
    if (!spec || !plot) { return; }
    legend(fig, spec);
    plot.textContent = "";
    var width = Math.max(280, Math.floor(plot.clientWidth || 600));
    if (spec.kind === "line") { lineChart(plot, spec, width); } else { barChart(plot, spec, width); }
    fig.setAttribute("data-rendered", "true");
  }

  function drawAll() {
    var figs = document.querySelectorAll("figure.chart[data-chart]");
    for (var i = 0; i < figs.length; i++) { draw(figs[i]); }
  }
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(drawAll, 150);
  });
  drawAll();
})();
