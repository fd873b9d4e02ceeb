/* actornet — command-line front end. Uses the public API only.
 *
 * Exit codes: 0 success, 1 failure (bad input, I/O), 2 misuse (bad options).
 * Data goes to stdout or to -o files; messages go to stderr as
 * "actornet: context: reason". Output files are written to a temporary file
 * beside the target and renamed on success, so a failed run leaves nothing
 * half-written.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "gzcache.h"

/* ------------------------------------------------------------------------ */
/* Usage                                                                     */

static const char *const usage_text =
    "Usage: actornet <command> [options] INPUT...\n"
    "\n"
    "Find actors (states, organisations, armed groups, people) in news text with a\n"
    "gazetteer, count who is mentioned with whom, analyse and draw the network.\n"
    "\n"
    "Commands:\n"
    "  map        recognise, count, analyse; write maps, reports and tables\n"
    "  mentions   print every mention as one JSON object per line\n"
    "             (--stats: how often each alias fired, as TSV)\n"
    "  count      recognise and count; write a counts file (-o FILE.counts)\n"
    "  merge      sum counts files exactly: merge A.counts B.counts -o ALL.counts\n"
    "  evidence A B INPUT...  the windows in which actors A and B occur together,\n"
    "             as JSON Lines (document, byte offsets, text); --evidence K (10)\n"
    "  gazetteer check GAZ...          report ambiguous, short, common-word aliases,\n"
    "                                  unknown parents, cycles (exit 1 on errors)\n"
    "  gazetteer convert GAZ... -o OUT write any supported format as native TSV\n"
    "  help       show this help (also: actornet <command> --help)\n"
    "  version    print the version\n"
    "\n"
    "INPUT is a file, a directory (read recursively, in sorted order), or - for\n"
    "standard input. Files ending in .jsonl or .ndjson hold one JSON object per line\n"
    "with \"text\" and optional \"id\", \"date\", \"title\".\n"
    "\n"
    "Common options:\n"
    "  -g, --gazetteer FILE     gazetteer to load (repeatable); default: the built-in one,\n"
    "                           which -g @default adds beside your own files\n"
    "  -j, --threads N          scanning threads (default: number of cores); output does\n"
    "                           not depend on N\n"
    "      --input-format F     auto (default), text or jsonl\n"
    "      --gazetteer-format F auto (default), native, spacy or phoenix\n"
    "      --phrase-attr A      spaCy phrase patterns: LOWER (default) or ORTH (exact)\n"
    "      --accent-insensitive match \"Sergueï\" as \"Serguei\"\n"
    "      --strict             treat warnings (skipped lines, bad dates) as errors\n"
    "      --no-cache           compile the gazetteer even if the cache has it (gazetteers\n"
    "                           of 256 KiB to 64 MiB are kept compiled in\n"
    "                           $ACTORNET_CACHE_DIR, default ~/.cache/actornet)\n"
    "  -q, --quiet              no warnings and no progress line\n"
    "      --timings            at the end, print to stderr how long each phase took\n"
    "  -h, --help               show help and exit\n"
    "  -V, --version            show version and exit\n"
    "\n"
    "map options:\n"
    "  -o, --output FILE        write FILE (repeatable); the format follows the extension:\n"
    "                           .svg .png .pdf (map), .dot (Graphviz source),\n"
    "                           .md, .html (report; the HTML one is self-contained\n"
    "                           with the map, sortable tables and evidence on click),\n"
    "                           .report.json, .csv or .nodes.csv (actor table),\n"
    "                           .edges.csv (edge table), .graphml, .gexf (Gephi;\n"
    "                           time slices with --by), .json (node-link), \n"
    "                           .evidence.jsonl (the windows behind every edge);\n"
    "                           - writes DOT to stdout;\n"
    "                           FORMAT:FILE names the format (svg:-, md:/dev/stdout)\n"
    "                           with --by: .periods.csv (period, actor, measure,\n"
    "                           value) and .period-edges.csv\n"
    "      --report FILE        write the Markdown report to FILE (same as -o FILE.md)\n"
    "      --counts FILE        start from a counts file (repeatable, merged) instead\n"
    "                           of text; use the gazetteer the counts were made with\n"
    "      --by PERIOD          day, week, month, quarter or year: one network per\n"
    "                           period of the document dates (map and count)\n"
    "  -w, --window W           sentence (default), paragraph, document, or tokens:N\n"
    "                           (mentions at most N tokens apart)\n"
    "      --count-mode M       windows (default: 1 per window with both actors) or\n"
    "                           mention-pairs (1 per pair of mentions in a window)\n"
    "      --distance-weighting with tokens:N, a pair d tokens apart adds 1/(1+d)\n"
    "      --measure M          edge weight: count (default), jaccard, dice, cosine,\n"
    "                           inclusion, association, pmi, npmi, llr\n"
    "      --min-count N        keep edges seen in at least N windows (default 1)\n"
    "      --min-weight X       keep edges whose weight is at least X\n"
    "      --disparity ALPHA    keep the disparity-filter backbone at level ALPHA\n"
    "      --top-k K            keep an edge if among the K strongest of either actor\n"
    "      --top-n N            keep the N strongest edges\n"
    "      --mst                keep only the maximum spanning tree (forest)\n"
    "      --drop-isolated      remove actors left without edges\n"
    "      --rollup LEVEL       count actors as their parent (1), grandparent (2), ...,\n"
    "                           or top-most ancestor (top): Lavrov -> Russia\n"
    "      --keep-type T        keep only actors of type T (repeatable)\n"
    "      --drop-type T        drop actors of type T (repeatable)\n"
    "      --drop ID            drop actor ID (repeatable)\n"
    "      --merge ID=INTO      count actor ID as actor INTO (repeatable)\n"
    "      --community A        louvain (default) or leiden\n"
    "      --resolution R       modularity resolution (default 1)\n"
    "      --seed N             seed for communities, layout and sampled sources (default 1)\n"
    "      --path-sources N     betweenness and closeness from N sampled sources, or 'all'\n"
    "                           (default: all while cheap, else an estimate; see man page)\n"
    "      --layout ENGINE      Graphviz engine (default: neato, sfdp for large maps)\n"
    "      --max-nodes N        draw at most N actors, by PageRank (default 150)\n"
    "      --title TEXT         title of map and report\n"
    "      --top N              rows in the report's top lists (default 10)\n"
    "      --evidence K         keep K windows per edge and actor as evidence (default:\n"
    "                           5 for .html/.evidence.jsonl, 1 for reports, else 0)\n"
    "\n"
    "Environment: TMPDIR  where evidence windows beyond 1 MiB are kept (default /tmp)\n"
    "Exit status: 0 success, 1 failure, 2 usage error.\n"
    "Examples:\n"
    "  actornet map examples/news -o map.svg --report report.md\n"
    "  actornet mentions -g my-actors.tsv articles.jsonl\n";

static void usage_hint(void) { fprintf(stderr, "Try 'actornet --help' for more information.\n"); }

/* ------------------------------------------------------------------------ */
/* Options                                                                   */

typedef struct opts {
    const char **gazetteers;
    size_t n_gazetteers;
    const char **outputs;
    size_t n_outputs;
    const char *report;
    an_count_options count;      /* window, tokens, mode, distance weighting */
    an_network_options net;      /* measure, filters, communities */
    an_rollup_options rollup;    /* roll-up and selection (lists point into argv) */
    const char **merge_ids, **keep_types, **drop_types, **drop_ids;
    an_input_format input_format;
    int strict;
    int accent_insensitive;
    int no_cache;
    int timings;
    uint64_t min_count;
    uint64_t seed;
    an_community_algo community;
    double resolution;
    const char *layout;
    size_t max_nodes;
    const char *title;
    size_t top;
    unsigned threads;
    an_gazetteer_format gaz_format;
    int phrase_attr_orth;
    int stats;
    int use_rollup;
    const char **counts_files;
    size_t n_counts;
    int by_period;
    an_period period;
    size_t evidence_k;
    int evidence_set;
    const char **inputs;
    size_t n_inputs;
} opts;

/* Commands, as bits, so that each option can name where it is valid. */
enum {
    CMD_MAP = 1,
    CMD_MENTIONS = 2,
    CMD_GAZ_CHECK = 4,
    CMD_GAZ_CONVERT = 8,
    CMD_COUNT = 16,
    CMD_MERGE = 32,
    CMD_EVIDENCE = 64,
    CMD_ALL = 0xff
};

static int parse_u64(const char *s, uint64_t *out) {
    if (!s || !*s || *s == '-' || *s == '+') return -1;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end) return -1;
    *out = (uint64_t)v;
    return 0;
}

static int push(const char ***arr, size_t *n, const char *s) {
    const char **p = realloc(*arr, (*n + 1) * sizeof *p);
    if (!p) return -1;
    p[(*n)++] = s;
    *arr = p;
    return 0;
}

enum {
    OPT_REPORT = 256,
    OPT_MIN_COUNT,
    OPT_COMMUNITY,
    OPT_RESOLUTION,
    OPT_SEED,
    OPT_PATH_SOURCES,
    OPT_LAYOUT,
    OPT_MAX_NODES,
    OPT_TITLE,
    OPT_TOP,
    OPT_INPUT_FORMAT,
    OPT_STRICT,
    OPT_ACCENT,
    OPT_GAZ_FORMAT,
    OPT_PHRASE_ATTR,
    OPT_STATS,
    OPT_COUNT_MODE,
    OPT_DISTANCE_WEIGHTING,
    OPT_MEASURE,
    OPT_MIN_WEIGHT,
    OPT_DISPARITY,
    OPT_TOP_K,
    OPT_TOP_N,
    OPT_MST,
    OPT_DROP_ISOLATED,
    OPT_ROLLUP,
    OPT_KEEP_TYPE,
    OPT_DROP_TYPE,
    OPT_DROP,
    OPT_MERGE,
    OPT_COUNTS,
    OPT_BY,
    OPT_EVIDENCE,
    OPT_NO_CACHE,
    OPT_TIMINGS
};

/* Where each option is valid (options not listed are valid everywhere). */
static const struct {
    int opt;
    int cmds;
} option_scope[] = {
    {'o', CMD_MAP | CMD_GAZ_CONVERT | CMD_COUNT | CMD_MERGE},
    {OPT_REPORT, CMD_MAP},
    {'w', CMD_MAP | CMD_COUNT | CMD_EVIDENCE},
    {OPT_MIN_COUNT, CMD_MAP},
    {OPT_COMMUNITY, CMD_MAP},
    {OPT_RESOLUTION, CMD_MAP},
    {OPT_SEED, CMD_MAP},
    {OPT_PATH_SOURCES, CMD_MAP},
    {OPT_LAYOUT, CMD_MAP},
    {OPT_MAX_NODES, CMD_MAP},
    {OPT_TITLE, CMD_MAP},
    {OPT_TOP, CMD_MAP},
    {OPT_INPUT_FORMAT, CMD_MAP | CMD_MENTIONS | CMD_COUNT | CMD_EVIDENCE},
    {OPT_ACCENT, CMD_MAP | CMD_MENTIONS | CMD_COUNT | CMD_EVIDENCE},
    {'j', CMD_MAP | CMD_MENTIONS | CMD_COUNT | CMD_EVIDENCE},
    {'g', CMD_MAP | CMD_MENTIONS | CMD_COUNT | CMD_MERGE | CMD_EVIDENCE},
    {OPT_STATS, CMD_MENTIONS},
    {OPT_COUNT_MODE, CMD_MAP | CMD_COUNT | CMD_EVIDENCE},
    {OPT_DISTANCE_WEIGHTING, CMD_MAP | CMD_COUNT | CMD_EVIDENCE},
    {OPT_MEASURE, CMD_MAP},
    {OPT_MIN_WEIGHT, CMD_MAP},
    {OPT_DISPARITY, CMD_MAP},
    {OPT_TOP_K, CMD_MAP},
    {OPT_TOP_N, CMD_MAP},
    {OPT_MST, CMD_MAP},
    {OPT_DROP_ISOLATED, CMD_MAP},
    {OPT_ROLLUP, CMD_MAP | CMD_COUNT | CMD_EVIDENCE},
    {OPT_KEEP_TYPE, CMD_MAP | CMD_COUNT | CMD_EVIDENCE},
    {OPT_DROP_TYPE, CMD_MAP | CMD_COUNT | CMD_EVIDENCE},
    {OPT_DROP, CMD_MAP | CMD_COUNT | CMD_EVIDENCE},
    {OPT_MERGE, CMD_MAP | CMD_COUNT | CMD_EVIDENCE},
    {OPT_COUNTS, CMD_MAP},
    {OPT_BY, CMD_MAP | CMD_COUNT},
    {OPT_EVIDENCE, CMD_MAP | CMD_EVIDENCE},
    {OPT_NO_CACHE, CMD_MAP | CMD_MENTIONS | CMD_COUNT | CMD_MERGE | CMD_EVIDENCE},
    {OPT_TIMINGS, CMD_MAP | CMD_MENTIONS | CMD_COUNT | CMD_MERGE | CMD_EVIDENCE},
};

static int option_allowed(int opt, int cmd) {
    for (size_t i = 0; i < sizeof option_scope / sizeof option_scope[0]; i++)
        if (option_scope[i].opt == opt) return (option_scope[i].cmds & cmd) != 0;
    return 1;
}

static const struct option long_opts[] = {
    {"gazetteer", required_argument, NULL, 'g'},
    {"output", required_argument, NULL, 'o'},
    {"window", required_argument, NULL, 'w'},
    {"report", required_argument, NULL, OPT_REPORT},
    {"min-count", required_argument, NULL, OPT_MIN_COUNT},
    {"community", required_argument, NULL, OPT_COMMUNITY},
    {"resolution", required_argument, NULL, OPT_RESOLUTION},
    {"seed", required_argument, NULL, OPT_SEED},
    {"path-sources", required_argument, NULL, OPT_PATH_SOURCES},
    {"layout", required_argument, NULL, OPT_LAYOUT},
    {"max-nodes", required_argument, NULL, OPT_MAX_NODES},
    {"title", required_argument, NULL, OPT_TITLE},
    {"top", required_argument, NULL, OPT_TOP},
    {"input-format", required_argument, NULL, OPT_INPUT_FORMAT},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"accent-insensitive", no_argument, NULL, OPT_ACCENT},
    {"threads", required_argument, NULL, 'j'},
    {"gazetteer-format", required_argument, NULL, OPT_GAZ_FORMAT},
    {"phrase-attr", required_argument, NULL, OPT_PHRASE_ATTR},
    {"stats", no_argument, NULL, OPT_STATS},
    {"count-mode", required_argument, NULL, OPT_COUNT_MODE},
    {"distance-weighting", no_argument, NULL, OPT_DISTANCE_WEIGHTING},
    {"measure", required_argument, NULL, OPT_MEASURE},
    {"min-weight", required_argument, NULL, OPT_MIN_WEIGHT},
    {"disparity", required_argument, NULL, OPT_DISPARITY},
    {"top-k", required_argument, NULL, OPT_TOP_K},
    {"top-n", required_argument, NULL, OPT_TOP_N},
    {"mst", no_argument, NULL, OPT_MST},
    {"drop-isolated", no_argument, NULL, OPT_DROP_ISOLATED},
    {"rollup", required_argument, NULL, OPT_ROLLUP},
    {"keep-type", required_argument, NULL, OPT_KEEP_TYPE},
    {"drop-type", required_argument, NULL, OPT_DROP_TYPE},
    {"drop", required_argument, NULL, OPT_DROP},
    {"merge", required_argument, NULL, OPT_MERGE},
    {"counts", required_argument, NULL, OPT_COUNTS},
    {"by", required_argument, NULL, OPT_BY},
    {"evidence", required_argument, NULL, OPT_EVIDENCE},
    {"no-cache", no_argument, NULL, OPT_NO_CACHE},
    {"timings", no_argument, NULL, OPT_TIMINGS},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};

/* "--output" for 'o': the long name of an option, for messages. */
static const char *option_name(int c) {
    static char buf[64];
    for (const struct option *lo = long_opts; lo->name; lo++) {
        if (lo->val == c) {
            snprintf(buf, sizeof buf, "--%s", lo->name);
            return buf;
        }
    }
    snprintf(buf, sizeof buf, "-%c", c);
    return buf;
}

/* A whole-number option argument in [lo, hi]; prints the usage error and returns -1
 * when it is not one. */
static int opt_number(int c, const char *arg, uint64_t lo, uint64_t hi, uint64_t *out) {
    uint64_t v = 0;
    if (parse_u64(arg, &v) || v < lo || v > hi) {
        if (hi == UINT64_MAX)
            msg("%s: expected a whole number of at least %llu, got '%s'", option_name(c),
                (unsigned long long)lo, arg);
        else
            msg("%s: expected a whole number from %llu to %llu, got '%s'", option_name(c),
                (unsigned long long)lo, (unsigned long long)hi, arg);
        return -1;
    }
    *out = v;
    return 0;
}

/* One accepted spelling of an enumerated option value. */
typedef struct choice {
    const char *name;
    int value;
} choice;

/* Looks arg up in the NULL-terminated table; on no match prints the usage error
 * naming every accepted spelling and returns -1. */
static int opt_choice(int c, const char *arg, const choice *table, int *out) {
    for (const choice *t = table; t->name; t++) {
        if (strcmp(arg, t->name) == 0) {
            *out = t->value;
            return 0;
        }
    }
    char names[256] = "";
    size_t used = 0;
    for (const choice *t = table; t->name && used < sizeof names; t++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                 t == table ? "" : t[1].name ? ", " : " or ", t->name);
    msg("%s: unknown value '%s' (expected %s)", option_name(c), arg, names);
    return -1;
}

static const choice community_choices[] = {
    {"louvain", AN_COMMUNITY_LOUVAIN}, {"leiden", AN_COMMUNITY_LEIDEN}, {NULL, 0}};
static const choice count_mode_choices[] = {
    {"windows", AN_COUNT_WINDOWS}, {"mention-pairs", AN_COUNT_MENTION_PAIRS}, {NULL, 0}};
static const choice input_format_choices[] = {
    {"auto", AN_INPUT_AUTO}, {"text", AN_INPUT_TEXT}, {"jsonl", AN_INPUT_JSONL}, {NULL, 0}};
static const choice gaz_format_choices[] = {
    {"auto", AN_GAZ_AUTO},     {"native", AN_GAZ_NATIVE},   {"tsv", AN_GAZ_NATIVE},
    {"spacy", AN_GAZ_SPACY},   {"phoenix", AN_GAZ_PHOENIX}, {"cameo", AN_GAZ_PHOENIX},
    {NULL, 0}};
static const choice phrase_attr_choices[] = {
    {"LOWER", 0}, {"ORTH", 1}, {"TEXT", 1}, {NULL, 0}};

/* Returns -1 on success, else the exit code to use. */
static int parse_opts(int argc, char **argv, const char *command, int cmd, opts *o) {
    memset(o, 0, sizeof *o);
    o->count.window = AN_WINDOW_SENTENCE;
    an_network_options_init(&o->net);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":g:o:w:j:qhV", long_opts, NULL)) != -1) {
        uint64_t v = 0;
        int iv = 0;
        if (c != ':' && c != '?' && !option_allowed(c, cmd)) {
            msg("option '%s' is not valid with '%s'", option_name(c), command);
            usage_hint();
            return EXIT_MISUSE;
        }
        switch (c) {
        case 'g':
            if (push(&o->gazetteers, &o->n_gazetteers, optarg)) return 1;
            break;
        case 'o':
            if (push(&o->outputs, &o->n_outputs, optarg)) return 1;
            break;
        case OPT_REPORT:
            o->report = optarg;
            break;
        case 'w':
            if (an_window_parse_spec(optarg, &o->count) != AN_OK) {
                if (strncmp(optarg, "tokens:", 7) == 0)
                    msg("--window: '%s': N in tokens:N must be a whole number from 1 to %u",
                        optarg, AN_MAX_TOKEN_WINDOW);
                else
                    msg("--window: unknown window '%s' (expected sentence, paragraph, document "
                        "or tokens:N)",
                        optarg);
                return EXIT_MISUSE;
            }
            break;
        case OPT_MIN_COUNT:
            if (opt_number(c, optarg, 1, UINT64_MAX, &o->net.min_count)) return EXIT_MISUSE;
            break;
        case OPT_COMMUNITY:
            if (opt_choice(c, optarg, community_choices, &iv)) return EXIT_MISUSE;
            o->net.community = (an_community_algo)iv;
            break;
        case OPT_RESOLUTION: {
            char *end = NULL;
            errno = 0;
            o->net.resolution = strtod(optarg, &end);
            if (errno || !*optarg || *end || !(o->net.resolution > 0) ||
                o->net.resolution > 1e6) {
                msg("--resolution: expected a positive number, got '%s'", optarg);
                return EXIT_MISUSE;
            }
            break;
        }
        case OPT_SEED:
            if (opt_number(c, optarg, 0, UINT64_MAX, &o->net.seed)) return EXIT_MISUSE;
            break;
        case OPT_PATH_SOURCES: {
            uint64_t k = 0;
            if (strcmp(optarg, "all") == 0) {
                o->net.path_sources = AN_PATH_SOURCES_ALL;
            } else if (parse_u64(optarg, &k) || k < 1 || k > SIZE_MAX) {
                msg("--path-sources: expected 'all' or a whole number of at least 1, got '%s'",
                    optarg);
                return EXIT_MISUSE;
            } else {
                o->net.path_sources = (size_t)k;
            }
            break;
        }
        case OPT_LAYOUT:
            o->layout = optarg;
            break;
        case OPT_MAX_NODES:
            if (opt_number(c, optarg, 1, 1000000, &v)) return EXIT_MISUSE;
            o->max_nodes = (size_t)v;
            break;
        case OPT_TITLE:
            o->title = optarg;
            break;
        case OPT_TOP:
            if (opt_number(c, optarg, 1, 1000000, &v)) return EXIT_MISUSE;
            o->top = (size_t)v;
            break;
        case OPT_INPUT_FORMAT:
            if (opt_choice(c, optarg, input_format_choices, &iv)) return EXIT_MISUSE;
            o->input_format = (an_input_format)iv;
            break;
        case OPT_STRICT:
            o->strict = 1;
            break;
        case OPT_TIMINGS:
            o->timings = 1;
            break;
        case OPT_NO_CACHE:
            o->no_cache = 1;
            break;
        case OPT_ACCENT:
            o->accent_insensitive = 1;
            break;
        case OPT_GAZ_FORMAT:
            if (opt_choice(c, optarg, gaz_format_choices, &iv)) return EXIT_MISUSE;
            o->gaz_format = (an_gazetteer_format)iv;
            break;
        case OPT_PHRASE_ATTR:
            if (opt_choice(c, optarg, phrase_attr_choices, &iv)) return EXIT_MISUSE;
            o->phrase_attr_orth = iv;
            break;
        case OPT_STATS:
            o->stats = 1;
            break;
        case OPT_COUNT_MODE:
            if (opt_choice(c, optarg, count_mode_choices, &iv)) return EXIT_MISUSE;
            o->count.mode = (an_count_mode)iv;
            break;
        case OPT_DISTANCE_WEIGHTING:
            o->count.distance_weighting = 1;
            break;
        case OPT_MEASURE:
            if (an_measure_parse(optarg, &o->net.measure) != AN_OK) {
                msg("--measure: unknown measure '%s' (expected count, jaccard, dice, cosine, "
                    "inclusion, association, pmi, npmi or llr)",
                    optarg);
                return EXIT_MISUSE;
            }
            break;
        case OPT_MIN_WEIGHT:
        case OPT_DISPARITY: {
            char *end = NULL;
            errno = 0;
            double d = strtod(optarg, &end);
            int bad = errno || !*optarg || *end || !(d > 0) || (c == OPT_DISPARITY && !(d < 1));
            if (bad) {
                msg("%s: expected a positive number%s, got '%s'", option_name(c),
                    c == OPT_DISPARITY ? " below 1" : "", optarg);
                return EXIT_MISUSE;
            }
            if (c == OPT_MIN_WEIGHT) o->net.min_weight = d;
            else o->net.disparity_alpha = d;
            break;
        }
        case OPT_TOP_K:
        case OPT_TOP_N:
            if (opt_number(c, optarg, 1, 100000000, &v)) return EXIT_MISUSE;
            if (c == OPT_TOP_K) o->net.top_k = (size_t)v;
            else o->net.top_n = (size_t)v;
            break;
        case OPT_MST:
            o->net.mst_only = 1;
            break;
        case OPT_DROP_ISOLATED:
            o->net.drop_isolated = 1;
            break;
        case OPT_ROLLUP:
            if (strcmp(optarg, "top") == 0) {
                o->rollup.level = -1;
            } else if (parse_u64(optarg, &v) || v > 100) {
                msg("--rollup: expected a level 0..100 or 'top', got '%s'", optarg);
                return EXIT_MISUSE;
            } else {
                o->rollup.level = (int)v;
            }
            o->use_rollup = 1;
            break;
        case OPT_KEEP_TYPE:
            if (push(&o->keep_types, &o->rollup.n_keep_types, optarg)) return 1;
            o->use_rollup = 1;
            break;
        case OPT_DROP_TYPE:
            if (push(&o->drop_types, &o->rollup.n_drop_types, optarg)) return 1;
            o->use_rollup = 1;
            break;
        case OPT_DROP:
            if (push(&o->drop_ids, &o->rollup.n_drop_ids, optarg)) return 1;
            o->use_rollup = 1;
            break;
        case OPT_COUNTS:
            if (push(&o->counts_files, &o->n_counts, optarg)) return 1;
            break;
        case OPT_EVIDENCE:
            if (opt_number(c, optarg, 0, 100000, &v)) return EXIT_MISUSE;
            o->evidence_k = (size_t)v;
            o->evidence_set = 1;
            break;
        case OPT_BY:
            if (an_period_parse(optarg, &o->period) != AN_OK) {
                msg("--by: expected day, week, month, quarter or year, got '%s'", optarg);
                return EXIT_MISUSE;
            }
            o->by_period = 1;
            break;
        case OPT_MERGE:
            if (!strchr(optarg, '=')) {
                msg("--merge: expected ID=INTO, got '%s'", optarg);
                return EXIT_MISUSE;
            }
            if (push(&o->merge_ids, &o->rollup.n_merge, optarg)) return 1;
            o->use_rollup = 1;
            break;
        case 'j':
            if (opt_number(c, optarg, 1, 256, &v)) return EXIT_MISUSE;
            o->threads = (unsigned)v;
            break;
        case 'q':
            g_quiet = 1;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        case 'V':
            printf("actornet %s\n", an_version());
            return 0;
        case ':':
            msg("option '%s' needs an argument", argv[optind - 1]);
            usage_hint();
            return EXIT_MISUSE;
        case '?':
        default:
            if (optopt)
                msg("unknown option '-%c'", optopt);
            else
                msg("unknown option '%s'", argv[optind - 1]);
            usage_hint();
            return EXIT_MISUSE;
        }
    }
    o->rollup.merge = o->merge_ids;
    o->rollup.keep_types = o->keep_types;
    o->rollup.drop_types = o->drop_types;
    o->rollup.drop_ids = o->drop_ids;
    if (o->count.distance_weighting && o->count.window != AN_WINDOW_TOKENS) {
        msg("--distance-weighting needs --window tokens:N");
        usage_hint();
        return EXIT_MISUSE;
    }
    if (o->threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        o->threads = n > 0 ? (unsigned)(n > 64 ? 64 : n) : 1;
    }
    /* the analysis runs after the worker threads have ended: with -j 2 or more,
     * closeness (and the communities, if it is done first) may be computed in a
     * child process beside betweenness */
    o->net.processes = o->threads;
    for (int i = optind; i < argc; i++)
        if (push(&o->inputs, &o->n_inputs, argv[i])) return 1;
    if (o->n_counts && o->n_inputs) {
        msg("%s: give either text INPUTs or --counts files, not both", command);
        usage_hint();
        return EXIT_MISUSE;
    }
    if (o->n_counts && (o->count.window != AN_WINDOW_SENTENCE || o->count.mode ||
                        o->count.distance_weighting || o->use_rollup)) {
        msg("%s: window, counting and roll-up options are fixed when counting; "
            "give them to 'actornet count'",
            command);
        usage_hint();
        return EXIT_MISUSE;
    }
    if (o->n_inputs == 0 && o->n_counts == 0) {
        msg("%s: no INPUT given (use - for standard input)", command);
        usage_hint();
        return EXIT_MISUSE;
    }
    return -1;
}

static void free_opts(opts *o) {
    free(o->merge_ids);
    free(o->counts_files);
    free(o->keep_types);
    free(o->drop_types);
    free(o->drop_ids);
    free(o->gazetteers);
    free(o->outputs);
    free(o->inputs);
}

/* ------------------------------------------------------------------------ */
/* --timings                                                                  */

/* Wall time of each phase, printed at the end: what a run spends where, on
 * the user's own corpus and machine (bench/README.md uses it too). The
 * clock starts in main(); process start-up before it is not counted. */
enum { MAX_PHASES = 8 };
static struct {
    int on;
    double start, mark;
    const char *name[MAX_PHASES];
    double sec[MAX_PHASES];
    size_t n;
} g_timing;

static double now_sec(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The phase since the previous mark (or main) ended now. */
static void phase_done(const char *name) {
    if (!g_timing.on) return;
    double t = now_sec();
    if (g_timing.n < MAX_PHASES) {
        g_timing.name[g_timing.n] = name;
        g_timing.sec[g_timing.n++] = t - g_timing.mark;
    }
    g_timing.mark = t;
}

static void print_timings(void) {
    if (!g_timing.on) return;
    char line[512];
    size_t used = 0;
    for (size_t i = 0; i < g_timing.n && used < sizeof line; i++)
        used += (size_t)snprintf(line + used, sizeof line - used, "%s%s %.1f ms", i ? ", " : "",
                                 g_timing.name[i], g_timing.sec[i] * 1e3);
    msg("timings: %s%stotal %.1f ms", line, g_timing.n ? "; " : "",
        (now_sec() - g_timing.start) * 1e3);
}

/* ------------------------------------------------------------------------ */
/* Shared set-up: gazetteer, matcher, reader                                 */

/* Warnings come from the reader and the gazetteer loaders, both on the main thread. */
static unsigned long g_warnings;

/* While the gazetteer loads for the cache: its warnings, each as a 4-byte
 * length and the text (a file name may hold a newline). */
static strbuf *g_warn_note;

static void on_warning(void *ctx, const an_error *w) {
    (void)ctx;
    g_warnings++;
    char buf[1200];
    an_error_format(w, buf, sizeof buf);
    uint32_t blen = (uint32_t)strlen(buf);
    if (g_warn_note && g_warn_note->len != SIZE_MAX &&
        (sb_put(g_warn_note, (const char *)&blen, sizeof blen) || sb_put(g_warn_note, buf, blen)))
        g_warn_note->len = SIZE_MAX; /* incomplete: not cached */
    if (g_quiet) return;
    msg("warning: %s", buf);
}

typedef struct pipeline {
    an_gazetteer *gz;
    an_matcher *matcher;
    an_reader *reader;
    void *cache_map; /* the compiled gazetteer cache file the matcher lies in, if any */
    size_t cache_len;
} pipeline;

/* Heap slack while the gazetteer is loaded and compiled (on = 1), glibc's
 * default (128 KiB, mallopt(3)) after (on = 0). Loading grows hash tables and
 * arrays by doubling and frees the old ones; with the 128 KiB mmap threshold
 * fixed in main() each freed block went back to the kernel, and every new one
 * (there and in the scan that follows) was faulted in again, page by page:
 * 12,200 minor faults in a 100 MB `map -j 1`, 8,600 of them in the load and
 * compile. With 16 MiB of top pad the heap keeps what it freed and serves
 * the next blocks from it: 5,400 faults; load + compile 54 -> 45 ms; `map` on the 100 MB Phoenix
 * corpus -j 1 0.68 -> 0.63-0.66 s, -j 2 0.39 -> 0.38 s; 1 GB -j 2 2.54 ->
 * 2.46 s; peak RSS +1.5-2.2 MB (docs/design.md). Not kept for the whole
 * run: there each worker's arena would keep its own 16 MiB of slack (1 GB
 * -j 2 peak 35.0 -> 44.0 MB). */
static void heap_slack(int on) {
#ifdef __GLIBC__
    (void)mallopt(M_TOP_PAD, on ? 16 << 20 : 128 << 10);
#else
    (void)on;
#endif
}

/* Loads -g files (or the default gazetteer) into gz; returns 0 or 1 (message printed).
 * data[i], when not NULL, holds file i's bytes already read. */
static int load_gazetteers_from(an_gazetteer *gz, const char *const *files, size_t n,
                                const opts *o, char *const *data, const size_t *len) {
    an_error err;
    an_error_clear(&err);
    if (n == 0) {
        if (an_gazetteer_load_default(gz, &err) != AN_OK) {
            msg_error("default gazetteer", &err);
            return 1;
        }
        return 0;
    }
    an_gazetteer_load_options lo = {0};
    lo.format = o->gaz_format;
    lo.strict = o->strict;
    lo.phrase_attr_orth = o->phrase_attr_orth;
    lo.warn = on_warning;
    for (size_t i = 0; i < n; i++) {
        an_status s = strcmp(files[i], "@default") == 0
                          ? an_gazetteer_load_default(gz, &err)
                      : data && data[i]
                          ? an_gazetteer_load_buffer_ex(gz, data[i], len[i], files[i], &lo, &err)
                          : an_gazetteer_load_file_ex(gz, files[i], &lo, &err);
        if (s != AN_OK) {
            msg_error(NULL, &err);
            return 1;
        }
    }
    return 0;
}

static int load_gazetteers(an_gazetteer *gz, const char *const *files, size_t n, const opts *o) {
    return load_gazetteers_from(gz, files, n, o, NULL, NULL);
}

/* The stored warnings of a cached load (see g_warn_note), printed and counted
 * as the load did. */
static void replay_warnings(const char *note, size_t len) {
    uint32_t n;
    while (len >= sizeof n) {
        memcpy(&n, note, sizeof n);
        note += sizeof n;
        len -= sizeof n;
        if (n > len) break; /* cannot happen: the note is checksummed as written */
        g_warnings++;
        if (!g_quiet) msg("warning: %.*s", (int)n, note);
        note += n;
        len -= n;
    }
}

/* The -g gazetteers into p->gz (created here) and, with need_matcher, their
 * matcher into p->matcher, through the compiled gazetteer cache when it
 * applies. Without need_matcher (map --counts, merge) the cache is only
 * read: a miss loads the files and stores nothing (no matcher to store).
 * Returns 0, or 1 with a message printed. */
static int gazetteer_open(pipeline *p, const opts *o, int need_matcher) {
    an_error err;
    an_error_clear(&err);
    p->gz = an_gazetteer_create();
    if (!p->gz) {
        msg("out of memory");
        return 1;
    }
    heap_slack(1);
    gzcache gc;
    gzcache_params gp = {o->no_cache, o->gaz_format, o->strict, o->phrase_attr_orth,
                         o->accent_insensitive};
    int rc = 0, cached = 0;
    if (gzcache_open(&gc, o->gazetteers, o->n_gazetteers, &gp)) {
        an_gazetteer *cgz = NULL;
        const char *note = NULL;
        size_t note_len = 0;
        if (gzcache_read(&gc, &cgz, need_matcher ? &p->matcher : NULL, &note, &note_len)) {
            an_gazetteer_destroy(p->gz);
            p->gz = cgz;
            replay_warnings(note, note_len);
            p->cache_map = gc.map;
            p->cache_len = gc.map_len;
            gc.map = NULL;
            cached = 1;
            if (!need_matcher) { /* the gazetteer does not point into the file */
                gzcache_unmap(p->cache_map, p->cache_len);
                p->cache_map = NULL;
            }
        }
    }
    if (!cached) {
        strbuf note = {0};
        g_warn_note = gc.path && need_matcher ? &note : NULL;
        rc = load_gazetteers_from(p->gz, o->gazetteers, o->n_gazetteers, o, gc.data, gc.len);
        g_warn_note = NULL;
        an_matcher_options mo = {0};
        mo.accent_insensitive = o->accent_insensitive;
        if (rc == 0 && need_matcher &&
            an_matcher_compile(p->gz, &mo, &p->matcher, &err) != AN_OK) {
            msg_error("gazetteer", &err);
            rc = 1;
        }
        if (rc == 0 && need_matcher && note.len != SIZE_MAX)
            gzcache_write(&gc, p->gz, p->matcher, note.data, note.len);
        free(note.data);
    }
    gzcache_free(&gc);
    heap_slack(0);
    phase_done(cached ? "gazetteer (cache)" : "gazetteer");
    return rc;
}

static int pipeline_open(pipeline *p, const opts *o) {
    an_error err;
    an_error_clear(&err);
    memset(p, 0, sizeof *p);
    if (gazetteer_open(p, o, 1)) return 1;
    an_reader_options ro = {0};
    ro.format = o->input_format;
    ro.strict = o->strict;
    ro.warn = on_warning;
    if (an_reader_create(o->inputs, o->n_inputs, &ro, &p->reader, &err) != AN_OK) {
        msg_error(NULL, &err);
        return 1;
    }
    return 0;
}

static void pipeline_close(pipeline *p) {
    an_reader_destroy(p->reader);
    an_matcher_destroy(p->matcher);
    gzcache_unmap(p->cache_map, p->cache_len);
    p->cache_map = NULL;
    an_gazetteer_destroy(p->gz);
    memset(p, 0, sizeof *p);
}

/* ------------------------------------------------------------------------ */
/* mentions                                                                  */

typedef struct alias_hit {
    size_t alias;
    uint64_t hits;
} alias_hit;

static int cmp_alias_hit(const void *a, const void *b) {
    const alias_hit *x = a, *y = b;
    if (x->hits != y->hits) return x->hits < y->hits ? 1 : -1;
    return x->alias < y->alias ? -1 : x->alias > y->alias;
}

/* --stats: one TSV row per alias that fired, most frequent first, so that a runaway
 * alias ("Georgia", "Jordan", "May") stands out. */
static int print_alias_stats(const an_gazetteer *gz, const an_counts_set *set) {
    const an_counts *c = an_counts_set_find(set, "all");
    size_t n = an_gazetteer_alias_count(gz), k = 0;
    alias_hit *rows = calloc(n + 1, sizeof *rows);
    if (!rows) {
        msg("out of memory");
        return 1;
    }
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t h = c ? an_counts_alias_hits(c, i) : 0;
        if (!h) continue;
        rows[k].alias = i;
        rows[k++].hits = h;
        total += h;
    }
    qsort(rows, k, sizeof *rows, cmp_alias_hit);
    printf("hits\tshare\talias\tactor\tpolicy\tsource\n");
    for (size_t i = 0; i < k; i++) {
        an_alias_info al;
        an_actor_info ac;
        if (an_gazetteer_alias(gz, rows[i].alias, &al) != AN_OK ||
            an_gazetteer_actor(gz, al.actor, &ac) != AN_OK)
            continue;
        printf("%llu\t%.4f\t%s\t%s\t%s\t%s:%lu\n", (unsigned long long)rows[i].hits,
               total ? (double)rows[i].hits / (double)total : 0.0, al.text, ac.id,
               al.policy == AN_CASE_EXACT ? "exact" : "fold", al.source ? al.source : "",
               al.line);
    }
    free(rows);
    return 0;
}

static int cmd_mentions(const opts *o) {
    pipeline p;
    int rc = pipeline_open(&p, o);
    if (rc == 0) {
        engine_config ec = {0};
        ec.gz = p.gz;
        ec.matcher = p.matcher;
        ec.reader = p.reader;
        ec.threads = o->threads;
        ec.print_mentions = !o->stats;
        ec.count = o->stats;
        ec.total_bytes = inputs_total_bytes(o->inputs, o->n_inputs);
        an_counts_set *counts = NULL;
        rc = engine_run(&ec, o->stats ? &counts : NULL, NULL);
        phase_done(o->stats ? "scan" : "scan and print");
        if (rc == 0 && o->stats) {
            rc = print_alias_stats(p.gz, counts);
            phase_done("output");
        }
        an_counts_set_destroy(counts);
    }
    pipeline_close(&p);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* map                                                                       */

typedef enum out_kind {
    OUT_DOT,
    OUT_SVG,
    OUT_PNG,
    OUT_PDF,
    OUT_MD,
    OUT_NODES,
    OUT_EDGES,
    OUT_PERIODS,      /* --by: long table period, actor, measure, value */
    OUT_PERIOD_EDGES, /* --by: period, source, target, windows, documents, weight */
    OUT_COUNTS,       /* counts file (count, merge) */
    OUT_GRAPHML,
    OUT_GEXF,         /* dynamic (time slices) with --by */
    OUT_JSON,         /* node-link graph */
    OUT_REPORT_JSON,
    OUT_HTML,         /* self-contained report with the map and evidence */
    OUT_EVIDENCE      /* evidence JSON Lines */
} out_kind;

static int ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    if (b > a) return 0;
    for (size_t i = 0; i < b; i++) {
        char x = s[a - b + i], y = suffix[i];
        if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
        if (x != y) return 0;
    }
    return 1;
}

static const struct {
    const char *name;
    out_kind kind;
} format_names[] = {{"dot", OUT_DOT},          {"svg", OUT_SVG},
                    {"png", OUT_PNG},          {"pdf", OUT_PDF},
                    {"md", OUT_MD},            {"csv", OUT_NODES},
                    {"nodes-csv", OUT_NODES},  {"edges-csv", OUT_EDGES},
                    {"periods-csv", OUT_PERIODS}, {"period-edges-csv", OUT_PERIOD_EDGES},
                    {"counts", OUT_COUNTS},    {"graphml", OUT_GRAPHML},
                    {"gexf", OUT_GEXF},        {"json", OUT_JSON},
                    {"report-json", OUT_REPORT_JSON}, {"html", OUT_HTML},
                    {"evidence-jsonl", OUT_EVIDENCE}};

/* "FORMAT:PATH" names the format explicitly (svg:-, md:/dev/stdout); otherwise the
 * extension decides. *path_out is the path without the prefix. */
static int output_kind(const char *spec, out_kind *k, const char **path_out) {
    const char *colon = strchr(spec, ':');
    if (colon) {
        for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++) {
            size_t n = strlen(format_names[i].name);
            if ((size_t)(colon - spec) == n && strncmp(spec, format_names[i].name, n) == 0 &&
                colon[1]) {
                *k = format_names[i].kind;
                *path_out = colon + 1;
                return 0;
            }
        }
    }
    const char *path = spec;
    *path_out = spec;
    if (strcmp(path, "-") == 0) *k = OUT_DOT;
    else if (ends_with(path, ".dot") || ends_with(path, ".gv")) *k = OUT_DOT;
    else if (ends_with(path, ".svg")) *k = OUT_SVG;
    else if (ends_with(path, ".png")) *k = OUT_PNG;
    else if (ends_with(path, ".pdf")) *k = OUT_PDF;
    else if (ends_with(path, ".md")) *k = OUT_MD;
    else if (ends_with(path, ".edges.csv")) *k = OUT_EDGES;
    else if (ends_with(path, ".periods.csv")) *k = OUT_PERIODS;
    else if (ends_with(path, ".period-edges.csv")) *k = OUT_PERIOD_EDGES;
    else if (ends_with(path, ".csv")) *k = OUT_NODES;
    else if (ends_with(path, ".counts")) *k = OUT_COUNTS;
    else if (ends_with(path, ".graphml")) *k = OUT_GRAPHML;
    else if (ends_with(path, ".gexf")) *k = OUT_GEXF;
    else if (ends_with(path, ".report.json")) *k = OUT_REPORT_JSON;
    else if (ends_with(path, ".json")) *k = OUT_JSON;
    else if (ends_with(path, ".html") || ends_with(path, ".htm")) *k = OUT_HTML;
    else if (ends_with(path, ".evidence.jsonl")) *k = OUT_EVIDENCE;
    else return -1;
    return 0;
}

/* Per-period networks for --by, built once and shared by the period outputs. */
typedef struct period_nets {
    size_t n;
    const char **names;
    an_network **nets;
} period_nets;

static void period_nets_free(period_nets *pn) {
    for (size_t i = 0; pn->nets && i < pn->n; i++) an_network_destroy(pn->nets[i]);
    free(pn->nets);
    free(pn->names);
    memset(pn, 0, sizeof *pn);
}

static void write_periods_table(FILE *f, const period_nets *pn) {
    fputs("period,actor_id,actor_label,measure,value\n", f);
    for (size_t i = 0; i < pn->n; i++) {
        const an_graph_view *v = an_network_view(pn->nets[i]);
        for (size_t k = 0; k < v->n_nodes; k++) {
            const an_node *x = &v->nodes[k];
            const struct {
                const char *name;
                double value;
                int integer;
            } m[] = {{"mentions", (double)x->mentions, 1},
                     {"degree", (double)x->degree, 1},
                     {"strength", x->strength, 0},
                     {"betweenness", x->betweenness, 0},
                     {"closeness", x->closeness, 0},
                     {"pagerank", x->pagerank, 0},
                     {"eigenvector", x->eigenvector, 0},
                     {"coreness", (double)x->coreness, 1},
                     {"clustering", x->clustering, 0},
                     {"community", (double)x->community, 1}};
            for (size_t j = 0; j < sizeof m / sizeof m[0]; j++) {
                csv_field(f, pn->names[i]);
                putc(',', f);
                csv_field(f, x->id);
                putc(',', f);
                csv_field(f, x->label);
                fprintf(f, ",%s,", m[j].name);
                if (m[j].integer)
                    fprintf(f, "%.0f\n", m[j].value);
                else
                    fprintf(f, "%.10f\n", m[j].value);
            }
        }
    }
}

static void write_period_edges(FILE *f, const period_nets *pn) {
    fputs("period,source_id,target_id,windows,documents,weight\n", f);
    for (size_t i = 0; i < pn->n; i++) {
        const an_graph_view *v = an_network_view(pn->nets[i]);
        for (size_t k = 0; k < v->n_edges; k++) {
            const an_edge *e = &v->edges[k];
            csv_field(f, pn->names[i]);
            putc(',', f);
            csv_field(f, v->nodes[e->source].id);
            putc(',', f);
            csv_field(f, v->nodes[e->target].id);
            fprintf(f, ",%llu,%llu,%.10f\n", (unsigned long long)e->windows,
                    (unsigned long long)e->documents, e->weight);
        }
    }
}

/* The map laid out once for every output that shows it (.svg, .png and .pdf
 * files and the HTML report): the layout is a large part of each (an .svg of
 * the 150-actor map of the 1 GB Phoenix counts takes 0.19 s). With more than
 * one such output, every format they need is rendered into memory from one
 * layout (an_render_images) at the first of them. */
enum { MAP_SVG, MAP_PNG, MAP_PDF, MAP_FORMATS };
static const char *const map_format[MAP_FORMATS] = {"svg", "png", "pdf"};

/* The map format an output kind is an image of, or -1. */
static int map_fmt(out_kind k) {
    return k == OUT_SVG ? MAP_SVG : k == OUT_PNG ? MAP_PNG : k == OUT_PDF ? MAP_PDF : -1;
}

typedef struct map_cache {
    int shared; /* more than one output shows the map */
    int want[MAP_FORMATS];
    int done;
    an_status status;
    an_error err;
    char *data[MAP_FORMATS];
    size_t len[MAP_FORMATS];
} map_cache;

/* The run's evidence: the worker threads' stores, merged when the first
 * output that shows evidence is written. At -j 2 that is on the second output
 * thread while the main thread draws, instead of before the analysis (100 MB
 * Phoenix map: 3 ms; 1 GB: 40 ms, much of it reading the spilled windows). */
typedef struct evidence_lazy {
    evidence_parts parts;
    an_evidence *merged;
    an_status status; /* of the merge, once done */
    int merge_errno;
    int done;
    pthread_mutex_t mu;
} evidence_lazy;

typedef struct out_ctx {
    const an_graph_view *v;
    const an_render_options *ro;
    const an_report_options *rep; /* its evidence comes from out_evidence() */
    const period_nets *periods;
    const an_counts_set *set;
    const an_gazetteer *gz;
    evidence_lazy *evidence; /* NULL: none kept */
    map_cache *maps; /* NULL (count, merge): no output shows the map */
} out_ctx;

/* The merged evidence into *ev (NULL when none was kept); AN_OK or the merge's
 * failure (reported by each output that needs it). */
static an_status out_evidence(const out_ctx *c, const an_evidence **ev, an_error *err) {
    *ev = NULL;
    evidence_lazy *l = c->evidence;
    if (!l) return AN_OK;
    pthread_mutex_lock(&l->mu);
    if (!l->done) {
#ifdef __GLIBC__
        /* The evidence comes back into memory from its file: first give the
         * kernel the free pages in the middle of the heap (what the scan and
         * the analysis freed), which glibc keeps resident otherwise. At 1 GB
         * (map -j 1) the evidence on top of them was the run's peak: 28.5 ->
         * 27.1 MB; it takes about 0.5 ms. */
        (void)malloc_trim(0);
#endif
        errno = 0;
        l->status = evidence_parts_merge(&l->parts, &l->merged);
        l->merge_errno = errno;
        l->done = 1;
    }
    an_status st = l->status;
    int e = l->merge_errno;
    *ev = l->merged;
    pthread_mutex_unlock(&l->mu);
    if (st != AN_OK) {
        err->status = st;
        /* the windows beyond 1 MiB are read back from a temporary file */
        snprintf(err->message, sizeof err->message, "merging the evidence: %s",
                 st == AN_EIO && e ? strerror(e) : an_strerror(st));
    }
    return st;
}

/* Every format the cache wants, from one layout (once; later calls return the
 * first call's outcome). An image file goes through it only when the map is
 * shared; the HTML report always does. */
static an_status map_cache_fill(const out_ctx *c, an_error *err) {
    map_cache *k = c->maps;
    if (!k->done) {
        const char *formats[MAP_FORMATS];
        FILE *outs[MAP_FORMATS];
        int index[MAP_FORMATS];
        size_t n = 0;
        k->done = 1;
        k->status = AN_OK;
        an_error_clear(&k->err);
        for (int i = 0; i < MAP_FORMATS; i++) {
            if (!k->want[i]) continue;
            outs[n] = open_memstream(&k->data[i], &k->len[i]);
            if (!outs[n]) {
                k->status = AN_ENOMEM;
                break;
            }
            formats[n] = map_format[i];
            index[n++] = i;
        }
        if (k->status == AN_OK && n)
            k->status = an_render_images(c->v, c->ro, formats, outs, n, &k->err);
        for (size_t j = 0; j < n; j++)
            if (fclose(outs[j]) != 0 && k->status == AN_OK) k->status = AN_ENOMEM;
        if (k->status != AN_OK) {
            if (k->err.status == AN_OK) {
                k->err.status = k->status;
                snprintf(k->err.message, sizeof k->err.message, "render: %s",
                         an_strerror(k->status));
            }
            for (size_t j = 0; j < n; j++) {
                free(k->data[index[j]]);
                k->data[index[j]] = NULL;
                k->len[index[j]] = 0;
            }
        }
    }
    if (k->status != AN_OK && err) *err = k->err;
    return k->status;
}

/* An image file: from the cache when several outputs show the map. */
static an_status write_map(const out_ctx *c, int fmt, FILE *f, an_error *err) {
    if (!c->maps || !c->maps->shared) return an_render_image(c->v, c->ro, map_format[fmt], f, err);
    an_status s = map_cache_fill(c, err);
    size_t len = c->maps->len[fmt];
    errno = 0;
    if (s == AN_OK && len && fwrite(c->maps->data[fmt], 1, len, f) != len) {
        int e = errno;
        s = AN_EIO;
        if (err) {
            err->status = s;
            snprintf(err->message, sizeof err->message, "render: writing %s failed%s%s",
                     map_format[fmt], e ? ": " : "", e ? strerror(e) : "");
        }
    }
    return s;
}

static an_status write_gexf(const out_ctx *c, FILE *f, an_error *err) {
    if (!c->periods || c->periods->n == 0) return an_export_gexf(c->v, f, err);
    const an_graph_view **views = calloc(c->periods->n, sizeof(const an_graph_view *));
    if (!views) return AN_ENOMEM;
    for (size_t i = 0; i < c->periods->n; i++) views[i] = an_network_view(c->periods->nets[i]);
    an_status s = an_export_gexf_dynamic(c->v, c->periods->names, views, c->periods->n, f, err);
    free(views);
    return s;
}

/* The Markdown, JSON or HTML report (svg: the map for the HTML one), with
 * the evidence merged on first use. */
static an_status write_report(const out_ctx *c, out_kind kind, const char *svg, size_t svg_len,
                              FILE *out, an_error *err) {
    an_report_options rep = *c->rep;
    const an_evidence *ev;
    an_status s = out_evidence(c, &ev, err);
    if (s != AN_OK) return s;
    rep.evidence = ev;
    if (kind == OUT_MD) return an_report_markdown(c->v, &rep, out, err);
    if (kind == OUT_REPORT_JSON) return an_report_json(c->v, &rep, out, err);
    return an_report_html(c->v, &rep, svg, svg_len, out, err);
}

static int write_output(const char *path, out_kind kind, const out_ctx *c) {
    outfile f;
    if (out_open(&f, path)) return 1;
    an_error err;
    an_error_clear(&err);
    an_status s = AN_OK;
    switch (kind) {
    case OUT_DOT: s = an_render_dot(c->v, c->ro, f.fp, &err); break;
    case OUT_SVG:
    case OUT_PNG:
    case OUT_PDF: s = write_map(c, map_fmt(kind), f.fp, &err); break;
    case OUT_MD: s = write_report(c, kind, NULL, 0, f.fp, &err); break;
    case OUT_NODES: s = an_report_csv_nodes(c->v, f.fp, &err); break;
    case OUT_EDGES: s = an_report_csv_edges(c->v, f.fp, &err); break;
    case OUT_PERIODS: write_periods_table(f.fp, c->periods); break;
    case OUT_PERIOD_EDGES: write_period_edges(f.fp, c->periods); break;
    case OUT_COUNTS: s = an_counts_set_write(c->set, c->gz, f.fp, &err); break;
    case OUT_GRAPHML: s = an_export_graphml(c->v, f.fp, &err); break;
    case OUT_GEXF: s = write_gexf(c, f.fp, &err); break;
    case OUT_JSON: s = an_export_json(c->v, f.fp, &err); break;
    case OUT_REPORT_JSON: s = write_report(c, kind, NULL, 0, f.fp, &err); break;
    case OUT_EVIDENCE: {
        const an_evidence *ev;
        s = out_evidence(c, &ev, &err);
        /* --evidence 0 keeps none: an empty file, as asked. */
        if (s == AN_OK && ev) s = an_evidence_write_jsonl(ev, c->gz, f.fp, &err);
        break;
    }
    case OUT_HTML:
        /* Without Graphviz the report has tables and evidence but no map. The SVG
         * comes from the map cache, which wants it whenever Graphviz is there. */
        if (an_render_available() && c->maps) s = map_cache_fill(c, &err);
        if (s == AN_OK)
            s = write_report(c, kind, c->maps ? c->maps->data[MAP_SVG] : NULL,
                             c->maps ? c->maps->len[MAP_SVG] : 0, f.fp, &err);
        break;
    }
    if (s != AN_OK) {
        msg_error(path, &err);
        out_abort(&f);
        return 1;
    }
    return out_commit(&f) ? 1 : 0;
}

/* One output of a map run; with the messages writing it printed when it ran
 * on the second thread (printed after, in the outputs' order). */
typedef struct out_task {
    const char *path;
    out_kind kind;
    int rc;
    strbuf msgs;
} out_task;

/* Outputs drawn by Graphviz, which is not thread-safe: the main thread's. */
static int draws(out_kind k) { return k == OUT_DOT || map_fmt(k) >= 0; }

/* The tables, Markdown and JSON reports, exports and evidence: the second
 * thread's. HTML reports wait for both (they take the drawn SVG, and they
 * read the evidence, which the second thread may be reading). */
static int side_task(out_kind k) { return !draws(k) && k != OUT_HTML; }

typedef struct out_side {
    out_task *t;
    size_t n;
    const out_ctx *c;
} out_side;

static void *out_side_main(void *arg) {
    const out_side *s = arg;
    for (size_t i = 0; i < s->n; i++) {
        if (!side_task(s->t[i].kind)) continue;
        msg_capture(&s->t[i].msgs);
        s->t[i].rc = write_output(s->t[i].path, s->t[i].kind, s->c);
        msg_capture(NULL);
    }
    return NULL;
}

/* Where path's file is: its directory resolved (links, "..") and its name,
 * so that two spellings of one file compare equal; the path itself when its
 * directory cannot be resolved (then it cannot be written either). */
static char *target_name(const char *path) {
    char *a = strdup(path), *b = strdup(path);
    char *out = NULL;
    if (a && b) {
        char *dir = realpath(dirname(a), NULL);
        const char *base = basename(b);
        size_t n = dir ? strlen(dir) + strlen(base) + 2 : 0;
        out = dir ? malloc(n) : strdup(path);
        if (out && dir) snprintf(out, n, "%s/%s", dir, base);
        free(dir);
    }
    free(a);
    free(b);
    return out;
}

/* Two threads may write the outputs when they are all regular files (each
 * goes to its own temporary) and no two name the same file, and when both
 * threads have work. */
static int split_outputs(const out_task *t, size_t n) {
    int drawn = 0, side = 0, ok = 1;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(t[i].path, "-") == 0 || (stat(t[i].path, &st) == 0 && !S_ISREG(st.st_mode)))
            return 0;
        drawn |= draws(t[i].kind);
        side |= side_task(t[i].kind);
    }
    if (!drawn || !side) return 0;
    char **names = calloc(n, sizeof *names);
    if (!names) return 0;
    for (size_t i = 0; i < n && ok; i++) {
        names[i] = target_name(t[i].path);
        ok = names[i] != NULL;
        for (size_t j = 0; j < i && ok; j++) ok = strcmp(names[i], names[j]) != 0;
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return ok;
}

/* Writes every output, also after one failed (each is whole or absent);
 * returns 1 when any failed. With threads >= 2 the outputs that do not draw
 * are written on a second thread while this one draws (a 100 MB Phoenix map:
 * the Markdown report's 9 ms beside the DOT's 19 ms; docs/outputs.md).
 * Messages come out in the outputs' order either way, so stderr and the
 * files do not depend on -j. Graphviz sets LC_NUMERIC to "C" around a
 * layout; the CLI never leaves the "C" locale, so the other thread's number
 * formatting is not affected. */
static int write_outputs(out_task *t, size_t n, const out_ctx *c, unsigned threads) {
    out_side side = {t, n, c};
    pthread_t th;
    int split = threads >= 2 && split_outputs(t, n);
    int started = split && pthread_create(&th, NULL, out_side_main, &side) == 0;
    for (size_t i = 0; i < n; i++) {
        if (split && !draws(t[i].kind)) continue;
        if (split) msg_capture(&t[i].msgs);
        t[i].rc = write_output(t[i].path, t[i].kind, c);
        msg_capture(NULL);
    }
    if (started) pthread_join(th, NULL);
    else if (split) out_side_main(&side);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (split && t[i].kind == OUT_HTML) t[i].rc = write_output(t[i].path, t[i].kind, c);
        if (t[i].msgs.len) fwrite(t[i].msgs.data, 1, t[i].msgs.len, stderr);
        free(t[i].msgs.data);
        t[i].msgs.data = NULL;
        t[i].msgs.len = t[i].msgs.cap = 0;
        rc |= t[i].rc;
    }
    return rc;
}

/* Checks every -o name before any work; fills kinds/paths (caller frees). */
static int plan_outputs(const opts *o, out_kind **kinds, const char ***paths, int cmd) {
    *kinds = calloc(o->n_outputs + 1, sizeof **kinds);
    *paths = calloc(o->n_outputs + 1, sizeof **paths);
    if (!*kinds || !*paths) {
        msg("out of memory");
        return 1;
    }
    for (size_t i = 0; i < o->n_outputs; i++) {
        if (output_kind(o->outputs[i], &(*kinds)[i], &(*paths)[i])) {
            msg("%s: unknown output format (use .svg, .png, .pdf, .dot, .md, .html, .csv, "
                ".edges.csv, .graphml, .gexf, .json, .report.json, .evidence.jsonl, "
                ".periods.csv, .period-edges.csv, .counts, or FORMAT:PATH)",
                o->outputs[i]);
            return EXIT_MISUSE;
        }
        out_kind k = (*kinds)[i];
        if (cmd != CMD_MAP && k != OUT_COUNTS) {
            msg("%s: this command writes a counts file (.counts or counts:PATH)", o->outputs[i]);
            return EXIT_MISUSE;
        }
        if (cmd == CMD_MAP && k == OUT_COUNTS) {
            msg("%s: map does not write counts; use 'actornet count'", o->outputs[i]);
            return EXIT_MISUSE;
        }
        if (k == OUT_EVIDENCE && o->n_counts) {
            msg("%s: evidence comes from text; counts files do not keep it", o->outputs[i]);
            return EXIT_MISUSE;
        }
        if ((k == OUT_PERIODS || k == OUT_PERIOD_EDGES) && !o->by_period) {
            msg("%s: per-period tables need --by day|week|month|quarter|year", o->outputs[i]);
            return EXIT_MISUSE;
        }
    }
    if (cmd != CMD_MAP && o->n_outputs != 1) {
        msg("give exactly one -o FILE.counts");
        usage_hint();
        return EXIT_MISUSE;
    }
    if (cmd == CMD_MAP && o->n_outputs == 0 && !o->report) {
        msg("map: nothing to write: give -o FILE and/or --report FILE");
        usage_hint();
        return EXIT_MISUSE;
    }
    return 0;
}

/* Reads counts files and merges them into one set (each file checked against gz). */
static int read_counts_files(const char *const *files, size_t n, const an_gazetteer *gz,
                             an_counts_set **out) {
    an_counts_set *total = NULL;
    for (size_t i = 0; i < n; i++) {
        FILE *f = strcmp(files[i], "-") == 0 ? stdin : fopen(files[i], "rb");
        if (!f) {
            msg("%s: cannot open: %s", files[i], strerror(errno));
            an_counts_set_destroy(total);
            return 1;
        }
        an_error err;
        an_error_clear(&err);
        an_counts_set *set = NULL;
        an_status s = an_counts_set_read(f, files[i], gz, &set, &err);
        if (f != stdin) fclose(f);
        if (s != AN_OK) {
            msg_error(NULL, &err);
            an_counts_set_destroy(total);
            return 1;
        }
        if (!total) {
            total = set;
            continue;
        }
        s = an_counts_set_merge(total, set, &err);
        an_counts_set_destroy(set);
        if (s != AN_OK) {
            msg_error(files[i], &err);
            an_counts_set_destroy(total);
            return 1;
        }
    }
    *out = total;
    return 0;
}

/* The counts of the whole corpus, all periods together: the set's only member itself when it
 * has one (no copy, which would be a second table of every pair at the
 * analysis's peak), else a new sum, returned in *sum too for the caller to
 * destroy. */
static an_status total_counts(const an_counts_set *set, const an_counts **out, an_counts **sum) {
    *sum = NULL;
    if (an_counts_set_count(set) == 1) {
        *out = an_counts_set_get(set, 0);
        return AN_OK;
    }
    an_count_options co = an_counts_set_options(set);
    an_counts *c = NULL;
    an_status s = an_counts_create(an_counts_set_actor_count(set), an_counts_set_alias_count(set),
                                   &co, &c);
    for (size_t i = 0; s == AN_OK && i < an_counts_set_count(set); i++)
        s = an_counts_merge(c, an_counts_set_get(set, i));
    if (s != AN_OK) {
        an_counts_destroy(c);
        return s;
    }
    *out = *sum = c;
    return AN_OK;
}

/* map, count and merge: counts from text (or from counts files), then outputs. */
static int cmd_counts_and_map(const opts *o, int cmd) {
    out_kind *kinds = NULL;
    const char **paths = NULL;
    int rc = plan_outputs(o, &kinds, &paths, cmd);
    pipeline p;
    memset(&p, 0, sizeof p);
    an_counts_set *set = NULL;
    const an_counts *counts = NULL;
    an_counts *counts_sum = NULL;
    an_network *net = NULL;
    size_t *actor_map = NULL;
    period_nets pn = {0};
    evidence_lazy evidence = {{NULL, 0}, NULL, AN_OK, 0, 0, PTHREAD_MUTEX_INITIALIZER};
    an_error err;
    an_error_clear(&err);
    if (rc) goto done;

    /* Evidence costs memory per pair: keep it when an output shows it. One window per
     * edge is enough for a report's "strongest edges"; the HTML report and the evidence
     * file get more. --evidence K decides when given. */
    size_t evidence_k = 0;
    int evidence_actors = 0; /* only the HTML report shows an actor's own windows */
    for (size_t i = 0; i < o->n_outputs; i++) {
        if ((kinds[i] == OUT_HTML || kinds[i] == OUT_EVIDENCE) && evidence_k < 5) evidence_k = 5;
        if ((kinds[i] == OUT_MD || kinds[i] == OUT_REPORT_JSON) && evidence_k < 1) evidence_k = 1;
        if (kinds[i] == OUT_HTML) evidence_actors = 1;
    }
    if (o->report && evidence_k < 1) evidence_k = 1;
    if (o->evidence_set) evidence_k = o->evidence_k;
    if (cmd != CMD_MAP) evidence_k = 0;

    int from_counts = cmd == CMD_MERGE || o->n_counts > 0;
    if (from_counts) {
        rc = gazetteer_open(&p, o, 0);
        if (rc) goto done;
        rc = cmd == CMD_MERGE ? read_counts_files(o->inputs, o->n_inputs, p.gz, &set)
                              : read_counts_files(o->counts_files, o->n_counts, p.gz, &set);
        phase_done("counts files");
        if (rc) goto done;
    } else {
        rc = pipeline_open(&p, o);
        if (rc) goto done;
        engine_config ec = {0};
        ec.gz = p.gz;
        ec.matcher = p.matcher;
        ec.reader = p.reader;
        ec.threads = o->threads;
        ec.count = 1;
        ec.count_opts = o->count;
        ec.by_period = o->by_period;
        ec.period = o->period;
        if (o->use_rollup) {
            if (an_actor_map_build(p.gz, &o->rollup, &actor_map, &err) != AN_OK) {
                msg_error("roll-up", &err);
                rc = 1;
                goto done;
            }
            ec.count_opts.actor_map = actor_map;
        }
        ec.total_bytes = inputs_total_bytes(o->inputs, o->n_inputs);
        ec.evidence_k = evidence_k;
        ec.evidence_pairs_only = !evidence_actors;
        rc = engine_run(&ec, &set, cmd == CMD_COUNT || cmd == CMD_MERGE ? NULL : &evidence.parts);
        phase_done("scan");
        if (rc) goto done;
        /* Plain-text files carry no date: say why --by made a single period. */
        if (o->by_period && !g_quiet && an_counts_set_count(set) == 1 &&
            strcmp(an_counts_set_name(set, 0), "undated") == 0)
            msg("note: --by %s: no document has a date, so all are in the period 'undated' "
                "(dates come from the \"date\" field of JSON Lines input)",
                an_period_name(o->period));
    }

    if (cmd != CMD_MAP) {
        out_ctx oc = {0};
        oc.set = set;
        oc.gz = p.gz;
        rc = write_output(paths[0], kinds[0], &oc);
        phase_done("output");
        goto done;
    }

    /* The text is read: what follows needs the gazetteer only, and the analysis is
     * where the peak memory of a large run is. The evidence index waits in its
     * temporary file until an output reads it (a failure to park leaves it in memory). */
    an_matcher_destroy(p.matcher);
    p.matcher = NULL;
    gzcache_unmap(p.cache_map, p.cache_len);
    p.cache_map = NULL;
    an_reader_destroy(p.reader);
    p.reader = NULL;
    for (size_t i = 0; i < evidence.parts.n; i++) (void)an_evidence_park(evidence.parts.part[i]);
    if (total_counts(set, &counts, &counts_sum) != AN_OK) {
        msg("out of memory");
        rc = 1;
        goto done;
    }
    /* The report needs the margins of the total counts, not its pairs: once
     * the edges are made they go, before the analysis (the peak of a large
     * map). Not with --by: the per-period networks below read the sections. */
    an_counts *own = counts_sum;
    if (!own && !o->by_period &&
        an_counts_set_get_or_create(set, an_counts_set_name(set, 0), &own) != AN_OK)
        own = NULL;
    if ((own ? an_network_build_dropping_pairs(own, p.gz, &o->net, &net, &err)
             : an_network_build(counts, p.gz, &o->net, &net, &err)) != AN_OK) {
        msg_error("network", &err);
        rc = 1;
        goto done;
    }
    if (o->by_period) {
        pn.n = an_counts_set_count(set);
        pn.names = calloc(pn.n + 1, sizeof *pn.names);
        pn.nets = calloc(pn.n + 1, sizeof(an_network *));
        if (!pn.names || !pn.nets) {
            msg("out of memory");
            rc = 1;
            goto done;
        }
        for (size_t i = 0; i < pn.n; i++) {
            pn.names[i] = an_counts_set_name(set, i);
            if (an_network_build(an_counts_set_get(set, i), p.gz, &o->net, &pn.nets[i], &err) !=
                AN_OK) {
                msg_error(pn.names[i], &err);
                rc = 1;
                goto done;
            }
        }
    }
    phase_done("network and analysis");

    an_render_options ro;
    an_render_options_init(&ro);
    ro.layout = o->layout;
    if (o->max_nodes) ro.max_nodes = o->max_nodes;
    ro.title = o->title;
    ro.seed = o->net.seed;

    an_report_options rep;
    an_report_options_init(&rep);
    rep.title = o->title;
    rep.inputs = from_counts ? o->counts_files : o->inputs;
    rep.n_inputs = from_counts ? o->n_counts : o->n_inputs;
    char gzdesc[1024];
    if (o->n_gazetteers == 0) {
        snprintf(gzdesc, sizeof gzdesc, "built-in default gazetteer");
    } else {
        size_t used = 0;
        gzdesc[0] = '\0';
        for (size_t i = 0; i < o->n_gazetteers && used < sizeof gzdesc; i++)
            used += (size_t)snprintf(gzdesc + used, sizeof gzdesc - used, "%s%s",
                                     i ? ", " : "", o->gazetteers[i]);
    }
    rep.gazetteer = gzdesc;
    rep.gazetteer_actors = an_gazetteer_actor_count(p.gz);
    rep.gazetteer_aliases = an_gazetteer_alias_count(p.gz);
    if (o->top) rep.top = o->top;

    map_cache maps = {0};
    size_t shows = 0;
    for (size_t i = 0; i < o->n_outputs; i++) {
        int fmt = kinds[i] == OUT_HTML && an_render_available() ? MAP_SVG : map_fmt(kinds[i]);
        if (fmt < 0) continue;
        maps.want[fmt] = 1;
        shows++;
    }
    maps.shared = shows > 1;
    out_ctx oc = {0};
    oc.maps = &maps;
    oc.v = an_network_view(net);
    oc.ro = &ro;
    oc.rep = &rep;
    oc.periods = &pn;
    oc.set = set;
    oc.gz = p.gz;
    oc.evidence = evidence.parts.n ? &evidence : NULL;
    rep.counts = counts;
    rep.gz = p.gz;
    out_task *tasks = calloc(o->n_outputs + 1, sizeof *tasks);
    if (!tasks) {
        msg("out of memory");
        rc = 1;
    } else {
        size_t n = 0;
        for (size_t i = 0; i < o->n_outputs; i++) {
            tasks[n].path = paths[i];
            tasks[n++].kind = kinds[i];
        }
        if (o->report) {
            tasks[n].path = o->report;
            tasks[n++].kind = ends_with(o->report, ".csv") ? OUT_NODES : OUT_MD;
        }
        rc = write_outputs(tasks, n, &oc, o->threads);
        phase_done("outputs");
        free(tasks);
    }
    for (int i = 0; i < MAP_FORMATS; i++) free(maps.data[i]);

done:
    evidence_parts_free(&evidence.parts);
    an_evidence_destroy(evidence.merged);
    pthread_mutex_destroy(&evidence.mu);
    period_nets_free(&pn);
    an_network_destroy(net);
    an_counts_destroy(counts_sum);
    an_counts_set_destroy(set);
    an_actor_map_free(actor_map);
    pipeline_close(&p);
    free(kinds);
    free(paths);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* evidence A B INPUT...                                                     */

static int cmd_evidence(const opts *o) {
    if (o->n_inputs < 3) {
        msg("evidence: expected two actor ids and at least one INPUT");
        usage_hint();
        return EXIT_MISUSE;
    }
    opts text = *o;
    text.inputs = o->inputs + 2;
    text.n_inputs = o->n_inputs - 2;
    pipeline p;
    int rc = pipeline_open(&p, &text);
    size_t *actor_map = NULL;
    an_evidence *ev = NULL;
    an_error err;
    an_error_clear(&err);
    size_t ids[2] = {0, 0};
    for (int i = 0; rc == 0 && i < 2; i++) {
        if (an_gazetteer_find(p.gz, o->inputs[i], &ids[i]) != AN_OK) {
            msg("evidence: no actor with id '%s' in the gazetteer", o->inputs[i]);
            rc = 1;
        }
    }
    if (rc == 0 && o->use_rollup &&
        an_actor_map_build(p.gz, &o->rollup, &actor_map, &err) != AN_OK) {
        msg_error("roll-up", &err);
        rc = 1;
    }
    if (rc == 0 && actor_map) {
        /* Evidence is kept under the actors mentions are counted as. */
        for (int i = 0; i < 2; i++) {
            if (actor_map[ids[i]] == AN_DROP) {
                msg("evidence: actor '%s' is dropped by the selection options", o->inputs[i]);
                rc = 1;
            } else {
                ids[i] = actor_map[ids[i]];
            }
        }
    }
    if (rc == 0 && ids[0] == ids[1]) {
        msg("evidence: '%s' and '%s' are the same actor here", o->inputs[0], o->inputs[1]);
        rc = 1;
    }
    if (rc == 0) {
        engine_config ec = {0};
        ec.gz = p.gz;
        ec.matcher = p.matcher;
        ec.reader = p.reader;
        ec.threads = o->threads;
        ec.count_opts = o->count;
        ec.count_opts.actor_map = actor_map;
        ec.evidence_k = o->evidence_set ? o->evidence_k : 10;
        ec.evidence_pairs_only = 1;
        if (ec.evidence_k == 0) ec.evidence_k = 1;
        ec.total_bytes = inputs_total_bytes(text.inputs, text.n_inputs);
        evidence_parts parts = {NULL, 0};
        rc = engine_run(&ec, NULL, &parts);
        phase_done("scan");
        an_status ms = rc ? AN_OK : evidence_parts_merge(&parts, &ev);
        if (ms != AN_OK) {
            msg("merging the evidence: %s", an_strerror(ms));
            rc = 1;
        }
        evidence_parts_free(&parts);
    }
    if (rc == 0 && an_evidence_write_pair(ev, p.gz, ids[0], ids[1], stdout, &err) != AN_OK) {
        msg_error("evidence", &err);
        rc = 1;
    }
    if (rc == 0) phase_done("output");
    an_evidence_destroy(ev);
    an_actor_map_free(actor_map);
    pipeline_close(&p);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* gazetteer check / convert                                                 */

static const char *const level_names[] = {"info", "warning", "error"};

static void print_finding(void *ctx, const an_finding *f) {
    (void)ctx;
    int lv = f->level < 0 ? 0 : f->level > 2 ? 2 : f->level;
    if (f->file && f->file[0] && f->line)
        printf("%s:%lu: %s: %s: %s\n", f->file, f->line, level_names[lv], f->code, f->message);
    else
        printf("%s: %s: %s\n", level_names[lv], f->code, f->message);
}

static int cmd_gazetteer(const opts *o, int cmd) {
    if (cmd == CMD_GAZ_CONVERT && o->n_outputs != 1) {
        msg("gazetteer convert: give exactly one -o OUT (- for standard output)");
        usage_hint();
        return EXIT_MISUSE;
    }
    an_gazetteer *gz = an_gazetteer_create();
    if (!gz) {
        msg("out of memory");
        return 1;
    }
    int rc = load_gazetteers(gz, o->inputs, o->n_inputs, o);
    if (rc == 0 && cmd == CMD_GAZ_CHECK) {
        long errors = an_gazetteer_check(gz, print_finding, NULL);
        if (errors < 0) {
            msg("gazetteer check: out of memory");
            rc = 1;
        } else {
            fprintf(stderr, "%s: %zu actors, %zu aliases, %ld error(s)\n", g_prog,
                    an_gazetteer_actor_count(gz), an_gazetteer_alias_count(gz), errors);
            rc = errors > 0;
        }
    } else if (rc == 0) {
        outfile f;
        if (out_open(&f, o->outputs[0])) {
            rc = 1;
        } else {
            an_error err;
            an_error_clear(&err);
            if (an_gazetteer_write_native(gz, f.fp, &err) != AN_OK) {
                msg_error(o->outputs[0], &err);
                out_abort(&f);
                rc = 1;
            } else {
                if (err.message[0] && !g_quiet) msg("warning: %s: %s", o->outputs[0], err.message);
                rc = out_commit(&f) ? 1 : 0;
            }
        }
    }
    an_gazetteer_destroy(gz);
    return rc;
}

int main(int argc, char **argv) {
    g_timing.start = g_timing.mark = now_sec();
    /* A closed pipe (| head) must end us quietly, not kill us mid-write. */
    signal(SIGPIPE, SIG_IGN);
    out_init();
#ifdef __GLIBC__
    /* Blocks of 128 KiB and more (tables, pool pages, igraph's vectors) get
     * pages of their own and give them back when freed. glibc's default
     * raises that threshold after each such free, so later large blocks
     * land in the heap, whose freed middle stays resident: the matcher and
     * the scan's tables freed before the analysis then still count in the
     * peak (docs/design.md, "Memory follows the pairs"). */
    (void)mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
    if (argc < 2) {
        fputs(usage_text, stderr);
        return EXIT_MISUSE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return ferror(stdout) ? 1 : 0;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0 ||
        strcmp(cmd, "version") == 0) {
        printf("actornet %s\n", an_version());
        return 0;
    }
    int id = 0, shift = 1;
    char name[64];
    snprintf(name, sizeof name, "%s", cmd);
    if (strcmp(cmd, "map") == 0) {
        id = CMD_MAP;
    } else if (strcmp(cmd, "mentions") == 0) {
        id = CMD_MENTIONS;
    } else if (strcmp(cmd, "count") == 0) {
        id = CMD_COUNT;
    } else if (strcmp(cmd, "merge") == 0) {
        id = CMD_MERGE;
    } else if (strcmp(cmd, "evidence") == 0) {
        id = CMD_EVIDENCE;
    } else if (strcmp(cmd, "gazetteer") == 0) {
        const char *sub = argc > 2 ? argv[2] : "";
        if (strcmp(sub, "check") == 0) id = CMD_GAZ_CHECK;
        else if (strcmp(sub, "convert") == 0) id = CMD_GAZ_CONVERT;
        else if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        } else {
            msg("gazetteer: expected 'check' or 'convert'%s%s%s", *sub ? ", got '" : "", sub,
                *sub ? "'" : "");
            usage_hint();
            return EXIT_MISUSE;
        }
        snprintf(name, sizeof name, "gazetteer %s", sub);
        shift = 2;
    }
    if (!id) {
        if (cmd[0] == '-')
            msg("expected a command before options, got '%s'", cmd);
        else
            msg("unknown command '%s'", cmd);
        usage_hint();
        return EXIT_MISUSE;
    }
    opts o;
    int rc = parse_opts(argc - shift, argv + shift, name, id, &o);
    g_timing.on = rc < 0 && o.timings;
    if (rc < 0) {
        if (id == CMD_MAP || id == CMD_COUNT || id == CMD_MERGE) rc = cmd_counts_and_map(&o, id);
        else if (id == CMD_MENTIONS) rc = cmd_mentions(&o);
        else if (id == CMD_EVIDENCE) rc = cmd_evidence(&o);
        else rc = cmd_gazetteer(&o, id);
    }
    free_opts(&o);
    if (g_warnings && !g_quiet)
        msg("%lu warning%s: what they name was skipped (--strict makes them errors)",
            g_warnings, g_warnings == 1 ? "" : "s");
    if (fflush(stdout) != 0 && errno != EPIPE && rc == 0) {
        msg("standard output: write error: %s", strerror(errno));
        rc = 1;
    }
    print_timings();
    return rc;
}
