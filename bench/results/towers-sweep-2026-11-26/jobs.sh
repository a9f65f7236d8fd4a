# LOO, seed 1: the models, the loss choice for SASRec, and the ablations
job loo-s1-sasrec --split loo --seeds 1 --models sasrec
job loo-s1-sasrec-bce --split loo --seeds 1 --models sasrec-bce
train loo-s1-pulse --split loo --seed 1 --time-budget-min $((PULSE_TRAIN_BUDGET_S/60))
job loo-s1-norat --split loo --seeds 1 --models pulse-norat
job loo-s1-noid --split loo --seeds 1 --models pulse-noid
job loo-s1-ratonly --split loo --seeds 1 --models pulse-ratonly
# tuning the weight of the why loss on validation (default 0.5)
PULSE_MODEL_OVERRIDES='{"whyWeight":1}' job loo-s1-why1 --split loo --seeds 1 --models pulse
PULSE_MODEL_OVERRIDES='{"whyWeight":0.2}' job loo-s1-why02 --split loo --seeds 1 --models pulse
# temporal, seed 1
job tmp-s1-sasrec --split temporal --seeds 1 --models sasrec
job tmp-s1-pulse --split temporal --seeds 1 --models pulse
job tmp-s1-norat --split temporal --seeds 1 --models pulse-norat
# seeds 2 and 3
for s in 2 3; do
  job loo-s$s-sasrec --split loo --seeds $s --models sasrec
  job loo-s$s-pulse --split loo --seeds $s --models pulse
  job tmp-s$s-sasrec --split temporal --seeds $s --models sasrec
  job tmp-s$s-pulse --split temporal --seeds $s --models pulse
done
# baselines, all seeds, both splits
job loo-baselines --split loo --seeds 1,2,3 --models pop,itemknn,bpr,content
job tmp-baselines --split temporal --seeds 1,2,3 --models pop,itemknn,bpr,content
