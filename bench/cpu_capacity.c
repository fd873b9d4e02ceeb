/* cpu_capacity — how many cores' worth of CPU two busy threads get here.
 *
 * A 2-vCPU virtual machine need not give two cores: its vCPUs may share a
 * physical core or be time-sliced by the host, and how much they get moves
 * with the host's load. Then no program, actornet included, runs twice as
 * fast on two threads, and a -j 2 / -j 1 ratio means little without this
 * number beside it. bench/run.sh prints it before and after its rows.
 *
 * The work: a dependent chain of multiplies and table reads (a 1 MiB table,
 * larger than L1, inside L2), a little like a scan that hashes tokens and
 * probes tables. It runs once on one thread, then on two threads at once;
 * capacity = 2 * (time alone) / (time of the slower of the two). 2.00 is
 * two full cores, 1.00 is one core shared. Repeated --rounds times (default
 * 3); prints the range and the median, one line.
 *
 * Standalone (does not link actornet). Usage: cpu_capacity [--rounds N]
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TABLE_WORDS (1u << 17) /* 1 MiB of uint64_t */
#define STEPS 40000000u

static uint64_t table[TABLE_WORDS];

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

typedef struct job {
    uint64_t seed, result;
    double seconds;
} job;

static void *work(void *arg) {
    job *j = arg;
    double t0 = now();
    uint64_t x = j->seed, acc = 0;
    for (uint32_t i = 0; i < STEPS; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        acc += table[(x ^ acc) >> 47];
    }
    j->result = acc;
    j->seconds = now() - t0;
    return NULL;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    int rounds = 3;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
            rounds = atoi(argv[++i]);
        } else {
            fprintf(stderr, "usage: cpu_capacity [--rounds N]\n");
            return 2;
        }
    }
    if (rounds < 1 || rounds > 100) {
        fprintf(stderr, "cpu_capacity: --rounds must be 1 to 100\n");
        return 2;
    }
    for (uint32_t i = 0; i < TABLE_WORDS; i++) table[i] = (uint64_t)i * 0x9E3779B97F4A7C15ull;
    double *cap = malloc((size_t)rounds * sizeof *cap);
    if (!cap) return 1;
    double alone_sum = 0.0, both_sum = 0.0;
    uint64_t sink = 0;
    for (int r = 0; r < rounds; r++) {
        job one = {1, 0, 0.0};
        work(&one);
        job two[2] = {{2, 0, 0.0}, {3, 0, 0.0}};
        pthread_t t;
        if (pthread_create(&t, NULL, work, &two[0]) != 0) {
            fprintf(stderr, "cpu_capacity: cannot start a thread\n");
            return 1;
        }
        work(&two[1]);
        pthread_join(t, NULL);
        double slower = two[0].seconds > two[1].seconds ? two[0].seconds : two[1].seconds;
        cap[r] = 2.0 * one.seconds / slower;
        alone_sum += one.seconds;
        both_sum += slower;
        sink += one.result + two[0].result + two[1].result;
    }
    qsort(cap, (size_t)rounds, sizeof *cap, cmp_double);
    volatile uint64_t keep = sink; /* the loops' results are used */
    (void)keep;
    printf("%.2f cores (median of %d; range %.2f-%.2f; one thread alone %.3f s, two at once "
           "%.3f s, means)\n",
           cap[rounds / 2], rounds, cap[0], cap[rounds - 1], alone_sum / rounds,
           both_sum / rounds);
    free(cap);
    return 0;
}
