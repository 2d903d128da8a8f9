#!/usr/bin/env python3
"""Collects the metrics.json of the weather runs (bin/bgtai train --data weather ... --out RUNS/<config>-s<seed>)
into results.json: one row per run and the mean/std per configuration. Usage: collect.py RUNS_DIR OUT.json"""
import json, os, statistics, sys

runs_dir, out = sys.argv[1], sys.argv[2]
rows = []
for name in sorted(os.listdir(runs_dir)):
    f = os.path.join(runs_dir, name, "metrics.json")
    if not os.path.isfile(f):
        continue
    m = json.load(open(f))
    config, seed = name.rsplit("-s", 1)
    g = m.get("gloss", {})
    rows.append({
        "config": config, "seed": int(seed), "variant": m["variant"],
        "text_to_image": {k: m["text_to_image"][k] for k in ("R@1", "R@5", "R@10", "MRR")},
        "image_to_text": {k: m["image_to_text"][k] for k in ("R@1", "R@5", "R@10", "MRR")},
        "gloss_exact_text": g.get("exact_text"), "gloss_bleu4_text": g.get("bleu4_text"),
        "gold_gloss_to_image_R@1": g.get("gold_to_image", {}).get("R@1"),
        "val_R@1_per_epoch": [h.get("val_R@1") for h in m.get("history", [])],
        "epochs": len(m.get("history", [])), "test_samples": m["test_samples"],
        "wall_clock_seconds": round(m["wall_clock_seconds"], 1),
        "language_init": m.get("language_init"),
    })

def ms(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return None
    return {"mean": statistics.mean(xs), "std": statistics.stdev(xs) if len(xs) > 1 else 0.0, "n": len(xs)}

summary = {}
for c in dict.fromkeys(r["config"] for r in rows):
    rs = [r for r in rows if r["config"] == c]
    summary[c] = {
        "seeds": [r["seed"] for r in rs],
        "text_to_image_R@1": ms([r["text_to_image"]["R@1"] for r in rs]),
        "text_to_image_R@5": ms([r["text_to_image"]["R@5"] for r in rs]),
        "text_to_image_MRR": ms([r["text_to_image"]["MRR"] for r in rs]),
        "image_to_text_R@1": ms([r["image_to_text"]["R@1"] for r in rs]),
        "gloss_exact_text": ms([r["gloss_exact_text"] for r in rs]),
        "gloss_bleu4_text": ms([r["gloss_bleu4_text"] for r in rs]),
        "gold_gloss_to_image_R@1": ms([r["gold_gloss_to_image_R@1"] for r in rs]),
        "wall_clock_seconds": ms([r["wall_clock_seconds"] for r in rs]),
    }
json.dump({"runs": rows, "summary": summary}, open(out, "w"), indent=1)
for c, s in summary.items():
    f = lambda k, p=100, d=1: "-" if s[k] is None else "%.*f ± %.*f" % (d, p * s[k]["mean"], d, p * s[k]["std"])
    print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %.0f |" % (c, ",".join(map(str, s["seeds"])), f("text_to_image_R@1"), f("text_to_image_R@5"),
          f("text_to_image_MRR", 1, 3), f("image_to_text_R@1"), f("gloss_exact_text"), f("gloss_bleu4_text", 1), f("gold_gloss_to_image_R@1"),
          s["wall_clock_seconds"]["mean"]))
