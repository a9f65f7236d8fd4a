#!/bin/bash
# One-shot device run: every sequence model and baseline on both splits, in parallel on 16 cores.
set -u
D=scratch/device
T0=$(date +%s)
mkdir -p /tmp/res
( xz -dc $D/node.xz > /tmp/node 2>/dev/null || python3 -c "import lzma,shutil;shutil.copyfileobj(lzma.open('$D/node.xz'),open('/tmp/node','wb'))" ) && chmod +x /tmp/node
/tmp/node --version > /tmp/res/env.txt 2>&1 || { cat /tmp/res/env.txt; exit 1; }
nproc >> /tmp/res/env.txt; uname -a >> /tmp/res/env.txt; cat /proc/cpuinfo | grep "model name" | head -1 >> /tmp/res/env.txt
cat /tmp/res/env.txt
export PULSE_WASM_DIR=$PWD/$D/
export PULSE_TRAIN_BUDGET_S=${BUDGET:-240}
R=$D/ratings.csv; C=public/catalog/movielens.json
job() { # name, then eval args
  local name=$1; shift
  mkdir -p /tmp/cache/$name && cp .cache/text-vectors/use-lite.bin /tmp/cache/$name/ 2>/dev/null
  ( PULSE_TEXT_CACHE_DIR=/tmp/cache/$name /tmp/node $D/eval.mjs --interactions $R --catalog $C --out /tmp/res/$name "$@" > /tmp/res/$name.log 2>&1
    echo "$name rc=$? $(( $(date +%s) - T0 ))s" >> /tmp/res/done.txt ) &
}
train() { # name, then train args
  local name=$1; shift
  mkdir -p /tmp/cache/$name && cp .cache/text-vectors/use-lite.bin /tmp/cache/$name/ 2>/dev/null
  ( PULSE_TEXT_CACHE_DIR=/tmp/cache/$name /tmp/node $D/train.mjs --interactions $R --catalog $C --out /tmp/res/$name "$@" > /tmp/res/$name.log 2>&1
    echo "$name rc=$? $(( $(date +%s) - T0 ))s" >> /tmp/res/done.txt ) &
}
( sleep 550; tar czf $OUT/results-partial.tgz -C /tmp res ) &
WATCHDOG=$!
source $D/jobs.sh
for p in $(jobs -p); do [ "$p" != "$WATCHDOG" ] && wait $p; done
echo "jobs done in $(( $(date +%s) - T0 ))s"
BENCH_NO_WRITE=1 BENCH_STEPS=4 BENCH_RATINGS=$R timeout 60 /tmp/node $D/bench.mjs > /tmp/res/bench.md 2>&1; cat /tmp/res/bench.md
echo "all done in $(( $(date +%s) - T0 ))s"; cat /tmp/res/done.txt
for f in /tmp/res/*.log; do echo "== $f"; grep -v "^    at" $f | grep -E "NDCG@10|best|α|rror|wrote|budget" | tail -n 8; done
kill $WATCHDOG 2>/dev/null; tar czf $OUT/results.tgz -C /tmp res
ls -la $OUT
