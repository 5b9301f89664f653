// Whether two texts say nearly the same: the same words (letters and digits, lower-cased), or for four words or more
// three in four of them in common. The same rule as annotations/repeats.py, which the server applies again when
// the claim is posted: reader.js warns with it before a claim repeats another of the article.
"use strict";

window.factcheckRepeats = (function () {
  const MIN_WORDS = 3;
  const MIN_WORDS_NEAR = 4;
  const NEAR = 0.75;

  function words(text) {
    return (text || "").toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  function nearlySame(a, b) {
    const first = words(a);
    const second = words(b);
    const fewest = Math.min(first.length, second.length);
    if (fewest < MIN_WORDS) return false;
    if (first.join(" ") === second.join(" ")) return true;
    if (fewest < MIN_WORDS_NEAR) return false;
    const one = new Set(first);
    const other = new Set(second);
    let common = 0;
    one.forEach(function (word) { if (other.has(word)) common += 1; });
    return common / (one.size + other.size - common) >= NEAR;
  }

  return { nearlySame: nearlySame };
})();
