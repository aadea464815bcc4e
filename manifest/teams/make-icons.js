// Writes color.png (192×192, full colour) and outline.png (32×32, white on transparent), the
// icons the Teams manifest names. Run: node manifest/teams/make-icons.js
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { png } = require("./png");

/** Three rising bars (an aging chart) in a square of side `size`, as a test of (x, y). */
function bars(size, margin) {
  const inner = size - 2 * margin;
  const width = inner / 5;
  const heights = [0.45, 0.7, 0.95];
  return (x, y) =>
    heights.some((h, i) => {
      const left = margin + width * (2 * i) + width / 2;
      return x >= left && x < left + width && y >= margin + inner * (1 - h) && y < size - margin;
    });
}

const NAVY = [0x1f, 0x3a, 0x5f, 0xff];
const WHITE = [0xff, 0xff, 0xff, 0xff];
const CLEAR = [0, 0, 0, 0];

const colorBar = bars(192, 40);
fs.writeFileSync(path.join(__dirname, "color.png"), png(192, 192, (x, y) => (colorBar(x, y) ? WHITE : NAVY)));
const outlineBar = bars(32, 4);
fs.writeFileSync(path.join(__dirname, "outline.png"), png(32, 32, (x, y) => (outlineBar(x, y) ? WHITE : CLEAR)));
