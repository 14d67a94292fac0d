/*
 * copy.c: one copy of SQLite in big.wasm, with its workload. build-big.sh
 * compiles it once per variant with that variant's options, the variant's
 * rename header (-include: every external sqlite3* name gets the copy's
 * prefix, so the copies link side by side) and -DBIG_WORK=big_work_K.
 */
#include "sqlite3.c"
#include "workload.c"
