// Time ELK's layered layout (elkjs, in Node) on a graph from bench/elk_export.py:
//   node bench/elk_time.mjs path/to/elkjs/lib/elk.bundled.js graph.json
// Prints the seconds of one layout (after one warm-up run on the same graph) and the
// number of edges whose route crosses a box that is not one of its ends.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ELK = require(process.argv[2]);
const graph = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const elk = new ELK();
await elk.layout(structuredClone(graph));
const start = process.hrtime.bigint();
const out = await elk.layout(structuredClone(graph));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const boxes = [];
(function walk(node, dx, dy) {
  for (const child of node.children || []) {
    const x = dx + child.x, y = dy + child.y;
    if (!child.children || !child.children.length) boxes.push([child.id, x, y, x + child.width, y + child.height]);
    walk(child, x, y);
  }
})(out, 0, 0);
let through = 0;
(function edges(node, dx, dy) {
  for (const e of node.edges || []) {
    for (const s of e.sections || []) {
      const pts = [s.startPoint, ...(s.bendPoints || []), s.endPoint].map((p) => [p.x + dx, p.y + dy]);
      let hit = false;
      for (let i = 1; i < pts.length && !hit; i++) {
        for (let t = 0; t <= 1 && !hit; t += 0.05) {
          const x = pts[i - 1][0] + (pts[i][0] - pts[i - 1][0]) * t, y = pts[i - 1][1] + (pts[i][1] - pts[i - 1][1]) * t;
          hit = boxes.some((b) => b[0] !== e.sources[0] && b[0] !== e.targets[0] && x > b[1] + 1 && x < b[3] - 1 && y > b[2] + 1 && y < b[4] - 1);
        }
      }
      if (hit) through++;
    }
  }
  for (const child of node.children || []) edges(child, dx + (child.x || 0), dy + (child.y || 0));
})(out, 0, 0);
console.log(JSON.stringify({ boxes: boxes.length, edges: graph.edges.length, seconds, through }));
