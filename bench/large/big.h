/* big.h: what main.c and each copy of SQLite in big.wasm share (see
 * build-big.sh). */
#ifndef BIG_H
#define BIG_H

#define BIG_ROWS 200

/* One copy's answers to the core queries of workload.c. */
struct big_result {
    long long sum;      /* SELECT sum(v): the sum of i*i for i = 1..BIG_ROWS */
    long long count;    /* rows whose text ends in "third": i % 3 == 0 */
    long long checksum; /* of every core query: the same in every copy */
    int features;       /* extension queries that ran and checked out */
};

#endif
