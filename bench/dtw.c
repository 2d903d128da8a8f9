/*
 * Reference for org.bgtai.nn.bench.DtwBench: the same DTW recursion as Dtw.align (cost and path
 * from a given float cost matrix; double rolling rows, byte direction matrix, tie-break diagonal,
 * then (i-1, j), then (i, j-1); backtracking). Compiled by the benchmark with
 *   gcc -O3 -march=native -o dtw dtw.c
 * Usage: dtw N REPS   (N x N random cost matrix). Prints "cells_per_s <value>" (fastest of REPS,
 * the figure least disturbed by other processes) and "median_cells_per_s <value>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

/* Returns the accumulated cost; writes the path length into *len. */
static double dtw(const float *c, int q, int t, double *prev, double *cur, unsigned char *dir,
                  int *pq, int *pt, int *len) {
    const double INF = INFINITY;
    double left = 0;
    prev[0] = INF;
    cur[0] = INF;
    for (int j = 0; j < t; j++) {
        left += c[j];
        prev[j + 1] = left;
        dir[j] = j == 0 ? 3 : 2;
    }
    for (int i = 1; i < q; i++) {
        const float *crow = c + (size_t) i * t;
        unsigned char *drow = dir + (size_t) i * t;
        left = INF;
        for (int j = 0; j < t; j++) {
            double diag = prev[j], up = prev[j + 1];
            /* Branch-free: minsd for the values, setcc/cmov for the direction. */
            int d1 = up < diag;
            double m1 = up < diag ? up : diag;
            int lt = left < m1;
            unsigned char d = (unsigned char) ((lt << 1) | (d1 & (lt ^ 1)));
            left = (left < m1 ? left : m1) + crow[j];
            cur[j + 1] = left;
            drow[j] = d;
        }
        double *tmp = prev; prev = cur; cur = tmp;
    }
    double total = prev[t];
    int n = 0, i = q - 1, j = t - 1;
    for (;;) {
        pq[n] = i; pt[n] = j; n++;
        unsigned char d = dir[(size_t) i * t + j];
        if (d == 3) break;
        if (d == 0) { i--; j--; } else if (d == 1) { i--; } else { j--; }
    }
    *len = n;
    return total;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 1000;
    int reps = argc > 2 ? atoi(argv[2]) : 15;
    float *c = malloc(sizeof(float) * (size_t) n * n);
    unsigned long long s = 42;
    for (size_t k = 0; k < (size_t) n * n; k++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        c[k] = (float) ((s >> 40) * (1.0 / 16777216.0));
    }
    double *prev = malloc(sizeof(double) * (n + 1)), *cur = malloc(sizeof(double) * (n + 1));
    unsigned char *dir = malloc((size_t) n * n);
    int *pq = malloc(sizeof(int) * 2 * n), *pt = malloc(sizeof(int) * 2 * n);
    double *times = malloc(sizeof(double) * reps), check = 0;
    int len = 0;
    for (int w = 0; w < 3; w++) check += dtw(c, n, n, prev, cur, dir, pq, pt, &len);
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        check += dtw(c, n, n, prev, cur, dir, pq, pt, &len);
        times[r] = now() - t0;
        check += len;
    }
    qsort(times, reps, sizeof(double), cmp);
    printf("cells_per_s %.6e\n", (double) n * n / times[0]);
    printf("median_cells_per_s %.6e\n", (double) n * n / times[reps / 2]);
    printf("checksum %.6f\n", check);
    return 0;
}
