"""Statistics of an evaluation: agreement with the reference, accuracy, confusion, latency. Pure."""

from __future__ import annotations

import numpy as np


def percentile(values, q: float):
    return int(np.percentile(np.asarray(values, dtype=np.float64), q, method="nearest")) if len(values) else None


def summarize(records: list[dict], unit: str, labels: np.ndarray | None, link: dict) -> dict:
    delivered = [r for r in records if not r.get("failed")]
    times = [r[unit] for r in delivered]
    doc = {
        "count": len(records),
        "delivered": len(delivered),
        "failed": len(records) - len(delivered),
        "agreement": (sum(r["match"] for r in delivered) / len(records)) if records else 0.0,
        "accuracy": None,
        "timer_unit": unit,
        "latency": {"p50": percentile(times, 50), "p95": percentile(times, 95),
                    "max": max(times) if times else None,
                    "mean": float(np.mean(times)) if times else None},
        "inferences": records,
        "link": link,
    }
    if labels is not None and delivered:
        classes = int(max(max(len(r["output"]) for r in delivered), int(np.max(labels)) + 1))
        cm = np.zeros((classes, classes), dtype=int)
        correct = 0
        for r in delivered:
            y = int(labels[r["index"]])
            pred = int(np.argmax(r["output"]))
            cm[y, pred] += 1
            correct += pred == y
        doc["accuracy"] = correct / len(records)
        doc["confusion_matrix"] = cm.tolist()
    return doc


def write_csv(doc: dict, path: str, labels: np.ndarray | None) -> None:
    import csv

    unit = doc["timer_unit"]
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["index", "label", "device_top", "reference_top", "match", "failed", unit])
        for r in doc["inferences"]:
            failed = bool(r.get("failed"))
            w.writerow([r["index"], "" if labels is None else int(labels[r["index"]]),
                        "" if failed else int(np.argmax(r["output"])), int(np.argmax(r["reference"])),
                        "" if failed else r["match"], failed, "" if failed else r[unit]])


def plot(doc: dict, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    unit = doc["timer_unit"]
    cm = doc.get("confusion_matrix")
    fig, axes = plt.subplots(1, 2 if cm else 1, figsize=(11 if cm else 6, 4.5), squeeze=False)
    times = [r[unit] for r in doc["inferences"] if not r.get("failed")]
    ax = axes[0][0]
    ax.hist(times, bins=min(30, max(5, len(set(times)))), color="#4477aa")
    ax.set_xlabel(f"{unit} per inference")
    ax.set_ylabel("inferences")
    lat = doc["latency"]
    ax.set_title(f"latency: p50 {lat['p50']:,}  p95 {lat['p95']:,}  max {lat['max']:,}" if times else "latency")
    if cm:
        ax = axes[0][1]
        im = ax.imshow(np.asarray(cm), cmap="Blues")
        ax.set_xlabel("device prediction")
        ax.set_ylabel("label")
        ax.set_title(f"confusion (accuracy {doc['accuracy']:.1%}, agreement {doc['agreement']:.1%})")
        for (i, j), v in np.ndenumerate(np.asarray(cm)):
            if v:
                ax.text(j, i, str(v), ha="center", va="center", fontsize=7)
        fig.colorbar(im, ax=ax)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
