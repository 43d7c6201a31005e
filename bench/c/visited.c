// bench/visited.bench.ts's peer: the visited set's insert of checker/visited.ts at byte width,
// written again in C for the comparison (pack four values to a word, MurmurHash3 x86_32 over the
// packed words, linear probing over (index + 1, hash) slots grown at half load and rehashed from
// the slots, packed states in 4096-state chunks compared with memcmp), replaying the inserts the
// bench recorded from memweave's search. Usage: visited FILE L N REPS (FILE: N states of L int32
// words). Prints one line per repetition: "rep R: N inserts, F new, MS ms".
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
static inline uint32_t rotl(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }
static inline uint32_t round_(uint32_t h, uint32_t k) { k *= 0xcc9e2d51u; k = rotl(k, 15); k *= 0x1b873593u; h ^= k; h = rotl(h, 13); return h * 5 + 0xe6546b64u; }
static inline uint32_t fin(uint32_t h, uint32_t len) { h ^= len << 2; h ^= h >> 16; h *= 0x85ebca6bu; h ^= h >> 13; h *= 0xc2b2ae35u; h ^= h >> 16; return h; }
#define CHUNK 4096
int main(int argc, char **argv) {
  if (argc < 5) return 2;
  int L = atoi(argv[2]); long n = atol(argv[3]); int reps = atoi(argv[4]);
  if (L < 1 || L > 250 || n < 1) return 2;
  FILE *f = fopen(argv[1], "rb"); if (!f) return 2;
  int32_t *log = malloc((size_t)n * L * 4); if (fread(log, 4, (size_t)n * L, f) != (size_t)n * L) return 2; fclose(f);
  int P = (L + 3) / 4;
  for (int rep = 0; rep < reps; rep++) {
    uint32_t cap = 1024, mask = cap - 1; uint32_t *table = calloc(cap * 2, 4);
    int32_t **chunks = calloc((size_t)n / CHUNK + 2, sizeof(int32_t *)); long count = 0, fresh = 0;
    uint32_t pk[64];
    struct timespec t0, t1; clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < n; i++) {
      const int32_t *s = log + i * L; uint32_t h = 0x9747b28cu ^ P; int j = 0, w = 0;
      for (; j + 4 <= L; j += 4, w++) { uint32_t k = (uint32_t)s[j] | ((uint32_t)s[j+1] << 8) | ((uint32_t)s[j+2] << 16) | ((uint32_t)s[j+3] << 24); pk[w] = k; h = round_(h, k); }
      if (j < L) { uint32_t k = 0; for (int q = 0; j + q < L; q++) k |= (uint32_t)s[j+q] << (8*q); pk[w] = k; h = round_(h, k); }
      h = fin(h, P);
      uint32_t pos = h & mask; int found = 0;
      for (;;) { uint32_t e = table[pos*2]; if (!e) break; if (table[pos*2+1] == h) { uint32_t idx = e - 1; if (!memcmp(chunks[idx / CHUNK] + (idx % CHUNK) * P, pk, P * 4)) { found = 1; break; } } pos = (pos + 1) & mask; }
      if (found) continue;
      if ((count % CHUNK) == 0) chunks[count / CHUNK] = calloc((size_t)CHUNK * P, 4);
      if ((uint64_t)(count + 1) * 2 > cap) { // grow at half load, rehash from the slots
        uint32_t ncap = cap * 2, nmask = ncap - 1; uint32_t *nt = calloc(ncap * 2, 4);
        for (uint32_t q = 0; q < cap; q++) { uint32_t e = table[q*2]; if (!e) continue; uint32_t hh = table[q*2+1], p2 = hh & nmask; while (nt[p2*2]) p2 = (p2 + 1) & nmask; nt[p2*2] = e; nt[p2*2+1] = hh; }
        free(table); table = nt; cap = ncap; mask = nmask; pos = h & mask; while (table[pos*2]) pos = (pos + 1) & mask;
      }
      memcpy(chunks[count / CHUNK] + (count % CHUNK) * P, pk, P * 4);
      table[pos*2] = count + 1; table[pos*2+1] = h; count++; fresh++;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    for (long q = 0; q <= count / CHUNK; q++) free(chunks[q]);
    free(chunks); free(table);
    double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    printf("rep %d: %ld inserts, %ld new, %.3f ms\n", rep, n, fresh, ms);
  }
  return 0;
}
