#!/usr/bin/env python3
"""The results of whole-process.sh runs, read back from what they printed.

    python3 benches/results_from_log.py RUN.log... > RESULTS.tsv
    python3 benches/bench_table.py RESULTS.tsv 10000 100000 1000000

whole-process.sh keeps its results in a temporary folder it removes; its output holds every
figure it recorded, as printed. This reads them back (one line per figure: KEY, N, value), so
the tables of several runs (a run of 1 000–100 000 cards and a separate, much longer one of a
million) can be printed together by bench_table.py. On one run's output it gives back exactly
the tables that run printed.
"""
import re, sys
log = [line for path in sys.argv[1:] for line in open(path).read().splitlines()]
labels = [
 (r"import --reviews of the whole log \(.*\)", "import-reviews"),
 (r"import of the \d+-card TSV into a new database", "import-new"),
 (r"import --deck into a new database", "import-deck-new"),
 (r"re-import of the same TSV \(all unchanged\)", "import-again"),
 (r"import --deck into a database holding another N-card deck", "import-deck-used"),
 (r"open \+ first card \(next --json\)", "next"),
 (r"one answer \(answer, whole process\)", "answer"),
 (r"stats --format json \(365 days\)", "stats"),
 (r"search a word, first page \(cards pomme --limit 50\)", "search-word"),
 (r"search a filter, first page \(cards is:due --limit 50\)", "search-due"),
 (r"Anki: import of the TSV into a new collection \(whole process\)", "anki-import"),
 (r"Anki: the import call \(in-process\)", "anki-import-in"),
 (r"Anki: open \+ first card of the queue \(whole process\)", "anki-first"),
 (r"Anki: open \+ get_queued_cards \(in-process\)", "anki-first-in"),
 (r"Anki: statistics, 365 days \(whole process\)", "anki-stats"),
 (r"Anki: open \+ graphs \(in-process\)", "anki-stats-in"),
]
n = None
for line in log:
    m = re.match(r"== N = (\d+) cards", line)
    if m: n = m.group(1); continue
    s = line.strip()
    for pat, key in labels:
        m = re.match(pat + r": ([0-9.]+) ms", s)
        if m: print(f"{key}\t{n}\t{m.group(1)}"); break
    m = re.match(r"import --reviews of the whole log \(\d+ answers, in (\d+) parts\)", s)
    if m: print(f"import-reviews-parts\t{n}\t{m.group(1)}")
    m = re.match(r"(next|answer|stats|import-new|import-again|import-reviews) peak memory: ([0-9.]+) MB", s)
    if m: print(f"{m.group(1)}-mb\t{n}\t{m.group(2)}")
    m = re.match(r"first text search after the import \(indexes the text\): ([0-9.]+) ms", s)
    if m: print(f"search-first\t{n}\t{m.group(1)}")
    m = re.match(r"TUI (review, first card|home screen) on screen: ([0-9.]+) ms \(median of 5\), peak memory ([0-9.]+) MB", s)
    if m:
        key = "tui-review" if m.group(1).startswith("review") else "tui-home"
        print(f"{key}\t{n}\t{m.group(2)}"); print(f"{key}-mb\t{n}\t{m.group(3)}")
