/** "Did you mean": the closest known name to a mistyped command or option. */

/** Edit distance (with adjacent transpositions) between two short strings, for "did you mean". */
export function editDistance(a: string, b: string): number {
  // rows[i][j] = distance between a[0, i) and b[0, j) (optimal string alignment)
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [];
    for (let j = 0; j <= b.length; j++) {
      if (i === 0 || j === 0) {
        row.push(i + j);
        continue;
      }
      const up = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((up[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (up[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

/** The closest known name within a small edit distance (or a prefix match), or null. */
export function suggest(word: string, names: readonly string[]): string | null {
  let best: string | null = null;
  let bestDist = Infinity;
  for (const n of names) {
    const d = n.startsWith(word) && word.length >= 2 ? 0.5 : editDistance(word, n);
    if (d < bestDist) {
      best = n;
      bestDist = d;
    }
  }
  return bestDist <= Math.max(1, Math.floor(word.length / 3)) ? best : null;
}
